#include "windows/runner_job.h"

#include <windows.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "runner/conditions.h"
#include "runner/history.h"
#include "runner/log_file.h"
#include "runner/run.h"
#include "windows/com.h"
#include "windows/runner_files.h"
#include "windows/runner_process.h"

namespace omnicron::windows {

namespace {

using runner::RunRecord;

runner::Millis now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now());
}

runner::Environment inherited_environment() {
  runner::Environment env;
  wchar_t* block = GetEnvironmentStringsW();
  if (!block) return env;
  for (const wchar_t* entry = block; *entry; entry += wcslen(entry) + 1) {
    const std::string text = to_utf8(entry);
    // The hidden per-drive current folders ("=C:=C:\work") have names that
    // begin with '='; they are passed on as they are, as CreateProcess does.
    const auto eq = text.find('=', 1);
    if (eq == std::string::npos) continue;
    env.emplace_back(text.substr(0, eq), text.substr(eq + 1));
  }
  FreeEnvironmentStringsW(block);
  return env;
}

// Which console event told the runner to stop; 0 when none did (then a
// newer run replacing this one signalled the stop event).
std::atomic<DWORD> console_event{0};

BOOL WINAPI on_console_event(DWORD event) {
  console_event = event + 1;
  SetEvent(stop_event());
  // For a closing console, a logoff or a shutdown Windows ends the runner
  // as soon as this returns; the wait gives it time to stop the job and
  // record the run (it exits from the main thread first).
  if (event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT) {
    Sleep(4000);
  }
  return TRUE;
}

std::string stop_reason() {
  switch (console_event.load()) {
    case 0: return "a newer run replaced it (--overlap replace)";
    case CTRL_C_EVENT + 1: return "the runner got Ctrl+C";
    case CTRL_BREAK_EVENT + 1: return "the runner got Ctrl+Break";
    case CTRL_CLOSE_EVENT + 1: return "the runner's console was closed";
    case CTRL_LOGOFF_EVENT + 1: return "the user logged off";
    default: return "the system is shutting down";
  }
}

// Sleeps for DELAY unless the runner is told to stop first; true when it
// was.
bool sleep_unless_stopped(std::chrono::milliseconds delay) {
  if (HANDLE stop = stop_event()) {
    return WaitForSingleObject(stop, static_cast<DWORD>(delay.count())) == WAIT_OBJECT_0;
  }
  std::this_thread::sleep_for(delay);
  return false;
}

// The runner's Windows side, for runner::perform_run.
class WindowsRun final : public runner::RunSystemWith<RunLock> {
 public:
  runner::Millis now() override { return windows::now(); }

  std::vector<runner::PowerSupply> power_supplies() override {
    return windows::read_power_supplies();
  }
  bool network_is_up() override { return windows::network_is_up(); }
  std::vector<std::chrono::seconds> session_idle_times() override {
    return windows::session_idle_times();
  }

  void make_job_dir(const std::filesystem::path& dir) override { make_dirs(dir); }

  std::chrono::steady_clock::time_point steady_now() override {
    return std::chrono::steady_clock::now();
  }

  std::unique_ptr<runner::Held> replace_lock(const std::filesystem::path& file,
                                             const std::string& /*job*/,
                                             long& stopped) override {
    auto [acquired, pid] = RunLock::replace(file);
    stopped = pid;
    return runner::hold(std::move(acquired));
  }

  void prepare_child(const runner::RunOptions& options) override {
    spec_.env = runner::windows_job_environment(inherited_environment(), options.env);
    spec_.stop_event = stop_event();
    runner::set_command(spec_, options);
  }

  std::unique_ptr<runner::AttemptLog> open_log(const runner::RunOptions& options) override {
    auto log = runner::open_log_file<LogFile>(options);
    spec_.output = log->file().handle();
    return log;
  }

  void find_program(const runner::RunOptions& options) override {
    spec_.program = windows::find_program(options.argv.front(), spec_.env);
  }

  runner::AttemptResult run_attempt() override {
    const ChildResult child = run_child(spec_);
    runner::AttemptResult result = runner::attempt_result(child);
    if (child.stopped) {
      result.stopped = stop_reason();
      // The code Task Scheduler sees for a run that was told to stop, as
      // POSIX's 128 + SIGTERM.
      result.scheduler_exit = 128 + 15;
    } else {
      result.scheduler_exit = child.exit_code.value_or(runner::kRunnerFailedExit);
    }
    return result;
  }

  void append_history(const std::filesystem::path& dir, const RunRecord& record) override {
    windows::append_history(dir, record);
  }

  bool sleep(std::chrono::milliseconds delay) override { return sleep_unless_stopped(delay); }

  void report(const std::string& line) override { std::fprintf(stderr, "%s\n", line.c_str()); }

 private:
  ChildSpec spec_;
};

}  // namespace

int refuse_run(const runner::JobId& job, const std::string& reason,
               const std::filesystem::path& state_root) {
  WindowsRun system;
  return runner::refuse_run(system, job, reason, state_root);
}

int run_job(const runner::RunOptions& options, const std::filesystem::path& state_root) {
  SetConsoleCtrlHandler(on_console_event, TRUE);
  if (options.random_delay && options.random_delay->count() > 0) {
    std::random_device seed;
    std::uniform_int_distribution<std::int64_t> pick(0, options.random_delay->count());
    sleep_unless_stopped(std::chrono::milliseconds(pick(seed)));
  }
  WindowsRun system;
  return runner::perform_run(system, options, state_root);
}

}  // namespace omnicron::windows
