#pragma once

// The Task Scheduler backend's I/O: reads a namespace's folder of tasks,
// plans it against the manifest's tasks (src/tasksched/task_plan.h), applies
// the plan, and rolls back what it did when a step fails midway. The
// deciding is the plan's; this only carries it out.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tasksched/task_plan.h"
#include "windows/task_service.h"

namespace omnicron::windows {

// Wine's ntdll exports wine_get_version; Windows' does not.
bool running_under_wine();

// The quirks of the Task Scheduler this process talks to: Wine 8's under
// Wine, Windows' otherwise. The caller passes them on (and may say so to the
// operator); the plan never guesses.
tasksched::SchedulerQuirks scheduler_quirks();

// Where Task Scheduler cannot list a folder's tasks (Wine 8), the backend
// finds the namespace's tasks by name instead: the jobs of the manifest, and
// the names it recorded when it last synced the namespace, in
// STATE_DIR\tasks\NS.names (UTF-8, one name a line, '#' starts a comment).
// STATE_DIR is the caller's, e.g. %LOCALAPPDATA%\omnicron\state. The record
// is written before a sync changes anything (the names already recorded and
// the manifest's, so a sync that dies midway leaves none of its tasks
// unrecorded) and again after it (the manifest's); it is deleted with the
// folder. Tasks someone else put in the folder cannot be seen there unless
// a job has their name.
std::filesystem::path names_record(const std::filesystem::path& state_dir, std::string_view ns);
// The names recorded; none when there is no record.
std::vector<std::string> read_names_record(const std::filesystem::path& file);
// Replaces the record (through a temporary file and a rename).
void write_names_record(const std::filesystem::path& file, std::string_view ns,
                        const std::vector<std::string>& names);

struct TaskBackendOptions {
  tasksched::SchedulerQuirks quirks;
  // Needed where the scheduler cannot list a folder's tasks (see
  // names_record); kept up to date wherever it is given.
  std::optional<std::filesystem::path> state_dir;
  // See TaskPlanOptions::replace_foreign.
  bool replace_foreign = false;
};

struct SyncResult {
  tasksched::TaskPlan plan;  // what was applied (no changes: nothing was)
  bool folder_removed = false;
};

class TaskBackend {
 public:
  TaskBackend(TaskStore& store, TaskBackendOptions options);

  // The tasks of the namespace's folder, with their XML. Where the scheduler
  // cannot list them, the tasks named in the record, in `look_for` (the
  // manifest's jobs) that exist. Throws Error (backend) when the scheduler
  // cannot list them and there is no state directory.
  std::vector<tasksched::InstalledTask> read(std::string_view ns,
                                             const std::vector<std::string>& look_for);

  // What a sync of the manifest's tasks would do.
  tasksched::TaskPlan plan(std::string_view ns, const std::vector<tasksched::WantedTask>& wanted);

  // Applies the plan in its order: registers what it creates and updates,
  // deletes what it removes, then deletes the folder when no task is left in
  // it. When a step fails, what this apply did is undone in reverse order
  // (the failed step too, in case it was half done): a task it created is
  // deleted, one it updated or deleted is registered again from its previous
  // XML, a folder it created is deleted. Then the error is thrown again, with
  // what was rolled back, or what could not be, as context. Returns whether
  // the folder is gone.
  bool apply(const tasksched::TaskPlan& plan);

  // plan, apply when there are changes, then read back: a fresh plan must
  // be empty, or Error (backend) says what is still different.
  SyncResult sync(std::string_view ns, const std::vector<tasksched::WantedTask>& wanted);

 private:
  tasksched::TaskPlan plan_looking_for(std::string_view ns,
                                       const std::vector<tasksched::WantedTask>& wanted,
                                       std::vector<std::string> look_for);
  void record(std::string_view ns, const std::vector<std::string>& names);

  TaskStore& store_;
  TaskBackendOptions options_;
};

}  // namespace omnicron::windows
