#pragma once

#include <optional>
#include <string>
#include <vector>

#include "manifest/emit.h"
#include "manifest/manifest.h"
#include "posix/crontab_text.h"

namespace omnicron::posix {

// The pure half of `omnicron export`: what is installed in a table turned
// back into a manifest. No OS calls.
//
// omnicron's own lines are decompiled: the schedule of each line, the
// `omnicron exec` options (working directory, env, log, timeout, overlap,
// retries, conditions, random delay) or the plain `cd … && env … cmd >> log
// 2>&1` form, the argv with the shell's quoting and crontab's escaping
// undone, and what the entry's marker carries (enabled, shell, description).
// Where two manifests write the same line, export reads it one way: a
// `shell:` line starting with "cd DIR && " comes back as `working_dir: DIR`
// and the rest of the line, "root" in a user column that defaults to root as
// no `run_as`, `@reboot` as `on: boot`, structured schedules as the cron
// expressions they compile to, and `defaults:` merged into every job.
//
// Every job is compiled again and compared with the installed lines, so a
// sync of the exported manifest writes nothing; a job for which that does
// not hold (someone edited it by hand) is still exported, and listed.

struct ExportOptions {
  // An /etc/cron.d-style table: every line names its user.
  bool user_column = false;
  // The user a cron.d line runs as when its job has no `run_as` (what the
  // sync would write for such a job); other users become `run_as`.
  std::string default_user = "root";
  // The system's zone, as the compile check needs it.
  std::string system_timezone;
  // How messages and comments name the table ("the crontab of user ana").
  std::string table_name = "the table";
};

struct ExportResult {
  Manifest manifest;
  EmitComments comments;
  // What could not be carried over exactly, one line each ("line 12: …");
  // also written as comments at the end of the manifest.
  std::vector<std::string> problems;
  // The runner the installed lines call, when they call one: a sync must use
  // the same `--omnicron` path, or it rewrites every line.
  std::optional<std::string> omnicron_path;
  int adopted = 0;  // jobs made from foreign lines (`--all`)
};

// One namespace's block as a manifest of that namespace.
ExportResult export_block(const ParsedBlock &block, const ExportOptions &options);

// `--all`: every omnicron block (its jobs under their own names, renamed
// "NS-NAME" only when two namespaces use the same name) and every foreign
// job line, marked as adopted, into one manifest of namespace `namespace_`.
// Foreign lines that cannot be expressed are listed, never dropped silently.
ExportResult export_table(const ParsedCrontab &table, const std::string &namespace_,
                          const ExportOptions &options);

// The text of a manifest export produced: the YAML with its comments.
std::string render_export(const ExportResult &result);

}  // namespace omnicron::posix
