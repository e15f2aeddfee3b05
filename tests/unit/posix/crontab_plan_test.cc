#include "posix/crontab_plan.h"

#include <gtest/gtest.h>

#include "error.h"

namespace omnicron::posix {
namespace {

CrontabBlock block_of(std::vector<std::pair<std::string, std::string>> jobs) {
  CrontabBlock block{"shop", "/srv/shop/jobs.yaml", {}};
  for (auto& [job, line] : jobs) {
    CrontabEntry entry{job, {}, {line}, true, false, {}};
    entry.digest = crontab_digest(entry.lines, true);
    block.entries.push_back(std::move(entry));
  }
  return block;
}

const std::string kForeign = "# mine\nMAILTO=\"\"\n0 1 * * * /bin/echo mine   \n";

TEST(CrontabPlanTest, InstallsThenHasNoChanges) {
  const CrontabBlock wanted = block_of({{"a", "@daily /bin/a"}, {"b", "@hourly /bin/b"}});
  const CrontabChange first = plan_crontab(wanted, kForeign);
  EXPECT_EQ(first.plan.count(ChangeKind::create), 2u);
  EXPECT_EQ(first.new_table.substr(0, kForeign.size()), kForeign);
  const CrontabChange second = plan_crontab(wanted, first.new_table);
  EXPECT_FALSE(second.plan.has_changes());
  EXPECT_EQ(second.new_table, first.new_table);
}

TEST(CrontabPlanTest, AnEmptyManifestRemovesTheBlockAndNothingElse) {
  const std::string installed =
      plan_crontab(block_of({{"a", "@daily /bin/a"}}), kForeign).new_table;
  const CrontabChange removal = plan_removal("shop", installed);
  EXPECT_EQ(removal.plan.count(ChangeKind::remove), 1u);
  EXPECT_EQ(removal.new_table, kForeign);
  EXPECT_EQ(plan_crontab(CrontabBlock{"shop", "x", {}}, installed).new_table, kForeign);
}

TEST(CrontabPlanTest, RefusesTablesLongerThanCrontabAccepts) {
  std::vector<std::pair<std::string, std::string>> jobs;
  for (int i = 0; i < 5000; ++i) jobs.push_back({"j" + std::to_string(i), "@daily /bin/true"});
  try {
    plan_crontab(block_of(jobs), kForeign);
    FAIL() << "a 10,005-line table was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(),
              "the table would have 10005 lines; Debian's crontab refuses tables of more "
              "than 10000 lines, comments included");
  }
}

}  // namespace
}  // namespace omnicron::posix
