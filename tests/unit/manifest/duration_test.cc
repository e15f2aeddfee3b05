#include "duration.h"

#include <gtest/gtest.h>

namespace omnicron {
namespace {

using std::chrono::seconds;

TEST(DurationTest, ReadsOneUnit) {
  EXPECT_EQ(parse_duration("90s"), seconds{90});
  EXPECT_EQ(parse_duration("5m"), seconds{300});
  EXPECT_EQ(parse_duration("2h"), seconds{7200});
  EXPECT_EQ(parse_duration("1d"), seconds{86400});
  EXPECT_EQ(parse_duration("0s"), seconds{0});
}

TEST(DurationTest, ReadsSumsInDecreasingUnits) {
  EXPECT_EQ(parse_duration("1h30m"), seconds{5400});
  EXPECT_EQ(parse_duration("1d2h3m4s"), seconds{93784});
  EXPECT_EQ(parse_duration("1d30s"), seconds{86430});
}

TEST(DurationTest, RefusesUnitsOutOfOrderOrRepeated) {
  EXPECT_EQ(parse_duration("30m1h"), std::nullopt);
  EXPECT_EQ(parse_duration("1h1h"), std::nullopt);
  EXPECT_EQ(parse_duration("1m1d"), std::nullopt);
}

TEST(DurationTest, RefusesWhatIsNotADuration) {
  for (const char* text : {"", "5", "m", "5 m", " 5m", "5m ", "-5m", "+5m", "1.5h", "5M",
                           "5min", "5w", "1h30", "h30m", "1234567890s"}) {
    EXPECT_EQ(parse_duration(text), std::nullopt) << text;
  }
}

TEST(DurationTest, FormatsTheCanonicalSpelling) {
  EXPECT_EQ(format_duration(seconds{0}), "0s");
  EXPECT_EQ(format_duration(seconds{30}), "30s");
  EXPECT_EQ(format_duration(seconds{90}), "1m30s");
  EXPECT_EQ(format_duration(seconds{1800}), "30m");
  EXPECT_EQ(format_duration(seconds{5400}), "1h30m");
  EXPECT_EQ(format_duration(seconds{86400}), "1d");
  EXPECT_EQ(format_duration(seconds{93784}), "1d2h3m4s");
}

TEST(DurationTest, FormatReadsBack) {
  for (long long s : {1LL, 59LL, 60LL, 61LL, 3599LL, 3600LL, 86399LL, 86401LL, 1000000LL}) {
    EXPECT_EQ(parse_duration(format_duration(seconds{s})), seconds{s}) << s;
  }
}

}  // namespace
}  // namespace omnicron
