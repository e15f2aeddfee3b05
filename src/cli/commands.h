#pragma once

#include <CLI/CLI.hpp>

namespace omnicron::cli {

// One file per subcommand, CLI11's subcom_in_files shape: each setup_x()
// declares the subcommand's options and sets `exit_code` when it runs.
//
// The commands that read and change what the OS scheduler has installed come
// from one of two files, by OS: crontab_commands.cc (plan, sync, remove,
// export, and the runner's exec, status, logs) or task_commands.cc (the
// same for Task Scheduler). The rest is the same everywhere.
void setup_scheduler_commands(CLI::App& app, int& exit_code);

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
