// A program for runner_e2e.sh to start through `omnicron.exe exec`: it
// reports what it was started with, and behaves as told by its environment,
// so its arguments stay pure data under test.
//
//   PROBE_OUT=FILE     write the report here (UTF-8), else to stdout:
//                      "argc=N", then "argv[i]=..." for each argument, then
//                      "cwd=...", then "env NAME=VALUE" for each name in
//                      PROBE_SHOW (comma-separated; "env NAME unset" when
//                      it is not set)
//   PROBE_PRINT=TEXT   print TEXT and a newline on stdout;
//   PROBE_PRINT_ERR=TEXT  the same on stderr
//   PROBE_COUNT=FILE   add one to the number in FILE (a run counter)
//   PROBE_SUCCEED_AT=N with PROBE_COUNT: exit 1 until the counter reaches N
//   PROBE_CHILD=FILE   start a copy of this program that writes its pid to
//                      FILE, sleeps PROBE_CHILD_SLEEP_MS (default 3000) and
//                      then creates FILE.alive: a process-tree kill must
//                      keep FILE.alive from appearing
//   PROBE_SLEEP_MS=N   sleep N milliseconds before exiting
//   PROBE_EXIT=N       exit with N (default 0)
//
// With PROBE_LAUNCH=PROGRAM and PROBE_LAUNCH_LINE=LINE set, it does nothing
// of the above: it starts PROGRAM with the command line "PROGRAM" LINE, as
// Task Scheduler starts an Exec action's Command with its Arguments, waits
// for it, and exits with its exit code. The line travels in the environment
// because that is passed on exactly, while Wine re-quotes arguments.
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <cwchar>
#include <string>

namespace {

std::string utf8(const std::wstring& text) {
  if (text.empty()) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                                    nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), n,
                      nullptr, nullptr);
  return out;
}

std::wstring variable(const wchar_t* name, bool* set = nullptr) {
  wchar_t buffer[32768];
  const DWORD n = GetEnvironmentVariableW(name, buffer, 32768);
  if (set) *set = n > 0 || GetLastError() != ERROR_ENVVAR_NOT_FOUND;
  return std::wstring(buffer, n);
}

void write_to(HANDLE out, const std::string& text) {
  DWORD wrote = 0;
  WriteFile(out, text.data(), static_cast<DWORD>(text.size()), &wrote, nullptr);
}

void write_file(const std::wstring& path, const std::string& text) {
  HANDLE file = CreateFileW(path.c_str(), GENERIC_WRITE, FILE_SHARE_READ, nullptr, CREATE_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return;
  write_to(file, text);
  CloseHandle(file);
}

std::string read_file(const std::wstring& path) {
  HANDLE file = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE,
                            nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return {};
  char buffer[256];
  DWORD got = 0;
  ReadFile(file, buffer, sizeof buffer, &got, nullptr);
  CloseHandle(file);
  return std::string(buffer, got);
}

// The child of PROBE_CHILD: reports its pid, sleeps, and leaves a mark if
// nobody killed it meanwhile.
int be_child(const std::wstring& mark) {
  write_file(mark, std::to_string(GetCurrentProcessId()) + "\n");
  const std::wstring sleep = variable(L"PROBE_CHILD_SLEEP_MS");
  Sleep(sleep.empty() ? 3000 : static_cast<DWORD>(std::wcstoul(sleep.c_str(), nullptr, 10)));
  write_file(mark + L".alive", "alive\n");
  return 0;
}

int launch(const std::wstring& program, const std::wstring& tail) {
  // Not passed on, or the probe the launched runner starts would launch too.
  SetEnvironmentVariableW(L"PROBE_LAUNCH", nullptr);
  SetEnvironmentVariableW(L"PROBE_LAUNCH_LINE", nullptr);
  std::wstring line = L"\"" + program + L"\" " + tail;
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION process{};
  if (!CreateProcessW(program.c_str(), line.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr,
                      &startup, &process)) {
    return 126;
  }
  CloseHandle(process.hThread);
  WaitForSingleObject(process.hProcess, INFINITE);
  DWORD code = 126;
  GetExitCodeProcess(process.hProcess, &code);
  CloseHandle(process.hProcess);
  return static_cast<int>(code);
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  const std::wstring launch_program = variable(L"PROBE_LAUNCH");
  if (!launch_program.empty()) return launch(launch_program, variable(L"PROBE_LAUNCH_LINE"));
  if (argc == 3 && std::wstring(argv[1]) == L"--be-child") return be_child(argv[2]);

  std::string report = "argc=" + std::to_string(argc) + "\n";
  for (int i = 1; i < argc; ++i) {
    report += "argv[" + std::to_string(i) + "]=" + utf8(argv[i]) + "\n";
  }
  wchar_t cwd[MAX_PATH * 4];
  const DWORD n = GetCurrentDirectoryW(MAX_PATH * 4, cwd);
  report += "cwd=" + utf8(std::wstring(cwd, n)) + "\n";
  std::wstring show = variable(L"PROBE_SHOW");
  while (!show.empty()) {
    const auto comma = show.find(L',');
    const std::wstring name = show.substr(0, comma);
    show = comma == std::wstring::npos ? L"" : show.substr(comma + 1);
    bool set = false;
    const std::wstring value = variable(name.c_str(), &set);
    report += "env " + utf8(name) + (set ? "=" + utf8(value) : std::string(" unset")) + "\n";
  }
  bool has_out = false;
  const std::wstring out = variable(L"PROBE_OUT", &has_out);
  if (has_out) {
    write_file(out, report);
  } else {
    write_to(GetStdHandle(STD_OUTPUT_HANDLE), report);
  }

  bool set = false;
  const std::wstring print = variable(L"PROBE_PRINT", &set);
  if (set) write_to(GetStdHandle(STD_OUTPUT_HANDLE), utf8(print) + "\n");
  const std::wstring print_err = variable(L"PROBE_PRINT_ERR", &set);
  if (set) write_to(GetStdHandle(STD_ERROR_HANDLE), utf8(print_err) + "\n");

  int code = 0;
  const std::wstring exit_text = variable(L"PROBE_EXIT");
  if (!exit_text.empty()) code = static_cast<int>(std::wcstol(exit_text.c_str(), nullptr, 10));
  const std::wstring counter = variable(L"PROBE_COUNT");
  if (!counter.empty()) {
    const int count = std::atoi(read_file(counter).c_str()) + 1;
    write_file(counter, std::to_string(count) + "\n");
    const std::wstring succeed_at = variable(L"PROBE_SUCCEED_AT");
    if (!succeed_at.empty() && count < std::wcstol(succeed_at.c_str(), nullptr, 10)) code = 1;
  }

  const std::wstring child_mark = variable(L"PROBE_CHILD");
  if (!child_mark.empty()) {
    wchar_t self[MAX_PATH * 4];
    GetModuleFileNameW(nullptr, self, MAX_PATH * 4);
    std::wstring line = L"\"" + std::wstring(self) + L"\" --be-child \"" + child_mark + L"\"";
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION process{};
    if (CreateProcessW(self, line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &startup,
                       &process)) {
      CloseHandle(process.hThread);
      CloseHandle(process.hProcess);
    }
  }

  const std::wstring sleep = variable(L"PROBE_SLEEP_MS");
  if (!sleep.empty()) Sleep(static_cast<DWORD>(std::wcstoul(sleep.c_str(), nullptr, 10)));
  return code;
}
