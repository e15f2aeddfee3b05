// omnicron render --format crontab -f FILE [--user-column USER] [--omnicron PATH] [--json]
// omnicron render --format task-xml -f FILE [JOB] [--omnicron PATH] [--windows-user NAME] [--json]
//
// Prints what the manifest would install, and installs nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/manifest_file.h"
#include "cli/zones.h"
#include "error.h"
#include "posix/crontab_block.h"
#include "tasksched/task_xml.h"
#if defined(_WIN32)
#include "windows/system.h"
#endif

namespace omnicron::cli {

namespace {

struct RenderOptions {
  std::string format;
  std::string file = "jobs.yaml";
  std::string job;  // task-xml: the one job to print
  std::string user_column;
  std::optional<std::string> omnicron_path;
  std::optional<std::string> windows_user;  // task-xml: who registers the tasks
  bool json = false;
};

// One task per Windows job, as `schtasks /create /xml` takes it: the XML of
// the job named, or of the only one. Triggers follow this machine's zone,
// as they would on the Windows machine it stands for.
int run_render_task_xml(const RenderOptions& options) {
  ManifestFile file = read_manifest(options.file);
  Diagnostics& diagnostics = file.result.diagnostics;
  if (diagnostics.has_errors()) {
    print_diagnostics(file, diagnostics);
    return 2;
  }
  const Manifest& manifest = file.result.manifest;
  std::vector<const Job*> jobs;
  for (const Job& job : manifest.jobs) {
    if (!runs_on(job, Platform::windows)) continue;
    if (options.job.empty() || job.name == options.job) jobs.push_back(&job);
  }
  if (!options.job.empty() && jobs.empty())
    throw Error(ErrorKind::usage,
                fmt::format("{}: no job '{}' runs on Windows", file.path, options.job));
  if (jobs.size() > 1 && !options.json) {
    std::string names;
    for (const Job* job : jobs) names += (names.empty() ? "" : ", ") + job->name;
    throw Error(ErrorKind::usage,
                fmt::format("{} has {} Windows jobs ({}); a task's XML is one document, so "
                            "name one: omnicron render --format task-xml -f {} JOB (or use "
                            "--json for all)",
                            file.path, jobs.size(), names, file.path));
  }
  tasksched::TaskXmlOptions task_options;
  if (options.omnicron_path) task_options.omnicron_path = *options.omnicron_path;
  task_options.zone = &system_zone();
  task_options.now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  task_options.current_user = options.windows_user;
#if defined(_WIN32)
  if (!task_options.current_user) {
    if (std::string user = windows::current_user(); !user.empty()) task_options.current_user = user;
  }
#endif
  nlohmann::json tasks = nlohmann::json::array();
  std::string xml;
  for (const Job* job : jobs) {
    auto task = tasksched::compile_task(manifest, *job, task_options, diagnostics);
    if (!task) continue;
    xml = tasksched::render_task_xml(*task);
    const bool waits_for_logon =
        std::any_of(task->triggers.begin(), task->triggers.end(), [](const auto& t) {
          return std::holds_alternative<tasksched::LogonTrigger>(t);
        });
    if (waits_for_logon && !task->logon_user) {
      std::fputs(fmt::format("note: {}: its logon trigger waits for any user's logon, which "
                             "only an administrator may register; --windows-user NAME makes "
                             "it wait for NAME's\n",
                             job->name)
                     .c_str(),
                 stderr);
    }
    tasks.push_back({{"job", job->name},
                     {"path", fmt::format("\\omnicron\\{}\\{}", manifest.namespace_, job->name)},
                     {"digest", task->registration.digest},
                     {"xml", xml}});
  }
  if (print_diagnostics(file, diagnostics)) {
    std::fputs(fmt::format("{}: cannot render for Task Scheduler; nothing was printed\n",
                           file.path)
                   .c_str(),
               stderr);
    return 2;
  }
  if (options.json) {
    std::puts(nlohmann::json({{"format", "task-xml"},
                              {"namespace", manifest.namespace_},
                              {"tasks", tasks}})
                  .dump(2)
                  .c_str());
  } else {
    std::fputs(xml.c_str(), stdout);
  }
  return 0;
}

int run_render(const RenderOptions& options) {
  if (options.format == "task-xml") return run_render_task_xml(options);
  if (options.format != "crontab")
    throw Error(ErrorKind::usage,
                fmt::format("render: unknown --format '{}'; available: crontab, task-xml",
                            options.format));
  if (!options.job.empty())
    throw Error(ErrorKind::usage,
                "render --format crontab renders every job; JOB is for --format task-xml");
  ManifestFile file = read_manifest(options.file);
  Diagnostics& diagnostics = file.result.diagnostics;
  if (diagnostics.has_errors()) {
    print_diagnostics(file, diagnostics);
    return 2;
  }

  posix::CrontabOptions crontab;
  if (options.omnicron_path) crontab.omnicron_path = *options.omnicron_path;
  if (!options.user_column.empty()) crontab.user_column = options.user_column;
  crontab.system_timezone = std::string(system_zone().name());
  const posix::CrontabBlock block =
      posix::compile_crontab_block(file.result.manifest, crontab, diagnostics);
  if (print_diagnostics(file, diagnostics)) {
    std::fputs(fmt::format("{}: cannot render for crontab; nothing was printed\n",
                           file.path)
                   .c_str(),
               stderr);
    return 2;
  }

  if (options.json) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& entry : block.entries)
      entries.push_back({{"job", entry.job},
                         {"digest", entry.digest},
                         {"enabled", entry.enabled},
                         {"lines", entry.lines}});
    nlohmann::json out = {{"format", "crontab"},
                          {"namespace", block.namespace_},
                          {"entries", entries},
                          {"text", posix::render_crontab_block(block)}};
    std::puts(out.dump(2).c_str());
    return 0;
  }
  std::fputs(posix::render_crontab_block(block).c_str(), stdout);
  return 0;
}

}  // namespace

void setup_render(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* sub = app.add_subcommand(
      "render", "Print what a manifest would install, without installing anything");
  sub->add_option("--format", options->format, "What to render: crontab or task-xml")
      ->required();
  sub->add_option("-f,--file", options->file, "The manifest (default: jobs.yaml)");
  sub->add_option("job", options->job,
                  "With --format task-xml: the job whose task to print (needed when "
                  "several run on Windows)");
  sub->add_option("--user-column", options->user_column,
                  "Write this user after the time fields, as /etc/cron.d files need");
  sub->add_option("--omnicron", options->omnicron_path,
                  "Path of the omnicron binary the lines call (default: "
                  "/usr/local/bin/omnicron, or C:\\Program Files\\omnicron\\omnicron.exe "
                  "for task-xml)");
  sub->add_option("--windows-user", options->windows_user,
                  "With --format task-xml: the Windows user who will register the tasks, "
                  "whose logon a job's `on: logon` waits for when it has no run_as "
                  "(default: the current user on Windows, any user's logon elsewhere)");
  sub->add_flag("--json", options->json, "Print the result as JSON");
  sub->callback([options, &exit_code] { exit_code = run_render(*options); });
}

}  // namespace omnicron::cli
