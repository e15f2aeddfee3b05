// omnicron plan -f FILE [--target T] [--user U] [--detailed-exitcode] [--json]
//
// Shows what `sync` would change in the table, and changes nothing.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/table_options.h"
#include "posix/crontab_plan.h"

namespace omnicron::cli {

namespace {

struct PlanOptions {
  std::string file = "jobs.yaml";
  TableOptions table;
  bool detailed_exitcode = false;
  bool json = false;
};

int run_plan(const PlanOptions& options) {
  ManifestFile file = read_manifest(options.file);
  const posix::CrontabTable table = open_table(options.table);
  const auto wanted = compile_for_table(file, options.table, table);
  if (!wanted) return 2;
  const posix::CrontabChange change = posix::plan_crontab(*wanted, table.read());
  for (const auto& w : change.warnings)
    std::fputs(fmt::format("warning: {}: {}\n", table.describe(), w).c_str(), stderr);
  if (options.json)
    std::puts(plan_json(change.plan, table.describe()).dump(2).c_str());
  else
    std::fputs(render_plan(change.plan).c_str(), stdout);
  return options.detailed_exitcode && change.plan.has_changes() ? 3 : 0;
}

}  // namespace

void setup_plan(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* sub = app.add_subcommand("plan", "Show what sync would change, changing nothing");
  sub->add_option("-f,--file", options->file, "The manifest (default: jobs.yaml)");
  add_table_options(*sub, options->table);
  sub->add_flag("--detailed-exitcode", options->detailed_exitcode,
                "Exit 3 when there are changes (0 when none)");
  sub->add_flag("--json", options->json, "Print the plan as JSON");
  sub->callback([options, &exit_code] { exit_code = run_plan(*options); });
}

}  // namespace omnicron::cli
