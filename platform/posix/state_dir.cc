#include "posix/state_dir.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "error.h"
#include "posix/os_error.h"
#include "runner/job_dir.h"

namespace omnicron::posix {
namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::optional<std::string> user_name(uid_t uid) {
  // getpwuid_r with a buffer of our own, because getpwuid's static result
  // may be overwritten by another thread.
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) != 0 || !found) {
    return std::nullopt;
  }
  return std::string(entry.pw_name);
}

std::optional<std::string> home_from_passwd(uid_t uid) {
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) != 0 || !found) {
    return std::nullopt;
  }
  return std::string(entry.pw_dir);
}

// mkdir -p with mode 0700 for every folder it creates. Folders that exist
// keep their mode: they may be shared ones such as /var/lib.
void make_private_dirs(const std::filesystem::path& dir) {
  // Every run after the first finds the folder there: one stat instead of a
  // mkdir for every part of the path.
  if (struct stat st {}; ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return;
  std::filesystem::path so_far;
  for (const auto& part : dir) {
    so_far /= part;
    if (::mkdir(so_far.c_str(), 0700) == 0) {
      // mkdir's mode passes through the umask; set it exactly.
      if (::chmod(so_far.c_str(), 0700) != 0) {
        throw os_error("setting mode 0700 on a state folder", so_far.string(), errno);
      }
    } else if (errno != EEXIST) {
      throw os_error("creating a state folder", so_far.string(), errno);
    }
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) throw os_error("checking a state folder", dir.string(), errno);
  if (!S_ISDIR(st.st_mode)) {
    throw os_error("using a state folder", dir.string(), ENOTDIR);
  }
}

// A UTC time with microseconds whose text sorts in time order.
std::string backup_stamp(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  const auto micros = duration_cast<microseconds>(when.time_since_epoch()).count();
  auto seconds = static_cast<std::time_t>(micros / 1000000);
  auto fraction = micros % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    seconds -= 1;
  }
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}.{:06}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                     fraction);
}

constexpr std::string_view kBackupSuffix = ".crontab";

std::string read_file(const std::filesystem::path& path) {
  auto text = read_cron_file(CronFileTarget{path, CronFileTarget::Kind::plain});
  if (!text) throw os_error("reading a backup", path.string(), ENOENT);
  return *text;
}

// The guarded write without the lock, for callers that already hold it (a
// second flock on the same file from this process would wait forever).
// CURRENT is the table as read under that lock. Returns the table as read
// back after the write.
std::string write_checked(const StateDir& state, const std::string& id,
                          std::string_view current,
                          const std::function<std::optional<std::string>()>& read,
                          const std::function<void(std::string_view)>& write,
                          std::string_view text, const std::string& what) {
  const auto backup = state.save_backup(id, current);
  write(text);
  std::string after = read().value_or(std::string());
  if (after != text) {
    throw Error(ErrorKind::backend,
                "checking " + what + " after writing it: it does not read back as "
                "written; the table from before is saved in " + backup.string());
  }
  return after;
}

std::string crontab_what(const CrontabTarget& target) {
  return target.user ? "the crontab of user " + *target.user : std::string("your crontab");
}

}  // namespace

std::filesystem::path state_dir_path(unsigned uid, std::optional<std::string> xdg_state_home,
                                     std::optional<std::string> home) {
  if (uid == 0) return "/var/lib/omnicron";
  if (xdg_state_home && !xdg_state_home->empty() && xdg_state_home->front() == '/') {
    return std::filesystem::path(*xdg_state_home) / "omnicron";
  }
  if (home && !home->empty()) {
    return std::filesystem::path(*home) / ".local" / "state" / "omnicron";
  }
  throw Error(ErrorKind::io,
              "finding omnicron's state folder: neither $XDG_STATE_HOME nor $HOME is set "
              "and the user has no home folder in the password database");
}

std::filesystem::path default_state_dir() {
  const uid_t uid = ::geteuid();
  auto home = env("HOME");
  if (!home) home = home_from_passwd(uid);
  return state_dir_path(uid, env("XDG_STATE_HOME"), home);
}

std::string safe_file_name(std::string_view text) { return runner::safe_file_name(text); }

std::string target_id(const CrontabTarget& target) {
  if (target.user) return "user-" + safe_file_name(*target.user);
  const uid_t uid = ::geteuid();
  if (auto name = user_name(uid)) return "user-" + safe_file_name(*name);
  return fmt::format("uid-{}", uid);
}

std::string target_id(const CronFileTarget& target) {
  return "file-" + safe_file_name(target.path.string());
}

WriteLock::WriteLock(const std::filesystem::path& lock_file,
                     const std::function<void()>& on_wait) {
  // O_CLOEXEC: a child such as crontab must not inherit the open file, or it
  // would hold the lock after omnicron is gone.
  fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw os_error("opening the lock file", lock_file.string(), errno);
  // A try first, so the notice is given only when another holder makes us
  // wait; a lock that is free is taken at once and silently.
  int tried = ::flock(fd_, LOCK_EX | LOCK_NB);
  while (tried != 0 && errno == EINTR) tried = ::flock(fd_, LOCK_EX | LOCK_NB);
  if (tried == 0) return;
  if (errno != EWOULDBLOCK) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw os_error("locking the lock file", lock_file.string(), err);
  }
  if (on_wait) on_wait();
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw os_error("locking the lock file", lock_file.string(), err);
  }
}

std::optional<WriteLock> WriteLock::try_acquire(const std::filesystem::path& lock_file) {
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw os_error("opening the lock file", lock_file.string(), errno);
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return std::nullopt;
    throw os_error("locking the lock file", lock_file.string(), err);
  }
  return WriteLock(fd);
}

WriteLock::WriteLock(WriteLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

WriteLock& WriteLock::operator=(WriteLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

// Closing the only descriptor of the open file releases the lock.
WriteLock::~WriteLock() {
  if (fd_ >= 0) ::close(fd_);
}

StateDir::StateDir(std::filesystem::path root) : root_(std::move(root)) {
  make_private_dirs(root_);
}

WriteLock StateDir::lock(const std::string& table) const {
  const std::filesystem::path file = lock_file();
  if (!wait_notice_) return WriteLock(file);
  return WriteLock(file, [&] { wait_notice_(table, file); });
}

std::filesystem::path StateDir::save_backup(std::string_view target_id, std::string_view table,
                                            std::chrono::system_clock::time_point when) const {
  const auto dir = root_ / "backups" / std::string(target_id);
  make_private_dirs(dir);
  // Two writes in the same microsecond would want the same name; the later
  // one takes the next free microsecond, so no backup overwrites another
  // and names still sort in the order the backups were made.
  std::filesystem::path path;
  for (;;) {
    path = dir / (backup_stamp(when) + std::string(kBackupSuffix));
    if (write_file_atomically(path, table, 0600, false, false)) break;
    when += std::chrono::microseconds(1);
  }
  auto all = backups(target_id);
  if (all.size() > kBackupsKept) {
    for (std::size_t i = 0; i < all.size() - kBackupsKept; ++i) {
      if (::unlink(all[i].c_str()) != 0 && errno != ENOENT) {
        throw os_error("deleting an old backup", all[i].string(), errno);
      }
    }
  }
  return path;
}

std::vector<std::filesystem::path> StateDir::backups(std::string_view target_id) const {
  const auto dir = root_ / "backups" / std::string(target_id);
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return found;
    throw os_error("listing the backups in", dir.string(), ec.value());
  }
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    // Temporary files start with a dot; only finished backups count.
    if (name.starts_with(".") || !name.ends_with(kBackupSuffix)) continue;
    found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::optional<std::string> StateDir::latest_backup(std::string_view target_id) const {
  const auto all = backups(target_id);
  if (all.empty()) return std::nullopt;
  return read_file(all.back());
}

std::optional<std::string> StateDir::read_memo(std::string_view name) const {
  const auto path = root_ / "compiled" / std::string(name);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

void StateDir::write_memo(std::string_view name, std::string_view text) const noexcept {
  try {
    const auto dir = root_ / "compiled";
    make_private_dirs(dir);
    const auto path = dir / std::string(name);
    // A name of its own per process, so two syncs never write one file.
    const auto temp = dir / fmt::format(".{}.{}", name, ::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return;
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    const bool ok = ::close(fd) == 0 && done == text.size();
    if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) ::unlink(temp.c_str());
  } catch (...) {
    // No memo; the next sync compiles.
  }
}

namespace {

// How the guarded operations reach one kind of table.
struct TableAccess {
  std::string id;
  std::string what;
  std::function<std::optional<std::string>()> read;
  std::function<void(std::string_view)> write;
};

TableAccess access(const CrontabTarget& target) {
  return {target_id(target), crontab_what(target), [&target] { return read_crontab(target); },
          [&target](std::string_view t) { write_crontab(target, t); }};
}

TableAccess access(const CronFileTarget& target) {
  return {target_id(target), "the cron file " + target.path.string(),
          [&target] { return read_cron_file(target); },
          [&target](std::string_view t) { write_cron_file(target, t); }};
}

void write_guarded(const StateDir& state, const TableAccess& table, std::string_view text) {
  const WriteLock lock = state.lock(table.what);
  const std::string current = table.read().value_or(std::string());
  write_checked(state, table.id, current, table.read, table.write, text, table.what);
}

std::optional<std::string> update(const StateDir& state, const TableAccess& table,
                                  const TableChange& change) {
  const WriteLock lock = state.lock(table.what);
  const std::string current = table.read().value_or(std::string());
  const auto next = change(current);
  if (!next) return std::nullopt;
  return write_checked(state, table.id, current, table.read, table.write, *next, table.what);
}

std::optional<std::string> restore(const StateDir& state, const TableAccess& table) {
  const WriteLock lock = state.lock(table.what);
  auto text = state.latest_backup(table.id);
  if (!text) return std::nullopt;
  const std::string current = table.read().value_or(std::string());
  write_checked(state, table.id, current, table.read, table.write, *text, table.what);
  return text;
}

}  // namespace

void write_crontab_guarded(const StateDir& state, const CrontabTarget& target,
                           std::string_view text) {
  write_guarded(state, access(target), text);
}

void write_cron_file_guarded(const StateDir& state, const CronFileTarget& target,
                             std::string_view text) {
  write_guarded(state, access(target), text);
}

std::optional<std::string> update_crontab(const StateDir& state, const CrontabTarget& target,
                                          const TableChange& change) {
  return update(state, access(target), change);
}

std::optional<std::string> update_cron_file(const StateDir& state,
                                            const CronFileTarget& target,
                                            const TableChange& change) {
  return update(state, access(target), change);
}

std::optional<std::string> restore_crontab(const StateDir& state, const CrontabTarget& target) {
  return restore(state, access(target));
}

std::optional<std::string> restore_cron_file(const StateDir& state,
                                             const CronFileTarget& target) {
  return restore(state, access(target));
}

}  // namespace omnicron::posix
