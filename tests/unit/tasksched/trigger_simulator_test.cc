#include "tasksched/trigger_simulator.h"

#include <string>
#include <vector>

#include <date/date.h>
#include <gtest/gtest.h>

#include "error.h"
#include "test_zones.h"

namespace omnicron::tasksched {
namespace {

using omnicron::testing::load_zone;
using omnicron::testing::utc;
using std::chrono::minutes;
using std::chrono::seconds;
using Strings = std::vector<std::string>;

// The starts in [from, to) as local wall-clock text with the zone's
// abbreviation, so a test reads like a calendar.
Strings starts(const std::vector<Trigger>& triggers, const char* zone_name, Instant from,
               Instant to) {
  const tz::Zone& zone = load_zone(zone_name);
  Strings out;
  for (Instant t : simulate_triggers(triggers, zone, from, to).starts) {
    const auto info = zone.get_info(t);
    out.push_back(date::format("%F %R ", date::local_seconds{t.time_since_epoch() + info.offset}) +
                  info.abbrev);
  }
  return out;
}

LocalDateTime at(int y, int mo, int d, int h, int mi) { return {y, mo, d, h, mi, 0}; }

TEST(TriggerSimulatorTest, DaysIntervalCountsFromTheStartBoundary) {
  const std::vector<Trigger> t = {CalendarTrigger{at(2026, 1, 2, 9, 0), ScheduleByDay{3}, {}}};
  EXPECT_EQ(starts(t, "UTC", utc(2026, 1, 1), utc(2026, 1, 12)),
            (Strings{"2026-01-02 09:00 UTC", "2026-01-05 09:00 UTC", "2026-01-08 09:00 UTC",
                     "2026-01-11 09:00 UTC"}));
}

TEST(TriggerSimulatorTest, WeeksIntervalCountsSundayToSaturdayWeeksFromTheStartBoundary) {
  // 2026-01-07 is a Wednesday: its week (4-10 January) is the first, so the
  // Monday before the start does not run, its Friday does, and every other
  // week after it.
  const std::vector<Trigger> t = {
      CalendarTrigger{at(2026, 1, 7, 8, 0), ScheduleByWeek{2, 0b0100010}, {}}};
  EXPECT_EQ(starts(t, "UTC", utc(2026, 1, 1), utc(2026, 2, 1)),
            (Strings{"2026-01-09 08:00 UTC", "2026-01-19 08:00 UTC", "2026-01-23 08:00 UTC"}));
}

TEST(TriggerSimulatorTest, MonthlyRunsOnLastDayAndSkipsDaysAMonthLacks) {
  const std::uint32_t days = (1U << 15) | (1U << 30) | (1U << 31);
  const std::vector<Trigger> t = {
      CalendarTrigger{at(2000, 1, 1, 6, 30), ScheduleByMonth{days, true, 0b0000000001110}, {}}};
  // January has 30 and 31 (31 is also its last day: one start); February
  // 2028 has neither, but its Last is the 29th; March has both.
  EXPECT_EQ(starts(t, "UTC", utc(2028, 1, 1), utc(2028, 4, 1)),
            (Strings{"2028-01-15 06:30 UTC", "2028-01-30 06:30 UTC", "2028-01-31 06:30 UTC",
                     "2028-02-15 06:30 UTC", "2028-02-29 06:30 UTC", "2028-03-15 06:30 UTC",
                     "2028-03-30 06:30 UTC", "2028-03-31 06:30 UTC"}));
}

TEST(TriggerSimulatorTest, MonthDayOfWeekTakesNthAndLastOccurrences) {
  // The second Tuesday and the last Friday of each month.
  const std::vector<Trigger> t = {
      CalendarTrigger{
          at(2000, 1, 1, 7, 0), ScheduleByMonthDayOfWeek{1U << 2, false, 1U << 2, 0x1FFE}, {}},
      CalendarTrigger{
          at(2000, 1, 1, 7, 0), ScheduleByMonthDayOfWeek{0, true, 1U << 5, 0x1FFE}, {}}};
  EXPECT_EQ(starts(t, "UTC", utc(2026, 1, 1), utc(2026, 3, 1)),
            (Strings{"2026-01-13 07:00 UTC", "2026-01-30 07:00 UTC", "2026-02-10 07:00 UTC",
                     "2026-02-27 07:00 UTC"}));
}

TEST(TriggerSimulatorTest, WeekNOfAMonthIsItsDays7NMinus6To7N) {
  // The first Wednesday of January 2026 is the 7th; the fourth Saturday of
  // February 2026 is the 28th, which is also its last.
  const std::vector<Trigger> t = {
      CalendarTrigger{
          at(2000, 1, 1, 7, 0), ScheduleByMonthDayOfWeek{1U << 1, false, 1U << 3, 1U << 1}, {}},
      CalendarTrigger{
          at(2000, 1, 1, 8, 0), ScheduleByMonthDayOfWeek{1U << 4, false, 1U << 6, 1U << 2}, {}}};
  EXPECT_EQ(starts(t, "UTC", utc(2026, 1, 1), utc(2026, 3, 1)),
            (Strings{"2026-01-07 07:00 UTC", "2026-02-28 08:00 UTC"}));
}

TEST(TriggerSimulatorTest, RepetitionStopsBeforeTheDurationAndFlagsARunExactlyOnIt) {
  // The facts note: PT1M for PT4M runs at minutes 0-4 by the documentation
  // but not at 4 on some versions. The simulator runs 0-3 and reports 4.
  const std::vector<Trigger> t = {
      CalendarTrigger{at(2026, 1, 1, 10, 0), ScheduleByDay{1}, Repetition{minutes{1}, minutes{4}}}};
  const tz::Zone& zone = load_zone("UTC");
  const SimulatedStarts sim = simulate_triggers(t, zone, utc(2026, 1, 1), utc(2026, 1, 2));
  EXPECT_EQ(sim.starts, (std::vector<Instant>{utc(2026, 1, 1, 10, 0), utc(2026, 1, 1, 10, 1),
                                              utc(2026, 1, 1, 10, 2), utc(2026, 1, 1, 10, 3)}));
  ASSERT_EQ(sim.unspecified.size(), 1U);
  EXPECT_EQ(sim.unspecified[0].reason, UnspecifiedStart::Reason::at_duration_end);

  const std::vector<Trigger> half = {CalendarTrigger{at(2026, 1, 1, 10, 0), ScheduleByDay{1},
                                                     Repetition{minutes{1}, seconds{4 * 60 + 30}}}};
  const SimulatedStarts sim2 = simulate_triggers(half, zone, utc(2026, 1, 1), utc(2026, 1, 2));
  EXPECT_EQ(sim2.starts.size(), 5U);
  EXPECT_TRUE(sim2.unspecified.empty());
}

TEST(TriggerSimulatorTest, FollowsRepetitionsOfAStartBeforeTheInterval) {
  const std::vector<Trigger> t = {CalendarTrigger{at(2026, 1, 1, 23, 0), ScheduleByDay{1},
                                                  Repetition{minutes{30}, minutes{90}}}};
  EXPECT_EQ(starts(t, "UTC", utc(2026, 1, 2, 0, 0), utc(2026, 1, 2, 1, 0)),
            (Strings{"2026-01-02 00:00 UTC"}));
}

TEST(TriggerSimulatorTest, CalendarStartKeepsWallClockAcrossDst) {
  const std::vector<Trigger> t = {CalendarTrigger{at(2000, 1, 1, 9, 0), ScheduleByDay{1}, {}}};
  EXPECT_EQ(starts(t, "Europe/Berlin", utc(2026, 3, 28), utc(2026, 3, 30)),
            (Strings{"2026-03-28 09:00 CET", "2026-03-29 09:00 CEST"}));
}

TEST(TriggerSimulatorTest, StartInASkippedOrRepeatedHourIsUnspecified) {
  const std::vector<Trigger> t = {CalendarTrigger{at(2000, 1, 1, 2, 30), ScheduleByDay{1}, {}}};
  const tz::Zone& berlin = load_zone("Europe/Berlin");
  const SimulatedStarts spring =
      simulate_triggers(t, berlin, utc(2026, 3, 28, 12), utc(2026, 3, 30, 12));
  EXPECT_EQ(spring.starts, (std::vector<Instant>{utc(2026, 3, 30, 0, 30)}));
  ASSERT_EQ(spring.unspecified.size(), 1U);
  EXPECT_EQ(spring.unspecified[0].local, at(2026, 3, 29, 2, 30));
  EXPECT_EQ(spring.unspecified[0].reason, UnspecifiedStart::Reason::skipped_time);

  const SimulatedStarts autumn =
      simulate_triggers(t, berlin, utc(2026, 10, 24, 12), utc(2026, 10, 26, 12));
  EXPECT_EQ(autumn.starts, (std::vector<Instant>{utc(2026, 10, 26, 1, 30)}));
  ASSERT_EQ(autumn.unspecified.size(), 1U);
  EXPECT_EQ(autumn.unspecified[0].reason, UnspecifiedStart::Reason::repeated_time);
}

TEST(TriggerSimulatorTest, RepetitionCountsElapsedTimeAcrossDst) {
  // Every 30 minutes from 01:00 for two hours: the third run is 60 minutes
  // after 01:00 CET, which the wall clock calls 03:00 CEST.
  const std::vector<Trigger> t = {CalendarTrigger{at(2000, 1, 1, 1, 0), ScheduleByDay{1},
                                                  Repetition{minutes{30}, seconds{2 * 3600 + 30}}}};
  EXPECT_EQ(starts(t, "Europe/Berlin", utc(2026, 3, 28, 23), utc(2026, 3, 29, 6)),
            (Strings{"2026-03-29 01:00 CET", "2026-03-29 01:30 CET", "2026-03-29 03:00 CEST",
                     "2026-03-29 03:30 CEST", "2026-03-29 04:00 CEST"}));
}

TEST(TriggerSimulatorTest, TimeTriggerRepeatsForeverFromItsStart) {
  const std::vector<Trigger> t = {
      TimeTrigger{at(2000, 1, 1, 0, 5), Repetition{minutes{20}, std::nullopt}}};
  EXPECT_EQ(starts(t, "UTC", utc(2026, 5, 1, 10, 0), utc(2026, 5, 1, 11, 0)),
            (Strings{"2026-05-01 10:05 UTC", "2026-05-01 10:25 UTC", "2026-05-01 10:45 UTC"}));
  // Across a change of one hour the grid keeps its place on the wall clock.
  EXPECT_EQ(starts(t, "Europe/Berlin", utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 1, 30)).size(),
            5U);
}

TEST(TriggerSimulatorTest, TwoTriggersAtOneInstantGiveTwoStarts) {
  const std::vector<Trigger> t = {
      CalendarTrigger{at(2000, 1, 1, 9, 0), ScheduleByDay{1}, {}},
      CalendarTrigger{at(2000, 1, 1, 9, 0), ScheduleByWeek{1, 1U << 1}, {}}};
  EXPECT_EQ(starts(t, "UTC", utc(2026, 1, 5), utc(2026, 1, 6)),
            (Strings{"2026-01-05 09:00 UTC", "2026-01-05 09:00 UTC"}));
}

TEST(TriggerSimulatorTest, BootAndLogonHaveNoInstants) {
  const std::vector<Trigger> t = {BootTrigger{}, LogonTrigger{}};
  EXPECT_TRUE(starts(t, "UTC", utc(2026, 1, 1), utc(2027, 1, 1)).empty());
}

TEST(TriggerSimulatorTest, RefusesWhatItDoesNotModel) {
  const tz::Zone& zone = load_zone("UTC");
  const std::vector<Trigger> endless = {CalendarTrigger{at(2000, 1, 1, 0, 0), ScheduleByDay{1},
                                                        Repetition{minutes{5}, std::nullopt}}};
  EXPECT_THROW(simulate_triggers(endless, zone, utc(2026, 1, 1), utc(2026, 1, 2)), Error);
  const std::vector<Trigger> fast = {
      CalendarTrigger{at(2000, 1, 1, 0, 0), ScheduleByDay{1}, Repetition{seconds{30}, minutes{5}}}};
  EXPECT_THROW(simulate_triggers(fast, zone, utc(2026, 1, 1), utc(2026, 1, 2)), Error);
  const std::vector<Trigger> bad_day = {
      CalendarTrigger{at(2026, 2, 30, 0, 0), ScheduleByDay{1}, {}}};
  EXPECT_THROW(simulate_triggers(bad_day, zone, utc(2026, 1, 1), utc(2026, 1, 2)), Error);
}

}  // namespace
}  // namespace omnicron::tasksched
