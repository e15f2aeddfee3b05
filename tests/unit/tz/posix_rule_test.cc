#include "tz/posix_rule.h"

#include <gtest/gtest.h>

#include "test_zones.h"

#include <date/date.h>

namespace omnicron::tz {
namespace {

using omnicron::testing::utc;

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_seconds;


TEST(PosixRuleTest, ReadsNewYork) {
  auto rule = parse_posix_rule("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->std_abbrev, "EST");
  EXPECT_EQ(rule->std_offset, -hours{5});
  EXPECT_EQ(rule->dst_offset, -hours{4});
  // 2040: second Sunday of March is the 11th, first Sunday of November the 4th.
  auto changes = rule->changes_in(2040);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].at, utc(2040, 3, 11, 7));
  EXPECT_TRUE(changes[0].to_dst);
  EXPECT_EQ(changes[1].at, utc(2040, 11, 4, 6));
  EXPECT_FALSE(changes[1].to_dst);
}

TEST(PosixRuleTest, ReadsQuotedNamesAndHalfHourShifts) {
  // Lord Howe: +10:30 standard, +11 in summer, southern hemisphere.
  auto rule = parse_posix_rule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->std_abbrev, "+1030");
  EXPECT_EQ(rule->std_offset, hours{10} + minutes{30});
  EXPECT_EQ(rule->dst_offset, hours{11});
  auto changes = rule->changes_in(2045);
  ASSERT_EQ(changes.size(), 2u);
  // First Sunday of April 2045 is the 2nd: 02:00 +11 is 15:00 UTC on the 1st.
  EXPECT_EQ(changes[0].at, utc(2045, 4, 1, 15));
  EXPECT_FALSE(changes[0].to_dst);
  // First Sunday of October 2045 is the 1st: 02:00 +10:30 is 15:30 UTC on 30 September.
  EXPECT_EQ(changes[1].at, utc(2045, 9, 30, 15, 30));
  EXPECT_TRUE(changes[1].to_dst);
}

TEST(PosixRuleTest, ReadsTimesAndJulianDays) {
  // Europe's rule changes at 01:00 UTC, written as local times.
  auto eu = parse_posix_rule("CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_TRUE(eu);
  EXPECT_EQ(eu->changes_in(2050)[0].at, utc(2050, 3, 27, 1));
  EXPECT_EQ(eu->changes_in(2050)[1].at, utc(2050, 10, 30, 1));
  auto julian = parse_posix_rule("XXX3YYY,J60/0,J300/0");
  ASSERT_TRUE(julian);
  // J60 is 1 March in leap years too.
  EXPECT_EQ(julian->changes_in(2048)[0].at, utc(2048, 3, 1, 3));
  auto negative = parse_posix_rule("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1");
  ASSERT_TRUE(negative);
  EXPECT_EQ(negative->dst_start.time, -hours{2});
}

TEST(PosixRuleTest, ReadsZonesWithoutDaylightSaving) {
  auto rule = parse_posix_rule("JST-9");
  ASSERT_TRUE(rule);
  EXPECT_FALSE(rule->has_dst);
  EXPECT_EQ(rule->std_offset, hours{9});
  EXPECT_TRUE(rule->changes_in(2050).empty());
}

TEST(PosixRuleTest, RefusesMalformedRules) {
  for (const char* bad : {"", "E5", "EST", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0",
                          "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,M3.2.0", "<+03", "EST5EDT,J0,J1",
                          "EST5EDT,M3.2.0,M11.1.0x"}) {
    EXPECT_FALSE(parse_posix_rule(bad)) << bad;
  }
}

}  // namespace
}  // namespace omnicron::tz
