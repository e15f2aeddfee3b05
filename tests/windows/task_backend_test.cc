// Tests of the Task Scheduler backend against the real Task Scheduler (Wine's
// under ctest, see wine.sh): syncing the Windows jobs of
// examples/windows-desktop.yaml into a throw-away namespace, re-syncing,
// updating, removing, rolling back a sync that fails midway, and the task
// files the scheduler writes. The scheduler's quirks are what
// scheduler_quirks() detects, as the command line will use them.

#include "windows/task_backend.h"

#include <windows.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "error.h"
#include "manifest/load.h"
#include "test_zones.h"
#include "windows/com.h"

namespace omnicron::windows {
namespace {

constexpr std::string_view kNamespace = "omnicron-backend-test";

const std::vector<std::string> kExampleJobs = {"sync-documents", "defragment", "update-apps",
                                               "clean-downloads", "backup-settings"};

Manifest example_manifest() {
  std::ifstream in(std::string(OMNICRON_SOURCE_DIR) + "/examples/windows-desktop.yaml");
  std::ostringstream text;
  text << in.rdbuf();
  LoadResult loaded = load_manifest(text.str(), "windows-desktop.yaml");
  EXPECT_FALSE(loaded.diagnostics.has_errors());
  loaded.manifest.namespace_ = std::string(kNamespace);
  return std::move(loaded.manifest);
}

std::vector<tasksched::WantedTask> compile(const Manifest& manifest) {
  tasksched::TaskXmlOptions options;
  // clean-downloads asks for Europe/Lisbon on Windows: the machine's zone.
  options.zone = &omnicron::testing::load_zone("Europe/Lisbon");
  options.now = omnicron::testing::utc(2026, 1, 1);
  options.current_user = "ana";
  Diagnostics diagnostics;
  auto tasks = tasksched::compile_tasks(manifest, options, diagnostics);
  EXPECT_FALSE(diagnostics.has_errors());
  return tasks;
}

Job* find(Manifest& manifest, std::string_view name) {
  for (Job& job : manifest.jobs)
    if (job.name == name) return &job;
  ADD_FAILURE() << "no job " << name;
  return nullptr;
}

void erase(Manifest& manifest, std::string_view name) {
  std::erase_if(manifest.jobs, [name](const Job& job) { return job.name == name; });
}

std::filesystem::path tasks_dir() {
  wchar_t system[MAX_PATH];
  const UINT n = GetSystemDirectoryW(system, MAX_PATH);
  return std::filesystem::path(std::wstring(system, n)) / L"Tasks";
}

// The namespace's folder of task files (C:\Windows\System32\Tasks\omnicron\NS).
std::filesystem::path namespace_dir() {
  return tasks_dir() / L"omnicron" / to_utf16(kNamespace);
}

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Every task file of the namespace, by name, with its bytes.
std::map<std::string, std::string> task_files() {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(namespace_dir(), ec))
    files[to_utf8(entry.path().filename().wstring())] = file_text(entry.path());
  return files;
}

// A store that passes every call to the real one, but can make one fail.
class FailingStore : public TaskStore {
 public:
  explicit FailingStore(TaskStore& real) : real_(real) {}

  // The n-th register_task call (1-based) is given XML Task Scheduler refuses.
  int bad_xml_at_register = 0;
  // delete_namespace_if_empty throws, as if the folder could not be deleted.
  bool fail_folder_deletion = false;

  void register_task(std::string_view ns, std::string_view name, std::string_view xml) override {
    if (++registers_ == bad_xml_at_register) {
      real_.register_task(ns, name, "<Task><this is not task XML></Task>");
      return;
    }
    real_.register_task(ns, name, xml);
  }
  std::optional<std::string> task_xml(std::string_view ns, std::string_view name) override {
    return real_.task_xml(ns, name);
  }
  std::vector<std::string> task_names(std::string_view ns) override {
    return real_.task_names(ns);
  }
  bool delete_task(std::string_view ns, std::string_view name) override {
    return real_.delete_task(ns, name);
  }
  bool delete_namespace_if_empty(std::string_view ns) override {
    if (fail_folder_deletion) {
      fail_folder_deletion = false;  // once: the rollback may need it
      throw Error(ErrorKind::backend, "deleting Task Scheduler folder: injected failure");
    }
    return real_.delete_namespace_if_empty(ns);
  }
  bool has_namespace(std::string_view ns) override { return real_.has_namespace(ns); }

 private:
  TaskStore& real_;
  int registers_ = 0;
};

class TaskBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wchar_t temp[MAX_PATH];
    const DWORD n = GetTempPathW(MAX_PATH, temp);
    state_dir_ = std::filesystem::path(std::wstring(temp, n)) / L"omnicron-backend-test-state";
    std::filesystem::remove_all(state_dir_);
    clean();
    ASSERT_FALSE(service_.has_namespace(kNamespace));
  }
  void TearDown() override {
    clean();
    std::filesystem::remove_all(state_dir_);
  }
  // Whatever a test (or an interrupted run) left behind.
  void clean() {
    for (const auto& name : kExampleJobs) service_.delete_task(kNamespace, name);
    service_.delete_task(kNamespace, "vendor-task");
    service_.delete_namespace_if_empty(kNamespace);
  }

  TaskBackendOptions options() {
    TaskBackendOptions o;
    o.quirks = scheduler_quirks();
    o.state_dir = state_dir_;
    return o;
  }

  // Each example job's task XML as the scheduler returns it (none: absent).
  std::map<std::string, std::optional<std::string>> installed() {
    std::map<std::string, std::optional<std::string>> out;
    for (const auto& name : kExampleJobs) out[name] = service_.task_xml(kNamespace, name);
    return out;
  }

  ComApartment apartment_;
  TaskService service_ = TaskService::connect();
  std::filesystem::path state_dir_;
};

TEST(SchedulerQuirksTest, TheCallerSaysWhichSchedulerThisIs) {
  if (running_under_wine()) {
    EXPECT_EQ(scheduler_quirks(), tasksched::SchedulerQuirks::wine8());
  } else {
    EXPECT_EQ(scheduler_quirks(), tasksched::SchedulerQuirks::windows());
  }
}

TEST_F(TaskBackendTest, SyncsTheExampleAndASecondSyncChangesNothing) {
  const auto wanted = compile(example_manifest());
  ASSERT_EQ(wanted.size(), 5u);
  TaskBackend backend(service_, options());
  const SyncResult first = backend.sync(kNamespace, wanted);
  EXPECT_EQ(first.plan.plan.count(ChangeKind::create), 5u) << render_plan(first.plan.plan);
  EXPECT_FALSE(first.folder_removed);
  for (const auto& task : wanted) {
    const auto xml = service_.task_xml(kNamespace, task.name);
    ASSERT_TRUE(xml.has_value()) << task.name;
    EXPECT_NE(xml->find("<Version>" + task.definition.registration.digest + "</Version>"),
              std::string::npos)
        << *xml;
    EXPECT_NE(xml->find("<Source>omnicron</Source>"), std::string::npos) << *xml;
  }
  const auto second = backend.sync(kNamespace, wanted);
  EXPECT_FALSE(second.plan.plan.has_changes()) << render_plan(second.plan.plan);
  EXPECT_EQ(second.plan.plan.count(ChangeKind::unchanged), 5u);
  EXPECT_FALSE(backend.plan(kNamespace, wanted).plan.has_changes());
}

TEST_F(TaskBackendTest, TheSchedulerWritesOneTaskFilePerJob) {
  if (!running_under_wine())
    GTEST_SKIP() << "Windows lets only administrators read C:\\Windows\\System32\\Tasks";
  const auto wanted = compile(example_manifest());
  TaskBackend backend(service_, options());
  backend.sync(kNamespace, wanted);
  const auto files = task_files();
  ASSERT_EQ(files.size(), 5u);
  for (const auto& task : wanted) {
    ASSERT_TRUE(files.count(task.name)) << task.name;
    const std::string& file = files.at(task.name);
    EXPECT_NE(file.find("<Version>" + task.definition.registration.digest + "</Version>"),
              std::string::npos)
        << file;
    EXPECT_NE(file.find("<URI>\\omnicron\\omnicron-backend-test\\" + task.name + "</URI>"),
              std::string::npos)
        << file;
  }
  // The settings Wine keeps are omnicron's, not Windows' defaults.
  EXPECT_NE(files.at("defragment").find("<RunOnlyIfIdle>true</RunOnlyIfIdle>"),
            std::string::npos);
  EXPECT_NE(files.at("backup-settings").find("<Enabled>false</Enabled>"), std::string::npos)
      << files.at("backup-settings");
  EXPECT_NE(files.at("sync-documents").find("<DisallowStartIfOnBatteries>true"),
            std::string::npos);
  EXPECT_NE(files.at("update-apps").find("<DisallowStartIfOnBatteries>false"),
            std::string::npos);
}

TEST_F(TaskBackendTest, RecordsTheNamesWhereTheFolderCannotBeListed) {
  const auto wanted = compile(example_manifest());
  TaskBackend backend(service_, options());
  backend.sync(kNamespace, wanted);
  EXPECT_EQ(read_names_record(names_record(state_dir_, kNamespace)),
            (std::vector<std::string>{"backup-settings", "clean-downloads", "defragment",
                                      "sync-documents", "update-apps"}));
  if (!running_under_wine()) return;
  // Without the record the removed jobs' tasks could not be found.
  TaskBackendOptions no_state = options();
  no_state.state_dir.reset();
  TaskBackend blind(service_, no_state);
  try {
    blind.plan(kNamespace, wanted);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(),
              "Wine's Task Scheduler cannot list the tasks of \\omnicron\\omnicron-backend-test\\, "
              "and no state directory holds the names omnicron recorded there");
  }
  // With it, a job gone from the manifest is found and removed.
  const auto plan = backend.plan(kNamespace, {wanted[0]});
  EXPECT_EQ(plan.plan.count(ChangeKind::remove), 4u);
}

TEST_F(TaskBackendTest, AChangedJobIsUpdatedAndAJobLeftOutIsDeleted) {
  Manifest manifest = example_manifest();
  TaskBackend backend(service_, options());
  backend.sync(kNamespace, compile(manifest));

  find(manifest, "defragment")->settings.description = "Optimise the drive, now on Sundays";
  erase(manifest, "update-apps");
  const auto wanted = compile(manifest);
  const SyncResult result = backend.sync(kNamespace, wanted);
  EXPECT_EQ(result.plan.plan.count(ChangeKind::update), 1u) << render_plan(result.plan.plan);
  EXPECT_EQ(result.plan.plan.count(ChangeKind::remove), 1u);
  EXPECT_EQ(result.plan.plan.count(ChangeKind::unchanged), 3u);
  const auto xml = service_.task_xml(kNamespace, "defragment");
  ASSERT_TRUE(xml.has_value());
  EXPECT_NE(xml->find("now on Sundays"), std::string::npos) << *xml;
  EXPECT_FALSE(service_.task_xml(kNamespace, "update-apps").has_value());
  if (running_under_wine()) {
    const auto files = task_files();
    EXPECT_EQ(files.size(), 4u);
    EXPECT_FALSE(files.count("update-apps"));
    EXPECT_NE(files.at("defragment").find("now on Sundays"), std::string::npos);
  }
  EXPECT_FALSE(backend.sync(kNamespace, wanted).plan.plan.has_changes());
}

TEST_F(TaskBackendTest, ATaskEditedInTaskSchedulerIsPutBack) {
  const auto wanted = compile(example_manifest());
  TaskBackend backend(service_, options());
  backend.sync(kNamespace, wanted);
  // As if someone unticked "Enabled" and saved it in Task Scheduler's window.
  std::string xml = *service_.task_xml(kNamespace, "sync-documents");
  const std::string on = "<Enabled>true</Enabled>";
  ASSERT_NE(xml.rfind(on), std::string::npos) << xml;
  xml.replace(xml.rfind(on), on.size(), "<Enabled>false</Enabled>");
  service_.register_task(kNamespace, "sync-documents", xml);
  const SyncResult result = backend.sync(kNamespace, wanted);
  ASSERT_EQ(result.plan.plan.count(ChangeKind::update), 1u) << render_plan(result.plan.plan);
  EXPECT_EQ(result.plan.plan.changes[0].why, "edited by hand; the manifest's version replaces it");
  EXPECT_NE(service_.task_xml(kNamespace, "sync-documents")->find(on), std::string::npos);
}

TEST_F(TaskBackendTest, AFailureMidwayRollsBackToExactlyThePreviousState) {
  Manifest manifest = example_manifest();
  erase(manifest, "backup-settings");
  TaskBackend backend(service_, options());
  backend.sync(kNamespace, compile(manifest));
  const auto before = installed();
  const auto files_before = task_files();
  const auto record_before = read_names_record(names_record(state_dir_, kNamespace));

  // Two updates, the second of which fails (Task Scheduler refuses its XML),
  // then a creation and a removal never reached.
  Manifest next = example_manifest();
  find(next, "sync-documents")->settings.description = "Mirror the documents, changed";
  find(next, "clean-downloads")->settings.description = "Changed too";
  erase(next, "defragment");
  FailingStore failing(service_);
  failing.bad_xml_at_register = 2;
  TaskBackend broken(failing, options());
  const auto plan = broken.plan(kNamespace, compile(next));
  ASSERT_EQ(plan.plan.count(ChangeKind::update), 2u) << render_plan(plan.plan);
  ASSERT_EQ(plan.plan.count(ChangeKind::create), 1u);
  ASSERT_EQ(plan.plan.count(ChangeKind::remove), 1u);
  try {
    broken.apply(plan);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::backend);
    const std::string text = e.what();
    EXPECT_NE(text.find("registering task: \\omnicron\\omnicron-backend-test\\"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("the 2 change(s) this sync had begun were rolled back: "
                        "\\omnicron\\omnicron-backend-test\\ is as it was before"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("while syncing \\omnicron\\omnicron-backend-test\\"), std::string::npos)
        << text;
  }
  EXPECT_EQ(installed(), before);
  if (running_under_wine()) {
    EXPECT_EQ(task_files(), files_before);
  }
  EXPECT_FALSE(backend.plan(kNamespace, compile(manifest)).plan.has_changes());
  // The record may name more (what the failed sync might have left); reading
  // finds only what is there.
  (void)record_before;
}

TEST_F(TaskBackendTest, AFailedFirstSyncLeavesNoFolderBehind) {
  const auto wanted = compile(example_manifest());
  FailingStore failing(service_);
  failing.bad_xml_at_register = 3;
  TaskBackend broken(failing, options());
  EXPECT_THROW(broken.sync(kNamespace, wanted), Error);
  for (const auto& [name, xml] : installed()) EXPECT_FALSE(xml.has_value()) << name;
  EXPECT_FALSE(service_.has_namespace(kNamespace));
  if (running_under_wine()) {
    EXPECT_FALSE(std::filesystem::exists(namespace_dir()));
  }
}

TEST_F(TaskBackendTest, AFailureAfterTheRemovalsPutsTheTasksBack) {
  const auto wanted = compile(example_manifest());
  TaskBackend backend(service_, options());
  backend.sync(kNamespace, wanted);
  const auto before = installed();
  const auto files_before = task_files();

  FailingStore failing(service_);
  failing.fail_folder_deletion = true;
  TaskBackend broken(failing, options());
  try {
    broken.sync(kNamespace, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the 5 change(s) this sync had begun were rolled back"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(installed(), before);
  if (running_under_wine()) {
    EXPECT_EQ(task_files(), files_before);
  }
  EXPECT_FALSE(backend.plan(kNamespace, wanted).plan.has_changes());
}

TEST_F(TaskBackendTest, AnEmptyManifestRemovesTheTasksAndTheFolder) {
  const auto wanted = compile(example_manifest());
  TaskBackend backend(service_, options());
  backend.sync(kNamespace, wanted);
  const SyncResult result = backend.sync(kNamespace, {});
  EXPECT_EQ(result.plan.plan.count(ChangeKind::remove), 5u);
  EXPECT_TRUE(result.folder_removed);
  EXPECT_FALSE(service_.has_namespace(kNamespace));
  EXPECT_FALSE(std::filesystem::exists(names_record(state_dir_, kNamespace)));
  if (running_under_wine()) {
    EXPECT_FALSE(std::filesystem::exists(namespace_dir()));
  }
  EXPECT_FALSE(backend.sync(kNamespace, {}).plan.plan.has_changes());
}

const char* const kVendorTask = R"(<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Source>Vendor</Source>
    <Description>Put here by hand</Description>
  </RegistrationInfo>
  <Triggers />
  <Settings><Enabled>true</Enabled></Settings>
  <Actions Context="Author"><Exec><Command>C:\vendor\tool.exe</Command></Exec></Actions>
</Task>
)";

TEST_F(TaskBackendTest, ATaskOmnicronDidNotRegisterIsLeftAlone) {
  const auto wanted = compile(example_manifest());
  TaskBackend backend(service_, options());
  backend.sync(kNamespace, wanted);
  service_.register_task(kNamespace, "vendor-task", kVendorTask);

  // A job of that name is refused, and nothing changes.
  Manifest manifest = example_manifest();
  find(manifest, "defragment")->name = "vendor-task";
  try {
    backend.sync(kNamespace, compile(manifest));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("\\omnicron\\omnicron-backend-test\\vendor-task (its Source is "
                               "'Vendor')"),
              std::string::npos)
        << e.message();
  }
  EXPECT_NE(service_.task_xml(kNamespace, "vendor-task")->find("Put here by hand"),
            std::string::npos);

  // Emptying the namespace removes omnicron's tasks only; the folder stays.
  const SyncResult result = backend.sync(kNamespace, {});
  EXPECT_EQ(result.plan.plan.count(ChangeKind::remove), 5u);
  EXPECT_FALSE(result.folder_removed);
  EXPECT_TRUE(service_.has_namespace(kNamespace));
  ASSERT_TRUE(service_.task_xml(kNamespace, "vendor-task").has_value());
}

}  // namespace
}  // namespace omnicron::windows
