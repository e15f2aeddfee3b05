#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "runner/conditions.h"
#include "runner/history.h"
#include "runner/run_options.h"

namespace omnicron::posix {

// A job's own folder under the state directory: <state>/jobs/<NS>/<NAME>,
// each part through safe_file_name. Holds the overlap lock and the history.
std::filesystem::path job_dir(const std::filesystem::path& state_root, const runner::JobId& job);

// Creates DIR and its missing parents with mode 0700 (the umask cannot widen
// it; existing folders are left as they are).
void make_private_dirs(const std::filesystem::path& dir);

// The per-job overlap lock: an flock(2) on <job dir>/lock, held for the
// runner's life. The kernel drops it when the runner dies however it dies,
// so there is never a stale lock. The holder writes its pid into the file,
// for `replace` to know whom to stop.
class RunLock {
 public:
  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

  // Nothing when another run holds the lock.
  static std::optional<RunLock> try_acquire(const std::filesystem::path& file);
  // Waits for the previous run to end.
  static RunLock acquire(const std::filesystem::path& file);
  // Asks the previous run to stop (SIGTERM to its runner, which stops its
  // program within its grace period) and waits for it to end. Returns the
  // lock and the pid that was asked to stop (0 when none was running).
  // Only a runner of JOB ("NS/NAME") is stopped, never a process that
  // happens to have the pid a dead runner left in the file.
  static std::pair<RunLock, long> replace(const std::filesystem::path& file,
                                          const std::string& job);

 private:
  explicit RunLock(int fd);
  int fd_ = -1;
};

inline constexpr std::size_t kHistoryMaxBytes = 1024 * 1024;

// Appends RECORD to <job dir>/history.jsonl (the folder is made, mode 0700,
// when missing) as one write(2) of one line, under an flock on
// <job dir>/history.lock, so concurrent runs never interleave; past
// MAX_BYTES the file is trimmed to its newest records.
void append_history(const std::filesystem::path& job_dir, const runner::RunRecord& record,
                    std::size_t max_bytes = kHistoryMaxBytes);

// The whole history text; empty when there is none.
std::string read_history(const std::filesystem::path& job_dir);

// A job's log, opened for appending (mode 0600, its folders 0700) and
// rotated first if it has reached MAX_SIZE. The descriptor is close-on-exec;
// the child gets it as its stdout and stderr.
class LogFile {
 public:
  LogFile(const std::filesystem::path& path, std::uint64_t max_size, unsigned keep);
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;
  ~LogFile();

  int fd() const { return fd_; }
  // One write(2) of TEXT, so a banner is never split by the program's output.
  void write(const std::string& text);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// The supplies under DIR (normally /sys/class/power_supply).
std::vector<runner::PowerSupply> read_power_supplies(
    const std::filesystem::path& dir = "/sys/class/power_supply");
// Whether /proc/net/route or /proc/net/ipv6_route has a default route.
bool network_is_up();
// The idle time of every logged-in tty session: now minus the last access
// (input) time of its terminal device, as who(1) and w(1) compute it.
std::vector<std::chrono::seconds> session_idle_times();

}  // namespace omnicron::posix
