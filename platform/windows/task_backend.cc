#include "windows/task_backend.h"

#include <windows.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "error.h"
#include "file_path.h"

namespace omnicron::windows {

namespace {

std::string folder_of(std::string_view ns) { return TaskService::folder_path(ns) + "\\"; }

std::string task_path(std::string_view ns, std::string_view name) {
  return fmt::format("{}{}", folder_of(ns), name);
}

Error io_error(std::string attempt, const std::filesystem::path& file, const std::error_code& ec) {
  Error e(ErrorKind::io, fmt::format("{}: {}", attempt, utf8_string(file)));
  e.with_native(ec.value(), ec.message());
  return e;
}

// One step apply() took, and how to take it back.
struct Step {
  ChangeKind kind;
  std::string name;
  std::optional<std::string> previous_xml;  // for an update or a removal
};

}  // namespace

bool running_under_wine() {
  const HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll && GetProcAddress(ntdll, "wine_get_version");
}

tasksched::SchedulerQuirks scheduler_quirks() {
  return running_under_wine() ? tasksched::SchedulerQuirks::wine8()
                              : tasksched::SchedulerQuirks::windows();
}

std::filesystem::path names_record(const std::filesystem::path& state_dir, std::string_view ns) {
  return state_dir / "tasks" / std::filesystem::path(to_utf16(std::string(ns) + ".names"));
}

std::vector<std::string> read_names_record(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec) && !ec) return {};
    throw io_error("reading the record of a namespace's tasks", file,
                   std::make_error_code(std::errc::io_error));
  }
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    names.push_back(line);
  }
  return names;
}

void write_names_record(const std::filesystem::path& file, std::string_view ns,
                        const std::vector<std::string>& names) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) throw io_error("creating the state directory", file.parent_path(), ec);
  std::filesystem::path temporary = file;
  temporary += L".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << "# The tasks omnicron registered in " << folder_of(ns)
        << ", read where Task Scheduler cannot list a folder's tasks (Wine).\n";
    for (const auto& name : names) out << name << '\n';
    out.flush();
    if (!out)
      throw io_error("writing the record of a namespace's tasks", temporary,
                     std::make_error_code(std::errc::io_error));
  }
  std::filesystem::rename(temporary, file, ec);
  if (ec) throw io_error("replacing the record of a namespace's tasks", file, ec);
}

TaskBackend::TaskBackend(TaskStore& store, TaskBackendOptions options)
    : store_(store), options_(std::move(options)) {}

std::vector<tasksched::InstalledTask> TaskBackend::read(std::string_view ns,
                                                        const std::vector<std::string>& look_for) {
  std::vector<std::string> names;
  if (options_.quirks.enumerates_tasks) {
    names = store_.task_names(ns);
  } else {
    if (!options_.state_dir)
      throw Error(ErrorKind::backend,
                  fmt::format("{} cannot list the tasks of {}, and no state directory holds "
                              "the names omnicron recorded there",
                              options_.quirks.scheduler, folder_of(ns)));
    // Sorted and without repeats: the record, then the jobs.
    std::set<std::string> unique;
    for (auto& name : read_names_record(names_record(*options_.state_dir, ns)))
      unique.insert(std::move(name));
    unique.insert(look_for.begin(), look_for.end());
    names.assign(unique.begin(), unique.end());
  }
  std::vector<tasksched::InstalledTask> tasks;
  for (const auto& name : names) {
    // A task listed may be gone by the time it is read (deleted by hand
    // meanwhile); one looked for by name may never have existed.
    if (auto xml = store_.task_xml(ns, name)) tasks.push_back({name, std::move(*xml)});
  }
  return tasks;
}

tasksched::TaskPlan TaskBackend::plan_looking_for(std::string_view ns,
                                                  const std::vector<tasksched::WantedTask>& wanted,
                                                  std::vector<std::string> look_for) {
  for (const auto& task : wanted) look_for.push_back(task.name);
  tasksched::TaskPlanOptions plan_options;
  plan_options.quirks = options_.quirks;
  plan_options.replace_foreign = options_.replace_foreign;
  return tasksched::plan_tasks(std::string(ns), wanted, read(ns, look_for), plan_options);
}

tasksched::TaskPlan TaskBackend::plan(std::string_view ns,
                                      const std::vector<tasksched::WantedTask>& wanted) {
  return plan_looking_for(ns, wanted, {});
}

void TaskBackend::record(std::string_view ns, const std::vector<std::string>& names) {
  if (!options_.state_dir) return;
  const auto file = names_record(*options_.state_dir, ns);
  if (names.empty()) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (ec) throw io_error("deleting the record of a namespace's tasks", file, ec);
    return;
  }
  write_names_record(file, ns, names);
}

bool TaskBackend::apply(const tasksched::TaskPlan& plan) {
  const std::string& ns = plan.plan.namespace_;
  // Before anything changes, every name this apply may leave in the folder is
  // recorded, so that a sync stopped midway leaves nothing the next one
  // cannot find where the folder cannot be listed.
  if (options_.state_dir && !options_.quirks.enumerates_tasks) {
    std::set<std::string> names;
    for (auto& name : read_names_record(names_record(*options_.state_dir, ns)))
      names.insert(std::move(name));
    for (const Change& change : plan.plan.changes) names.insert(change.job);
    record(ns, {names.begin(), names.end()});
  }

  const bool folder_existed = store_.has_namespace(ns);
  std::vector<Step> steps;
  bool folder_removed = false;
  try {
    for (const Change& change : plan.plan.changes) {
      switch (change.kind) {
        case ChangeKind::unchanged: break;
        case ChangeKind::create:
          steps.push_back({change.kind, change.job, std::nullopt});
          store_.register_task(ns, change.job, plan.register_xml.at(change.job));
          break;
        case ChangeKind::update:
          steps.push_back({change.kind, change.job, plan.previous_xml.at(change.job)});
          store_.register_task(ns, change.job, plan.register_xml.at(change.job));
          break;
        case ChangeKind::remove:
          steps.push_back({change.kind, change.job, plan.previous_xml.at(change.job)});
          store_.delete_task(ns, change.job);
          break;
      }
    }
    if (plan.tasks_after == 0) folder_removed = store_.delete_namespace_if_empty(ns);
  } catch (Error& error) {
    // Undone newest first, each on its own: one that fails does not stop
    // the others.
    std::vector<std::string> failed;
    std::size_t undone = 0;
    for (auto step = steps.rbegin(); step != steps.rend(); ++step) {
      try {
        if (step->kind == ChangeKind::create) {
          store_.delete_task(ns, step->name);
        } else {
          store_.register_task(ns, step->name, *step->previous_xml);
        }
        ++undone;
      } catch (const Error& undo) {
        failed.push_back(fmt::format("{} ({})", task_path(ns, step->name), undo.what()));
      }
    }
    if (!folder_existed) {
      try {
        store_.delete_namespace_if_empty(ns);
      } catch (const Error& undo) {
        failed.push_back(fmt::format("{} ({})", folder_of(ns), undo.what()));
      }
    }
    if (failed.empty()) {
      error.with_context(fmt::format("the {} change(s) this sync had begun were rolled back: "
                                     "{} is as it was before",
                                     undone, folder_of(ns)));
    } else {
      std::string list;
      for (const auto& f : failed) list += "\n    " + f;
      error.with_context(fmt::format("rolling back failed for {} of {} change(s); check these in "
                                     "Task Scheduler:{}",
                                     failed.size(), steps.size(), list));
    }
    error.with_context(fmt::format("while syncing {}", folder_of(ns)));
    throw;
  }
  return folder_removed;
}

SyncResult TaskBackend::sync(std::string_view ns,
                             const std::vector<tasksched::WantedTask>& wanted) {
  SyncResult result{plan(ns, wanted), false};
  const tasksched::TaskPlan& plan = result.plan;
  if (plan.plan.has_changes()) {
    result.folder_removed = apply(plan);
  } else if (plan.tasks_after == 0) {
    // An empty folder left behind (by hand, or by an older omnicron).
    result.folder_removed = store_.delete_namespace_if_empty(ns);
  }
  // Read back, looking for every task the plan touched too, since the
  // folder may not be listable: nothing may be left to do.
  std::vector<std::string> touched;
  for (const Change& change : plan.plan.changes) touched.push_back(change.job);
  const tasksched::TaskPlan after = plan_looking_for(ns, wanted, touched);
  if (after.plan.has_changes())
    throw Error(ErrorKind::backend,
                fmt::format("{} was changed, but a fresh plan still has changes (Task Scheduler "
                            "did not keep the tasks as registered):\n{}",
                            folder_of(ns), render_plan(after.plan)));
  std::vector<std::string> names;
  for (const auto& task : wanted) names.push_back(task.name);
  // Sorted, as the record written before the changes is.
  std::sort(names.begin(), names.end());
  record(ns, names);
  return result;
}

}  // namespace omnicron::windows
