#include "cron/fire_times.h"

#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_zones.h"

namespace omnicron::cron {
namespace {

using omnicron::testing::utc;

using std::chrono::minutes;
using std::chrono::seconds;


const tz::Zone& zone(const char* name) { return omnicron::testing::load_zone(name); }

std::string show(const std::optional<Instant>& t) {
  return t ? date::format("%F %T", *t) : std::string("none");
}

// The next `count` fire instants after `after`, in UTC text.
std::vector<std::string> next_n(const char* expr, const char* zone_name, Instant after,
                                int count) {
  FireTimes times(CronExpression::parse(expr), zone(zone_name), after);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) out.push_back(show(times.next()));
  return out;
}

using Strings = std::vector<std::string>;

// ---- America/New_York, 2026-03-08: 02:00 EST becomes 03:00 EDT (07:00Z) ----

TEST(FireTimesTest, NewYorkSpringForwardFixedTimeRunsOnceAtThreeAm) {
  EXPECT_EQ(next_n("30 2 * * *", "America/New_York", utc(2026, 3, 7, 0, 0), 3),
            (Strings{"2026-03-07 07:30:00",    // 02:30 EST
                     "2026-03-08 07:00:00",    // skipped; runs at 03:00 EDT
                     "2026-03-09 06:30:00"}));  // 02:30 EDT
}

// The zone files list transitions only until 2037; after that the zone's
// footer rule must still move the clocks (2040: 11 March and 4 November).
TEST(FireTimesTest, DaylightSavingGoesOnAfter2037) {
  EXPECT_EQ(next_n("30 2 * * *", "America/New_York", utc(2040, 3, 10, 12, 0), 2),
            (Strings{"2040-03-11 07:00:00", "2040-03-12 06:30:00"}));
  EXPECT_EQ(next_n("30 1 * * *", "America/New_York", utc(2040, 11, 3, 12, 0), 2),
            (Strings{"2040-11-04 05:30:00", "2040-11-05 06:30:00"}));
}

TEST(FireTimesTest, NewYorkSpringForwardSkippedTimesCollapse) {
  EXPECT_EQ(next_n("0,30 2 * * *", "America/New_York", utc(2026, 3, 8, 0, 0), 2),
            (Strings{"2026-03-08 07:00:00", "2026-03-09 06:00:00"}));
  // 02:00 is skipped and 03:00 EDT is the same instant: one run.
  EXPECT_EQ(next_n("0 1-3 * * *", "America/New_York", utc(2026, 3, 8, 5, 0), 3),
            (Strings{"2026-03-08 06:00:00", "2026-03-08 07:00:00", "2026-03-09 05:00:00"}));
  EXPECT_EQ(next_n("0 0-23/2 * * *", "America/New_York", utc(2026, 3, 8, 4, 0), 3),
            (Strings{"2026-03-08 05:00:00", "2026-03-08 07:00:00", "2026-03-08 08:00:00"}));
}

TEST(FireTimesTest, NewYorkSpringForwardWildcardGetsNoCatchUp) {
  EXPECT_EQ(next_n("*/20 * * * *", "America/New_York", utc(2026, 3, 8, 6, 30), 3),
            (Strings{"2026-03-08 06:40:00", "2026-03-08 07:00:00", "2026-03-08 07:20:00"}));
  EXPECT_EQ(next_n("* * * * *", "America/New_York", utc(2026, 3, 8, 6, 58), 3),
            (Strings{"2026-03-08 06:59:00", "2026-03-08 07:00:00", "2026-03-08 07:01:00"}));
  // 01:45 EST, then 03:45 EDT; 02:45 does not exist and is not made up.
  EXPECT_EQ(next_n("45 * * * *", "America/New_York", utc(2026, 3, 8, 6, 0), 2),
            (Strings{"2026-03-08 06:45:00", "2026-03-08 07:45:00"}));
  // Hour starred, minute fixed: still a wildcard-time job for Debian cron.
  EXPECT_EQ(next_n("30 * * * *", "America/New_York", utc(2026, 3, 8, 6, 0), 2),
            (Strings{"2026-03-08 06:30:00", "2026-03-08 07:30:00"}));
}

// ---- America/New_York, 2026-11-01: 02:00 EDT becomes 01:00 EST (06:00Z) ----

TEST(FireTimesTest, NewYorkFallBackFixedTimeRunsInFirstCopyOnly) {
  EXPECT_EQ(next_n("30 1 * * *", "America/New_York", utc(2026, 11, 1, 0, 0), 2),
            (Strings{"2026-11-01 05:30:00",    // 01:30 EDT
                     "2026-11-02 06:30:00"}));  // 01:30 EST, the next day
  EXPECT_EQ(next_n("0 1-3 * * *", "America/New_York", utc(2026, 11, 1, 4, 0), 3),
            (Strings{"2026-11-01 05:00:00", "2026-11-01 07:00:00", "2026-11-01 08:00:00"}));
}

TEST(FireTimesTest, NewYorkFallBackWildcardRunsInBothCopies) {
  EXPECT_EQ(next_n("30 * * * *", "America/New_York", utc(2026, 11, 1, 4, 0), 4),
            (Strings{"2026-11-01 04:30:00", "2026-11-01 05:30:00", "2026-11-01 06:30:00",
                     "2026-11-01 07:30:00"}));
  EXPECT_EQ(next_n("*/20 * * * *", "America/New_York", utc(2026, 11, 1, 5, 30), 4),
            (Strings{"2026-11-01 05:40:00", "2026-11-01 06:00:00", "2026-11-01 06:20:00",
                     "2026-11-01 06:40:00"}));
}

// ---- Europe/London: 2026-03-29 01:00Z forward, 2026-10-25 01:00Z back ------

TEST(FireTimesTest, LondonSpringForward) {
  EXPECT_EQ(next_n("30 1 * * *", "Europe/London", utc(2026, 3, 28, 0, 0), 3),
            (Strings{"2026-03-28 01:30:00", "2026-03-29 01:00:00", "2026-03-30 00:30:00"}));
  EXPECT_EQ(next_n("30 * * * *", "Europe/London", utc(2026, 3, 29, 0, 0), 2),
            (Strings{"2026-03-29 00:30:00", "2026-03-29 01:30:00"}));
}

TEST(FireTimesTest, LondonFallBack) {
  EXPECT_EQ(next_n("30 1 * * *", "Europe/London", utc(2026, 10, 24, 23, 0), 2),
            (Strings{"2026-10-25 00:30:00", "2026-10-26 01:30:00"}));
  EXPECT_EQ(next_n("30 * * * *", "Europe/London", utc(2026, 10, 24, 23, 0), 3),
            (Strings{"2026-10-24 23:30:00", "2026-10-25 00:30:00", "2026-10-25 01:30:00"}));
}

// ---- Australia/Lord_Howe: half-hour changes --------------------------------
// 2026-04-05 02:00 +11 becomes 01:30 +10:30 (2026-04-04 15:00Z);
// 2026-10-04 02:00 +10:30 becomes 02:30 +11 (2026-10-03 15:30Z).

TEST(FireTimesTest, LordHoweFallBackHalfHour) {
  EXPECT_EQ(next_n("45 1 * * *", "Australia/Lord_Howe", utc(2026, 4, 4, 12, 0), 2),
            (Strings{"2026-04-04 14:45:00",    // 01:45 +11
                     "2026-04-05 15:15:00"}));  // 01:45 +10:30 on April 6
  EXPECT_EQ(next_n("45 * * * *", "Australia/Lord_Howe", utc(2026, 4, 4, 14, 0), 3),
            (Strings{"2026-04-04 14:45:00", "2026-04-04 15:15:00", "2026-04-04 16:15:00"}));
}

TEST(FireTimesTest, LordHoweSpringForwardHalfHour) {
  EXPECT_EQ(next_n("15 2 * * *", "Australia/Lord_Howe", utc(2026, 10, 2, 12, 0), 3),
            (Strings{"2026-10-02 15:45:00",    // 02:15 +10:30
                     "2026-10-03 15:30:00",    // skipped; runs at 02:30 +11
                     "2026-10-04 15:15:00"}));  // 02:15 +11
  EXPECT_EQ(next_n("15 * * * *", "Australia/Lord_Howe", utc(2026, 10, 3, 14, 0), 2),
            (Strings{"2026-10-03 14:45:00",    // 01:15 +10:30
                     "2026-10-03 16:15:00"}));  // 03:15 +11
}

// ---- Zones without DST ----------------------------------------------------

TEST(FireTimesTest, UtcAndTokyo) {
  EXPECT_EQ(next_n("0 9 * * *", "Asia/Tokyo", utc(2026, 3, 8, 0, 0), 2),
            (Strings{"2026-03-09 00:00:00", "2026-03-10 00:00:00"}));
  EXPECT_EQ(next_n("*/15 * * * *", "UTC", utc(2026, 12, 31, 23, 50), 2),
            (Strings{"2027-01-01 00:00:00", "2027-01-01 00:15:00"}));
}

TEST(FireTimesTest, NextIsStrictlyAfter) {
  const auto expr = CronExpression::parse("0 2 * * *");
  EXPECT_EQ(show(next_fire(expr, utc(2026, 6, 1, 2, 0), zone("UTC"))), "2026-06-02 02:00:00");
  EXPECT_EQ(show(next_fire(expr, utc(2026, 6, 1, 1, 59, 59), zone("UTC"))),
            "2026-06-01 02:00:00");
  EXPECT_EQ(show(previous_fire(expr, utc(2026, 6, 1, 2, 0), zone("UTC"))),
            "2026-05-31 02:00:00");
  EXPECT_EQ(show(previous_fire(expr, utc(2026, 6, 1, 2, 0, 1), zone("UTC"))),
            "2026-06-01 02:00:00");
}

// ---- Leap years and the day rule --------------------------------------------

TEST(FireTimesTest, LeapDayWaitsForTheNextLeapYear) {
  const auto expr = CronExpression::parse("0 0 29 2 *");
  EXPECT_EQ(show(next_fire(expr, utc(2025, 3, 1, 0, 0), zone("UTC"))), "2028-02-29 00:00:00");
  EXPECT_EQ(show(previous_fire(expr, utc(2028, 2, 29, 0, 0), zone("UTC"))),
            "2024-02-29 00:00:00");
  // 2100 is not a leap year: from 2096 the next is 2104.
  EXPECT_EQ(show(next_fire(expr, utc(2096, 3, 1, 0, 0), zone("UTC"))), "2104-02-29 00:00:00");
}

TEST(FireTimesTest, DayRuleOrWhenBothDayFieldsRestricted) {
  // July 2026: the 1st is a Wednesday, Mondays are 6, 13, 20, 27; August 1
  // is a Saturday and August 3 a Monday.
  EXPECT_EQ(next_n("0 0 1 * 1", "UTC", utc(2026, 6, 30, 0, 0), 7),
            (Strings{"2026-07-01 00:00:00", "2026-07-06 00:00:00", "2026-07-13 00:00:00",
                     "2026-07-20 00:00:00", "2026-07-27 00:00:00", "2026-08-01 00:00:00",
                     "2026-08-03 00:00:00"}));
}

TEST(FireTimesTest, DayRuleAndWhenADayFieldIsStarred) {
  // Odd days that are Mondays: July 13 and 27, August 3, 17 and 31.
  EXPECT_EQ(next_n("0 0 */2 * 1", "UTC", utc(2026, 6, 30, 0, 0), 5),
            (Strings{"2026-07-13 00:00:00", "2026-07-27 00:00:00", "2026-08-03 00:00:00",
                     "2026-08-17 00:00:00", "2026-08-31 00:00:00"}));
}

TEST(FireTimesTest, DayRangeCountsAsRestricted) {
  EXPECT_EQ(next_n("0 0 1-31 * 1", "UTC", utc(2026, 6, 30, 0, 0), 3),
            (Strings{"2026-07-01 00:00:00", "2026-07-02 00:00:00", "2026-07-03 00:00:00"}));
}

TEST(FireTimesTest, WeekdayWithStarredDayOfMonth) {
  // 2026-06-01 is a Monday; 9-17 Monday through Friday every 15 minutes.
  EXPECT_EQ(next_n("*/15 9-17 * * 1-5", "UTC", utc(2026, 6, 5, 17, 40), 3),
            (Strings{"2026-06-05 17:45:00", "2026-06-08 09:00:00", "2026-06-08 09:15:00"}));
  EXPECT_EQ(next_n("0 2 * * 0", "America/New_York", utc(2026, 6, 1, 0, 0), 2),
            (Strings{"2026-06-07 06:00:00", "2026-06-14 06:00:00"}));
}

TEST(FireTimesTest, PreviousAcrossDst) {
  const auto fixed = CronExpression::parse("30 2 * * *");
  const auto& ny = zone("America/New_York");
  EXPECT_EQ(show(previous_fire(fixed, utc(2026, 3, 8, 7, 0, 1), ny)), "2026-03-08 07:00:00");
  EXPECT_EQ(show(previous_fire(fixed, utc(2026, 3, 8, 7, 0), ny)), "2026-03-07 07:30:00");
  const auto fall = CronExpression::parse("30 1 * * *");
  EXPECT_EQ(show(previous_fire(fall, utc(2026, 11, 2, 0, 0), ny)), "2026-11-01 05:30:00");
  const auto wild = CronExpression::parse("30 * * * *");
  EXPECT_EQ(show(previous_fire(wild, utc(2026, 11, 1, 7, 0), ny)), "2026-11-01 06:30:00");
  EXPECT_EQ(show(previous_fire(wild, utc(2026, 11, 1, 6, 30), ny)), "2026-11-01 05:30:00");
}

TEST(FireTimesTest, RebootNeverFires) {
  const auto expr = CronExpression::parse("@reboot");
  EXPECT_FALSE(next_fire(expr, utc(2026, 1, 1, 0, 0), zone("UTC")));
  EXPECT_FALSE(previous_fire(expr, utc(2026, 1, 1, 0, 0), zone("UTC")));
  FireTimes times(expr, zone("UTC"), utc(2026, 1, 1, 0, 0));
  EXPECT_FALSE(times.next());
  EXPECT_FALSE(times.next());
}

TEST(FireTimesTest, CursorOutlivesTheExpression) {
  std::optional<FireTimes> times;
  {
    const auto expr = CronExpression::parse("0 12 * * *");
    times.emplace(expr, zone("UTC"), utc(2026, 1, 1, 0, 0));
  }
  EXPECT_EQ(show(times->next()), "2026-01-01 12:00:00");
}

// ---- Debian cron's loop, simulated minute by minute --------------------------

// A model of cron.c's main loop (the "virtual time" DST handling), run once a
// minute over real UTC minutes with the zone's offset, collecting the
// instants at which each job is started. It shares no code with the engine.
std::set<std::int64_t> simulate_debian_cron(const CronExpression& e, const tz::Zone& z,
                                            Instant from, Instant to) {
  std::set<std::int64_t> fired;
  const auto matches = [&](std::int64_t local_minute) {
    const auto day = date::sys_days{date::days{
        static_cast<int>(local_minute >= 0 ? local_minute / 1440 : (local_minute - 1439) / 1440)}};
    const std::int64_t in_day = local_minute - day.time_since_epoch().count() * 1440LL;
    const date::year_month_day ymd{day};
    const date::weekday wd{day};
    const int hour = static_cast<int>(in_day / 60);
    const int minute = static_cast<int>(in_day % 60);
    return ((e.minutes() >> minute) & 1U) && ((e.hours() >> hour) & 1U) &&
           e.matches_day(static_cast<int>(static_cast<unsigned>(ymd.month())),
                         static_cast<int>(static_cast<unsigned>(ymd.day())),
                         static_cast<int>(wd.c_encoding()));
  };
  const bool wild = e.is_wildcard_time();
  std::int64_t virtual_time = 0;
  bool first = true;
  for (Instant s = from; s < to; s += minutes{1}) {
    const auto info = z.get_info(s);
    const std::int64_t running =
        (s.time_since_epoch().count() + info.offset.count()) / 60;
    const std::int64_t now = s.time_since_epoch().count();
    const auto run = [&](std::int64_t local, bool do_wild, bool do_fixed) {
      if (matches(local) && ((do_wild && wild) || (do_fixed && !wild))) fired.insert(now);
    };
    if (first) {
      virtual_time = running - 1;
      first = false;
    }
    const std::int64_t diff = running - virtual_time;
    if (diff == 1) {
      virtual_time = running;
      run(virtual_time, true, true);
      continue;
    }
    int kind = -1;
    if (diff > -180) kind = 0;
    if (diff > 0) kind = 1;
    if (diff > 5) kind = 2;
    if (diff > 180) kind = 3;
    switch (kind) {
      case 1:
        do {
          ++virtual_time;
          run(virtual_time, true, true);
        } while (virtual_time < running);
        break;
      case 2:
        run(running, true, false);
        do {
          ++virtual_time;
          run(virtual_time, false, true);
        } while (virtual_time < running);
        break;
      case 0:
        run(running, true, false);
        break;
      default:
        virtual_time = running;
        run(running, true, true);
    }
  }
  return fired;
}

TEST(FireTimesTest, AgreesWithSimulatedDebianCronAroundTransitions) {
  struct Window {
    const char* zone;
    Instant from;
  };
  const Window windows[] = {
      {"America/New_York", utc(2026, 3, 7, 12, 0)},
      {"America/New_York", utc(2026, 10, 31, 12, 0)},
      {"Europe/London", utc(2026, 3, 28, 12, 0)},
      {"Europe/London", utc(2026, 10, 24, 12, 0)},
      {"Australia/Lord_Howe", utc(2026, 4, 3, 12, 0)},
      {"Australia/Lord_Howe", utc(2026, 10, 2, 12, 0)},
      {"Asia/Tokyo", utc(2026, 3, 7, 12, 0)},
      {"UTC", utc(2026, 3, 7, 12, 0)},
  };
  const char* exprs[] = {"30 2 * * *",  "0,30 2 * * *",   "0 1-3 * * *",   "0 0-23/2 * * *",
                         "*/20 * * * *", "* * * * *",     "45 * * * *",    "30 1 * * *",
                         "15 2 * * *",  "15,45 1,2 * * *", "* 2 * * *",    "*/7 1-3 * * 0,6",
                         "0 0 * * *",   "59 1 * * *",     "0 3 * * *",     "20-40/5 2 * * *"};
  for (const auto& w : windows) {
    const auto& z = zone(w.zone);
    const Instant to = w.from + std::chrono::hours{72};
    for (const char* text : exprs) {
      const auto e = CronExpression::parse(text);
      const auto expected = simulate_debian_cron(e, z, w.from, to);
      std::set<std::int64_t> actual;
      FireTimes times(e, z, w.from - seconds{1});
      while (auto t = times.next()) {
        if (*t >= to) break;
        actual.insert(t->time_since_epoch().count());
      }
      EXPECT_EQ(actual, expected) << text << " in " << w.zone << " from " << show(w.from);
    }
  }
}

// ---- next and previous are inverse -----------------------------------------

TEST(FireTimesTest, NextAndPreviousAreInverseOverRandomInstants) {
  const char* zones[] = {"America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC",
                         "Asia/Kolkata"};
  const char* exprs[] = {"*/5 * * * *",   "0 2 * * 0",        "*/15 9-17 * * 1-5",
                         "30 2 * * *",    "30 1 * * *",       "0 0 29 2 *",
                         "0 0 1 * 1",     "0 0 */2 * 1",      "15,45 1-3 * * *",
                         "* * * * *",     "0 0-23/2 * * *",   "0 12 13 * 5"};
  std::mt19937_64 rng(20260308);
  // 2001-01-01 to 2036-12-31: the zone data has DST rules throughout.
  std::uniform_int_distribution<std::int64_t> when(978307200, 2114294400);
  for (const char* z : zones) {
    for (const char* text : exprs) {
      const auto e = CronExpression::parse(text);
      for (int i = 0; i < 60; ++i) {
        const Instant t{seconds{when(rng)}};
        const auto n = next_fire(e, t, zone(z));
        ASSERT_TRUE(n) << text;
        EXPECT_GT(*n, t);
        const auto p = previous_fire(e, *n, zone(z));
        ASSERT_TRUE(p) << text;
        EXPECT_LE(*p, t) << text << " " << z << " t=" << show(t);  // Nothing in (t, n).
        EXPECT_EQ(next_fire(e, *p, zone(z)), n) << text << " " << z << " t=" << show(t);
        const auto q = previous_fire(e, t, zone(z));
        ASSERT_TRUE(q);
        EXPECT_LT(*q, t);
        const auto after_q = next_fire(e, *q, zone(z));
        EXPECT_TRUE(after_q == n || after_q == t) << text << " " << z << " t=" << show(t);
      }
    }
  }
}

// The cursor takes a shortcut inside an hour; it must give exactly what
// next_fire() gives, also across every kind of DST change.
TEST(FireTimesTest, CursorMatchesRepeatedNextFire) {
  const char* exprs[] = {"*/7 1-3 * * *", "* * * * *", "0,30 2 * * *", "15,45 1,2 * * *",
                         "*/15 9-17 * * 1-5", "59 * * * *", "0-5 2 * * *"};
  const std::pair<const char*, Instant> starts[] = {
      {"America/New_York", utc(2026, 3, 7, 22, 0)},
      {"America/New_York", utc(2026, 10, 31, 22, 0)},
      {"Australia/Lord_Howe", utc(2026, 4, 4, 10, 0)},
      {"Australia/Lord_Howe", utc(2026, 10, 3, 10, 0)},
      {"Europe/London", utc(2026, 3, 28, 20, 0)},
  };
  for (const char* text : exprs) {
    const auto e = CronExpression::parse(text);
    for (const auto& [name, from] : starts) {
      const auto& z = zone(name);
      Instant t = from;
      FireTimes times(e, z, t);
      for (int i = 0; i < 600; ++i) {
        const auto a = times.next();
        const auto b = next_fire(e, t, z);
        ASSERT_EQ(a, b) << text << " in " << name << ", step " << i;
        t = *b;
      }
    }
  }
}

}  // namespace
}  // namespace omnicron::cron
