#include "runner/log_file.h"

#include <gtest/gtest.h>

namespace omnicron::runner {
namespace {

using namespace std::chrono_literals;
using Renames = std::vector<std::pair<std::string, std::string>>;

TEST(LogFileTest, RotatesOnceTheCapIsReached) {
  EXPECT_FALSE(needs_rotation(99, 100));
  EXPECT_TRUE(needs_rotation(100, 100));
}

TEST(LogFileTest, ShiftsOldLogsUpAndDropsTheOldest) {
  EXPECT_EQ(rotation_renames("/l/job.log", 3),
            (Renames{{"/l/job.log.2", "/l/job.log.3"},
                     {"/l/job.log.1", "/l/job.log.2"},
                     {"/l/job.log", "/l/job.log.1"}}));
  EXPECT_EQ(rotation_renames("job.log", 1), (Renames{{"job.log", "job.log.1"}}));
  EXPECT_EQ(rotation_renames("job.log", 0), (Renames{{"job.log", ""}}));
}

TEST(LogFileTest, WritesBannersAroundAnAttempt) {
  RunRecord r;
  r.job = "a/b";
  r.start = Millis(1'763'769'540'000ms);
  r.end = r.start + 2250ms;
  r.attempt = 1;
  r.attempts = 2;
  EXPECT_EQ(start_banner(r, {"/bin/echo", "hi"}),
            "=== omnicron: a/b started 2025-11-21T23:59:00.000Z (attempt 1 of 2): /bin/echo hi\n");
  r.outcome = Outcome::timed_out;
  r.signal = 9;
  EXPECT_EQ(end_banner(r),
            "=== omnicron: a/b ended 2025-11-21T23:59:02.250Z (attempt 1 of 2) after 2.250s: "
            "timed out, then signal 9 (SIGKILL)\n");
  r.attempts = 1;
  r.outcome = Outcome::exited;
  r.signal.reset();
  r.exit_code = 3;
  EXPECT_EQ(end_banner(r), "=== omnicron: a/b ended 2025-11-21T23:59:02.250Z after 2.250s: exit 3\n");
}

}  // namespace
}  // namespace omnicron::runner
