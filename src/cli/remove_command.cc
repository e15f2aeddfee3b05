// omnicron remove --namespace NS [--target T] [--user U]
//
// Removes one namespace's block from the table and nothing else.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/table_options.h"
#include "error.h"
#include "posix/crontab_plan.h"

namespace omnicron::cli {

namespace {

struct RemoveOptions {
  std::string namespace_;
  TableOptions table;
  bool json = false;
};

int run_remove(const RemoveOptions& options) {
  const posix::CrontabTable table = open_table(options.table);
  const posix::StateDir state = open_state();
  const Applied applied = apply_to_table(table, state, [&](const std::string& current) {
    return posix::plan_removal(options.namespace_, current);
  });
  print_applied(applied, table, options.json,
                fmt::format("removed namespace '{}' from {}", options.namespace_,
                            table.describe()),
                fmt::format("{} has no namespace '{}'; nothing written", table.describe(),
                            options.namespace_));
  return 0;
}

}  // namespace

void setup_remove(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RemoveOptions>();
  CLI::App* sub =
      app.add_subcommand("remove", "Remove a namespace's jobs from the table, nothing else");
  sub->add_option("--namespace", options->namespace_, "The namespace to remove")->required();
  add_table_options(*sub, options->table);
  sub->add_flag("--json", options->json, "Print what was done as JSON");
  sub->callback([options, &exit_code] { exit_code = run_remove(*options); });
}

}  // namespace omnicron::cli
