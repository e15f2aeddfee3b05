// The commands that talk to Task Scheduler, on Windows:
//
//   omnicron plan -f FILE [--detailed-exitcode] [--json] [--replace-foreign]
//   omnicron sync -f FILE [--json] [--replace-foreign]
//   omnicron remove --namespace NS [--json]
//
// The manifest's namespace is the folder \omnicron\NS\; each Windows job is
// one task in it. The deciding is src/tasksched/task_plan.h's, the doing
// platform/windows/task_backend.h's; this file reads the options, compiles
// the manifest for this machine and prints what happened.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/manifest_file.h"
#include "cli/plan_json.h"
#include "cli/zones.h"
#include "error.h"
#include "manifest/load.h"
#include "tasksched/task_plan.h"
#include "windows/com.h"
#include "windows/system.h"
#include "windows/task_backend.h"

namespace omnicron::cli {

namespace {

struct TaskOptions {
  std::string file = "jobs.yaml";
  std::string namespace_;  // remove
  bool detailed_exitcode = false;
  bool json = false;
  bool replace_foreign = false;
};

// The namespace becomes a folder path: only a name a manifest may have.
void check_namespace_option(const std::string& ns) {
  if (!is_valid_name(ns))
    throw Error(ErrorKind::usage,
                fmt::format("--namespace: '{}' is not a namespace omnicron writes (lower-case "
                            "letters, digits, '.', '_' and '-')",
                            ns));
}

std::string folder_of(std::string_view ns) { return fmt::format("\\omnicron\\{}\\", ns); }

// The manifest's Windows jobs as the tasks this machine would register: the
// runner is this omnicron.exe, triggers follow this machine's zone. None
// (diagnostics printed) when the manifest is invalid or a job cannot be
// expressed for Task Scheduler.
std::optional<std::vector<tasksched::WantedTask>> compile_for_this_machine(ManifestFile& file) {
  Diagnostics& diagnostics = file.result.diagnostics;
  if (diagnostics.has_errors()) {
    print_diagnostics(file, diagnostics);
    return std::nullopt;
  }
  tasksched::TaskXmlOptions options;
  options.omnicron_path = windows::own_executable();
  options.zone = &system_zone();
  options.now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (std::string user = windows::current_user(); !user.empty()) options.current_user = user;
  auto tasks = tasksched::compile_tasks(file.result.manifest, options, diagnostics);
  if (print_diagnostics(file, diagnostics)) {
    std::fputs(fmt::format("{}: cannot be expressed for Task Scheduler; nothing was changed\n",
                           file.path)
                   .c_str(),
               stderr);
    return std::nullopt;
  }
  return tasks;
}

windows::TaskBackendOptions backend_options(const TaskOptions& options) {
  windows::TaskBackendOptions out;
  out.quirks = windows::scheduler_quirks();
  out.state_dir = windows::state_dir();
  out.replace_foreign = options.replace_foreign;
  return out;
}

void print_notes(const tasksched::TaskPlan& plan) {
  for (const auto& note : plan.notes) std::fputs(("note: " + note + "\n").c_str(), stderr);
}

void print_plan(const tasksched::TaskPlan& plan, bool json, std::optional<bool> written) {
  print_notes(plan);
  if (json) {
    nlohmann::json out = plan_json(plan.plan, folder_of(plan.plan.namespace_));
    if (written) out["written"] = *written;
    std::puts(out.dump(2).c_str());
    return;
  }
  std::fputs(render_plan(plan.plan).c_str(), stdout);
}

int run_plan(const TaskOptions& options) {
  ManifestFile file = read_manifest(options.file);
  const auto wanted = compile_for_this_machine(file);
  if (!wanted) return 2;
  windows::ComApartment apartment;
  windows::TaskService service = windows::TaskService::connect();
  windows::TaskBackend backend(service, backend_options(options));
  const tasksched::TaskPlan plan = backend.plan(file.result.manifest.namespace_, *wanted);
  print_plan(plan, options.json, std::nullopt);
  return options.detailed_exitcode && plan.plan.has_changes() ? 3 : 0;
}

int run_sync(const TaskOptions& options) {
  ManifestFile file = read_manifest(options.file);
  const auto wanted = compile_for_this_machine(file);
  if (!wanted) return 2;
  const std::string& ns = file.result.manifest.namespace_;
  windows::ComApartment apartment;
  windows::TaskService service = windows::TaskService::connect();
  windows::TaskBackend backend(service, backend_options(options));
  const windows::SyncResult result = backend.sync(ns, *wanted);
  const bool changed = result.plan.plan.has_changes();
  print_plan(result.plan, options.json, changed);
  if (!options.json) {
    std::string done = changed ? fmt::format("synced {}", folder_of(ns))
                               : fmt::format("{} is up to date; nothing registered", folder_of(ns));
    if (result.folder_removed) done += fmt::format("; {} is gone, as no task is left", folder_of(ns));
    std::puts(done.c_str());
  }
  return 0;
}

int run_remove(const TaskOptions& options) {
  check_namespace_option(options.namespace_);
  // Removing is syncing no jobs: the backend deletes omnicron's tasks, keeps
  // any other task, and deletes the folder when nothing is left in it.
  windows::ComApartment apartment;
  windows::TaskService service = windows::TaskService::connect();
  windows::TaskBackend backend(service, backend_options(options));
  const windows::SyncResult result = backend.sync(options.namespace_, {});
  const bool changed = result.plan.plan.has_changes();
  print_plan(result.plan, options.json, changed);
  if (!options.json) {
    std::puts((changed ? fmt::format("removed namespace '{}' from Task Scheduler ({})",
                                     options.namespace_, folder_of(options.namespace_))
                       : fmt::format("Task Scheduler has no tasks of namespace '{}'; nothing "
                                     "deleted",
                                     options.namespace_))
                  .c_str());
  }
  return 0;
}

void add_replace_foreign(CLI::App& sub, TaskOptions& options) {
  sub.add_flag("--replace-foreign", options.replace_foreign,
               "Replace a task in the folder that omnicron did not register when a job has "
               "its name (refused otherwise)");
}

}  // namespace

void setup_scheduler_commands(CLI::App& app, int& exit_code, const Wanted& wanted) {
  if (wanted("plan")) {
    auto plan = std::make_shared<TaskOptions>();
    CLI::App* sub = app.add_subcommand(
        "plan", "Show what sync would change in Task Scheduler, changing nothing");
    sub->add_option("-f,--file", plan->file, "The manifest (default: jobs.yaml)");
    sub->add_flag("--detailed-exitcode", plan->detailed_exitcode,
                  "Exit 3 when there are changes (0 when none)");
    sub->add_flag("--json", plan->json, "Print the plan as JSON");
    add_replace_foreign(*sub, *plan);
    sub->callback([plan, &exit_code] { exit_code = run_plan(*plan); });
  }
  if (wanted("sync")) {
    auto sync = std::make_shared<TaskOptions>();
    CLI::App* sub = app.add_subcommand(
        "sync", "Make the namespace's Task Scheduler folder match the manifest");
    sub->add_option("-f,--file", sync->file, "The manifest (default: jobs.yaml)");
    sub->add_flag("--json", sync->json, "Print what was done as JSON");
    add_replace_foreign(*sub, *sync);
    sub->callback([sync, &exit_code] { exit_code = run_sync(*sync); });
  }
  if (wanted("remove")) {
    auto remove = std::make_shared<TaskOptions>();
    CLI::App* sub = app.add_subcommand(
        "remove", "Delete a namespace's tasks from Task Scheduler, nothing else");
    sub->add_option("--namespace", remove->namespace_, "The namespace to remove")->required();
    sub->add_flag("--json", remove->json, "Print what was done as JSON");
    sub->callback([remove, &exit_code] { exit_code = run_remove(*remove); });
  }
  if (wanted("export")) setup_export(app, exit_code);
  if (wanted("exec")) setup_exec(app, exit_code);
  if (wanted("status")) setup_status(app, exit_code);
  if (wanted("logs")) setup_logs(app, exit_code);
}

}  // namespace omnicron::cli
