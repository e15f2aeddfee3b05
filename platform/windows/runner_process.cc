#include "windows/runner_process.h"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "tasksched/command_line.h"
#include "windows/com.h"

namespace omnicron::windows {

namespace {

StartError start_error(const std::string& what, DWORD code) {
  StartError e(ErrorKind::io, what);
  e.with_native(static_cast<long long>(code), system_message(code));
  return e;
}

bool is_file(const std::wstring& path) {
  const DWORD attributes = GetFileAttributesW(path.c_str());
  return attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

// How many processes are still in JOB; 0 when Windows cannot say.
DWORD processes_in(HANDLE job) {
  JOBOBJECT_BASIC_ACCOUNTING_INFORMATION info{};
  if (!QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &info, sizeof info,
                                 nullptr)) {
    return 0;
  }
  return info.ActiveProcesses;
}

DWORD milliseconds_until(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return 0;
  // INFINITE is 0xFFFFFFFF; anything longer than 49 days waits again.
  return static_cast<DWORD>(std::min<long long>(left.count(), 0x7FFFFFFF));
}

}  // namespace

std::string system_message(DWORD code) {
  wchar_t* buffer = nullptr;
  const DWORD n = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
  std::wstring text(buffer ? buffer : L"", n);
  if (buffer) LocalFree(buffer);
  while (!text.empty() && (text.back() == L'\n' || text.back() == L'\r' || text.back() == L' ')) {
    text.pop_back();
  }
  return text.empty() ? fmt::format("Windows error {}", code) : to_utf8(text);
}

std::string find_program(const std::string& program, const runner::Environment& env) {
  const std::string path = runner::windows_variable(env, "PATH");
  for (const auto& candidate : runner::windows_program_candidates(program, path)) {
    if (is_file(to_utf16(candidate))) return candidate;
  }
  if (program.find_first_of("\\/:") != std::string::npos) return program;
  throw StartError(ErrorKind::io,
                   fmt::format("cannot start '{}': not found in PATH ({})", program, path));
}

std::wstring command_line(const std::string& program, const std::vector<std::string>& args) {
  std::wstring line = L"\"" + to_utf16(program) + L"\"";
  for (const auto& arg : args) {
    line += L' ';
    line += to_utf16(tasksched::quote_windows_argument(arg));
  }
  return line;
}

std::wstring environment_block(const runner::Environment& env) {
  std::wstring block;
  for (const auto& [name, value] : env) {
    block += to_utf16(name + "=" + value);
    block += L'\0';
  }
  // An empty block still needs its two terminating NULs.
  if (block.empty()) block += L'\0';
  block += L'\0';
  return block;
}

ChildResult run_child(const ChildSpec& spec) {
  // Checked first, because CreateProcessW reports a bad working directory
  // as ERROR_DIRECTORY without saying which directory it means.
  std::wstring cwd;
  if (spec.cwd) {
    cwd = to_utf16(*spec.cwd);
    const DWORD attributes = GetFileAttributesW(cwd.c_str());
    if (attributes == INVALID_FILE_ATTRIBUTES) {
      throw start_error(fmt::format("cannot use working directory '{}'", *spec.cwd),
                        GetLastError());
    }
    if (!(attributes & FILE_ATTRIBUTE_DIRECTORY)) {
      throw start_error(fmt::format("cannot use working directory '{}'", *spec.cwd),
                        ERROR_DIRECTORY);
    }
  }

  OwnedHandle job(CreateJobObjectW(nullptr, nullptr));
  if (!job) {
    throw start_error(fmt::format("cannot start '{}': creating its job object", spec.program),
                      GetLastError());
  }
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits,
                               sizeof limits)) {
    throw start_error(fmt::format("cannot start '{}': setting up its job object", spec.program),
                      GetLastError());
  }

  const std::wstring application = to_utf16(spec.program);
  // CreateProcessW may write into the command line, so it gets a copy of
  // its own.
  std::wstring line = command_line(spec.program, spec.args);
  std::wstring env = environment_block(spec.env);
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  if (spec.output) {
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = spec.output;
    startup.hStdError = spec.output;
  }
  PROCESS_INFORMATION process{};
  // Suspended until it is in the job, so not even its first child can
  // escape the job. Only inheritable handles are inherited: the log's, and
  // the runner's own standard handles; every file the runner opens itself
  // is not.
  if (!CreateProcessW(application.c_str(), line.data(), nullptr, nullptr, TRUE,
                      CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT, env.data(),
                      spec.cwd ? cwd.c_str() : nullptr, &startup, &process)) {
    throw start_error(fmt::format("cannot start '{}'", spec.program), GetLastError());
  }
  OwnedHandle child(process.hProcess);
  OwnedHandle thread(process.hThread);
  if (!AssignProcessToJobObject(job.get(), child.get())) {
    const DWORD error = GetLastError();
    TerminateProcess(child.get(), runner::kRunnerFailedExit);
    throw start_error(fmt::format("cannot start '{}': putting it in a job object", spec.program),
                      error);
  }
  ResumeThread(thread.get());
  thread.reset();

  ChildResult result;
  result.pid = static_cast<long>(process.dwProcessId);

  HANDLE waits[2] = {child.get(), spec.stop_event};
  const DWORD count = spec.stop_event ? 2 : 1;
  const auto deadline = spec.timeout ? std::chrono::steady_clock::now() + *spec.timeout
                                     : std::chrono::steady_clock::time_point::max();
  for (;;) {
    const DWORD wait = WaitForMultipleObjects(
        count, waits, FALSE, spec.timeout ? milliseconds_until(deadline) : INFINITE);
    if (wait == WAIT_OBJECT_0) break;
    if (wait == WAIT_OBJECT_0 + 1) {
      result.stopped = true;
      break;
    }
    if (wait == WAIT_TIMEOUT) {
      if (std::chrono::steady_clock::now() < deadline) continue;
      result.timed_out = true;
      break;
    }
    // WAIT_FAILED: nothing sensible is left to wait for; the job goes.
    result.stopped = true;
    break;
  }

  if (result.timed_out || result.stopped) {
    TerminateJobObject(job.get(), static_cast<UINT>(runner::kTimedOutExit));
    WaitForSingleObject(child.get(), 5000);
    // TerminateJobObject returns before every process in the job is gone;
    // the runner waits (briefly) so that whoever waits for the runner never
    // sees a member of a stopped job still running.
    const auto gone_by = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (processes_in(job.get()) > 0 && std::chrono::steady_clock::now() < gone_by) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  } else {
    // The program ended by itself: what it started and left running is
    // left running (a daemon it launched), so the job stops killing on
    // close before the runner closes it.
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION none{};
    SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &none, sizeof none);
    DWORD code = 0;
    if (GetExitCodeProcess(child.get(), &code)) result.exit_code = static_cast<int>(code);
  }
  return result;
}

}  // namespace omnicron::windows
