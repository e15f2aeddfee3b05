#pragma once

#include <chrono>
#include <vector>

#include "cron/cron_expression.h"
#include "schedule.h"
#include "tasksched/triggers.h"
#include "tz/zone.h"

namespace omnicron::tasksched {

struct TriggerOptions {
  // The date every StartBoundary carries. A fixed date rather than the sync
  // day: the task XML then stays the same from one sync to the next, so a
  // re-sync plans no change. The date never decides which days run, because
  // omnicron writes DaysInterval and WeeksInterval 1 only; a TimeTrigger's
  // grid of starts only has to begin before any run that matters, and
  // compile_triggers checks that it is in phase with the wall clock at
  // `now`. It must not be after that `now`.
  int start_year = 2000;
  int start_month = 1;
  int start_day = 1;
  // How many years after `now` the zone's DST changes are checked.
  int years_checked = 100;
};

// Compiles a cron expression to the Task Scheduler triggers that start a task
// at exactly the instants omnicron's cron engine computes for it in `zone`
// (the zone of the Windows machine, whose wall clock the triggers follow).
//
// Shapes, in the order tried: a schedule firing every day in every hour
// becomes TimeTriggers repeating forever, one per grid through the day
// ("*/5 * * * *" is one, "7,23 * * * *" two hourly ones). Otherwise each day
// rule becomes a calendar schedule (by day, week, month, or month and day of
// week) and the times of day become as few runs of equal steps as the minute
// and hour fields allow: one calendar trigger per day rule and run,
// repeating within the day where a run has several times (Duration ends 30
// seconds after the run's last time, so no wanted run lands on the end of
// the pattern). Last, the same with runs cut where the zone's DST changes
// fall on the wall clock. When neither day field starts with '*', cron fires
// on days matching either: that is two day rules, and a day matching both
// gets a start from each (as two crontab lines would).
//
// The result is then checked in `zone` against the cron engine, run side by
// side with trigger_simulator over two days around each DST change in the
// next `years_checked` years (and two days from `now`): where they differ,
// or a start would fall in a change, the next shape is tried, and when none
// fits the schedule is refused naming the change.
//
// Throws omnicron::Error (kind validation) naming the field and the reason
// when a schedule cannot be expressed exactly or needs more than 48
// triggers, e.g. "minute '0,1,3,7,12,20,30,44' and hour '0,1,3,7,12,20,22'
// need 56 triggers (28 times of day for day-of-month '1' and again for
// day-of-week '1', which cron joins with OR); Task Scheduler allows 48 per
// task". @reboot gives a BootTrigger.
//
// A day matching both day fields of an OR gets two starts at one instant;
// the task's MultipleInstancesPolicy must not be Parallel for such a
// schedule if the job is to run once, as cron runs it.
std::vector<Trigger> compile_triggers(const cron::CronExpression& expr, const tz::Zone& zone,
                                      std::chrono::sys_seconds now,
                                      const TriggerOptions& options = {});

// One schedule item: cron text, `every`, `at` (through to_cron), `on: boot`
// (BootTrigger) and `on: logon` (LogonTrigger). Errors carry the item's
// place in the manifest.
std::vector<Trigger> compile_triggers(const ScheduleItem& item, const tz::Zone& zone,
                                      std::chrono::sys_seconds now,
                                      const TriggerOptions& options = {});

// A whole schedule: the triggers of all its items, at most 48 in all.
std::vector<Trigger> compile_triggers(const Schedule& schedule, const tz::Zone& zone,
                                      std::chrono::sys_seconds now,
                                      const TriggerOptions& options = {});

// The cron expressions whose fire times, taken together with repeats, are
// the starts the compiled triggers make: the expression itself, or, when
// cron joins its day fields with OR, one expression per day field (the other
// written as '*'), because a day matching both gets two starts. The
// equivalence test and the DST check compare against these.
std::vector<cron::CronExpression> start_equivalents(const cron::CronExpression& expr);

}  // namespace omnicron::tasksched
