#include "runner/history.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

TEST(HistoryTest, WritesStringsAsNlohmannJsonDumpsThem) {
  // to_json_line is written by hand for speed; nlohmann::json reads it back,
  // so the two must agree on every string a record can hold.
  std::string every_ascii;
  for (int c = 1; c < 128; ++c) every_ascii += static_cast<char>(c);
  for (const std::string& text :
       {every_ascii, std::string("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), std::string(),
        std::string("quote \" backslash \\ tab \t nul-free")}) {
    RunRecord r = sample();
    r.reason = text;
    r.log = text;
    const std::string line = to_json_line(r);
    const auto dumped = nlohmann::json(text).dump();
    if (!text.empty()) {
      EXPECT_NE(line.find("\"reason\":" + dumped + ","), std::string::npos) << line;
    }
    EXPECT_NE(line.find("\"log\":" + dumped + ","), std::string::npos) << line;
    auto back = parse_record(line);
    ASSERT_TRUE(back) << line;
    EXPECT_EQ(back->reason, text);
  }
}

TEST(HistoryTest, ReplacesInvalidUtf8SoTheLineStaysValid) {
  RunRecord r = sample();
  // A lone continuation byte, a truncated sequence, an overlong '/', and a
  // surrogate: none is UTF-8, each byte becomes U+FFFD.
  r.reason = "a\x80" "b\xE2\x82" "c\xC0\xAF" "d\xED\xA0\x80" "e";
  auto back = parse_record(to_json_line(r));
  ASSERT_TRUE(back);
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(back->reason, "a" + fffd + "b" + fffd + fffd + "c" + fffd + fffd + "d" + fffd + fffd +
                              fffd + "e");
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
