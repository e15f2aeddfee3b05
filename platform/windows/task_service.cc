#include "windows/task_service.h"

#include <fmt/format.h>

namespace omnicron::windows {

namespace {

constexpr std::string_view kRootFolder = "\\omnicron";

std::string task_path(std::string_view ns, std::string_view name) {
  return fmt::format("{}\\{}", TaskService::folder_path(ns), name);
}

}  // namespace

TaskService TaskService::connect() {
  ComPtr<ITaskService> service;
  check(CoCreateInstance(CLSID_TaskScheduler, nullptr, CLSCTX_INPROC_SERVER, IID_ITaskService,
                         service.put_void()),
        "starting Task Scheduler (CoCreateInstance)", "");
  // Empty VARIANTs: this machine, the current user, no password.
  check(service->Connect(Variant().get(), Variant().get(), Variant().get(), Variant().get()),
        "connecting to Task Scheduler", "");
  return TaskService(std::move(service));
}

std::string TaskService::folder_path(std::string_view ns) {
  return fmt::format("{}\\{}", kRootFolder, ns);
}

ComPtr<ITaskFolder> TaskService::find_folder(const std::string& path) {
  ComPtr<ITaskFolder> folder;
  const HRESULT hr = service_->GetFolder(Bstr(path).get(), folder.put());
  if (is_not_found(hr)) return {};
  check(hr, "opening Task Scheduler folder", path);
  return folder;
}

ComPtr<ITaskFolder> TaskService::folder_or_create(std::string_view ns) {
  const std::string path = folder_path(ns);
  if (auto folder = find_folder(path)) return folder;
  // One level at a time: \omnicron, then \omnicron\NS. Another process may
  // create either between the look and the creation; that is as good.
  ComPtr<ITaskFolder> parent = find_folder("\\");
  check(parent ? S_OK : kPathNotFound, "opening Task Scheduler folder", "\\");
  std::string done;
  for (const std::string_view level : {kRootFolder.substr(1), ns}) {
    done += fmt::format("\\{}", level);
    ComPtr<ITaskFolder> child;
    HRESULT hr = parent->CreateFolder(Bstr(level).get(), Variant().get(), child.put());
    if (hr == kAlreadyExists) {
      child = find_folder(done);
      hr = child ? S_OK : kPathNotFound;
    }
    check(hr, "creating Task Scheduler folder", done);
    parent = std::move(child);
  }
  return parent;
}

void TaskService::register_task(std::string_view ns, std::string_view name,
                                std::string_view xml) {
  ComPtr<ITaskFolder> folder = folder_or_create(ns);
  ComPtr<IRegisteredTask> task;
  // TASK_LOGON_NONE and no user: the principal written in the XML decides
  // who the task runs as.
  check(folder->RegisterTask(Bstr(name).get(), Bstr(xml).get(), TASK_CREATE_OR_UPDATE,
                             Variant().get(), Variant().get(), TASK_LOGON_NONE, Variant().get(),
                             task.put()),
        "registering task", task_path(ns, name));
}

std::optional<std::string> TaskService::task_xml(std::string_view ns, std::string_view name) {
  ComPtr<ITaskFolder> folder = find_folder(folder_path(ns));
  if (!folder) return std::nullopt;
  ComPtr<IRegisteredTask> task;
  const HRESULT hr = folder->GetTask(Bstr(name).get(), task.put());
  if (is_not_found(hr)) return std::nullopt;
  check(hr, "opening task", task_path(ns, name));
  Bstr xml;
  check(task->get_Xml(xml.put()), "reading the XML of task", task_path(ns, name));
  return xml.to_utf8();
}

std::vector<std::string> TaskService::task_names(std::string_view ns) {
  const std::string path = folder_path(ns);
  ComPtr<ITaskFolder> folder = find_folder(path);
  if (!folder) return {};
  ComPtr<IRegisteredTaskCollection> tasks;
  check(folder->GetTasks(TASK_ENUM_HIDDEN, tasks.put()), "listing the tasks of folder", path);
  LONG count = 0;
  check(tasks->get_Count(&count), "counting the tasks of folder", path);
  std::vector<std::string> names;
  // COM collections are 1-based.
  for (LONG i = 1; i <= count; ++i) {
    ComPtr<IRegisteredTask> task;
    check(tasks->get_Item(Variant(i).get(), task.put()), "listing the tasks of folder", path);
    Bstr name;
    check(task->get_Name(name.put()), "listing the tasks of folder", path);
    names.push_back(name.to_utf8());
  }
  return names;
}

bool TaskService::delete_task(std::string_view ns, std::string_view name) {
  ComPtr<ITaskFolder> folder = find_folder(folder_path(ns));
  if (!folder) return false;
  const HRESULT hr = folder->DeleteTask(Bstr(name).get(), 0);
  if (is_not_found(hr)) return false;
  check(hr, "deleting task", task_path(ns, name));
  return true;
}

bool TaskService::delete_namespace_if_empty(std::string_view ns) {
  ComPtr<ITaskFolder> root = find_folder(std::string(kRootFolder));
  if (!root) return true;
  // Task Scheduler refuses to delete a folder that still holds tasks (or
  // folders): that answer is the emptiness test, since listing a folder's
  // tasks is not available everywhere (Wine cannot).
  HRESULT hr = root->DeleteFolder(Bstr(ns).get(), 0);
  if (hr == kDirectoryNotEmpty) return false;
  if (!is_not_found(hr)) check(hr, "deleting Task Scheduler folder", folder_path(ns));
  ComPtr<ITaskFolder> top = find_folder("\\");
  if (top) {
    hr = top->DeleteFolder(Bstr(kRootFolder.substr(1)).get(), 0);
    if (hr != kDirectoryNotEmpty && !is_not_found(hr))
      check(hr, "deleting Task Scheduler folder", kRootFolder);
  }
  return true;
}

bool TaskService::has_namespace(std::string_view ns) {
  return static_cast<bool>(find_folder(folder_path(ns)));
}

}  // namespace omnicron::windows
