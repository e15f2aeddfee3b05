#include "posix/state_dir.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "error.h"
#include "throwaway_user.h"

namespace omnicron::posix {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;
using testing::ThrowAwayUser;

TEST(StateDirPathTest, RootUsesVarLib) {
  EXPECT_EQ(state_dir_path(0, "/x/state", "/root"), "/var/lib/omnicron");
}

TEST(StateDirPathTest, UserPrefersXdgStateHome) {
  EXPECT_EQ(state_dir_path(1000, "/x/state", "/home/u"), "/x/state/omnicron");
  EXPECT_EQ(state_dir_path(1000, std::nullopt, "/home/u"), "/home/u/.local/state/omnicron");
  // The XDG spec: a relative path in $XDG_STATE_HOME is invalid, ignore it.
  EXPECT_EQ(state_dir_path(1000, "relative", "/home/u"), "/home/u/.local/state/omnicron");
  EXPECT_THROW(state_dir_path(1000, std::nullopt, std::nullopt), Error);
}

TEST(StateDirTest, IsCreatedWithMode0700) {
  TempDir dir;
  const StateDir state(dir.path() / "a" / "omnicron");
  struct stat st {};
  ASSERT_EQ(::stat(state.root().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
}

TEST(TargetIdTest, IsOneSafeFileName) {
  EXPECT_EQ(target_id(CrontabTarget{"alice", ""}), "user-alice");
  EXPECT_EQ(target_id(CronFileTarget{"/etc/cron.d/omnicron-crm", CronFileTarget::Kind::cron_d}),
            "file-%2Fetc%2Fcron.d%2Fomnicron-crm");
  EXPECT_EQ(safe_file_name("a b/%"), "a%20b%2F%25");
}

TEST(BackupTest, RotationKeepsExactlyTheNewestTen) {
  TempDir dir;
  const StateDir state(dir.path() / "state");
  const auto start = std::chrono::system_clock::from_time_t(1'772'934'000);
  for (int i = 0; i < 13; ++i) {
    state.save_backup("user-x", "# table " + std::to_string(i) + "\n", start + i * 250ms);
  }
  const auto kept = state.backups("user-x");
  ASSERT_EQ(kept.size(), 10u);
  EXPECT_EQ(kept.front().filename(), "20260308T014000.750000Z.crontab");
  EXPECT_EQ(state.latest_backup("user-x"), "# table 12\n");
  EXPECT_EQ(state.latest_backup("user-y"), std::nullopt);
}

TEST(BackupTest, TwoBackupsInTheSameMicrosecondAreBothKept) {
  TempDir dir;
  const StateDir state(dir.path() / "state");
  const auto when = std::chrono::system_clock::from_time_t(1'772'934'000);
  state.save_backup("t", "# first\n", when);
  state.save_backup("t", "# second\n", when);
  EXPECT_EQ(state.backups("t").size(), 2u);
  EXPECT_EQ(state.latest_backup("t"), "# second\n");
}

TEST(WriteLockTest, SecondThreadWaitsUntilTheFirstReleases) {
  TempDir dir;
  const StateDir state(dir.path() / "state");
  std::atomic<bool> second_has_it{false};
  std::optional<WriteLock> first(state.lock());
  std::thread second([&] {
    const WriteLock lock = state.lock();
    second_has_it = true;
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(second_has_it);
  EXPECT_FALSE(WriteLock::try_acquire(state.lock_file()));
  first.reset();
  second.join();
  EXPECT_TRUE(second_has_it);
  EXPECT_TRUE(WriteLock::try_acquire(state.lock_file()));
}

TEST(WriteLockTest, WaitNoticeOnlyWhenTheLockIsHeld) {
  TempDir dir;
  StateDir state(dir.path() / "state");
  std::atomic<int> notices{0};
  std::string table_seen;
  std::filesystem::path lock_seen;
  state.set_wait_notice([&](const std::string& table, const std::filesystem::path& lock) {
    table_seen = table;
    lock_seen = lock;
    ++notices;
  });
  // A free lock is taken without a word.
  { const WriteLock free = state.lock("the cron file /x"); }
  EXPECT_EQ(notices, 0);

  std::optional<WriteLock> first(state.lock("the cron file /x"));
  std::atomic<bool> second_has_it{false};
  std::thread second([&] {
    const WriteLock lock = state.lock("the cron file /x");
    second_has_it = true;
  });
  for (int i = 0; i < 100 && notices == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(notices, 1);
  EXPECT_FALSE(second_has_it);
  first.reset();
  second.join();
  EXPECT_TRUE(second_has_it);
  EXPECT_EQ(notices, 1);
  EXPECT_EQ(table_seen, "the cron file /x");
  EXPECT_EQ(lock_seen, state.lock_file());
}

TEST(WriteLockTest, LockOfAProcessThatDiesIsReleased) {
  TempDir dir;
  const StateDir state(dir.path() / "state");
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child takes the lock and dies without ever releasing it.
    ::close(ready[0]);
    const WriteLock lock(state.lock_file());
    const char byte = 'x';
    (void)!::write(ready[1], &byte, 1);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ::close(ready[0]);
  EXPECT_FALSE(WriteLock::try_acquire(state.lock_file()));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WriteLock::try_acquire(state.lock_file()));
}

class GuardedWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto problem = testing::crontab_test_problem()) FAIL() << *problem;
    user_.emplace();
    state_.emplace(dir_.path() / "state");
  }
  void TearDown() override { user_.reset(); }

  TempDir dir_;
  std::optional<ThrowAwayUser> user_;
  std::optional<StateDir> state_;
};

TEST_F(GuardedWriteTest, BacksUpEachTableAndRestoresTheNewest) {
  const auto target = user_->target();
  const auto id = target_id(target);
  write_crontab_guarded(*state_, target, "# A\n");
  // There was no table: the backup is an empty one.
  EXPECT_EQ(state_->latest_backup(id), "");
  write_crontab_guarded(*state_, target, "# B\n");
  EXPECT_EQ(state_->latest_backup(id), "# A\n");

  EXPECT_EQ(restore_crontab(*state_, target), "# A\n");
  EXPECT_EQ(read_crontab(target), "# A\n");
  // The restore saved the table it replaced, so it can be undone.
  EXPECT_EQ(state_->latest_backup(id), "# B\n");
}

TEST_F(GuardedWriteTest, RejectedTableLeavesTheBackupAndTheOldTable) {
  const auto target = user_->target();
  write_crontab_guarded(*state_, target, "# good\n");
  EXPECT_THROW(write_crontab_guarded(*state_, target, "61 * * * * x\n"), Error);
  EXPECT_EQ(read_crontab(target), "# good\n");
  EXPECT_EQ(state_->latest_backup(target_id(target)), "# good\n");
}

TEST_F(GuardedWriteTest, UpdateReadsOnceAndHandsBackTheTableAsReadBack) {
  const CronFileTarget target{dir_.path() / "table", CronFileTarget::Kind::plain};
  write_cron_file_guarded(*state_, target, "# one\n");
  int calls = 0;
  // Nothing to change: nothing written, nothing handed back.
  EXPECT_EQ(update_cron_file(*state_, target,
                             [&](const std::string& current) -> std::optional<std::string> {
                               ++calls;
                               EXPECT_EQ(current, "# one\n");
                               return std::nullopt;
                             }),
            std::nullopt);
  EXPECT_EQ(read_cron_file(target), "# one\n");
  const auto after = update_cron_file(
      *state_, target, [&](const std::string& current) -> std::optional<std::string> {
        ++calls;
        return current + "# two\n";
      });
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(after, "# one\n# two\n");
  EXPECT_EQ(read_cron_file(target), "# one\n# two\n");
  // The backup is the text the change was given.
  EXPECT_EQ(state_->latest_backup(target_id(target)), "# one\n");
}

TEST_F(GuardedWriteTest, CronFileBackupsAndRestore) {
  const CronFileTarget target{dir_.path() / "table", CronFileTarget::Kind::plain};
  write_cron_file_guarded(*state_, target, "# one\n");
  write_cron_file_guarded(*state_, target, "# two\n");
  EXPECT_EQ(restore_cron_file(*state_, target), "# one\n");
  EXPECT_EQ(read_cron_file(target), "# one\n");
}

}  // namespace
}  // namespace omnicron::posix
