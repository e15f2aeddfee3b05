#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "file_path.h"
#include "runner/conditions.h"
#include "runner/history.h"
#include "runner/run_options.h"

namespace omnicron::runner {

// Something the OS layer holds for the caller until it is destroyed: the
// overlap lock.
class Held {
 public:
  virtual ~Held() = default;
};

// LOCK (an OS layer's RunLock), held until the result is destroyed.
template <typename Lock>
std::unique_ptr<Held> hold(Lock lock) {
  struct Holder final : Held {
    explicit Holder(Lock held) : lock(std::move(held)) {}
    Lock lock;
  };
  return std::make_unique<Holder>(std::move(lock));
}

// Nothing when there is no lock: another run holds it.
template <typename Lock>
std::unique_ptr<Held> hold(std::optional<Lock> lock) {
  if (!lock) return nullptr;
  return hold(std::move(*lock));
}

// The log of one attempt, open until it is destroyed.
class AttemptLog {
 public:
  virtual ~AttemptLog() = default;
  // Writes TEXT in one piece, so a banner is never split by the program's
  // output.
  virtual void write(const std::string& text) = 0;
};

// An OS layer's LogFile as an AttemptLog; file() gives the OS layer its
// native handle back, for the child's output.
template <typename File>
class AttemptLogFile final : public AttemptLog {
 public:
  template <typename... Args>
  explicit AttemptLogFile(Args&&... args) : file_(std::forward<Args>(args)...) {}

  const File& file() const { return file_; }
  void write(const std::string& text) override { file_.write(text); }

 private:
  File file_;
};

// How one attempt of the program ended, as the OS layer saw it.
struct AttemptResult {
  long pid = 0;
  std::optional<int> exit_code;  // the program's own, when it exited
  std::optional<int> signal;     // the signal that ended it (POSIX only)
  bool timed_out = false;        // the runner stopped it after the timeout
  // Why the runner was told to stop the program; a run told to stop is not
  // retried.
  std::optional<std::string> stopped;
  // The code the scheduler gets when the attempt did not time out; each OS
  // has its own convention for a signal or a stop.
  int scheduler_exit = 0;
};

// What a run needs from the operating system. platform/posix and
// platform/windows each implement it; perform_run holds the order of things,
// so that both runners behave the same.
class RunSystem {
 public:
  virtual ~RunSystem() = default;

  virtual Millis now() = 0;
  // The machine's state, asked only for a condition the run requires: its
  // power supplies (--require-ac-power), whether it has a default route
  // (--require-network), and how long each logged-in session has had no
  // input (--require-idle).
  virtual std::vector<PowerSupply> power_supplies() = 0;
  virtual bool network_is_up() = 0;
  virtual std::vector<std::chrono::seconds> session_idle_times() = 0;
  // Makes the job's folder, which the lock file needs.
  virtual void make_job_dir(const std::filesystem::path& dir) = 0;
  // A monotonic clock, for the time spent waiting for the overlap lock.
  virtual std::chrono::steady_clock::time_point steady_now() = 0;
  // Nothing when another run holds the lock.
  virtual std::unique_ptr<Held> try_lock(const std::filesystem::path& file) = 0;
  // Waits for the previous run to end.
  virtual std::unique_ptr<Held> lock(const std::filesystem::path& file) = 0;
  // Stops the previous run of JOB and takes its lock; STOPPED is the pid
  // that was asked to stop, 0 when none was running.
  virtual std::unique_ptr<Held> replace_lock(const std::filesystem::path& file,
                                             const std::string& job, long& stopped) = 0;
  // Gathers what every attempt shares (the job's environment), once the
  // lock is held.
  virtual void prepare_child(const RunOptions& options) = 0;
  // Opens (and rotates) the job's log; the next attempt's output goes there.
  virtual std::unique_ptr<AttemptLog> open_log(const RunOptions& options) = 0;
  // Looks the program up in the job's own PATH; throws Error when it is
  // nowhere.
  virtual void find_program(const RunOptions& options) = 0;
  // Runs the program once and waits for it (with the timeout). Throws Error
  // when it cannot be started.
  virtual AttemptResult run_attempt() = 0;
  // Appends RECORD to the job's history; throws Error when it cannot.
  virtual void append_history(const std::filesystem::path& dir, const RunRecord& record) = 0;
  // Sleeps for DELAY; true when the runner was told to stop meanwhile.
  virtual bool sleep(std::chrono::milliseconds delay) = 0;
  // LINE (without its newline) on the runner's stderr.
  virtual void report(const std::string& line) = 0;
};

// The log an OS layer opens (and rotates) for an attempt, as OPTIONS say.
template <typename File>
std::unique_ptr<AttemptLogFile<File>> open_log_file(const RunOptions& options) {
  // The path is UTF-8 text (file_path.h says why that matters on Windows).
  return std::make_unique<AttemptLogFile<File>>(file_path(*options.log), options.log_max_size,
                                                options.log_keep);
}

// Fills in the parts of an OS layer's ChildSpec that come straight from
// OPTIONS: the arguments after the program, the folder and the timeout.
template <typename Spec>
void set_command(Spec& spec, const RunOptions& options) {
  spec.args.assign(options.argv.begin() + 1, options.argv.end());
  spec.cwd = options.cwd;
  spec.timeout = options.timeout;
}

// What every OS layer's ChildResult says alike, as an AttemptResult.
template <typename Child>
AttemptResult attempt_result(const Child& child) {
  AttemptResult result;
  result.pid = child.pid;
  result.exit_code = child.exit_code;
  result.timed_out = child.timed_out;
  return result;
}

// The lock half of a RunSystem for an OS layer whose RunLock has
// try_acquire(file) and acquire(file); only replacing a run differs by OS.
template <typename Lock>
class RunSystemWith : public RunSystem {
 public:
  std::unique_ptr<Held> try_lock(const std::filesystem::path& file) final {
    return hold(Lock::try_acquire(file));
  }
  std::unique_ptr<Held> lock(const std::filesystem::path& file) final {
    return hold(Lock::acquire(file));
  }
};

// One run of a job after the random delay: the conditions, the overlap lock,
// then up to 1 + retries attempts, each with its log banners and its history
// record. Returns the exit code for the scheduler (see run_options.h).
int perform_run(RunSystem& system, const RunOptions& options,
                const std::filesystem::path& state_root);

// Records a run of JOB that could not even begin (its command line was
// wrong) and reports REASON; returns kRunnerFailedExit.
int refuse_run(RunSystem& system, const JobId& job, const std::string& reason,
               const std::filesystem::path& state_root);

}  // namespace omnicron::runner
