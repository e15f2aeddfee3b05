#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/manifest_file.h"
#include "cli/plan_json.h"
#include "plan.h"
#include "posix/crontab_block.h"
#include "posix/crontab_plan.h"
#include "posix/crontab_target.h"
#include "posix/state_dir.h"

namespace omnicron::cli {

// The options every command that reads or writes a crontab shares.
struct TableOptions {
  std::string target = "crontab";
  std::string user;
  std::string omnicron_path = "/usr/local/bin/omnicron";
  bool strict = false;
};

void add_table_options(CLI::App& sub, TableOptions& options);

posix::CrontabTable open_table(const TableOptions& options);

// $OMNICRON_STATE_DIR when set (tests keep their backups to themselves),
// else the XDG state directory, /var/lib/omnicron for root. A write that has
// to wait for another omnicron's lock says so on stderr.
posix::StateDir open_state();

// Compiles the manifest for the table, printing warnings; returns nothing
// (after printing the errors) when it cannot be compiled.
std::optional<posix::CrontabBlock> compile_for_table(ManifestFile& file,
                                                     const TableOptions& options,
                                                     const posix::CrontabTable& table);

// Reads the manifest at PATH and compiles it as compile_for_table does, but
// first looks in the state directory for a memo of the same compile (see
// posix/compile_memo.h) and then skips the YAML parse and the compile; a
// compile without a single warning is remembered for the next time.
std::optional<posix::CrontabBlock> compile_remembered(const std::string& path,
                                                      const TableOptions& options,
                                                      const posix::CrontabTable& table,
                                                      const posix::StateDir& state);


// A change made to a table: what was planned, whether it was written and,
// when it was, the table as read back after the write.
struct Applied {
  posix::CrontabChange change;
  bool wrote = false;
  std::string after;
};

// Under the state directory's lock: plans against the table as it is then
// and writes the new text (backed up and read back) when it differs, so a
// sync of another namespace running at the same moment is never undone.
Applied apply_to_table(const posix::CrontabTable& table, const posix::StateDir& state,
                       const std::function<posix::CrontabChange(const std::string&)>& plan_for);

// Prints the plan (or JSON with "written"), the table's warnings, and one
// closing line: `done` when something was written, else `nothing`.
void print_applied(const Applied& applied, const posix::CrontabTable& table, bool json,
                   const std::string& done, const std::string& nothing);

}  // namespace omnicron::cli
