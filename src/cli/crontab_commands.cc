// The commands that talk to cron: the crontab (or cron.d file) target and
// the runner cron starts.
#include "cli/commands.h"

namespace omnicron::cli {

void setup_scheduler_commands(CLI::App& app, int& exit_code, const Wanted& wanted) {
  if (wanted("plan")) setup_plan(app, exit_code);
  if (wanted("sync")) setup_sync(app, exit_code);
  if (wanted("remove")) setup_remove(app, exit_code);
  if (wanted("export")) setup_export(app, exit_code);
  if (wanted("exec")) setup_exec(app, exit_code);
  if (wanted("status")) setup_status(app, exit_code);
  if (wanted("logs")) setup_logs(app, exit_code);
}

}  // namespace omnicron::cli
