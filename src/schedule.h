#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cron/cron_expression.h"
#include "source_location.h"

namespace omnicron {

// One time of day written as "HH:MM" in a structured schedule.
struct TimeOfDay {
  int hour = 0;
  int minute = 0;
  friend bool operator==(const TimeOfDay&, const TimeOfDay&) = default;
};

// One item of a job's schedule, as the user wrote it. A schedule is a list of
// these; the job fires at the union of their instants.
struct ScheduleItem {
  enum class Kind {
    cron,   // "0 2 * * 0" or an @macro (including @reboot)
    every,  // { every: 5m }
    at,     // { at: "06:00" | [..], days: [mon, ...] }  (days optional)
    boot,   // { on: boot }
    logon,  // { on: logon }
  };
  Kind kind = Kind::cron;
  std::string cron;                  // kind cron: the text as written
  std::chrono::seconds every{0};     // kind every
  std::vector<TimeOfDay> at;         // kind at
  std::vector<int> days;             // kind at: weekdays 0-6, Sunday 0; empty = every day
  SourceLocation where;              // where the item starts in the manifest

  friend bool operator==(const ScheduleItem&, const ScheduleItem&) = default;
};

struct Schedule {
  std::vector<ScheduleItem> items;
  friend bool operator==(const Schedule&, const Schedule&) = default;
};

// Compiles one item to the cron expressions that fire at exactly its
// instants. `every` must divide the hour (1-60 minutes dividing 60) or the
// day (1-24 hours dividing 24) evenly, or be 1d; anything else throws
// omnicron::Error (kind validation) with the reason, e.g. "every 7m does not
// divide the hour evenly; use one of 1m, 2m, 3m, 4m, 5m, 6m, 10m, 12m, 15m,
// 20m, 30m, 60m". `on: boot` compiles to @reboot. `on: logon` has no cron
// form and throws with that reason. Several `at` times whose minutes differ
// compile to several expressions.
std::vector<cron::CronExpression> to_cron(const ScheduleItem& item);

}  // namespace omnicron
