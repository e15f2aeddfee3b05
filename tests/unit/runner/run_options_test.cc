#include "runner/run_options.h"

#include <gtest/gtest.h>

namespace omnicron::runner {
namespace {

using namespace std::chrono_literals;

TEST(RunOptionsTest, ReadsJobId) {
  auto id = parse_job_id("backups/nightly");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->namespace_, "backups");
  EXPECT_EQ(id->name, "nightly");
  EXPECT_EQ(id->text(), "backups/nightly");
}

TEST(RunOptionsTest, RejectsJobIdWithoutExactlyOneInnerSlash) {
  EXPECT_FALSE(parse_job_id("nightly"));
  EXPECT_FALSE(parse_job_id("/nightly"));
  EXPECT_FALSE(parse_job_id("backups/"));
  EXPECT_FALSE(parse_job_id("a/b/c"));
}

TEST(RunOptionsTest, FindsTheAccountOfAUidInPasswdText) {
  const std::string passwd =
      "# local accounts\n"
      "root:x:0:0:root:/root:/bin/bash\n"
      "broken:x:1000\n"
      "+nisuser::1000:1000:::\n"
      "alice:x:10000:10000:Alice,,,:/home/alice:/bin/bash\n"
      "bob:x:1000:1000::/home/bob:/bin/sh";
  auto bob = find_account(passwd, 1000);
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->name, "bob");
  EXPECT_EQ(bob->home, "/home/bob");
  EXPECT_FALSE(bob->root);
  auto root = find_account(passwd, 0);
  ASSERT_TRUE(root);
  EXPECT_EQ(root->name, "root");
  EXPECT_TRUE(root->root);
  EXPECT_EQ(find_account(passwd, 10000)->name, "alice");
  EXPECT_FALSE(find_account(passwd, 100));
  EXPECT_FALSE(find_account("", 0));
}

TEST(RunOptionsTest, ReadsOverlapPolicies) {
  for (auto policy : {OverlapPolicy::allow, OverlapPolicy::skip, OverlapPolicy::queue,
                      OverlapPolicy::replace}) {
    EXPECT_EQ(parse_overlap(to_string(policy)), policy);
  }
  EXPECT_FALSE(parse_overlap("wait"));
}

TEST(RunOptionsTest, ReadsSizes) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("512K"), 512u * 1024);
  EXPECT_EQ(parse_size("10M"), 10u * 1024 * 1024);
  EXPECT_EQ(parse_size("1G"), 1024u * 1024 * 1024);
  EXPECT_FALSE(parse_size("0"));
  EXPECT_FALSE(parse_size("M"));
  EXPECT_FALSE(parse_size("1.5M"));
  EXPECT_FALSE(parse_size("-1"));
}

TEST(RunOptionsTest, ReadsRunnerDurationsInManifestFormAndMilliseconds) {
  EXPECT_EQ(parse_runner_duration("90s"), 90s);
  EXPECT_EQ(parse_runner_duration("1h30m"), 90min);
  EXPECT_EQ(parse_runner_duration("250ms"), 250ms);
  EXPECT_FALSE(parse_runner_duration("ms"));
  EXPECT_FALSE(parse_runner_duration("1.5s"));
  EXPECT_FALSE(parse_runner_duration("soon"));
}

TEST(RunOptionsTest, ReadsEnvAssignments) {
  auto pair = parse_env_assignment("A=b=c");
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->first, "A");
  EXPECT_EQ(pair->second, "b=c");
  EXPECT_EQ(parse_env_assignment("EMPTY=")->second, "");
  EXPECT_FALSE(parse_env_assignment("=x"));
  EXPECT_FALSE(parse_env_assignment("NOEQUALS"));
}

TEST(RunOptionsTest, FillsWhatCronLeavesOutAndAppliesOverridesLast) {
  const Environment cron_env = {{"PATH", "/usr/bin:/bin"}, {"SHELL", "/bin/sh"}};
  const UserFacts user{false, "/home/ann", "ann"};
  const Environment env = job_environment(cron_env, user, {{"LANG", "de_DE.UTF-8"}, {"X", "1"}});
  const Environment expected = {{"PATH", "/usr/bin:/bin"}, {"SHELL", "/bin/sh"},
                                {"HOME", "/home/ann"},     {"USER", "ann"},
                                {"LOGNAME", "ann"},        {"LANG", "de_DE.UTF-8"},
                                {"X", "1"}};
  EXPECT_EQ(env, expected);
}

TEST(RunOptionsTest, GivesRootTheSbinPathWhenNoneIsSet) {
  const Environment env = job_environment({}, UserFacts{true, "/root", "root"}, {});
  EXPECT_EQ(env.front().first, "PATH");
  EXPECT_EQ(env.front().second, "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
}

TEST(RunOptionsTest, LooksProgramsUpInPathUnlessTheyHaveASlash) {
  EXPECT_EQ(program_candidates("./run.sh", "/bin"), std::vector<std::string>{"./run.sh"});
  const std::vector<std::string> expected = {"/usr/bin/true", "./true", "/bin/true"};
  EXPECT_EQ(program_candidates("true", "/usr/bin::/bin"), expected);
}

}  // namespace
}  // namespace omnicron::runner
