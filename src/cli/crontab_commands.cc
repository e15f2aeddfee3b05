// The commands that talk to cron: the crontab (or cron.d file) target and
// the runner cron starts.
#include "cli/commands.h"

namespace omnicron::cli {

void setup_scheduler_commands(CLI::App& app, int& exit_code) {
  setup_plan(app, exit_code);
  setup_sync(app, exit_code);
  setup_remove(app, exit_code);
  setup_export(app, exit_code);
  setup_exec(app, exit_code);
  setup_status(app, exit_code);
  setup_logs(app, exit_code);
}

}  // namespace omnicron::cli
