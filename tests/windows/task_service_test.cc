// Tests of the Task Scheduler COM layer against the real Task Scheduler: the
// one of Windows, or Wine's (run by ctest in a throw-away prefix, see
// wine.sh). Everything Wine can do is checked for real; what it cannot is in
// kWineCannot below and skipped there, saying why, never faked.

#include "windows/task_service.h"

#include <windows.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "error.h"
#include "manifest/load.h"
#include "tasksched/task_xml.h"
#include "tz/zone.h"
#include "windows/com.h"

namespace omnicron::windows {
namespace {

// Wine's ntdll exports wine_get_version; Windows' does not.
bool running_under_wine() {
  const HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll && GetProcAddress(ntdll, "wine_get_version");
}

// What Wine 8's Task Scheduler does not do (see shared notes, wine-facts.md).
// The checks that need it run on Windows and are skipped under Wine. This is
// the only such list.
enum class WineCannot { keep_triggers_and_actions, enumerate_tasks };

const char* reason(WineCannot gap) {
  switch (gap) {
    case WineCannot::keep_triggers_and_actions:
      return "Wine 8 keeps no triggers and writes an empty <Exec/> for the action";
    case WineCannot::enumerate_tasks:
      return "Wine 8 cannot enumerate a folder's tasks (get_Count, get_Item: E_NOTIMPL)";
  }
  return "";
}

#define SKIP_UNDER_WINE(gap) \
  if (running_under_wine()) GTEST_SKIP() << reason(gap)

constexpr std::string_view kNamespace = "omnicron-com-test";

const char* const kManifest = R"(version: 1
namespace: omnicron-com-test
jobs:
  backup:
    description: DESCRIPTION
    schedule: "30 2 * * *"
    command: ['C:\Windows\System32\cmd.exe', /c, echo, backup]
    timeout: 10m
)";

// The XML omnicron registers for the manifest's job, its description set.
std::string task_xml_for(const std::string& description) {
  std::string text = kManifest;
  text.replace(text.find("DESCRIPTION"), 11, description);
  const LoadResult loaded = load_manifest(text, "com-test.yaml");
  EXPECT_FALSE(loaded.diagnostics.has_errors());
  tasksched::TaskXmlOptions options;
  options.zone = &tz::Zone::utc();
  options.now = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
  Diagnostics diagnostics;
  const auto task = tasksched::compile_task(loaded.manifest, loaded.manifest.jobs.at(0), options,
                                            diagnostics);
  EXPECT_TRUE(task.has_value());
  return task ? tasksched::render_task_xml(*task) : std::string();
}

// The task's file where Task Scheduler keeps it (C:\Windows\System32\Tasks);
// empty when it does not exist.
std::string task_file(std::string_view relative) {
  wchar_t system[MAX_PATH];
  const UINT n = GetSystemDirectoryW(system, MAX_PATH);
  std::wstring path(system, n);
  path += L"\\Tasks\\";
  path += to_utf16(relative);
  std::ifstream in(std::filesystem::path(path), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

bool task_folder_exists(std::string_view relative) {
  wchar_t system[MAX_PATH];
  const UINT n = GetSystemDirectoryW(system, MAX_PATH);
  std::wstring path(system, n);
  path += L"\\Tasks\\";
  path += to_utf16(relative);
  const DWORD attributes = GetFileAttributesW(path.c_str());
  return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY);
}

class TaskServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Whatever an earlier, interrupted run left behind.
    service_.delete_task(kNamespace, "backup");
    service_.delete_task(kNamespace, "report");
    service_.delete_namespace_if_empty(kNamespace);
    ASSERT_FALSE(service_.has_namespace(kNamespace));
  }
  void TearDown() override {
    service_.delete_task(kNamespace, "backup");
    service_.delete_task(kNamespace, "report");
    service_.delete_namespace_if_empty(kNamespace);
  }

  ComApartment apartment_;
  TaskService service_ = TaskService::connect();
};

TEST(ComTest, CheckTurnsAFailureIntoABackendErrorWithTheSystemText) {
  try {
    check(kFileNotFound, "opening task", "\\omnicron\\crm\\backup");
    FAIL() << "no error thrown";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::backend);
    EXPECT_EQ(error.message(), "opening task: \\omnicron\\crm\\backup");
    const std::string text = error.what();
    // The system's own words (Windows: "The system cannot find the file
    // specified."; Wine: "File not found."), then the code.
    const std::string system = hresult_text(kFileNotFound);
    EXPECT_EQ(system.rfind("unknown error", 0), std::string::npos) << system;
    EXPECT_NE(text.find(": " + system), std::string::npos) << text;
    EXPECT_NE(text.find("HRESULT 0x80070002"), std::string::npos) << text;
  }
  EXPECT_EQ(check(S_FALSE, "anything", ""), S_FALSE);
}

TEST(ComTest, NotFoundIsBothFileAndPathNotFound) {
  EXPECT_TRUE(is_not_found(static_cast<HRESULT>(0x80070002)));
  EXPECT_TRUE(is_not_found(static_cast<HRESULT>(0x80070003)));
  EXPECT_FALSE(is_not_found(E_ACCESSDENIED));
  EXPECT_FALSE(is_not_found(kAlreadyExists));
}

TEST(ComTest, BstrAndVariantCarryUtf8BothWays) {
  const std::string text = "Sauvegarde de l\xe2\x80\x99\xc3\xa9t\xc3\xa9 \xe2\x9c\x93";
  Bstr bstr(text);
  EXPECT_EQ(SysStringLen(bstr.get()), 21u);  // all in the BMP
  EXPECT_EQ(bstr.to_utf8(), text);
  Variant variant(text);
  EXPECT_EQ(variant.get().vt, VT_BSTR);
  EXPECT_EQ(Variant().get().vt, VT_EMPTY);
  EXPECT_EQ(Variant(3L).get().lVal, 3);
}

TEST_F(TaskServiceTest, RegistersCreatingTheFolderTreeAndReadsTheTaskBack) {
  service_.register_task(kNamespace, "backup", task_xml_for("Nightly backup"));
  EXPECT_TRUE(service_.has_namespace(kNamespace));
  const auto xml = service_.task_xml(kNamespace, "backup");
  ASSERT_TRUE(xml.has_value());
  EXPECT_NE(xml->find("<Description>Nightly backup</Description>"), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<ExecutionTimeLimit>PT10M</ExecutionTimeLimit>"), std::string::npos)
      << *xml;
}

TEST_F(TaskServiceTest, TheTaskFileIsWrittenUnderTheNamespaceFolder) {
  if (!running_under_wine())
    GTEST_SKIP() << "Windows lets only administrators read C:\\Windows\\System32\\Tasks";
  service_.register_task(kNamespace, "backup", task_xml_for("Nightly backup"));
  EXPECT_TRUE(task_folder_exists("omnicron\\omnicron-com-test"));
  const std::string file = task_file("omnicron\\omnicron-com-test\\backup");
  EXPECT_NE(file.find("<Description>Nightly backup</Description>"), std::string::npos) << file;
}

TEST_F(TaskServiceTest, RegisteringAgainUpdatesTheTask) {
  service_.register_task(kNamespace, "backup", task_xml_for("Nightly backup"));
  service_.register_task(kNamespace, "backup", task_xml_for("Backup, now at night"));
  const auto xml = service_.task_xml(kNamespace, "backup");
  ASSERT_TRUE(xml.has_value());
  EXPECT_NE(xml->find("<Description>Backup, now at night</Description>"), std::string::npos)
      << *xml;
  EXPECT_EQ(xml->find("Nightly backup"), std::string::npos) << *xml;
}

TEST_F(TaskServiceTest, DeletesTheTaskAndThenTheEmptyFolders) {
  service_.register_task(kNamespace, "backup", task_xml_for("Nightly backup"));
  service_.register_task(kNamespace, "report", task_xml_for("Weekly report"));
  EXPECT_TRUE(service_.delete_task(kNamespace, "backup"));
  EXPECT_FALSE(service_.task_xml(kNamespace, "backup").has_value());
  EXPECT_FALSE(service_.delete_task(kNamespace, "backup"));
  // Still holds "report": the folder stays.
  EXPECT_FALSE(service_.delete_namespace_if_empty(kNamespace));
  EXPECT_TRUE(service_.has_namespace(kNamespace));
  EXPECT_TRUE(service_.task_xml(kNamespace, "report").has_value());

  EXPECT_TRUE(service_.delete_task(kNamespace, "report"));
  EXPECT_TRUE(service_.delete_namespace_if_empty(kNamespace));
  EXPECT_FALSE(service_.has_namespace(kNamespace));
  if (running_under_wine()) {
    EXPECT_FALSE(task_folder_exists("omnicron\\omnicron-com-test"));
    EXPECT_FALSE(task_folder_exists("omnicron"));
  }
}

TEST_F(TaskServiceTest, AMissingTaskOrFolderIsNotFound) {
  EXPECT_FALSE(service_.task_xml(kNamespace, "backup").has_value());
  EXPECT_FALSE(service_.delete_task(kNamespace, "backup"));
  EXPECT_TRUE(service_.task_names(kNamespace).empty());
  service_.register_task(kNamespace, "backup", task_xml_for("Nightly backup"));
  EXPECT_FALSE(service_.task_xml(kNamespace, "report").has_value());

  // The codes underneath, straight from COM: a missing task, a missing folder.
  ComPtr<ITaskService> raw;
  ASSERT_EQ(CoCreateInstance(CLSID_TaskScheduler, nullptr, CLSCTX_INPROC_SERVER, IID_ITaskService,
                             raw.put_void()),
            S_OK);
  ASSERT_EQ(raw->Connect(Variant().get(), Variant().get(), Variant().get(), Variant().get()),
            S_OK);
  ComPtr<ITaskFolder> folder;
  ASSERT_EQ(raw->GetFolder(Bstr("\\omnicron\\omnicron-com-test").get(), folder.put()), S_OK);
  ComPtr<IRegisteredTask> task;
  EXPECT_EQ(folder->GetTask(Bstr("report").get(), task.put()), kFileNotFound);
  EXPECT_EQ(folder->DeleteTask(Bstr("report").get(), 0), kFileNotFound);
  ComPtr<ITaskFolder> missing;
  EXPECT_EQ(raw->GetFolder(Bstr("\\omnicron\\no-such-namespace").get(), missing.put()),
            kPathNotFound);
  ComPtr<ITaskFolder> root;
  ASSERT_EQ(raw->GetFolder(Bstr("\\omnicron").get(), root.put()), S_OK);
  EXPECT_EQ(root->DeleteFolder(Bstr("omnicron-com-test").get(), 0), kDirectoryNotEmpty);
  ComPtr<ITaskFolder> again;
  EXPECT_EQ(root->CreateFolder(Bstr("omnicron-com-test").get(), Variant().get(), again.put()),
            kAlreadyExists);
}

TEST_F(TaskServiceTest, AnErrorNamesTheCallTheTaskAndTheSystemReason) {
  // A task name may not end with a space.
  try {
    service_.register_task(kNamespace, "bad ", "<Task/>");
    FAIL() << "no error thrown";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::backend);
    EXPECT_EQ(error.message().rfind("registering task: \\omnicron\\omnicron-com-test\\bad ", 0),
              0u)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("HRESULT 0x8"), std::string::npos) << error.what();
  }
}

TEST_F(TaskServiceTest, TheTriggersAndTheActionAreKept) {
  SKIP_UNDER_WINE(WineCannot::keep_triggers_and_actions);
  service_.register_task(kNamespace, "backup", task_xml_for("Nightly backup"));
  const auto xml = service_.task_xml(kNamespace, "backup");
  ASSERT_TRUE(xml.has_value());
  EXPECT_NE(xml->find("<CalendarTrigger>"), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<Command>C:\\Windows\\System32\\cmd.exe</Command>"), std::string::npos)
      << *xml;
}

TEST_F(TaskServiceTest, ListsTheTasksOfTheNamespace) {
  SKIP_UNDER_WINE(WineCannot::enumerate_tasks);
  service_.register_task(kNamespace, "backup", task_xml_for("Nightly backup"));
  service_.register_task(kNamespace, "report", task_xml_for("Weekly report"));
  auto names = service_.task_names(kNamespace);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"backup", "report"}));
}

}  // namespace
}  // namespace omnicron::windows
