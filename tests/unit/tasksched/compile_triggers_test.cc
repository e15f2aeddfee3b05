#include "tasksched/compile_triggers.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "error.h"
#include "test_zones.h"

namespace omnicron::tasksched {
namespace {

using omnicron::testing::load_zone;
using omnicron::testing::utc;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const std::chrono::sys_seconds kNow = utc(2026, 1, 1);

std::vector<Trigger> compile(const char* expr, const char* zone = "UTC") {
  return compile_triggers(cron::CronExpression::parse(expr), load_zone(zone), kNow);
}

// The refusal's message, or a note that there was none.
std::string refusal(const char* expr, const char* zone = "UTC") {
  try {
    const auto triggers = compile(expr, zone);
    return "accepted with " + std::to_string(triggers.size()) + " triggers";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::validation);
    return e.message();
  }
}

LocalDateTime start(int h, int m) { return {2000, 1, 1, h, m, 0}; }

constexpr std::uint8_t kMonToFri = 0b0111110;
constexpr std::uint16_t kAllMonths = 0x1FFE;
constexpr std::uint32_t kAllDays = 0xFFFFFFFE;

// ---- Shapes ---------------------------------------------------------------

TEST(CompileTriggersTest, BusinessHoursAreOneWeeklyTriggerWithRepetition) {
  // The last run is 17:45; the pattern ends 30 seconds later, well before
  // 18:00, so no run lands on its end.
  EXPECT_EQ(compile("*/15 9-17 * * 1-5"),
            (std::vector<Trigger>{CalendarTrigger{start(9, 0), ScheduleByWeek{1, kMonToFri},
                                                  Repetition{minutes{15}, seconds{31530}}}}));
  EXPECT_EQ(to_iso_duration(seconds{31530}), "PT8H45M30S");
}

TEST(CompileTriggersTest, OneTimeOnSomeWeekdaysIsWeeklyWithoutRepetition) {
  EXPECT_EQ(compile("0 2 * * 0"),
            (std::vector<Trigger>{CalendarTrigger{start(2, 0), ScheduleByWeek{1, 1}, {}}}));
}

TEST(CompileTriggersTest, WholeDayGridIsOneTimeTriggerRepeatingForever) {
  const std::vector<Trigger> every5 = {
      TimeTrigger{start(0, 0), Repetition{minutes{5}, std::nullopt}}};
  EXPECT_EQ(compile("*/5 * * * *"), every5);
  EXPECT_EQ(compile("*/5 * * * *", "Europe/Berlin"), every5);
  EXPECT_EQ(compile("*/5 * * * *", "America/New_York"), every5);
  EXPECT_EQ(compile("@hourly"),
            (std::vector<Trigger>{TimeTrigger{start(0, 0), Repetition{hours{1}, std::nullopt}}}));
  EXPECT_EQ(
      compile("10-59/20 * * * *"),
      (std::vector<Trigger>{TimeTrigger{start(0, 10), Repetition{minutes{20}, std::nullopt}}}));
}

TEST(CompileTriggersTest, HourStepsRepeatWithinTheDay) {
  EXPECT_EQ(compile("0 */2 * * *"),
            (std::vector<Trigger>{CalendarTrigger{start(0, 0), ScheduleByDay{1},
                                                  Repetition{hours{2}, seconds{22 * 3600 + 30}}}}));
  EXPECT_EQ(compile("17 3,15 * * *"),
            (std::vector<Trigger>{CalendarTrigger{
                start(3, 17), ScheduleByDay{1}, Repetition{hours{12}, seconds{12 * 3600 + 30}}}}));
}

TEST(CompileTriggersTest, OneMinuteStepsEndThirtySecondsAfterTheLastRun) {
  EXPECT_EQ(compile("* 9 * * *"),
            (std::vector<Trigger>{CalendarTrigger{start(9, 0), ScheduleByDay{1},
                                                  Repetition{minutes{1}, seconds{59 * 60 + 30}}}}));
  EXPECT_EQ(to_iso_duration(seconds{59 * 60 + 30}), "PT59M30S");
}

TEST(CompileTriggersTest, MinutesThatDoNotDivideTheHourRepeatHourlyOnePerMinute) {
  // 0,7,...,56 leave 4 minutes to the next hour: every day that is nine
  // hourly grids, one at each minute; on weekdays, nine weekly triggers
  // repeating hourly through the day.
  const auto every_day = compile("*/7 * * * *");
  ASSERT_EQ(every_day.size(), 9U);
  EXPECT_EQ(every_day[1], (Trigger{TimeTrigger{start(0, 7), Repetition{hours{1}, std::nullopt}}}));
  const auto weekdays = compile("*/7 * * * 1-5");
  ASSERT_EQ(weekdays.size(), 9U);
  EXPECT_EQ(weekdays[1], (Trigger{CalendarTrigger{start(0, 7), ScheduleByWeek{1, kMonToFri},
                                                  Repetition{hours{1}, seconds{23 * 3600 + 30}}}}));
}

TEST(CompileTriggersTest, DaysOfMonthAreMonthly) {
  EXPECT_EQ(
      compile("0 3 1,15 */2 *"),
      (std::vector<Trigger>{CalendarTrigger{
          start(3, 0), ScheduleByMonth{(1U << 1) | (1U << 15), false, 0b0101010101010}, {}}}));
}

TEST(CompileTriggersTest, SomeMonthsEveryDayIsMonthlyOnAllDays) {
  EXPECT_EQ(compile("0 6 * jun-aug *"),
            (std::vector<Trigger>{CalendarTrigger{
                start(6, 0), ScheduleByMonth{kAllDays, false, 0b0000111000000}, {}}}));
}

TEST(CompileTriggersTest, WeekdaysInSomeMonthsAreEveryWeekOfThoseMonths) {
  EXPECT_EQ(compile("0 6 * 12 sat"),
            (std::vector<Trigger>{CalendarTrigger{
                start(6, 0), ScheduleByMonthDayOfWeek{0x1E, true, 1U << 6, 1U << 12}, {}}}));
}

TEST(CompileTriggersTest, DayOfMonthOrDayOfWeekIsTwoTriggers) {
  EXPECT_EQ(compile("0 9 1 * mon"),
            (std::vector<Trigger>{
                CalendarTrigger{start(9, 0), ScheduleByMonth{1U << 1, false, kAllMonths}, {}},
                CalendarTrigger{start(9, 0), ScheduleByWeek{1, 1U << 1}, {}}}));
  // A written '1-31' is restricted for cron's rule, and then matches every
  // day: one trigger.
  EXPECT_EQ(compile("0 9 1-31 * mon"),
            (std::vector<Trigger>{CalendarTrigger{start(9, 0), ScheduleByDay{1}, {}}}));
}

TEST(CompileTriggersTest, StarredDayFieldWithWholeWeeksIsMonthDayOfWeek) {
  // '*/2' in day-of-week makes both fields required; days 1-7 are the first
  // week of the month.
  EXPECT_EQ(
      compile("0 9 1-7 * */2"),
      (std::vector<Trigger>{CalendarTrigger{
          start(9, 0), ScheduleByMonthDayOfWeek{1U << 1, false, 0b1010101, kAllMonths}, {}}}));
}

TEST(CompileTriggersTest, RebootIsABootTrigger) {
  EXPECT_EQ(compile("@reboot"), (std::vector<Trigger>{BootTrigger{}}));
}

TEST(CompileTriggersTest, HourStepsAcrossADstChangeAreSplitAtIt) {
  // One pattern from 00:00 to 12:00 would run 13:00 on the day clocks go
  // forward; two plain starts do not.
  EXPECT_EQ(compile("0 */12 * * *", "Europe/Berlin"),
            (std::vector<Trigger>{CalendarTrigger{start(0, 0), ScheduleByDay{1}, {}},
                                  CalendarTrigger{start(12, 0), ScheduleByDay{1}, {}}}));
  EXPECT_EQ(compile("0 */12 * * *").size(), 1U);
}

TEST(CompileTriggersTest, StartBoundaryDateIsAnOption) {
  TriggerOptions options;
  options.start_year = 2026;
  options.start_month = 3;
  options.start_day = 2;
  const auto expr = cron::CronExpression::parse("30 6 * * *");
  EXPECT_EQ(compile_triggers(expr, load_zone("UTC"), utc(2026, 3, 2), options),
            (std::vector<Trigger>{
                CalendarTrigger{LocalDateTime{2026, 3, 2, 6, 30, 0}, ScheduleByDay{1}, {}}}));
  // A date after `now` would miss the runs in between, and the check says so.
  EXPECT_THROW(compile_triggers(expr, load_zone("UTC"), kNow, options), Error);
}

// ---- Schedule items and whole schedules -------------------------------------

ScheduleItem item(ScheduleItem::Kind kind) {
  ScheduleItem i;
  i.kind = kind;
  i.where = SourceLocation{"jobs.yaml", 7, 15};
  return i;
}

TEST(CompileTriggersTest, ItemsOfEveryKind) {
  const tz::Zone& zone = load_zone("UTC");
  EXPECT_EQ(compile_triggers(item(ScheduleItem::Kind::boot), zone, kNow),
            (std::vector<Trigger>{BootTrigger{}}));
  EXPECT_EQ(compile_triggers(item(ScheduleItem::Kind::logon), zone, kNow),
            (std::vector<Trigger>{LogonTrigger{}}));
  ScheduleItem every = item(ScheduleItem::Kind::every);
  every.every = minutes{30};
  EXPECT_EQ(
      compile_triggers(every, zone, kNow),
      (std::vector<Trigger>{TimeTrigger{start(0, 0), Repetition{minutes{30}, std::nullopt}}}));
  ScheduleItem at = item(ScheduleItem::Kind::at);
  at.at = {{6, 0}, {18, 30}};
  at.days = {1};
  EXPECT_EQ(compile_triggers(at, zone, kNow),
            (std::vector<Trigger>{CalendarTrigger{start(6, 0), ScheduleByWeek{1, 1U << 1}, {}},
                                  CalendarTrigger{start(18, 30), ScheduleByWeek{1, 1U << 1}, {}}}));
}

TEST(CompileTriggersTest, ScheduleJoinsItsItems) {
  Schedule schedule;
  schedule.items.push_back(item(ScheduleItem::Kind::boot));
  ScheduleItem cron = item(ScheduleItem::Kind::cron);
  cron.cron = "0 12 * * 1-5";
  schedule.items.push_back(cron);
  EXPECT_EQ(compile_triggers(schedule, load_zone("UTC"), kNow),
            (std::vector<Trigger>{
                BootTrigger{}, CalendarTrigger{start(12, 0), ScheduleByWeek{1, kMonToFri}, {}}}));
}

// ---- Refusals, word for word ------------------------------------------------

TEST(CompileTriggersTest, RefusesDaysThatMustMatchBothFields) {
  EXPECT_EQ(refusal("0 9 */2 * 1-5"),
            "day-of-month '*/2' and day-of-week '1-5' must both match (a day field starting "
            "with '*' makes cron require both), and Task Scheduler has no trigger for days that "
            "are both, except whole weeks of the month (1-7, 8-14, 15-21, 22-28); write one of "
            "the two as '*'");
  // Days 29-31 are no whole week.
  EXPECT_EQ(refusal("0 9 22-31 * */2").substr(0, 40), "day-of-month '22-31' and day-of-week '*/");
}

TEST(CompileTriggersTest, RefusesMoreThan48Triggers) {
  EXPECT_EQ(refusal("2,3,5,7,11,13,17,19,23,29,31,37,41,43,47,53,59 0,1,3,4,7,9,12,15,20,22 * * *"),
            "minute '2,3,5,7,11,13,17,19,23,29,31,37,41,43,47,53,59' and hour "
            "'0,1,3,4,7,9,12,15,20,22' need 50 triggers; Task Scheduler allows 48 per task");
}

TEST(CompileTriggersTest, RefusesMoreThan48TriggersForTwoDayRules) {
  EXPECT_EQ(compile("0,1,3,7,12,20,30,44 0,1,3,7,12,20 1 * 1").size(), 48U);
  EXPECT_EQ(refusal("0,1,3,7,12,20,30,44 0,1,3,7,12,20,22 1 * 1"),
            "minute '0,1,3,7,12,20,30,44' and hour '0,1,3,7,12,20,22' need 56 triggers (28 times "
            "of day for day-of-month '1' and again for day-of-week '1', which cron joins with "
            "OR); Task Scheduler allows 48 per task");
}

TEST(CompileTriggersTest, RefusesAStartInASkippedHour) {
  EXPECT_EQ(refusal("0 2 * * 0", "Europe/Berlin"),
            "minute '0' and hour '2': Europe/Berlin skips 02:00 on 2026-03-29 (clocks go "
            "forward from 02:00 to 03:00), and Task Scheduler does not specify when a start due "
            "at a skipped or repeated time runs (Microsoft KB 325413), so it cannot match cron "
            "there; move it out of 02:00-03:00 local time");
  // The same job in UTC, and on a weekday in Berlin, meets no change.
  EXPECT_EQ(refusal("0 2 * * 0"), "accepted with 1 triggers");
  EXPECT_EQ(refusal("0 2 * * 1-5", "Europe/Berlin"), "accepted with 1 triggers");
}

TEST(CompileTriggersTest, RefusesAStartInARepeatedHour) {
  EXPECT_EQ(refusal("30 1 * * *", "America/New_York"),
            "minute '30' and hour '1': America/New_York has 01:30 twice on 2026-11-01 (clocks "
            "go back from 02:00 to 01:00), and Task Scheduler does not specify when a start due "
            "at a skipped or repeated time runs (Microsoft KB 325413), so it cannot match cron "
            "there; move it out of 01:00-02:00 local time");
  EXPECT_EQ(refusal("30 1 * * *", "Europe/Berlin"), "accepted with 1 triggers");
}

TEST(CompileTriggersTest, RefusesAFixedTimeGridThatCronRunsOnceInARepeatedHour) {
  // '0,30 0-23' is a fixed-time job: cron runs the repeated 02:00-03:00
  // once, a never-ending grid would run it twice, and a daily pattern would
  // need a start in the change. The reason given is the last shape's.
  EXPECT_EQ(refusal("0,30 0-23 * * *", "Europe/Berlin"),
            "minute '0,30' and hour '0-23': Europe/Berlin skips 02:00 on 2026-03-29 (clocks go "
            "forward from 02:00 to 03:00), and Task Scheduler does not specify when a start due "
            "at a skipped or repeated time runs (Microsoft KB 325413), so it cannot match cron "
            "there; move it out of 02:00-03:00 local time");
  // The wildcard spelling of the same times follows the wall clock in cron
  // too, and is one grid.
  EXPECT_EQ(refusal("*/30 * * * *", "Europe/Berlin"), "accepted with 1 triggers");
}

TEST(CompileTriggersTest, RefusesTriggersThatDriftOffTheWallClockAcrossAChange) {
  // Minutes 0-22 of every hour are 23 hourly patterns from midnight; split
  // at the change they would need 69 triggers. Unsplit, a pattern counts
  // elapsed time: on the short day it runs into the next day beside that
  // day's own start, on the long day it stops an hour early.
  EXPECT_EQ(refusal("0-22 * * */2 *", "Europe/Berlin"),
            "minute '0-22' and hour '*': around the DST change in Europe/Berlin on 2026-03-29 "
            "(clocks go forward from 02:00 to 03:00), Task Scheduler would start twice at "
            "2026-03-30 00:00 CEST and cron once");
  EXPECT_EQ(refusal("0-22 * * 10 *", "Europe/Berlin"),
            "minute '0-22' and hour '*': around the DST change in Europe/Berlin on 2026-10-25 "
            "(clocks go back from 03:00 to 02:00), cron runs at 2026-10-25 23:00 CET and Task "
            "Scheduler would not");
  EXPECT_EQ(refusal("0-22 * * 10 *"), "accepted with 23 triggers");
}

TEST(CompileTriggersTest, RefusalsOfItemsCarryTheirPlaceAndContext) {
  ScheduleItem every = item(ScheduleItem::Kind::every);
  every.every = minutes{7};
  try {
    compile_triggers(every, load_zone("UTC"), kNow);
    FAIL() << "accepted every 7m";
  } catch (const Error& e) {
    ASSERT_TRUE(e.where());
    EXPECT_EQ(e.where()->to_string(), "jobs.yaml:7:15");
    ASSERT_EQ(e.context().size(), 1U);
    EXPECT_EQ(e.context()[0], "while compiling schedule 'every: 7m' into Task Scheduler triggers");
  }
  ScheduleItem cron = item(ScheduleItem::Kind::cron);
  cron.cron = "0 2 * * *";
  try {
    compile_triggers(cron, load_zone("Europe/Berlin"), kNow);
    FAIL() << "accepted 0 2 * * * in Europe/Berlin";
  } catch (const Error& e) {
    EXPECT_EQ(e.where()->to_string(), "jobs.yaml:7:15");
    EXPECT_EQ(e.context()[0], "while compiling schedule '0 2 * * *' into Task Scheduler triggers");
  }
}

TEST(CompileTriggersTest, RefusesASchedulePast48TriggersInAll) {
  Schedule schedule;
  // 24, 1 and 24 triggers.
  for (const char* text : {"0,1,3,7,12,20,30,44 0,1,3,7,12,20 * * *", "5 0-23/5 * * 1-5",
                           "0,1,3,7,12,20,30,44 0,1,3,7,12,20 * * 1-5"}) {
    ScheduleItem i = item(ScheduleItem::Kind::cron);
    i.cron = text;
    schedule.items.push_back(i);
  }
  try {
    compile_triggers(schedule, load_zone("UTC"), kNow);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(),
              "the schedule's 3 items need 49 triggers in all; Task Scheduler allows 48 per "
              "task");
  }
}

// ---- What the triggers stand for ---------------------------------------------

TEST(CompileTriggersTest, StartEquivalentsSplitAnOrIntoItsTwoDayFields) {
  const auto split = start_equivalents(cron::CronExpression::parse("0 9 1,15 jan-jun mon"));
  ASSERT_EQ(split.size(), 2U);
  EXPECT_EQ(split[0].text(), "0 9 1,15 jan-jun *");
  EXPECT_EQ(split[1].text(), "0 9 * jan-jun mon");
  EXPECT_EQ(start_equivalents(cron::CronExpression::parse("0 9 */2 * mon")).size(), 1U);
}

}  // namespace
}  // namespace omnicron::tasksched
