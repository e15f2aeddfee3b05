#include "posix/compile_memo.h"

#include <string>

#include <gtest/gtest.h>

namespace omnicron::posix {
namespace {

CompileInputs inputs() {
  return {"/usr/local/bin/omnicron 2049:77 4200 1.5 1.5", "/srv/crm/jobs.yaml",
          "the crontab of user crm", "runner=/usr/local/bin/omnicron\nstrict=0",
          "version: 1\njobs:\n  a: {schedule: '* * * * *', command: [x]}\n"};
}

CrontabBlock block() {
  CrontabBlock b{"crm", "/srv/crm/jobs.yaml", {}};
  b.entries.push_back({"backup", "0badc0de", {"0 2 * * * /usr/bin/backup --full"}, true, false, ""});
  // Every awkward byte a field can hold: the separators of the format
  // itself, line ends, NUL, and text that is not UTF-8.
  b.entries.push_back({"odd:job\n", "12345678",
                       {"* * * * * echo 3:x\n", std::string("a\0b", 3), "\xff\xfe"},
                       false, true, "line one\nline two: 7:"});
  b.entries.push_back({"no-lines", "ffffffff", {}, true, false, ""});
  return b;
}

void expect_same(const CrontabBlock& a, const CrontabBlock& b) {
  EXPECT_EQ(a.namespace_, b.namespace_);
  EXPECT_EQ(a.source, b.source);
  ASSERT_EQ(a.entries.size(), b.entries.size());
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    EXPECT_EQ(a.entries[i].job, b.entries[i].job);
    EXPECT_EQ(a.entries[i].digest, b.entries[i].digest);
    EXPECT_EQ(a.entries[i].lines, b.entries[i].lines);
    EXPECT_EQ(a.entries[i].enabled, b.entries[i].enabled);
    EXPECT_EQ(a.entries[i].shell, b.entries[i].shell);
    EXPECT_EQ(a.entries[i].description, b.entries[i].description);
  }
}

TEST(CompileMemoTest, GivesBackTheBlockForTheSameInputs) {
  auto back = remembered_block(memo_text(inputs(), block()), inputs());
  ASSERT_TRUE(back.has_value());
  expect_same(*back, block());
}

TEST(CompileMemoTest, GivesBackAnEmptyBlock) {
  CrontabBlock empty{"crm", "/srv/crm/jobs.yaml", {}};
  auto back = remembered_block(memo_text(inputs(), empty), inputs());
  ASSERT_TRUE(back.has_value());
  expect_same(*back, empty);
}

TEST(CompileMemoTest, IsNotUsedWhenAnyInputDiffers) {
  const std::string memo = memo_text(inputs(), block());
  std::string CompileInputs::*fields[] = {&CompileInputs::binary, &CompileInputs::manifest_path,
                                          &CompileInputs::table, &CompileInputs::options,
                                          &CompileInputs::manifest_text};
  for (auto field : fields) {
    CompileInputs other = inputs();
    (other.*field).push_back(' ');
    EXPECT_FALSE(remembered_block(memo, other).has_value()) << other.*field;
    other = inputs();
    (other.*field).pop_back();
    EXPECT_FALSE(remembered_block(memo, other).has_value()) << other.*field;
  }
}

TEST(CompileMemoTest, ADamagedMemoIsNotUsed) {
  const std::string memo = memo_text(inputs(), block());
  // A torn write leaves any prefix; none of them may pass for a memo.
  for (std::size_t n = 0; n < memo.size(); ++n)
    EXPECT_FALSE(remembered_block(memo.substr(0, n), inputs()).has_value()) << n;
  EXPECT_FALSE(remembered_block(memo + "x", inputs()).has_value());
  std::string other_format = memo;
  other_format.replace(other_format.find('1'), 1, "9");
  EXPECT_FALSE(remembered_block(other_format, inputs()).has_value());
}

TEST(CompileMemoTest, OneFilePerTableAndManifest) {
  CompileInputs a = inputs();
  CompileInputs b = inputs();
  b.manifest_text = "version: 1\njobs: {}\n";
  b.options = "strict=1";
  EXPECT_EQ(memo_file_name(a), memo_file_name(b));
  b.table = "the cron file /etc/cron.d/crm";
  EXPECT_NE(memo_file_name(a), memo_file_name(b));
  EXPECT_TRUE(memo_file_name(a).ends_with(".memo"));
}

}  // namespace
}  // namespace omnicron::posix
