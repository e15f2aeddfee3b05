#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "tasksched/triggers.h"
#include "tz/zone.h"

namespace omnicron::tasksched {

// When Task Scheduler starts a task, given its triggers, the machine's zone
// and a stretch of time: the model the trigger compiler is proven against.
//
// What is modelled, and why (DST):
// - A StartBoundary without an offset is local wall-clock time. A calendar
//   trigger starts at that time of day on every day its schedule selects, so
//   across DST changes it keeps its wall-clock time, as cron does.
// - Repetition Interval and Duration are lengths of time ("the amount of time
//   between each restart", "how long the pattern is repeated"), so the runs
//   after a start are the start instant plus multiples of the interval in
//   elapsed time, even when a DST change falls inside the pattern. A pattern
//   that spans a change therefore drifts off the wall clock by the size of
//   the change; the simulator shows that drift, it does not hide it.
// - Microsoft states that Task Scheduler's behaviour "is not specified for
//   tasks that are scheduled to run during the transition hours" (KB 325413).
//   So a calendar start whose wall-clock time the zone skips that day, or
//   repeats, has no modelled instant: the simulator reports it as
//   unspecified instead of guessing. Likewise a repetition run landing exactly
//   on start + Duration (the documentation runs it, Server 2012 R2 and 2016
//   were seen to skip it; see task-scheduler-facts.md).
// omnicron's cron engine runs a fixed-time job due in a skipped hour once
// right after the change and a repeated one once, and a wildcard-time job by
// the wall clock (both copies of a repeated hour, none of a skipped one). The
// two therefore agree exactly away from DST changes, and near one only for
// some trigger shapes (a never-ending elapsed-time grid agrees with a
// wildcard job when every change is a whole number of intervals). The
// trigger compiler does not argue which: it runs this simulator and the cron
// engine side by side around every DST change of the zone it compiles for,
// and refuses the schedule, naming the change, where they differ or where a
// start would be unspecified. Nothing is approximated silently.

using Instant = std::chrono::sys_seconds;

// A start whose instant Task Scheduler does not specify.
struct UnspecifiedStart {
  enum class Reason {
    skipped_time,     // the wall-clock start time does not exist that day
    repeated_time,    // the wall-clock start time happens twice that day
    at_duration_end,  // a repetition run lands exactly on start + Duration
  };
  std::size_t trigger = 0;  // index into the triggers given
  LocalDateTime local;      // the wall-clock time of the start
  Reason reason = Reason::skipped_time;
  friend bool operator==(const UnspecifiedStart&, const UnspecifiedStart&) = default;
};

struct SimulatedStarts {
  // Every start in the interval, ascending. Two triggers starting at one
  // instant give that instant twice: Task Scheduler starts the task twice
  // (or refuses the second by MultipleInstancesPolicy), cron's two lines
  // would do the same, so the comparison keeps both.
  std::vector<Instant> starts;
  // Starts near the interval that have no specified instant (see above).
  std::vector<UnspecifiedStart> unspecified;
};

// The starts in [from, to). Boot and logon triggers have no instants and are
// ignored. Repetitions of calendar starts before `from` are followed into
// the interval. Throws omnicron::Error (kind validation) for what is not
// modelled: a calendar trigger repeating without a Duration, an interval or
// a schedule field out of Task Scheduler's ranges.
SimulatedStarts simulate_triggers(const std::vector<Trigger>& triggers, const tz::Zone& zone,
                                  Instant from, Instant to);

}  // namespace omnicron::tasksched
