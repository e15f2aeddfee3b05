#include "posix/crontab_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "error.h"
#include "throwaway_user.h"

namespace omnicron::posix {
namespace {

using testing::FileRestorer;
using testing::ThrowAwayUser;

// Fails (never skips) when the real crontab is missing: CI installs it, so a
// missing one is a broken machine, not a reason to pass.
class CrontabTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto problem = testing::crontab_test_problem()) FAIL() << *problem;
    user_.emplace();
  }
  void TearDown() override { user_.reset(); }

  CrontabTarget target() const { return user_->target(); }

  std::optional<ThrowAwayUser> user_;
};

// What a failure says, for matching; EXPECT_THROW alone says nothing about
// crontab's words reaching the operator.
template <typename F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an omnicron::Error";
  return Error(ErrorKind::internal, "no error");
}

TEST(CrontabInstalledTest, RealCrontabIsPresent) {
  auto problem = testing::crontab_test_problem();
  EXPECT_FALSE(problem) << *problem;
}

TEST_F(CrontabTest, UserWithoutTableReadsAsNothing) {
  EXPECT_EQ(read_crontab(target()), std::nullopt);
}

TEST_F(CrontabTest, WriteThenReadGivesTheSameBytes) {
  const std::string text =
      "# omnicron test table: ünïcödé, 日本語, and a tab\there\n"
      "MAILTO=\"\"\n"
      "PERCENT=50%\n"
      "*/5 * * * *\t/bin/echo 100\\% done%line two of stdin\n"
      "0 3 * * 0 /bin/true # not a comment to cron\n"
      "\n"
      "# trailing comment without a job\n";
  write_crontab(target(), text);
  EXPECT_EQ(read_crontab(target()), text);
}

TEST_F(CrontabTest, FindsCrontabOnPathByDefault) {
  CrontabTarget on_path{user_->name(), ""};
  ::unsetenv("OMNICRON_CRONTAB");
  EXPECT_EQ(crontab_program(on_path), testing::kCrontab);
  write_crontab(on_path, "# on PATH\n");
  EXPECT_EQ(read_crontab(on_path), "# on PATH\n");
}

TEST_F(CrontabTest, EmptyTextInstallsAnEmptyTable) {
  write_crontab(target(), "* * * * * /bin/true\n");
  write_crontab(target(), "");
  // An empty table exists, so crontab -l succeeds and prints nothing.
  EXPECT_EQ(read_crontab(target()), std::string());
}

TEST_F(CrontabTest, RejectedLineIsCrontabsWordsAndKeepsTheOldTable) {
  const std::string old_table = "MAILTO=\"\"\n0 1 * * * /bin/true\n";
  write_crontab(target(), old_table);

  const Error error = error_of([&] { write_crontab(target(), "61 * * * * x\n"); });
  EXPECT_EQ(error.kind(), ErrorKind::backend);
  EXPECT_EQ(error.exit_code(), 1);
  const std::string what = error.what();
  EXPECT_NE(what.find("installing the crontab of user " + user_->name()), std::string::npos)
      << what;
  // crontab's own words, as Debian's crontab prints them.
  EXPECT_NE(what.find("bad minute"), std::string::npos) << what;
  EXPECT_NE(what.find("errors in crontab file, can't install."), std::string::npos) << what;
  EXPECT_NE(what.find("(code 1)"), std::string::npos) << what;

  EXPECT_EQ(read_crontab(target()), old_table);
}

TEST_F(CrontabTest, MissingFinalNewlineIsRejected) {
  const Error error = error_of([&] { write_crontab(target(), "* * * * * /bin/true"); });
  EXPECT_NE(std::string(error.what()).find("missing newline before EOF"), std::string::npos)
      << error.what();
  EXPECT_EQ(read_crontab(target()), std::nullopt);
}

TEST_F(CrontabTest, UserInCronDenyGetsCrontabsWordsAndExitCode) {
  write_crontab(target(), "# before the deny\n");
  {
    // /etc/cron.deny may not exist; it is put back exactly as it was, or
    // removed, however the test ends.
    FileRestorer restore_deny("/etc/cron.deny");
    {
      std::ofstream deny("/etc/cron.deny", std::ios::app);
      deny << user_->name() << "\n";
    }
    const Error read_error = error_of([&] { (void)read_crontab(target()); });
    EXPECT_EQ(read_error.kind(), ErrorKind::backend);
    EXPECT_EQ(read_error.exit_code(), 1);
    const std::string words =
        "The user " + user_->name() + " cannot use this program (crontab)";
    EXPECT_NE(std::string(read_error.what()).find(words), std::string::npos)
        << read_error.what();
    EXPECT_NE(std::string(read_error.what()).find("(code 1)"), std::string::npos)
        << read_error.what();

    const Error write_error = error_of([&] { write_crontab(target(), "# denied\n"); });
    EXPECT_NE(std::string(write_error.what()).find(words), std::string::npos)
        << write_error.what();
  }
  EXPECT_EQ(read_crontab(target()), "# before the deny\n");
}

TEST_F(CrontabTest, UnknownUserIsCrontabsWords) {
  const CrontabTarget nobody{"omnicron-no-such-user-" + std::to_string(::getpid()),
                             testing::kCrontab};
  const Error error = error_of([&] { (void)read_crontab(nobody); });
  EXPECT_EQ(error.kind(), ErrorKind::backend);
  EXPECT_NE(std::string(error.what()).find("unknown"), std::string::npos) << error.what();
}

TEST(CrontabProgramTest, MissingProgramNamesTheCronPackage) {
  const CrontabTarget target{std::nullopt, "/nonexistent/crontab"};
  const Error error = error_of([&] { (void)read_crontab(target); });
  EXPECT_EQ(error.kind(), ErrorKind::backend);
  const std::string what = error.what();
  EXPECT_NE(what.find("/nonexistent/crontab"), std::string::npos) << what;
  EXPECT_NE(what.find("`cron` package"), std::string::npos) << what;
}

TEST(CrontabProgramTest, EnvironmentOverridesPath) {
  ::setenv("OMNICRON_CRONTAB", "/bin/true", 1);
  EXPECT_EQ(crontab_program(CrontabTarget{}), "/bin/true");
  // A field in the target wins over the environment.
  EXPECT_EQ(crontab_program(CrontabTarget{std::nullopt, "/bin/false"}), "/bin/false");
  ::unsetenv("OMNICRON_CRONTAB");
}

TEST(RunProgramTest, CapturesLargeStdoutAndStderrTogether) {
  // Far more than a pipe holds, on both streams: neither may block the other.
  const auto result = run_program(
      "/bin/sh", {"-c", "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2; "
                        "cat >/dev/null; exit 3"},
      std::string(500000, 'x'));
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out.size(), 300000u);
  EXPECT_EQ(result.err.size(), 200000u);
}

TEST(RunProgramTest, ChildThatIgnoresStdinDoesNotKillUs) {
  const auto result = run_program("/bin/true", {}, std::string(1 << 20, 'x'));
  EXPECT_EQ(result.exit_code, 0);
}

TEST(RunProgramTest, ArgumentsAreNotShellText) {
  const auto result = run_program("/bin/echo", {"$HOME", "a b", ";", "*"}, {});
  EXPECT_EQ(result.out, "$HOME a b ; *\n");
}

TEST(RunProgramTest, OnlyStdinStdoutAndStderrReachTheProgram) {
  // A descriptor omnicron inherited without close-on-exec, as a wrapper
  // script's lock would be.
  const int stray = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(stray, 3);
  const auto result = run_program("/bin/sh", {"-c", "ls /proc/$$/fd"}, "table");
  ::close(stray);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "0\n1\n2\n");
}

TEST(RunProgramTest, ProgramThatCannotStartIsAnIoError) {
  const Error error = error_of([] { (void)run_program("/nonexistent/x", {}, {}); });
  EXPECT_EQ(error.kind(), ErrorKind::io);
  EXPECT_NE(std::string(error.what()).find("starting a program: /nonexistent/x"),
            std::string::npos)
      << error.what();
}

}  // namespace
}  // namespace omnicron::posix
