#include "posix/cron_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "error.h"
#include "throwaway_user.h"

namespace omnicron::posix {
namespace {

using testing::TempDir;

struct stat stat_of(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

std::size_t files_in(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(CronDNameTest, AcceptsWhatCronReads) {
  EXPECT_EQ(cron_d_name_problem("omnicron-crm"), std::nullopt);
  EXPECT_EQ(cron_d_name_problem("Omnicron_2"), std::nullopt);
}

TEST(CronDNameTest, RefusesWhatCronSkipsSilently) {
  EXPECT_TRUE(cron_d_name_problem("crm.cron"));
  EXPECT_TRUE(cron_d_name_problem("crm~"));
  EXPECT_TRUE(cron_d_name_problem("crm job"));
  EXPECT_TRUE(cron_d_name_problem(""));
  EXPECT_NE(cron_d_name_problem("crm.cron")->find("`.`"), std::string::npos);
}

TEST(CronFileTest, MissingFileReadsAsNothing) {
  TempDir dir;
  EXPECT_EQ(read_cron_file({dir.path() / "absent", CronFileTarget::Kind::plain}),
            std::nullopt);
}

TEST(CronFileTest, WritesAtomicallyWithMode0644WhateverTheUmask) {
  TempDir dir;
  const CronFileTarget target{dir.path() / "table", CronFileTarget::Kind::plain};
  const mode_t old_umask = ::umask(077);
  write_cron_file(target, "# first\n");
  write_cron_file(target, "# second\n0 1 * * * /bin/true\n");
  ::umask(old_umask);

  EXPECT_EQ(read_cron_file(target), "# second\n0 1 * * * /bin/true\n");
  EXPECT_EQ(stat_of(target.path).st_mode & 07777, 0644u);
  // The temporary file was renamed, not left behind.
  EXPECT_EQ(files_in(dir.path()), 1u);
}

TEST(CronFileTest, ReplacesTheFileByRenameNotInPlace) {
  TempDir dir;
  const CronFileTarget target{dir.path() / "table", CronFileTarget::Kind::plain};
  write_cron_file(target, "# first\n");
  const auto before = stat_of(target.path).st_ino;
  write_cron_file(target, "# second\n");
  // A new inode means readers saw either the whole old file or the new one.
  EXPECT_NE(stat_of(target.path).st_ino, before);
}

TEST(CronFileTest, CronDFileIsRootOwned) {
  TempDir dir;
  ASSERT_EQ(::chown(dir.path().c_str(), 65534, 65534), 0);
  const CronFileTarget target{dir.path() / "omnicron-test", CronFileTarget::Kind::cron_d};
  write_cron_file(target, "0 1 * * * root /bin/true\n");
  const auto st = stat_of(target.path);
  EXPECT_EQ(st.st_uid, 0u);
  EXPECT_EQ(st.st_gid, 0u);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
}

TEST(CronFileTest, CronDNameWithADotIsRefusedBeforeWriting) {
  TempDir dir;
  const CronFileTarget target{dir.path() / "crm.cron", CronFileTarget::Kind::cron_d};
  try {
    write_cron_file(target, "0 1 * * * root /bin/true\n");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_NE(std::string(e.what()).find("silently ignores"), std::string::npos) << e.what();
  }
  EXPECT_EQ(files_in(dir.path()), 0u);
}

TEST(CronFileTest, UnwritableFolderSaysWhatWhereAndWhy) {
  const CronFileTarget target{"/nonexistent-omnicron/table", CronFileTarget::Kind::plain};
  try {
    write_cron_file(target, "# x\n");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::io);
    EXPECT_STREQ(e.what(),
                 "creating a temporary file beside: /nonexistent-omnicron/table: "
                 "No such file or directory (code 2)");
  }
}

}  // namespace
}  // namespace omnicron::posix
