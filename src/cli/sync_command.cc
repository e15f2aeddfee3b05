// omnicron sync -f FILE [--target T] [--user U]
// omnicron sync --restore [--target T] [--user U]
//
// Makes the table match the manifest: only the manifest's namespace block
// changes, every other byte stays. The write is locked, backed up and read
// back, and a fresh plan afterwards must be empty. With nothing to change it
// does not write at all.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/table_options.h"
#include "error.h"
#include "posix/crontab_plan.h"

namespace omnicron::cli {

namespace {

struct SyncOptions {
  std::string file = "jobs.yaml";
  TableOptions table;
  bool restore = false;
  bool json = false;
};

int run_restore(const SyncOptions& options) {
  const posix::CrontabTable table = open_table(options.table);
  const posix::StateDir state = open_state();
  if (!table.restore(state))
    throw Error(ErrorKind::usage,
                fmt::format("no backup of {} to restore in {}", table.describe(),
                            state.root().string()));
  std::fputs(fmt::format("restored {} from its newest backup (the table it replaced was "
                         "backed up too)\n",
                         table.describe())
                 .c_str(),
             stdout);
  return 0;
}

int run_sync(const SyncOptions& options) {
  if (options.restore) return run_restore(options);
  const posix::CrontabTable table = open_table(options.table);
  const posix::StateDir state = open_state();
  const auto wanted = compile_remembered(options.file, options.table, table, state);
  if (!wanted) return 2;

  const Applied applied = apply_to_table(table, state, [&](const std::string& current) {
    return posix::plan_crontab(*wanted, current);
  });
  if (applied.wrote) {
    // The table as read back after the write, still under the lock: a plan
    // against it must find nothing left to do.
    const posix::CrontabChange after = posix::plan_crontab(*wanted, applied.after);
    if (after.plan.has_changes())
      throw Error(ErrorKind::backend,
                  fmt::format("{} was written, but a fresh plan still has changes:\n{}"
                              "the table before the write is saved; 'omnicron sync "
                              "--restore' puts it back",
                              table.describe(), render_plan(after.plan)));
  }
  print_applied(applied, table, options.json, "synced " + table.describe(),
                table.describe() + " is up to date; nothing written");
  return 0;
}

}  // namespace

void setup_sync(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SyncOptions>();
  CLI::App* sub = app.add_subcommand("sync", "Make the table match the manifest");
  sub->add_option("-f,--file", options->file, "The manifest (default: jobs.yaml)");
  add_table_options(*sub, options->table);
  sub->add_flag("--restore", options->restore,
                "Put the newest backup of the table back instead");
  sub->add_flag("--json", options->json, "Print what was done as JSON");
  sub->callback([options, &exit_code] { exit_code = run_sync(*options); });
}

}  // namespace omnicron::cli
