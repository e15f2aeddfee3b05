#include "runner/status.h"

#include <gtest/gtest.h>

namespace omnicron::runner {
namespace {

using namespace std::chrono_literals;

RunRecord attempt(int exit_code, unsigned n = 1, unsigned of = 1) {
  RunRecord r;
  r.job = "a/b";
  r.exit_code = exit_code;
  r.attempt = n;
  r.attempts = of;
  return r;
}

RunRecord skip() {
  RunRecord r;
  r.job = "a/b";
  r.outcome = Outcome::skipped;
  r.reason = "the previous run is still going (--overlap skip)";
  return r;
}

TEST(StatusTest, AnEmptyHistoryHasNoRun) {
  const JobSummary s = summarize({});
  EXPECT_FALSE(s.last_run);
  EXPECT_EQ(s.failure_streak, 0u);
}

TEST(StatusTest, CountsFailedRunsSinceTheLastSuccess) {
  const JobSummary s = summarize({attempt(1), attempt(0), attempt(2), attempt(3)});
  ASSERT_TRUE(s.last_run);
  EXPECT_EQ(s.last_run->exit_code, 3);
  EXPECT_EQ(s.failure_streak, 2u);
  EXPECT_EQ(s.runs, 4u);
}

TEST(StatusTest, RetriedAttemptsAreOneRun) {
  // A run that failed once and then succeeded is a success, not a failure.
  const JobSummary s = summarize({attempt(1, 1, 3), attempt(0, 2, 3)});
  EXPECT_EQ(s.failure_streak, 0u);
  EXPECT_EQ(s.runs, 1u);
  const JobSummary failed = summarize({attempt(1, 1, 2), attempt(1, 2, 2)});
  EXPECT_EQ(failed.failure_streak, 1u);
}

TEST(StatusTest, SkipsNeitherBreakNorExtendTheStreak) {
  const JobSummary s = summarize({attempt(1), skip(), attempt(1), skip()});
  EXPECT_EQ(s.failure_streak, 2u);
  ASSERT_TRUE(s.last_skip);
  EXPECT_EQ(s.last_run->exit_code, 1);
}

}  // namespace
}  // namespace omnicron::runner
