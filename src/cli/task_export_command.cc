// omnicron export --namespace NS [--all] [-o FILE], on Windows
//
// Writes a manifest of the tasks in Task Scheduler's folder \omnicron\NS\:
// each task omnicron registered becomes its job again, decompiled from the
// task's XML (its triggers, its action and the runner line in it, its
// settings). With --all the folder's other tasks are exported too, where a
// manifest can express them. What cannot be expressed is listed in the
// manifest and on stderr, never dropped silently.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/task_import.h"
#include "error.h"
#include "file_path.h"
#include "manifest/load.h"
#include "tasksched/task_plan.h"
#include "windows/com.h"
#include "windows/system.h"
#include "windows/task_backend.h"

namespace omnicron::cli {

namespace {

struct TaskExportOptions {
  std::string namespace_;
  bool all = false;
  std::string output;
};

int run_export(const TaskExportOptions& options) {
  if (!is_valid_name(options.namespace_))
    throw Error(ErrorKind::usage,
                fmt::format("--namespace: '{}' is not a namespace omnicron writes",
                            options.namespace_));
  const std::string folder = fmt::format("\\omnicron\\{}\\", options.namespace_);
  windows::ComApartment apartment;
  windows::TaskService service = windows::TaskService::connect();
  windows::TaskBackendOptions backend_options;
  backend_options.quirks = windows::scheduler_quirks();
  backend_options.state_dir = windows::state_dir();
  windows::TaskBackend backend(service, backend_options);
  const std::vector<tasksched::InstalledTask> installed = backend.read(options.namespace_, {});
  if (installed.empty())
    throw Error(ErrorKind::usage,
                fmt::format("Task Scheduler has no tasks of namespace '{}' ({} is empty or "
                            "missing)",
                            options.namespace_, folder));
  if (!backend_options.quirks.keeps_everything()) {
    std::string parts;
    for (const auto& part : backend_options.quirks.not_compared())
      parts += (parts.empty() ? "" : ", ") + part;
    std::fputs(fmt::format("note: {} does not keep every part of a task as registered ({}); "
                           "what it dropped cannot be exported\n",
                           backend_options.quirks.scheduler, parts)
                   .c_str(),
               stderr);
  }

  TaskXmlImport import(options.namespace_,
                       std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  std::size_t foreign_left_out = 0;
  for (const tasksched::InstalledTask& task : installed) {
    std::string why;
    if (!tasksched::is_omnicron_task(task, why) && !options.all) {
      std::fputs(fmt::format("note: {}{}: not registered by omnicron ({}); left out, as "
                             "'--all' would export it too\n",
                             folder, task.name, why)
                     .c_str(),
                 stderr);
      ++foreign_left_out;
      continue;
    }
    import.add(folder + task.name, task.xml, task.name);
  }
  const std::string text = import.emit(
      fmt::format("Exported by omnicron from Task Scheduler's folder {}", folder));
  if (options.output.empty()) {
    std::fputs(text.c_str(), stdout);
  } else {
    std::ofstream out(file_path(options.output), std::ios::binary);
    out << text;
    if (!out.flush()) throw Error(ErrorKind::io, fmt::format("cannot write '{}'", options.output));
  }
  const std::size_t exported = installed.size() - foreign_left_out;
  std::fputs(fmt::format("exported {} from {}: {} exactly, {} in part; {} not exported, {} "
                         "left out\n",
                         plural(import.jobs(), "job"), folder, import.exact(), import.partly(),
                         plural(exported - import.jobs(), "task"),
                         plural(foreign_left_out, "foreign task"))
                 .c_str(),
             stderr);
  return 0;
}

}  // namespace

void setup_export(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TaskExportOptions>();
  CLI::App* sub = app.add_subcommand(
      "export", "Write a manifest of a namespace's tasks as Task Scheduler holds them");
  sub->add_option("--namespace", options->namespace_, "The namespace to export")->required();
  sub->add_flag("--all", options->all,
                "Also export the folder's tasks that omnicron did not register");
  sub->add_option("-o,--output", options->output, "Write the manifest here, not to stdout");
  sub->callback([options, &exit_code] { exit_code = run_export(*options); });
}

}  // namespace omnicron::cli
