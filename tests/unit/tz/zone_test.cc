#include "tz/zone.h"

#include <gtest/gtest.h>

#include <date/tz.h>

#include "error.h"
#include "test_zones.h"

namespace omnicron::tz {
namespace {

using omnicron::testing::utc;

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using omnicron::testing::load_zone;


date::local_seconds local(int y, unsigned m, unsigned d, int h, int mi = 0) {
  return date::local_seconds{date::local_days{date::year{y} / date::month{m} / date::day{d}}} +
         hours{h} + minutes{mi};
}

// Every zone of the system's database agrees with Howard Hinnant's date-tz,
// an independent reader of the same files, wherever that reader is right:
// from 1900 until its data ends in 2037.
TEST(ZoneTest, AgreesWithDateTzOnEveryZoneUntil2037) {
  const auto& db = date::get_tzdb();
  int zones = 0;
  for (const date::time_zone& theirs : db.zones) {
    const std::string name(theirs.name());
    if (name.rfind("right/", 0) == 0 || name.rfind("posix/", 0) == 0) continue;
    const Zone& ours = load_zone(name);
    ++zones;
    for (sys_seconds t = utc(1900, 1, 1, 0); t < utc(2037, 1, 1, 0); t += hours{24 * 9 + 7}) {
      const date::sys_info expected = theirs.get_info(t);
      const Period got = ours.get_info(t);
      ASSERT_EQ(got.offset, expected.offset) << name << " at " << date::format("%F %T", t);
      ASSERT_EQ(got.abbrev, expected.abbrev) << name << " at " << date::format("%F %T", t);
      // Both sides of date-tz's period start agree too, so the changes
      // happen at the same second (the periods themselves may be cut
      // differently where only the DST flag changes).
      if (expected.begin > utc(1901, 1, 1, 0)) {
        const auto before = expected.begin - seconds{1};
        ASSERT_EQ(ours.get_info(before).offset, theirs.get_info(before).offset)
            << name << " at " << date::format("%F %T", before);
        ASSERT_EQ(ours.get_info(expected.begin).offset, expected.offset)
            << name << " at " << date::format("%F %T", expected.begin);
      }
    }
  }
  EXPECT_GT(zones, 300);
}

// After the last transition in the file, the footer rule goes on: daylight
// saving time does not stop in 2037.
TEST(ZoneTest, FollowsTheFooterRuleAfter2037) {
  const Zone& ny = load_zone("America/New_York");
  EXPECT_EQ(ny.get_info(utc(2040, 3, 11, 6, 59)).offset, -hours{5});
  EXPECT_EQ(ny.get_info(utc(2040, 3, 11, 7)).offset, -hours{4});
  EXPECT_EQ(ny.get_info(utc(2040, 3, 11, 7)).abbrev, "EDT");
  EXPECT_EQ(ny.get_info(utc(2040, 7, 1, 0)).begin, utc(2040, 3, 11, 7));
  EXPECT_EQ(ny.get_info(utc(2040, 7, 1, 0)).end, utc(2040, 11, 4, 6));
  EXPECT_EQ(ny.get_info(utc(2240, 12, 25, 0)).offset, -hours{5});

  const Zone& london = load_zone("Europe/London");
  EXPECT_EQ(london.get_info(utc(2050, 3, 27, 1)).offset, hours{1});
  EXPECT_EQ(london.get_info(utc(2050, 3, 27, 0, 59)).offset, hours{0});

  const Zone& lord_howe = load_zone("Australia/Lord_Howe");
  EXPECT_EQ(lord_howe.get_info(utc(2045, 4, 1, 14, 59)).offset, hours{11});
  EXPECT_EQ(lord_howe.get_info(utc(2045, 4, 1, 15)).offset, hours{10} + minutes{30});
  EXPECT_EQ(lord_howe.get_info(utc(2045, 9, 30, 15, 30)).offset, hours{11});
}

TEST(ZoneTest, TheLastTableTransitionAndTheRuleMeet) {
  // Debian's files list New York's transitions up to 2037-11-01; the period
  // that begins there must end at the rule's first change of 2038.
  const Zone& ny = load_zone("America/New_York");
  const Period p = ny.get_info(utc(2037, 12, 1, 0));
  EXPECT_EQ(p.offset, -hours{5});
  EXPECT_EQ(p.begin, utc(2037, 11, 1, 6));
  EXPECT_EQ(p.end, utc(2038, 3, 14, 7));
}

TEST(ZoneTest, MapsLocalTimesThatAreSkippedOrRepeated) {
  const Zone& ny = load_zone("America/New_York");
  EXPECT_EQ(ny.get_info(local(2026, 3, 8, 1, 59)).result, LocalPeriods::unique);
  EXPECT_EQ(ny.get_info(local(2026, 3, 8, 2, 30)).result, LocalPeriods::nonexistent);
  const LocalPeriods twice = ny.get_info(local(2026, 11, 1, 1, 30));
  ASSERT_EQ(twice.result, LocalPeriods::ambiguous);
  EXPECT_EQ(twice.first.offset, -hours{4});
  EXPECT_EQ(twice.second.offset, -hours{5});
  EXPECT_EQ(ny.get_info(local(2045, 3, 12, 2, 30)).result, LocalPeriods::nonexistent);
}

TEST(ZoneTest, UtcNeedsNoFile) {
  const Period p = Zone::utc().get_info(utc(2026, 1, 1, 0));
  EXPECT_EQ(p.offset, seconds{0});
  EXPECT_EQ(p.abbrev, "UTC");
}

TEST(ZoneTest, RefusesWhatIsNotTzif) {
  try {
    Zone::from_tzif("Nowhere/Town", "not a zone file at all, sorry");
    FAIL() << "accepted junk";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(),
              "time zone 'Nowhere/Town': not a valid TZif file: it does not start with 'TZif'");
  }
  EXPECT_THROW(Zone::from_tzif("Short/One", "TZif2"), Error);
}

}  // namespace
}  // namespace omnicron::tz
