#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "manifest/manifest.h"
#include "tasksched/task_xml_reader.h"

namespace omnicron::tasksched {

// The inverse of compile_task: a task read from XML turned back into a
// manifest job, with a precise sentence for every trigger, action and
// setting a job cannot express. Nothing is approximated silently: a value
// is either carried over exactly, or listed in `not_imported`, or (where
// the job does the same thing another way) in `changed`.
//
// The schedule is exact. Each trigger becomes cron expressions (or `on:
// boot` / `on: logon`) only when the cron engine's fire times equal the
// trigger's starts as trigger_simulator models them; the decompiler checks
// that itself, over a whole year, before it accepts a trigger. The check
// runs in UTC: it proves the calendar (days, times, repetition). What Task
// Scheduler does at a DST change is unspecified (see trigger_simulator.h),
// and compile_task, which knows the machine's zone, judges that when the
// job is synced.

struct DecompileOptions {
  // Today: a StartBoundary after it is reported (the task only starts
  // then, the job at once), and the checked year begins here or at the
  // latest StartBoundary, whichever is later.
  std::chrono::sys_seconds now{};
};

struct DecompiledTask {
  // The job, its name left empty (the caller names it; see job_name_for).
  // None when the task cannot become a job at all: no single program to
  // run, or no trigger a schedule can express.
  std::optional<Job> job;
  // What was not carried over, one sentence each, starting with the line
  // of the task file where it is ("line 12: EventTrigger …: …").
  std::vector<std::string> not_imported;
  // What was carried over in another form that does the same thing, or
  // nearly (a re-quoted command line, the documented run at the end of a
  // repetition), one sentence each.
  std::vector<std::string> changed;
  // Where the job came from, for a comment above it: the task's path,
  // author and date.
  std::vector<std::string> comments;
  // RegistrationInfo/Source is "omnicron": a task omnicron registered.
  bool omnicron_task = false;
};

DecompiledTask decompile_task(const ReadTask& task, const DecompileOptions& options);

// One trigger as schedule items whose fire times are exactly its starts.
struct TriggerSchedule {
  std::vector<ScheduleItem> items;
  // The zone the times are in when the StartBoundary carries an offset
  // ("UTC", "Etc/GMT+6"); none for local wall-clock time.
  std::optional<std::string> timezone;
  // Things said about it that are not refusals (see DecompiledTask::changed).
  std::vector<std::string> changed;
};

// Decompiles one trigger read from a file: the schedule items, or the
// reason it has no exact schedule ("DaysInterval 8 counts days from
// 2016-08-25 across months and years; cron's day fields cannot"). Boot and
// logon triggers give `on: boot` and `on: logon`; what they do beyond that
// (a Delay, a user) is the caller's to report.
std::variant<TriggerSchedule, std::string> decompile_trigger(const ReadTrigger& trigger);

// Where the schedule items of a decompiled trigger and the trigger itself
// disagree in [from, to), compared in UTC: the cron engine's fire times
// against trigger_simulator's starts, with the run Task Scheduler's
// documentation puts at the end of a repetition Duration counted as a
// start. Empty when they agree. What decompile_trigger returns always
// agrees; this is its check, and the tests'.
std::string schedule_mismatch(const Trigger& trigger, const TriggerSchedule& schedule,
                              std::chrono::sys_seconds from, std::chrono::sys_seconds to);

// Splits an Exec action's Arguments the way CommandLineToArgvW and the
// Microsoft C runtime split what follows the program name: blanks separate
// words outside quotes; 2n backslashes before a '"' are n backslashes and
// the quote opens or closes a quoted part, 2n+1 are n and a literal '"';
// other backslashes are literal; "" inside a quoted part is a literal '"'.
// windows_command_line() of the result gives the text back when it was
// written by omnicron.
std::vector<std::string> split_windows_arguments(std::string_view line);

// A job name for the task: the last part of its URI, else `file_stem`,
// reduced to what a manifest accepts ([a-z0-9][a-z0-9._-]*; "Scheduled
// Start" becomes "scheduled-start"); "task" when nothing is left.
std::string job_name_for(const ReadTask& task, std::string_view file_stem);

}  // namespace omnicron::tasksched
