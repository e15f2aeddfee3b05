#pragma once

// The runner's files and probes on Windows: the job's folder, its history,
// its overlap lock, its log, and what --require-* asks of the machine.

#include <windows.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "error.h"
#include "runner/conditions.h"
#include "runner/history.h"
#include "windows/runner_process.h"

namespace omnicron::windows {

// "ATTEMPTED: OBJECT" with the Win32 error CODE and its system text.
Error os_error(const std::string& attempted, const std::string& object, DWORD code);

// Creates DIR and its missing parents. They inherit the ACL of the folder
// they are made in (the user's own %LOCALAPPDATA% by default), which is as
// private as POSIX's mode 0700.
void make_dirs(const std::filesystem::path& dir);

// This runner's stop event, which its ChildSpec waits on: signalled by
// Ctrl+C and friends and by a newer run replacing this one. Its name holds
// the runner's pid and creation time, which the overlap lock file records,
// so a replacing run can find it and never signals a process that merely
// reuses a dead runner's pid.
HANDLE stop_event();

// The per-job overlap lock: LockFileEx on a byte far past the end of
// <job dir>\lock, held for the runner's life. Windows drops it when the
// runner dies however it dies, so there is never a stale lock. The holder
// writes its pid and creation time at the start of the file (outside the
// locked byte, which Windows would refuse to let anyone read) for `replace`.
class RunLock {
 public:
  RunLock(RunLock&& other) noexcept = default;
  RunLock& operator=(RunLock&& other) noexcept = default;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock() = default;

  // Nothing when another run holds the lock.
  static std::optional<RunLock> try_acquire(const std::filesystem::path& file);
  // Waits for the previous run to end.
  static RunLock acquire(const std::filesystem::path& file);
  // Signals the previous run's stop event (its runner terminates its job
  // object) and waits for it to end. Returns the lock and the pid that was
  // asked to stop (0 when none was running or it could not be found).
  static std::pair<RunLock, long> replace(const std::filesystem::path& file);

 private:
  explicit RunLock(OwnedHandle file);
  OwnedHandle file_;
};

inline constexpr std::size_t kHistoryMaxBytes = 1024 * 1024;

// Appends RECORD to <job dir>\history.jsonl (the folder is made when
// missing) in one WriteFile of one line, under a lock on
// <job dir>\history.lock, so concurrent runs never interleave; past
// MAX_BYTES the file is trimmed to its newest records.
void append_history(const std::filesystem::path& job_dir, const runner::RunRecord& record,
                    std::size_t max_bytes = kHistoryMaxBytes);

// The whole history text; empty when there is none.
std::string read_history(const std::filesystem::path& job_dir);

// A job's log, opened for appending (its folders made) and rotated first if
// it has reached MAX_SIZE. The handle is inheritable: the child gets it as
// its stdout and stderr, and both write at the end of the file.
class LogFile {
 public:
  LogFile(const std::filesystem::path& path, std::uint64_t max_size, unsigned keep);
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  HANDLE handle() const { return file_.get(); }
  // One WriteFile of TEXT, so a banner is never split by the program's output.
  void write(const std::string& text);

 private:
  std::filesystem::path path_;
  OwnedHandle file_;
};

// The machine's power as GetSystemPowerStatus reports it, in the words
// runner::on_ac_power reads.
std::vector<runner::PowerSupply> read_power_supplies();
// Whether the IP routing table (GetIpForwardTable2, IPv4 and IPv6) has a
// default route: a route whose destination prefix has length 0.
bool network_is_up();
// The idle time of this runner's session (GetLastInputInfo): Windows
// reports input for the session a process runs in only, so a task that
// runs whether the user is logged on or not (session 0) sees no input.
std::vector<std::chrono::seconds> session_idle_times();

}  // namespace omnicron::windows
