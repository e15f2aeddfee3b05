#include "runner/run.h"

#include <fmt/format.h>

#include "error.h"
#include "runner/job_dir.h"
#include "runner/log_file.h"

namespace omnicron::runner {

namespace {

// Why the run should not happen now, or nothing when every condition holds.
std::optional<std::string> unmet_condition(RunSystem& system, const RunOptions& options) {
  if (options.require_ac_power && !on_ac_power(system.power_supplies())) {
    return "the machine is on battery (--require-ac-power)";
  }
  if (options.require_network && !system.network_is_up()) {
    return "there is no default route (--require-network)";
  }
  if (options.require_idle && !is_idle(system.session_idle_times(), *options.require_idle)) {
    return fmt::format("a logged-in session had input in the last {}s (--require-idle)",
                       options.require_idle->count());
  }
  return std::nullopt;
}

class Run {
 public:
  Run(RunSystem& system, const RunOptions& options, const std::filesystem::path& state_root)
      : system_(system), options_(options), dir_(job_dir(state_root, options.job)) {}

  int perform();

 private:
  RunRecord record(Outcome outcome, Millis start) const {
    RunRecord r;
    r.job = options_.job.text();
    r.outcome = outcome;
    r.start = start;
    r.end = system_.now();
    r.attempts = options_.retries + 1;
    r.log = options_.log;
    r.queued = queued_;
    return r;
  }

  // A history that cannot be written must not turn a good run into a failed
  // one; the operator hears about it on stderr (which cron mails).
  void save(const RunRecord& r) {
    try {
      system_.append_history(dir_, r);
    } catch (const Error& e) {
      system_.report(
          fmt::format("omnicron exec: {}: cannot record the run: {}", r.job.c_str(), e.what()));
    }
  }

  int runner_failed(const Error& e, Millis start, unsigned attempt, AttemptLog* log) {
    system_.report(fmt::format("omnicron exec: {}: {}", options_.job.text().c_str(), e.what()));
    RunRecord r = record(Outcome::failed_to_start, start);
    r.attempt = attempt;
    r.reason = e.what();
    if (log) {
      try {
        log->write(end_banner(r));
      } catch (const Error&) {
        // The failure is already on stderr and in the history.
      }
    }
    save(r);
    return kRunnerFailedExit;
  }

  RunSystem& system_;
  const RunOptions& options_;
  std::filesystem::path dir_;
  std::chrono::milliseconds queued_{0};
  std::string overlap_note_;
};

int Run::perform() {
  const auto start = system_.now();
  if (auto reason = unmet_condition(system_, options_)) {
    RunRecord r = record(Outcome::skipped, start);
    r.reason = *reason;
    save(r);
    return 0;
  }

  std::unique_ptr<Held> lock;
  try {
    // The history makes the folder when it first needs it; the lock file
    // needs it now.
    if (options_.overlap != OverlapPolicy::allow) system_.make_job_dir(dir_);
    const auto lock_file = dir_ / "lock";
    const auto waited_from = system_.steady_now();
    switch (options_.overlap) {
      case OverlapPolicy::allow:
        break;
      case OverlapPolicy::skip:
        lock = system_.try_lock(lock_file);
        if (!lock) {
          RunRecord r = record(Outcome::skipped, start);
          r.reason = "the previous run is still going (--overlap skip)";
          save(r);
          return 0;
        }
        break;
      case OverlapPolicy::queue:
        lock = system_.lock(lock_file);
        break;
      case OverlapPolicy::replace: {
        long stopped = 0;
        lock = system_.replace_lock(lock_file, options_.job.text(), stopped);
        if (stopped != 0) overlap_note_ = fmt::format("replaced the run of pid {}", stopped);
        break;
      }
    }
    queued_ = std::chrono::duration_cast<std::chrono::milliseconds>(system_.steady_now() -
                                                                    waited_from);
    if (queued_ < std::chrono::milliseconds(5)) queued_ = {};
  } catch (const Error& e) {
    return runner_failed(e, start, 1, nullptr);
  }

  system_.prepare_child(options_);

  int exit_code = 0;
  const unsigned attempts = options_.retries + 1;
  for (unsigned attempt = 1; attempt <= attempts; ++attempt) {
    const auto attempt_start = system_.now();
    std::unique_ptr<AttemptLog> log;
    AttemptResult result;
    try {
      if (options_.log) {
        log = system_.open_log(options_);
        RunRecord started = record(Outcome::exited, attempt_start);
        started.attempt = attempt;
        log->write(start_banner(started, options_.argv));
      }
      // Looked up in the job's own PATH, before each attempt, so a program
      // that appears between retries is found.
      system_.find_program(options_);
      result = system_.run_attempt();
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
      exit_code = kTimedOutExit;
    } else if (result.stopped) {
      r.outcome = Outcome::stopped;
      r.reason = *result.stopped;
    } else if (result.signal) {
      r.outcome = Outcome::signalled;
    }
    if (!result.timed_out) exit_code = result.scheduler_exit;
    if (log) {
      try {
        log->write(end_banner(r));
      } catch (const Error& e) {
        system_.report(fmt::format("omnicron exec: {}: {}", r.job.c_str(), e.what()));
      }
    }
    save(r);
    // A run told to stop is not retried: whoever stopped it wants it gone.
    if (exit_code == 0 || result.stopped) break;
    if (attempt < attempts && options_.retry_delay.count() > 0) {
      if (system_.sleep(options_.retry_delay)) break;
    }
  }
  return exit_code;
}

}  // namespace

int perform_run(RunSystem& system, const RunOptions& options,
                const std::filesystem::path& state_root) {
  return Run(system, options, state_root).perform();
}

int refuse_run(RunSystem& system, const JobId& job, const std::string& reason,
               const std::filesystem::path& state_root) {
  system.report(fmt::format("omnicron exec: {}: {}", job.text().c_str(), reason.c_str()));
  RunRecord r;
  r.job = job.text();
  r.outcome = Outcome::failed_to_start;
  r.start = system.now();
  r.end = r.start;
  r.reason = reason;
  try {
    system.append_history(job_dir(state_root, job), r);
  } catch (const Error& e) {
    system.report(
        fmt::format("omnicron exec: {}: cannot record the run: {}", r.job.c_str(), e.what()));
  }
  return kRunnerFailedExit;
}

}  // namespace omnicron::runner
