#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace omnicron::tasksched {

// A wall-clock date and time with no zone and no UTC offset, as Task
// Scheduler's StartBoundary is written when it should follow the machine's
// local time (and so DST): "2000-01-01T09:00:00".
struct LocalDateTime {
  int year = 2000;
  int month = 1;   // 1-12
  int day = 1;     // 1-31
  int hour = 0;    // 0-23
  int minute = 0;  // 0-59
  int second = 0;  // 0-59
  friend bool operator==(const LocalDateTime&, const LocalDateTime&) = default;
};

// "2000-01-01T09:00:00", the xs:dateTime spelling without an offset.
std::string to_string(const LocalDateTime& t);

// Repetition of a trigger's start: the task starts again every `interval`
// after the trigger's start, for as long as `duration` (measured from that
// start) lasts, or forever when there is no duration. Both are lengths of
// time, not wall-clock positions. The documentation says a run that lands
// exactly on start + duration still happens, some Windows versions skip it;
// omnicron never produces such a run (see the facts note).
struct Repetition {
  std::chrono::seconds interval{0};
  std::optional<std::chrono::seconds> duration;
  friend bool operator==(const Repetition&, const Repetition&) = default;
};

// The ISO 8601 duration Task Scheduler writes: "PT15M", "PT8H45M30S",
// "P1DT2H". Zero is "PT0S".
std::string to_iso_duration(std::chrono::seconds d);

// Day masks use Task Scheduler's own sets: bit w of a weekday mask is weekday
// w with Sunday 0 (as cron counts), bit m of a month mask is month m (1-12),
// bit d of a day mask is day d (1-31).

// Every DaysInterval days, counted from the StartBoundary's date.
struct ScheduleByDay {
  int days_interval = 1;
  friend bool operator==(const ScheduleByDay&, const ScheduleByDay&) = default;
};

// The given weekdays of every WeeksInterval-th week, counted from the week
// (Sunday to Saturday) that holds the StartBoundary.
struct ScheduleByWeek {
  int weeks_interval = 1;
  std::uint8_t days_of_week = 0;
  friend bool operator==(const ScheduleByWeek&, const ScheduleByWeek&) = default;
};

// The given days of the given months; a day a month lacks (31 April) is not
// run. `last_day` is Task Scheduler's "Last": the month's last day.
struct ScheduleByMonth {
  std::uint32_t days_of_month = 0;
  bool last_day = false;
  std::uint16_t months = 0;
  friend bool operator==(const ScheduleByMonth&, const ScheduleByMonth&) = default;
};

// The given weekdays in the given weeks of the given months. Week n (bit n,
// 1-4) holds a month's n-th occurrence of each weekday (days 7n-6 to 7n);
// `last_week` is "Last": each weekday's last occurrence in the month.
struct ScheduleByMonthDayOfWeek {
  std::uint8_t weeks = 0;
  bool last_week = false;
  std::uint8_t days_of_week = 0;
  std::uint16_t months = 0;
  friend bool operator==(const ScheduleByMonthDayOfWeek&,
                         const ScheduleByMonthDayOfWeek&) = default;
};

using CalendarSchedule =
    std::variant<ScheduleByDay, ScheduleByWeek, ScheduleByMonth, ScheduleByMonthDayOfWeek>;

// Starts the task at the StartBoundary's time of day on every day the
// schedule selects, from the StartBoundary's date on.
struct CalendarTrigger {
  LocalDateTime start;
  CalendarSchedule schedule;
  std::optional<Repetition> repetition;
  friend bool operator==(const CalendarTrigger&, const CalendarTrigger&) = default;
};

// Starts the task once, at the StartBoundary, then as its repetition says.
// omnicron uses it only with a repetition that has no duration: a grid of
// starts that never ends, for schedules that fire all day long.
struct TimeTrigger {
  LocalDateTime start;
  std::optional<Repetition> repetition;
  friend bool operator==(const TimeTrigger&, const TimeTrigger&) = default;
};

// `on: boot` and cron's @reboot.
struct BootTrigger {
  friend bool operator==(const BootTrigger&, const BootTrigger&) = default;
};

// `on: logon`: any user's logon to the task's principal.
struct LogonTrigger {
  friend bool operator==(const LogonTrigger&, const LogonTrigger&) = default;
};

using Trigger = std::variant<CalendarTrigger, TimeTrigger, BootTrigger, LogonTrigger>;

// Task Scheduler refuses to register a task with more triggers than this.
inline constexpr std::size_t kMaxTriggersPerTask = 48;

// One line for people (test failures, `omnicron render` comments), e.g.
// "weekly on Mon,Tue,Wed,Thu,Fri from 2000-01-01T09:00:00, every PT15M for
// PT8H45M30S".
std::string describe(const Trigger& trigger);

}  // namespace omnicron::tasksched
