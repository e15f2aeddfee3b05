#include "manifest/suggest.h"

#include <gtest/gtest.h>

namespace omnicron::detail {
namespace {

TEST(SuggestTest, EditDistance) {
  EXPECT_EQ(edit_distance("timeout", "timeout"), 0u);
  EXPECT_EQ(edit_distance("timout", "timeout"), 1u);
  EXPECT_EQ(edit_distance("timeuot", "timeout"), 1u);  // a swap of neighbours
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(SuggestTest, FindsTheClosestCandidate) {
  const std::vector<std::string_view> keys = {"timeout", "timezone", "working_dir", "description"};
  EXPECT_EQ(closest("timout", keys), "timeout");
  EXPECT_EQ(closest("timezon", keys), "timezone");
  EXPECT_EQ(closest("Working-Dir", keys), "working_dir");
  EXPECT_EQ(closest("desc", keys), "description");
  EXPECT_EQ(closest("banana", keys), "");
  EXPECT_EQ(closest("", keys), "");
}

}  // namespace
}  // namespace omnicron::detail
