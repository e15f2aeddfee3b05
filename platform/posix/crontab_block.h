#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnostic.h"
#include "manifest/manifest.h"

namespace omnicron::posix {

// One job as installed in a crontab: the marker comment that names it and
// carries the digest of what was compiled, then one line per cron expression
// of its schedule (a schedule that is a union of expressions needs several).
struct CrontabEntry {
  std::string job;
  std::string digest;                // 8 hex digits of the compiled lines
  std::vector<std::string> lines;    // complete crontab lines, no newline
  bool enabled = true;               // disabled lines are written commented out
};

// The block omnicron owns for one namespace in one table.
struct CrontabBlock {
  std::string namespace_;
  std::string source;                // the manifest the block was generated from
  std::vector<CrontabEntry> entries;
};

struct CrontabOptions {
  // The runner the lines call when a job needs one of its features.
  std::string omnicron_path = "/usr/local/bin/omnicron";
  // For /etc/cron.d-style files: the user column written after the five time
  // fields for jobs without `run_as`. Nothing for a user's own table, where
  // `run_as` cannot be honoured.
  std::optional<std::string> user_column;
  // The zone the cron daemon runs jobs in (the system's). Debian's cron has no
  // CRON_TZ, so a job whose `timezone` differs cannot be expressed.
  std::string system_timezone;
  // A program named without a path is found through cron's PATH
  // (/usr/bin:/bin on Debian), which is rarely what was meant: a warning, or
  // with `strict` an error.
  bool strict = false;
};

// Debian's cron refuses a command of 999 bytes or more ("command too long").
inline constexpr std::size_t kMaxCrontabCommandBytes = 998;

// A short, stable fingerprint (8 hex digits, FNV-1a) of an entry's compiled
// lines and its enabled flag, so a plan can tell an unchanged entry from one
// edited by hand without storing the manifest. The lines are the ones
// compiled, without the "# " a disabled entry is written with. Parsing and
// rendering both call this so they agree. It is not a security measure.
std::string crontab_digest(const std::vector<std::string>& lines, bool enabled);

// Compiles every job of the manifest that runs on POSIX into crontab lines.
// Whatever a job asks for that cron cannot do exactly is reported as an error
// diagnostic at the field that asks for it (nothing is approximated
// silently); the returned block then holds the jobs that did compile.
CrontabBlock compile_crontab_block(const Manifest& manifest,
                                   const CrontabOptions& options,
                                   Diagnostics& diagnostics);

// The block as text, every line ending in '\n':
//   # >>> omnicron NS — generated from FILE; edits inside are overwritten
//   # omnicron job=NAME digest=XXXXXXXX
//   LINE…
//   # <<< omnicron NS
std::string render_crontab_block(const CrontabBlock& block);

}  // namespace omnicron::posix
