#include "windows/runner_job.h"

#include <windows.h>

#include <shellapi.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "runner/conditions.h"
#include "runner/history.h"
#include "runner/job_dir.h"
#include "runner/log_file.h"
#include "windows/com.h"
#include "windows/runner_files.h"
#include "windows/runner_process.h"

namespace omnicron::windows {

namespace {

using runner::Outcome;
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

// Why the run should not happen now, or nothing when every condition holds.
std::optional<std::string> unmet_condition(const runner::RunOptions& options) {
  if (options.require_ac_power && !runner::on_ac_power(read_power_supplies())) {
    return "the machine is on battery (--require-ac-power)";
  }
  if (options.require_network && !network_is_up()) {
    return "there is no default route (--require-network)";
  }
  if (options.require_idle &&
      !runner::is_idle(session_idle_times(), *options.require_idle)) {
    return fmt::format("the session had input in the last {}s (--require-idle)",
                       options.require_idle->count());
  }
  return std::nullopt;
}

class Run {
 public:
  Run(const runner::RunOptions& options, const std::filesystem::path& state_root)
      : options_(options), dir_(runner::job_dir(state_root, options.job)) {}

  int perform();

 private:
  RunRecord record(Outcome outcome, runner::Millis start) const {
    RunRecord r;
    r.job = options_.job.text();
    r.outcome = outcome;
    r.start = start;
    r.end = now();
    r.attempts = options_.retries + 1;
    r.log = options_.log;
    r.queued = queued_;
    return r;
  }

  // A history that cannot be written must not turn a good run into a failed
  // one; the operator hears about it on stderr.
  void save(const RunRecord& r) {
    try {
      append_history(dir_, r);
    } catch (const Error& e) {
      std::fprintf(stderr, "omnicron exec: %s: cannot record the run: %s\n", r.job.c_str(),
                   e.what());
    }
  }

  int runner_failed(const Error& e, runner::Millis start, unsigned attempt, LogFile* log) {
    std::fprintf(stderr, "omnicron exec: %s: %s\n", options_.job.text().c_str(), e.what());
    RunRecord r = record(Outcome::failed_to_start, start);
    r.attempt = attempt;
    r.reason = e.what();
    if (log) {
      try {
        log->write(runner::end_banner(r));
      } catch (const Error&) {
        // The failure is already on stderr and in the history.
      }
    }
    save(r);
    return runner::kRunnerFailedExit;
  }

  const runner::RunOptions& options_;
  std::filesystem::path dir_;
  std::chrono::milliseconds queued_{0};
  std::string overlap_note_;
};

int Run::perform() {
  const auto start = now();
  if (auto reason = unmet_condition(options_)) {
    RunRecord r = record(Outcome::skipped, start);
    r.reason = *reason;
    save(r);
    return 0;
  }

  std::optional<RunLock> lock;
  try {
    if (options_.overlap != runner::OverlapPolicy::allow) make_dirs(dir_);
    const auto lock_file = dir_ / "lock";
    const auto waited_from = std::chrono::steady_clock::now();
    switch (options_.overlap) {
      case runner::OverlapPolicy::allow:
        break;
      case runner::OverlapPolicy::skip:
        lock = RunLock::try_acquire(lock_file);
        if (!lock) {
          RunRecord r = record(Outcome::skipped, start);
          r.reason = "the previous run is still going (--overlap skip)";
          save(r);
          return 0;
        }
        break;
      case runner::OverlapPolicy::queue:
        lock.emplace(RunLock::acquire(lock_file));
        break;
      case runner::OverlapPolicy::replace: {
        auto [acquired, stopped] = RunLock::replace(lock_file);
        lock.emplace(std::move(acquired));
        if (stopped != 0) overlap_note_ = fmt::format("replaced the run of pid {}", stopped);
        break;
      }
    }
    queued_ = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - waited_from);
    if (queued_ < std::chrono::milliseconds(5)) queued_ = {};
  } catch (const Error& e) {
    return runner_failed(e, start, 1, nullptr);
  }

  ChildSpec spec;
  spec.env = runner::windows_job_environment(inherited_environment(), options_.env);
  spec.cwd = options_.cwd;
  spec.timeout = options_.timeout;
  spec.stop_event = stop_event();
  spec.args.assign(options_.argv.begin() + 1, options_.argv.end());

  int exit_code = 0;
  const unsigned attempts = options_.retries + 1;
  for (unsigned attempt = 1; attempt <= attempts; ++attempt) {
    const auto attempt_start = now();
    std::unique_ptr<LogFile> log;
    ChildResult result;
    try {
      if (options_.log) {
        log = std::make_unique<LogFile>(*options_.log, options_.log_max_size, options_.log_keep);
        spec.output = log->handle();
        RunRecord started = record(Outcome::exited, attempt_start);
        started.attempt = attempt;
        log->write(runner::start_banner(started, options_.argv));
      }
      // Looked up in the job's own PATH, before each attempt, so a program
      // that appears between retries is found.
      spec.program = find_program(options_.argv.front(), spec.env);
      result = run_child(spec);
    } catch (const Error& e) {
      return runner_failed(e, attempt_start, attempt, log.get());
    }

    RunRecord r = record(Outcome::exited, attempt_start);
    r.attempt = attempt;
    r.pid = result.pid;
    r.exit_code = result.exit_code;
    r.reason = overlap_note_;
    if (result.timed_out) {
      r.outcome = Outcome::timed_out;
      r.reason = fmt::format("timed out after {}ms", options_.timeout->count());
      exit_code = runner::kTimedOutExit;
    } else if (result.stopped) {
      r.outcome = Outcome::stopped;
      r.reason = stop_reason();
      // The code Task Scheduler sees for a run that was told to stop, as
      // POSIX's 128 + SIGTERM.
      exit_code = 128 + 15;
    } else {
      exit_code = result.exit_code.value_or(runner::kRunnerFailedExit);
    }
    if (log) {
      try {
        log->write(runner::end_banner(r));
      } catch (const Error& e) {
        std::fprintf(stderr, "omnicron exec: %s: %s\n", r.job.c_str(), e.what());
      }
    }
    save(r);
    // A run told to stop is not retried: whoever stopped it wants it gone.
    if (exit_code == 0 || result.stopped) break;
    if (attempt < attempts && options_.retry_delay.count() > 0) {
      if (sleep_unless_stopped(options_.retry_delay)) break;
    }
  }
  return exit_code;
}

}  // namespace

std::vector<std::string> command_line_arguments() {
  std::vector<std::string> words;
  int count = 0;
  wchar_t** argv = CommandLineToArgvW(GetCommandLineW(), &count);
  if (!argv) return words;
  for (int i = 0; i < count; ++i) words.push_back(to_utf8(argv[i]));
  LocalFree(argv);
  return words;
}

int refuse_run(const runner::JobId& job, const std::string& reason,
               const std::filesystem::path& state_root) {
  std::fprintf(stderr, "omnicron exec: %s: %s\n", job.text().c_str(), reason.c_str());
  RunRecord r;
  r.job = job.text();
  r.outcome = Outcome::failed_to_start;
  r.start = now();
  r.end = r.start;
  r.reason = reason;
  try {
    append_history(runner::job_dir(state_root, job), r);
  } catch (const Error& e) {
    std::fprintf(stderr, "omnicron exec: %s: cannot record the run: %s\n", r.job.c_str(),
                 e.what());
  }
  return runner::kRunnerFailedExit;
}

int run_job(const runner::RunOptions& options, const std::filesystem::path& state_root) {
  SetConsoleCtrlHandler(on_console_event, TRUE);
  if (options.random_delay && options.random_delay->count() > 0) {
    std::random_device seed;
    std::uniform_int_distribution<std::int64_t> pick(0, options.random_delay->count());
    sleep_unless_stopped(std::chrono::milliseconds(pick(seed)));
  }
  return Run(options, state_root).perform();
}

}  // namespace omnicron::windows
