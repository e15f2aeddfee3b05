#include "plan.h"

#include <gtest/gtest.h>

namespace omnicron {
namespace {

Registration reg(std::string job, std::string digest, std::vector<std::string> text,
                 bool edited = false) {
  return {std::move(job), std::move(digest), std::move(text), edited};
}

TEST(PlanTest, NoChangesWhenInstalledMatches) {
  const std::vector<Registration> same = {reg("a", "11", {"@daily /bin/a"}),
                                          reg("b", "22", {"@hourly /bin/b"})};
  Plan plan = make_plan("crm", same, same);
  EXPECT_FALSE(plan.has_changes());
  EXPECT_EQ(plan.count(ChangeKind::unchanged), 2u);
  EXPECT_EQ(render_plan(plan), "crm: 0 to create, 0 to update, 0 to remove, 2 unchanged\n");
}

TEST(PlanTest, CreatesUpdatesAndRemovesByJobName) {
  Plan plan = make_plan("crm",
                        {reg("new", "01", {"@daily /bin/new"}), reg("changed", "02", {"0 1 * * * /bin/c2"}),
                         reg("same", "03", {"@hourly /bin/s"})},
                        {reg("same", "03", {"@hourly /bin/s"}), reg("changed", "99", {"0 1 * * * /bin/c1"}),
                         reg("gone", "04", {"@weekly /bin/g"})});
  ASSERT_EQ(plan.changes.size(), 4u);
  EXPECT_EQ(plan.changes[0].kind, ChangeKind::create);
  EXPECT_EQ(plan.changes[1].kind, ChangeKind::update);
  EXPECT_EQ(plan.changes[2].kind, ChangeKind::unchanged);
  EXPECT_EQ(plan.changes[3].kind, ChangeKind::remove);
  EXPECT_EQ(plan.changes[3].job, "gone");
  EXPECT_EQ(render_plan(plan),
            "+ crm/new: create (not installed)\n"
            "    + @daily /bin/new\n"
            "~ crm/changed: update (the manifest changed)\n"
            "    - 0 1 * * * /bin/c1\n"
            "    + 0 1 * * * /bin/c2\n"
            "- crm/gone: remove (no longer in the manifest)\n"
            "    - @weekly /bin/g\n"
            "crm: 1 to create, 1 to update, 1 to remove, 1 unchanged\n");
}

TEST(PlanTest, HandEditsAreDriftEvenWithTheSameDigest) {
  Plan plan = make_plan("crm", {reg("a", "11", {"@daily /bin/a"})},
                        {reg("a", "11", {"@daily /bin/a --edited"}, true)});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].kind, ChangeKind::update);
  EXPECT_EQ(plan.changes[0].why, "edited by hand; the manifest's version replaces it");
}

TEST(PlanTest, TextThatDiffersWithAnEqualDigestIsStillAnUpdate) {
  // A digest is short; the text decides when both are at hand.
  Plan plan = make_plan("crm", {reg("a", "11", {"@daily /bin/a"})},
                        {reg("a", "11", {"@daily /bin/b"})});
  EXPECT_EQ(plan.changes[0].kind, ChangeKind::update);
}

}  // namespace
}  // namespace omnicron
