#include "posix/runner_files.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmpx.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "posix/os_error.h"
#include "posix/state_dir.h"
#include "runner/job_dir.h"
#include "runner/log_file.h"

namespace omnicron::posix {

namespace {

int open_or_throw(const std::filesystem::path& path, int flags, const char* attempted) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw os_error(attempted, path.string(), errno);
  return fd;
}

void lock_or_throw(int fd, int operation, const std::filesystem::path& path) {
  while (::flock(fd, operation) != 0) {
    if (errno == EINTR) continue;
    throw os_error("locking", path.string(), errno);
  }
}

void write_all(int fd, const std::string& text, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw os_error("writing", path.string(), errno);
    }
    done += static_cast<std::size_t>(n);
  }
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Whether FD still is the file at PATH: a writer that waited for a lock
// while another rotated or trimmed the file holds the old, renamed one.
bool same_file(int fd, const std::filesystem::path& path) {
  struct stat by_fd {};
  struct stat by_path {};
  if (::fstat(fd, &by_fd) != 0 || ::stat(path.c_str(), &by_path) != 0) return false;
  return by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino;
}

}  // namespace

std::filesystem::path job_dir(const std::filesystem::path& state_root, const runner::JobId& job) {
  return runner::job_dir(state_root, job);
}

void make_private_dirs(const std::filesystem::path& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return;
  make_private_dirs(dir.parent_path());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    throw os_error("creating the folder", dir.string(), errno);
  }
}

RunLock::RunLock(int fd) : fd_(fd) {
  // The pid is for `replace`; a reader only trusts it while the lock is held.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] ssize_t n = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<RunLock> RunLock::try_acquire(const std::filesystem::path& file) {
  const int fd = open_or_throw(file, O_RDWR | O_CREAT, "opening the job's lock file");
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return std::nullopt;
    throw os_error("locking the job's lock file", file.string(), err);
  }
  return RunLock(fd);
}

RunLock RunLock::acquire(const std::filesystem::path& file) {
  const int fd = open_or_throw(file, O_RDWR | O_CREAT, "opening the job's lock file");
  try {
    lock_or_throw(fd, LOCK_EX, file);
  } catch (...) {
    ::close(fd);
    throw;
  }
  return RunLock(fd);
}

std::pair<RunLock, long> RunLock::replace(const std::filesystem::path& file,
                                          const std::string& job) {
  if (auto lock = try_acquire(file)) return {std::move(*lock), 0};
  long pid = 0;
  std::istringstream(read_text(file)) >> pid;
  // The pid in the file may be stale: the holder may not have written its
  // own yet, and a runner killed with SIGKILL never clears it, so the number
  // may belong to an unrelated process by now. Only a process whose command
  // line names this job is asked to stop; otherwise this run simply waits.
  const std::string cmdline = read_text("/proc/" + std::to_string(pid) + "/cmdline");
  const std::string marker = std::string("\0--job\0", 7) + job + std::string(1, '\0');
  if (pid > 1 && pid != ::getpid() && cmdline.find(marker) != std::string::npos) {
    ::kill(static_cast<pid_t>(pid), SIGTERM);
  } else {
    pid = 0;
  }
  return {acquire(file), pid};
}

void append_history(const std::filesystem::path& dir, const runner::RunRecord& record,
                    std::size_t max_bytes) {
  const std::string line = runner::to_json_line(record);
  const auto lock_path = dir / "history.lock";
  const auto path = dir / "history.jsonl";
  // The job's folder exists on every run but its first, so it is only made
  // when opening the lock says it is missing.
  int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) {
    if (errno == ENOENT) make_private_dirs(dir);
    lock = open_or_throw(lock_path, O_RDWR | O_CREAT, "opening the history lock");
  }
  try {
    lock_or_throw(lock, LOCK_EX, lock_path);
    int fd = open_or_throw(path, O_WRONLY | O_APPEND | O_CREAT, "opening the history");
    struct stat st {};
    if (::fstat(fd, &st) == 0 &&
        static_cast<std::size_t>(st.st_size) + line.size() > max_bytes) {
      // Trimmed into a new file renamed over the old one, so a reader never
      // sees half a history.
      ::close(fd);
      const std::string text = read_text(path);
      const auto tmp = dir / "history.jsonl.tmp";
      const int out = open_or_throw(tmp, O_WRONLY | O_CREAT | O_TRUNC, "trimming the history");
      try {
        write_all(out, std::string(runner::trimmed_history(text, max_bytes)), tmp);
      } catch (...) {
        ::close(out);
        throw;
      }
      ::close(out);
      if (::rename(tmp.c_str(), path.c_str()) != 0) {
        throw os_error("trimming the history", path.string(), errno);
      }
      fd = open_or_throw(path, O_WRONLY | O_APPEND | O_CREAT, "opening the history");
    }
    // One write(2) of the whole line under O_APPEND: even a reader that
    // takes no lock sees whole lines.
    try {
      write_all(fd, line, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
  } catch (...) {
    ::close(lock);
    throw;
  }
  ::close(lock);
}

std::string read_history(const std::filesystem::path& dir) {
  return read_text(dir / "history.jsonl");
}

LogFile::LogFile(const std::filesystem::path& path, std::uint64_t max_size, unsigned keep)
    : path_(path) {
  make_private_dirs(path.parent_path());
  for (;;) {
    fd_ = open_or_throw(path, O_WRONLY | O_APPEND | O_CREAT, "opening the log");
    // Concurrent runs of one job (overlap: allow) may rotate the same log;
    // the flock on the log itself makes one of them do it, and the others
    // reopen the new file.
    lock_or_throw(fd_, LOCK_EX, path);
    if (!same_file(fd_, path)) {
      ::close(fd_);
      continue;
    }
    struct stat st {};
    if (::fstat(fd_, &st) == 0 &&
        runner::needs_rotation(static_cast<std::uint64_t>(st.st_size), max_size)) {
      for (const auto& [from, to] : runner::rotation_renames(path.string(), keep)) {
        const int rc = to.empty() ? ::unlink(from.c_str()) : ::rename(from.c_str(), to.c_str());
        if (rc != 0 && errno != ENOENT) {
          const int err = errno;
          ::close(fd_);
          fd_ = -1;
          throw os_error("rotating the log", from, err);
        }
      }
      ::close(fd_);
      continue;
    }
    ::flock(fd_, LOCK_UN);
    return;
  }
}

LogFile::~LogFile() {
  if (fd_ >= 0) ::close(fd_);
}

void LogFile::write(const std::string& text) {
  write_all(fd_, text, path_);
}

std::vector<runner::PowerSupply> read_power_supplies(const std::filesystem::path& dir) {
  std::vector<runner::PowerSupply> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    runner::PowerSupply supply;
    std::istringstream(read_text(entry.path() / "type")) >> supply.type;
    std::string online;
    std::istringstream(read_text(entry.path() / "online")) >> online;
    if (!online.empty()) supply.online = online == "1";
    out.push_back(std::move(supply));
  }
  return out;
}

bool network_is_up() {
  return runner::has_default_route(read_text("/proc/net/route"),
                                   read_text("/proc/net/ipv6_route"));
}

std::vector<std::chrono::seconds> session_idle_times() {
  std::vector<std::chrono::seconds> out;
  const auto now = std::chrono::system_clock::now();
  ::setutxent();
  while (const utmpx* entry = ::getutxent()) {
    if (entry->ut_type != USER_PROCESS) continue;
    const std::string line(entry->ut_line, strnlen(entry->ut_line, sizeof entry->ut_line));
    struct stat st {};
    if (line.empty() || ::stat(("/dev/" + line).c_str(), &st) != 0) continue;
    const auto input = std::chrono::system_clock::from_time_t(st.st_atim.tv_sec);
    out.push_back(std::chrono::duration_cast<std::chrono::seconds>(now - input));
  }
  ::endutxent();
  return out;
}

}  // namespace omnicron::posix
