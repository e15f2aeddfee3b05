#include "manifest/yaml_text.h"

#include <gtest/gtest.h>

#include "manifest/yaml_stream.h"

namespace omnicron::detail {
namespace {

// The column of byte `offset` of the value of key `a` in `source`.
int column(const std::string& source, std::size_t offset) {
  YamlStream stream = parse_yaml_stream(source);
  return column_in_scalar(source, stream.first->find("a")->mark, offset);
}

// The kind of the value of key `a` in "a: TEXT".
ScalarKind kind(const std::string& text) {
  YamlStream stream = parse_yaml_stream("a: " + text);
  return scalar_kind(*stream.first->find("a"));
}

TEST(ColumnInScalarTest, PlainScalarStartsAtItsMark) {
  EXPECT_EQ(column("a: 0 60 * * *", 2), 6);
}

TEST(ColumnInScalarTest, QuotesShiftByOne) {
  EXPECT_EQ(column("a: \"0 60 * * *\"", 2), 7);
  EXPECT_EQ(column("a: '0 60 * * *'", 2), 7);
}

TEST(ColumnInScalarTest, EscapesTakeMoreSourceThanText) {
  // "it's" is written 'it''s': the doubled quote is one character of text.
  EXPECT_EQ(column("a: 'it''s x'", 5), 11);
  // "\t" is two source characters for one of text.
  EXPECT_EQ(column("a: \"0\\t60\"", 2), 8);
}

TEST(ColumnInScalarTest, FallsBackToTheScalarWhenUnsure) {
  EXPECT_EQ(column("a: \"\\u00e9 60\"", 3), 4);
  EXPECT_EQ(column("a: |\n  0 60 * * *\n", 2), 4);
  EXPECT_EQ(column("a: 0\n  60\n", 2), 4);
}

TEST(ScalarKindTest, FollowsYaml12CoreSchema) {
  EXPECT_EQ(kind("~"), ScalarKind::null);
  EXPECT_EQ(kind("null"), ScalarKind::null);
  EXPECT_EQ(kind("true"), ScalarKind::boolean);
  EXPECT_EQ(kind("False"), ScalarKind::boolean);
  EXPECT_EQ(kind("yes"), ScalarKind::string);
  EXPECT_EQ(kind("on"), ScalarKind::string);
  EXPECT_EQ(kind("42"), ScalarKind::integer);
  EXPECT_EQ(kind("-1"), ScalarKind::integer);
  EXPECT_EQ(kind("0x1F"), ScalarKind::integer);
  EXPECT_EQ(kind("1.5"), ScalarKind::floating);
  EXPECT_EQ(kind("06:00"), ScalarKind::string);
  EXPECT_EQ(kind("\"42\""), ScalarKind::string);
  EXPECT_EQ(kind("!!str 42"), ScalarKind::string);
  EXPECT_EQ(kind("5m"), ScalarKind::string);
}

// The matcher is written by hand; these are the edges of the core schema's
// patterns.
TEST(ScalarKindTest, EdgesOfTheNumberPatterns) {
  EXPECT_EQ(kind("+7"), ScalarKind::integer);
  EXPECT_EQ(kind("0o17"), ScalarKind::integer);
  EXPECT_EQ(kind("0o18"), ScalarKind::string);
  EXPECT_EQ(kind("0o"), ScalarKind::string);
  EXPECT_EQ(kind("0x"), ScalarKind::string);
  EXPECT_EQ(kind("0xg"), ScalarKind::string);
  EXPECT_EQ(kind("+"), ScalarKind::string);
  EXPECT_EQ(kind("1."), ScalarKind::floating);
  EXPECT_EQ(kind(".5"), ScalarKind::floating);
  EXPECT_EQ(kind("-.5e-3"), ScalarKind::floating);
  EXPECT_EQ(kind("1e5"), ScalarKind::floating);
  EXPECT_EQ(kind("1e"), ScalarKind::string);
  EXPECT_EQ(kind("."), ScalarKind::string);
  EXPECT_EQ(kind("1.2.3"), ScalarKind::string);
  EXPECT_EQ(kind("-.inf"), ScalarKind::floating);
  EXPECT_EQ(kind(".NaN"), ScalarKind::floating);
  EXPECT_EQ(kind("-.nan"), ScalarKind::string);
  EXPECT_EQ(kind("NULL"), ScalarKind::null);
  EXPECT_EQ(kind("nULL"), ScalarKind::string);
  EXPECT_EQ(kind("TRUE"), ScalarKind::boolean);
  EXPECT_EQ(kind("tRUE"), ScalarKind::string);
}

}  // namespace
}  // namespace omnicron::detail
