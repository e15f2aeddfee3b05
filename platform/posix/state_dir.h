#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "posix/cron_file.h"
#include "posix/crontab_io.h"

namespace omnicron::posix {

// Where omnicron keeps its own state for the user with UID: /var/lib/omnicron
// for root, else $XDG_STATE_HOME/omnicron, else $HOME/.local/state/omnicron.
// The XDG spec says a relative $XDG_STATE_HOME is invalid and to be ignored.
std::filesystem::path state_dir_path(unsigned uid,
                                     std::optional<std::string> xdg_state_home,
                                     std::optional<std::string> home);

// state_dir_path for the running user and environment ($HOME falls back to
// the password database).
std::filesystem::path default_state_dir();

// TEXT as one file name: letters, digits, `.`, `_` and `-` stay, every other
// byte becomes %XX, so different texts never share a name. The same as
// runner::safe_file_name, which names the runner's job folders too.
std::string safe_file_name(std::string_view text);

// The name under which a target's backups are kept: "user-NAME" (the running
// user's name when the target names none) or "file-PATH".
std::string target_id(const CrontabTarget& target);
std::string target_id(const CronFileTarget& target);

// An exclusive flock(2) on a lock file, held for the object's life. The lock
// belongs to the open file, so the kernel releases it when omnicron dies,
// however it dies; there is no stale lock to clean up.
class WriteLock {
 public:
  // Waits as long as another holder keeps the lock. When it has to wait, it
  // first calls `on_wait` (when given), so whoever ran omnicron learns why
  // nothing happens.
  explicit WriteLock(const std::filesystem::path& lock_file,
                     const std::function<void()>& on_wait = {});
  // Nothing when someone else holds the lock.
  static std::optional<WriteLock> try_acquire(const std::filesystem::path& lock_file);

  WriteLock(WriteLock&& other) noexcept;
  WriteLock& operator=(WriteLock&& other) noexcept;
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;
  ~WriteLock();

 private:
  explicit WriteLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

inline constexpr std::size_t kBackupsKept = 10;

// omnicron's state directory: the write lock and the backups, one folder per
// target under backups/, one file per write named by its UTC time.
class StateDir {
 public:
  // Creates ROOT (and missing parents) with mode 0700: the backups are copies
  // of crontabs, which are private to their users.
  explicit StateDir(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path lock_file() const { return root_ / "lock"; }

  // Called with the table's description ("the crontab of user alice") and
  // the lock file when a write has to wait for another omnicron holding the
  // lock. The CLI prints a line; the default says nothing.
  using WaitNotice =
      std::function<void(const std::string& table, const std::filesystem::path& lock_file)>;
  void set_wait_notice(WaitNotice notice) { wait_notice_ = std::move(notice); }

  // Serialises omnicron's writes for this user; waits for the lock, telling
  // the wait notice about TABLE when it has to.
  WriteLock lock(const std::string& table = {}) const;

  // Saves TABLE as backups/<TARGET_ID>/<UTC time>.crontab (for example
  // 20260308T014000.123456Z.crontab) and deletes all but the newest
  // kBackupsKept. Returns the new file.
  std::filesystem::path save_backup(
      std::string_view target_id, std::string_view table,
      std::chrono::system_clock::time_point when = std::chrono::system_clock::now()) const;
  // The target's backups, oldest first.
  std::vector<std::filesystem::path> backups(std::string_view target_id) const;
  // The text of the newest backup, or nothing when there is none.
  std::optional<std::string> latest_backup(std::string_view target_id) const;

  // A remembered compile (see compile_memo.h), kept as compiled/NAME; nothing
  // when there is none or it cannot be read.
  std::optional<std::string> read_memo(std::string_view name) const;
  // Stores one, replacing the file by rename so a reader never sees half of
  // it. A memo is only a shortcut: failing to store it is not an error, and
  // it is not flushed to disk (a memo torn by a crash fails to parse and is
  // compiled again).
  void write_memo(std::string_view name, std::string_view text) const noexcept;

 private:
  std::filesystem::path root_;
  WaitNotice wait_notice_;
};

// The way omnicron writes a table: under the lock, the current table (an
// empty one when there is none) is saved as a backup, TEXT is written, and
// the table is read back; a table that does not read back as written is a
// backend Error naming the backup.
void write_crontab_guarded(const StateDir& state, const CrontabTarget& target,
                           std::string_view text);
void write_cron_file_guarded(const StateDir& state, const CronFileTarget& target,
                             std::string_view text);

// A read-modify-write of a whole table under the lock, so two omnicrons
// changing different namespaces of one table both land: `change` gets the
// current text (empty when there is no table) and returns the new text, or
// nothing to leave the table alone. The write is the guarded one, but its
// backup is the text `change` was given: under the lock nobody else can have
// changed it, and reading it again would cost a second `crontab -l`.
// Returns the table as read back after the write, or nothing when `change`
// left it alone (then the table was read exactly once).
using TableChange = std::function<std::optional<std::string>(const std::string& current)>;
std::optional<std::string> update_crontab(const StateDir& state, const CrontabTarget& target,
                                          const TableChange& change);
std::optional<std::string> update_cron_file(const StateDir& state,
                                            const CronFileTarget& target,
                                            const TableChange& change);

// Writes the newest backup back (itself through the guarded write, so the
// table it replaces is saved too and a restore can be undone by another).
// Returns the restored text, or nothing when there is no backup.
std::optional<std::string> restore_crontab(const StateDir& state,
                                           const CrontabTarget& target);
std::optional<std::string> restore_cron_file(const StateDir& state,
                                             const CronFileTarget& target);

}  // namespace omnicron::posix
