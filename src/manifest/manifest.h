#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "schedule.h"
#include "source_location.h"

namespace omnicron {

enum class Overlap { allow, skip, queue, replace };
enum class Missed { skip, run };
enum class Platform { posix, windows };

std::string_view to_string(Overlap o);
std::string_view to_string(Missed m);
std::string_view to_string(Platform p);

// A command is an exact argv (`command:`) or one shell line (`shell:`).
struct Command {
  std::vector<std::string> argv;  // set when !is_shell()
  std::string shell;              // set when is_shell()
  bool is_shell() const { return !shell.empty(); }
  friend bool operator==(const Command&, const Command&) = default;
};

struct Retries {
  int count = 0;
  std::chrono::seconds delay{0};
  friend bool operator==(const Retries&, const Retries&) = default;
};

struct Conditions {
  bool ac_power = false;
  bool network = false;
  // Run only after the machine has been idle this long (Task Scheduler's
  // idle condition; the runner checks it where the OS has no such thing).
  std::optional<std::chrono::seconds> idle;
  friend bool operator==(const Conditions&, const Conditions&) = default;
};

// Every setting a job can have. All optional, so the same struct holds
// `defaults`, a job's own keys and its `posix:` / `windows:` overlays; they
// are merged by effective_job().
struct JobSettings {
  std::optional<std::string> description;
  std::optional<Schedule> schedule;
  std::optional<Command> command;
  std::optional<std::string> working_dir;
  // Merged key by key: a job's entry overrides a default's.
  std::map<std::string, std::string> env;
  // May contain "{job}" and "{namespace}", replaced by effective_job().
  std::optional<std::string> log;
  std::optional<std::chrono::seconds> timeout;
  std::optional<Overlap> overlap;
  std::optional<Retries> retries;
  std::optional<bool> enabled;
  std::optional<Missed> missed;
  std::optional<Conditions> conditions;
  // A user name, or "system" (Windows' SYSTEM account, root on POSIX).
  std::optional<std::string> run_as;
  std::optional<std::chrono::seconds> random_delay;
  // An IANA zone name, e.g. "Europe/Berlin"; checked against the zone
  // database by the caller (the core does not read the disk).
  std::optional<std::string> timezone;

  friend bool operator==(const JobSettings&, const JobSettings&) = default;
};

struct Job {
  std::string name;
  SourceLocation where;   // the job's key in `jobs:`
  JobSettings settings;   // the job's own keys
  JobSettings posix;      // `posix:` overlay
  JobSettings windows;    // `windows:` overlay
  // `platforms:`; empty means every platform.
  std::set<Platform> platforms;
  // Where each field was written, keyed by its dotted path below the job
  // ("schedule", "command", "windows.command", "env.PATH", ...), so later
  // stages (a backend refusing a schedule) can point at the source.
  std::map<std::string, SourceLocation> field_locations;

  friend bool operator==(const Job&, const Job&) = default;
};

struct Manifest {
  std::string file;        // as given to the loader, used in messages
  int version = 1;
  std::string namespace_;  // `namespace:`, or the file's stem
  JobSettings defaults;
  // `defaults:` may carry `posix:` / `windows:` overlays too, so a setting
  // that differs by OS (a working directory) is written once for all jobs.
  JobSettings defaults_posix;
  JobSettings defaults_windows;
  // Where each field of `defaults:` was written, keyed like
  // Job::field_locations ("timeout", "env.PATH", "windows.working_dir").
  std::map<std::string, SourceLocation> defaults_field_locations;
  std::vector<Job> jobs;   // in file order

  const Job* find_job(std::string_view name) const;
};

// A job with defaults and the platform's overlay merged in and every value
// resolved: what a backend compiles.
struct EffectiveJob {
  std::string namespace_;
  std::string name;
  std::string description;
  Schedule schedule;
  Command command;
  std::optional<std::string> working_dir;
  std::map<std::string, std::string> env;
  std::optional<std::string> log;
  std::optional<std::chrono::seconds> timeout;
  Overlap overlap = Overlap::allow;
  Retries retries;
  bool enabled = true;
  Missed missed = Missed::skip;
  Conditions conditions;
  std::optional<std::string> run_as;
  std::optional<std::chrono::seconds> random_delay;
  std::optional<std::string> timezone;
  const Job* source = nullptr;
  // Where each effective value was written (in the job, its overlay or
  // `defaults:`), keyed by the setting's own path ("timeout", "env.PATH",
  // "command" or "shell"), so a backend refusing a value points at the line
  // that set it.
  std::map<std::string, SourceLocation> field_locations;
};

// Merges defaults <- the defaults' overlay for `platform` <- job <- the
// job's overlay for `platform` (later wins; env merges key by key) and
// expands "{job}" / "{namespace}" in `log`.
EffectiveJob effective_job(const Manifest& manifest, const Job& job,
                           Platform platform);

// Where the user wrote the value that decided `path` for this view of the
// job (its overlay, its own key or `defaults:`), or the job itself: the place
// a message about that field points at.
SourceLocation where_of(const EffectiveJob& job, const std::string& path);

// Whether the job runs on `platform` (its `platforms:` list).
bool runs_on(const Job& job, Platform platform);

}  // namespace omnicron
