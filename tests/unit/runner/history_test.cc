#include "runner/history.h"

#include <gtest/gtest.h>

namespace omnicron::runner {
namespace {

using namespace std::chrono_literals;

RunRecord sample() {
  RunRecord r;
  r.job = "backups/nightly";
  r.outcome = Outcome::timed_out;
  r.start = Millis(1'763'769'540'123ms);
  r.end = r.start + 1500ms;
  r.attempt = 2;
  r.attempts = 3;
  r.signal = 15;
  r.reason = "timed out after 1000ms";
  r.log = "/var/log/backups.log";
  r.pid = 4242;
  r.queued = 20ms;
  return r;
}

TEST(HistoryTest, WritesOneLineOfJson) {
  const std::string line = to_json_line(sample());
  EXPECT_EQ(line,
            R"({"job":"backups/nightly","outcome":"timed_out","start":"2025-11-21T23:59:00.123Z",)"
            R"("end":"2025-11-21T23:59:01.623Z","duration_ms":1500,"attempt":2,"attempts":3,)"
            R"("signal":15,"reason":"timed out after 1000ms","log":"/var/log/backups.log",)"
            R"("pid":4242,"queued_ms":20})"
            "\n");
}

TEST(HistoryTest, ReadsBackWhatItWrites) {
  const RunRecord r = sample();
  auto back = parse_record(to_json_line(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, r);
}

TEST(HistoryTest, ReadsOnlyTheTimeFormatItWrites) {
  const Millis t(1'763'769'540'123ms);
  EXPECT_EQ(parse_utc(format_utc(t)), t);
  EXPECT_FALSE(parse_utc("2025-11-21T23:59:00Z"));
  EXPECT_FALSE(parse_utc("2025-13-21T23:59:00.000Z"));
  EXPECT_FALSE(parse_utc("2025-11-21 23:59:00.000Z"));
  EXPECT_FALSE(parse_utc("2025-11-21T23:5x:00.000Z"));
}

TEST(HistoryTest, SkipsLinesThatAreNotRecords) {
  EXPECT_FALSE(parse_record(""));
  EXPECT_FALSE(parse_record("{\"job\":"));
  EXPECT_FALSE(parse_record("[1,2]"));
  EXPECT_FALSE(parse_record(R"({"job":"a/b","outcome":"melted","start":"x","end":"y"})"));
  const std::string text = to_json_line(sample()) + "garbage\n" + to_json_line(sample());
  EXPECT_EQ(parse_history(text).size(), 2u);
}

TEST(HistoryTest, CountsSkipsAsSuccessesAndNonZeroExitsAsFailures) {
  RunRecord r = sample();
  EXPECT_FALSE(r.succeeded());
  r.outcome = Outcome::skipped;
  EXPECT_TRUE(r.succeeded());
  r.outcome = Outcome::exited;
  r.exit_code = 0;
  EXPECT_TRUE(r.succeeded());
  r.exit_code = 1;
  EXPECT_FALSE(r.succeeded());
}

TEST(HistoryTest, TrimsToTheNewestWholeLinesInHalfTheCap) {
  EXPECT_EQ(trimmed_history("aaaa\nbbbb\n", 100), "aaaa\nbbbb\n");
  // 30 bytes against a cap of 20: the newest whole lines within 10 bytes.
  EXPECT_EQ(trimmed_history("aaaa\nbbbb\ncccc\ndddd\neeee\nffff\n", 20), "eeee\nffff\n");
  EXPECT_EQ(trimmed_history("aaaa\nbbbb\ncccc\ndddd\neeee\nfffff\n", 20), "fffff\n");
}

}  // namespace
}  // namespace omnicron::runner
