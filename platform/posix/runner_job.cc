#include "posix/runner_job.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "posix/runner_files.h"
#include "posix/runner_process.h"
#include "runner/conditions.h"
#include "runner/history.h"
#include "runner/log_file.h"

extern char** environ;

namespace omnicron::posix {

namespace {

using runner::Outcome;
using runner::RunRecord;

runner::Millis now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now());
}

runner::Environment inherited_environment() {
  runner::Environment env;
  for (char** entry = environ; entry && *entry; ++entry) {
    if (auto pair = runner::parse_env_assignment(*entry)) env.push_back(std::move(*pair));
  }
  return env;
}

// The whole of a small file, through plain read(2) (no iostreams, no
// locale); empty when it cannot be read.
std::string small_file(const char* path) {
  std::string text;
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

runner::UserFacts user_facts(const runner::Environment& env) {
  runner::UserFacts facts;
  const uid_t uid = ::geteuid();
  facts.root = uid == 0;
  // cron already sets HOME and LOGNAME, so on the usual path nothing is
  // looked up at all.
  auto has = [&](const char* name) {
    for (const auto& [k, v] : env) {
      if (k == name && !v.empty()) return true;
    }
    return false;
  };
  if (has("HOME") && (has("USER") || has("LOGNAME"))) {
    for (const auto& [k, v] : env) {
      if (k == "LOGNAME" || (k == "USER" && facts.name.empty())) facts.name = v;
    }
    return facts;
  }
  // Local accounts are read from /etc/passwd directly: getpwuid(3) first
  // tries nscd's socket (twice) and reads nsswitch.conf before reading the
  // same file, about 2% of the runner's time on a short job (perf). Every
  // nsswitch.conf asks "files" first in practice; accounts from elsewhere
  // (LDAP, SSSD, systemd's dynamic users) still come through getpwuid(3).
  if (auto local = runner::find_account(small_file("/etc/passwd"), uid)) return *local;
  if (const passwd* pw = ::getpwuid(uid)) {
    facts.home = pw->pw_dir ? pw->pw_dir : "";
    facts.name = pw->pw_name ? pw->pw_name : "";
  }
  return facts;
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
    return fmt::format("a logged-in session had input in the last {}s (--require-idle)",
                       options.require_idle->count());
  }
  return std::nullopt;
}

class Run {
 public:
  Run(const runner::RunOptions& options, const std::filesystem::path& state_root)
      : options_(options), dir_(job_dir(state_root, options.job)) {}

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
  // one; the operator hears about it on stderr, which cron mails.
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
    // The history makes the folder when it first needs it; the lock file
    // needs it now.
    if (options_.overlap != runner::OverlapPolicy::allow) make_private_dirs(dir_);
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
        auto [acquired, stopped] = RunLock::replace(lock_file, options_.job.text());
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
  const runner::Environment inherited = inherited_environment();
  spec.env = runner::job_environment(inherited, user_facts(inherited), options_.env);
  spec.cwd = options_.cwd;
  spec.timeout = options_.timeout;
  spec.kill_grace = options_.kill_grace;
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
        spec.output_fd = log->fd();
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
    r.signal = result.signal;
    r.reason = overlap_note_;
    if (result.timed_out) {
      r.outcome = Outcome::timed_out;
      r.reason = fmt::format("timed out after {}ms", options_.timeout->count());
      exit_code = runner::kTimedOutExit;
    } else if (result.stopped_by) {
      r.outcome = Outcome::stopped;
      r.reason = fmt::format("the runner got {}", runner::signal_name(*result.stopped_by));
    } else if (result.signal) {
      r.outcome = Outcome::signalled;
    }
    if (!result.timed_out) {
      exit_code = result.exit_code ? *result.exit_code : 128 + result.signal.value_or(0);
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
    if (exit_code == 0 || result.stopped_by) break;
    if (attempt < attempts && options_.retry_delay.count() > 0) {
      std::this_thread::sleep_for(options_.retry_delay);
    }
  }
  return exit_code;
}

}  // namespace

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
    append_history(job_dir(state_root, job), r);
  } catch (const Error& e) {
    std::fprintf(stderr, "omnicron exec: %s: cannot record the run: %s\n", r.job.c_str(),
                 e.what());
  }
  return runner::kRunnerFailedExit;
}

int run_job(const runner::RunOptions& options, const std::filesystem::path& state_root) {
  if (options.random_delay && options.random_delay->count() > 0) {
    std::random_device seed;
    std::uniform_int_distribution<std::int64_t> pick(0, options.random_delay->count());
    std::this_thread::sleep_for(std::chrono::milliseconds(pick(seed)));
  }
  return Run(options, state_root).perform();
}

}  // namespace omnicron::posix
