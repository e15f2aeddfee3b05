#include "iso_time.h"

#include <gtest/gtest.h>

#include "test_zones.h"

namespace omnicron {
namespace {

using omnicron::testing::utc;

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using testing::load_zone;


TEST(IsoFormatterTest, WritesLocalTimeWithOffset) {
  IsoFormatter ny(load_zone("America/New_York"));
  EXPECT_EQ(ny.format(utc(2026, 3, 8, 6, 59, 59)), "2026-03-08T01:59:59-05:00");
  EXPECT_EQ(ny.format(utc(2026, 3, 8, 7)), "2026-03-08T03:00:00-04:00");
  // Fall back: the same wall-clock time twice, told apart by the offset.
  EXPECT_EQ(ny.format(utc(2026, 11, 1, 5, 30)), "2026-11-01T01:30:00-04:00");
  EXPECT_EQ(ny.format(utc(2026, 11, 1, 6, 30)), "2026-11-01T01:30:00-05:00");
  // Going back in time after the cache holds a later day must still work.
  EXPECT_EQ(ny.format(utc(1999, 12, 31, 23, 59, 1)), "1999-12-31T18:59:01-05:00");
  IsoFormatter howe(load_zone("Australia/Lord_Howe"));
  EXPECT_EQ(howe.format(utc(2026, 1, 1, 0)), "2026-01-01T11:00:00+11:00");
  EXPECT_EQ(howe.format(utc(2026, 7, 1, 0)), "2026-07-01T10:30:00+10:30");
  IsoFormatter kathmandu(load_zone("Asia/Kathmandu"));
  EXPECT_EQ(kathmandu.format(utc(2026, 7, 1, 0)), "2026-07-01T05:45:00+05:45");
}

TEST(IsoFormatterTest, ConsecutiveInstantsAcrossMidnightAndChanges) {
  IsoFormatter london(load_zone("Europe/London"));
  EXPECT_EQ(london.format(utc(2026, 3, 28, 23, 59)), "2026-03-28T23:59:00+00:00");
  EXPECT_EQ(london.format(utc(2026, 3, 29, 0, 0)), "2026-03-29T00:00:00+00:00");
  EXPECT_EQ(london.format(utc(2026, 3, 29, 1, 0)), "2026-03-29T02:00:00+01:00");
  EXPECT_EQ(london.format(utc(2026, 3, 29, 22, 59)), "2026-03-29T23:59:00+01:00");
  EXPECT_EQ(london.format(utc(2026, 3, 29, 23, 0)), "2026-03-30T00:00:00+01:00");
}

TEST(ParseInstantTest, ReadsOffsetsZuluAndLocalTime) {
  const tz::Zone& ny = load_zone("America/New_York");
  std::string why;
  EXPECT_EQ(parse_instant("2026-03-08T01:30:00-05:00", ny, &why), utc(2026, 3, 8, 6, 30));
  EXPECT_EQ(parse_instant("2026-03-08T06:30:00Z", ny, &why), utc(2026, 3, 8, 6, 30));
  EXPECT_EQ(parse_instant("2026-03-08T07:30+0100", ny, &why), utc(2026, 3, 8, 6, 30));
  EXPECT_EQ(parse_instant("2026-03-08 01:30", ny, &why), utc(2026, 3, 8, 6, 30));
  EXPECT_EQ(parse_instant("2026-07-01T12:00:00", ny, &why), utc(2026, 7, 1, 16));
}

TEST(ParseInstantTest, RefusesWhatItCannotPinDown) {
  const tz::Zone& ny = load_zone("America/New_York");
  std::string why;
  EXPECT_FALSE(parse_instant("2026-03-08T02:30", ny, &why));
  EXPECT_EQ(why,
            "2026-03-08T02:30 does not exist in America/New_York (a daylight-saving "
            "change); add the UTC offset you mean");
  EXPECT_FALSE(parse_instant("2026-11-01T01:30", ny, &why));
  EXPECT_NE(why.find("happens twice"), std::string::npos);
  EXPECT_FALSE(parse_instant("2026-02-30T00:00Z", ny, &why));
  EXPECT_EQ(why, "no such date or time: 2026-02-30T00:00Z");
  for (const char* bad : {"tomorrow", "2026-03-08", "2026-03-08T1:00", "2026-03-08T01:00+5",
                          "2026-03-08T01:00:00+05:00junk"}) {
    EXPECT_FALSE(parse_instant(bad, ny, &why)) << bad;
  }
}

}  // namespace
}  // namespace omnicron
