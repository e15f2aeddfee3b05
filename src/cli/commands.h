#pragma once

#include <string_view>

#include <CLI/CLI.hpp>

namespace omnicron::cli {

// Which subcommands main() sets up. CLI11 builds every option of every
// subcommand it is given before it parses: a third of a millisecond here,
// a tenth of a no-op sync, whose whole cost should be one `crontab -l`. So
// when the first argument names a subcommand only that one is set up, and
// otherwise (--help, --version, a mistake) all of them are, so that CLI11's
// help and errors see the whole tool.
class Wanted {
 public:
  // Every subcommand.
  Wanted() = default;
  // Only the subcommand NAME.
  explicit Wanted(std::string_view name) : only_(name) {}
  bool operator()(std::string_view name) const { return only_.empty() || name == only_; }

 private:
  std::string_view only_;
};

// One file per subcommand, CLI11's subcom_in_files shape: each setup_x()
// declares the subcommand's options and sets `exit_code` when it runs.
//
// The commands that read and change what the OS scheduler has installed come
// from one of two files, by OS: crontab_commands.cc (plan, sync, remove,
// export, and the runner's exec, status, logs) or task_commands.cc (the
// same for Task Scheduler). The rest is the same everywhere.
//
// WANTED says which of them to set up: see Wanted.
void setup_scheduler_commands(CLI::App& app, int& exit_code, const Wanted& wanted);

void setup_validate(CLI::App& app, int& exit_code);
void setup_next(CLI::App& app, int& exit_code);
void setup_render(CLI::App& app, int& exit_code);
void setup_plan(CLI::App& app, int& exit_code);
void setup_sync(CLI::App& app, int& exit_code);
void setup_remove(CLI::App& app, int& exit_code);
void setup_import(CLI::App& app, int& exit_code);
void setup_export(CLI::App& app, int& exit_code);
void setup_exec(CLI::App& app, int& exit_code);
void setup_status(CLI::App& app, int& exit_code);
void setup_logs(CLI::App& app, int& exit_code);

}  // namespace omnicron::cli
