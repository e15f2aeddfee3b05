#pragma once

// Task Scheduler through its COM API (ITaskService): omnicron's tasks live in
// the folder \omnicron\<namespace>\, one task per job, registered from the
// XML of src/tasksched/task_xml.h. Thin: it registers, reads and deletes what
// it is told, and decides nothing.

#include <taskschd.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "windows/com.h"

namespace omnicron::windows {

// What the backend (task_backend.h) needs of Task Scheduler, one namespace's
// folder at a time: TaskService's operations, behind an interface so that a
// test can wrap the real service and make one call fail midway.
class TaskStore {
 public:
  virtual ~TaskStore() = default;
  virtual void register_task(std::string_view ns, std::string_view name, std::string_view xml) = 0;
  virtual std::optional<std::string> task_xml(std::string_view ns, std::string_view name) = 0;
  virtual std::vector<std::string> task_names(std::string_view ns) = 0;
  virtual bool delete_task(std::string_view ns, std::string_view name) = 0;
  virtual bool delete_namespace_if_empty(std::string_view ns) = 0;
  virtual bool has_namespace(std::string_view ns) = 0;
};

class TaskService : public TaskStore {
 public:
  // Connects to the local Task Scheduler. A ComApartment must be alive on
  // this thread for as long as the TaskService is.
  static TaskService connect();

  // "\omnicron\NAMESPACE", the folder of a namespace's tasks.
  static std::string folder_path(std::string_view ns);

  // Registers (creates or replaces) task NAME in the namespace's folder from
  // its XML, creating \omnicron and the namespace's folder when missing.
  void register_task(std::string_view ns, std::string_view name, std::string_view xml) override;

  // The task's XML as Task Scheduler holds it (UTF-8 here); none when the
  // task or its folder does not exist.
  std::optional<std::string> task_xml(std::string_view ns, std::string_view name) override;

  // The names of the tasks in the namespace's folder (hidden ones too); none
  // when the folder does not exist.
  std::vector<std::string> task_names(std::string_view ns) override;

  // Deletes the task; false when it (or its folder) did not exist.
  bool delete_task(std::string_view ns, std::string_view name) override;

  // Deletes the namespace's folder if it holds no task, and then \omnicron
  // if that is empty too. Returns whether the namespace's folder is gone
  // (false while it still holds tasks).
  bool delete_namespace_if_empty(std::string_view ns) override;

  // Whether the namespace's folder exists.
  bool has_namespace(std::string_view ns) override;

 private:
  explicit TaskService(ComPtr<ITaskService> service) : service_(std::move(service)) {}
  // The folder at `path`, or none when it does not exist.
  ComPtr<ITaskFolder> find_folder(const std::string& path);
  ComPtr<ITaskFolder> folder_or_create(std::string_view ns);

  ComPtr<ITaskService> service_;
};

}  // namespace omnicron::windows
