#pragma once

#include <optional>
#include <string>
#include <string_view>
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
  // What the lines alone cannot say, carried on the marker so that `export`
  // gives the job back as it was written: that it is a `shell:` job (its
  // line may read like an argv), and its description.
  bool shell = false;
  std::string description;
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
// lines, its enabled flag, its shell flag and its description, so a plan can
// tell an unchanged entry from one edited by hand without storing the
// manifest. The lines are the ones compiled, without the "# " a disabled
// entry is written with. Parsing and rendering both call this so they agree.
// It is not a security measure.
std::string crontab_digest(const std::vector<std::string>& lines, bool enabled,
                           bool shell = false, std::string_view description = {});

// A description as the marker carries it, on one line: '\\' doubled, line
// ends, tabs and other control bytes as "\n", "\r", "\t" or "\xHH", and a
// last blank as "\x20" so an editor trimming the line cannot change it.
std::string escape_marker_text(std::string_view text);
// The inverse; unknown escapes are kept as they are.
std::string unescape_marker_text(std::string_view text);

// Compiles every job of the manifest that runs on POSIX into crontab lines.
// Whatever a job asks for that cron cannot do exactly is reported as an error
// diagnostic at the field that asks for it (nothing is approximated
// silently); the returned block then holds the jobs that did compile.
CrontabBlock compile_crontab_block(const Manifest& manifest,
                                   const CrontabOptions& options,
                                   Diagnostics& diagnostics);

// The block as text, every line ending in '\n':
//   # >>> omnicron NS — generated from FILE; edits inside are overwritten
//   # omnicron job=NAME digest=XXXXXXXX[ disabled][ shell][ description=TEXT]
//   LINE…
//   # <<< omnicron NS
std::string render_crontab_block(const CrontabBlock& block);

}  // namespace omnicron::posix
