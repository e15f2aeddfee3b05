#include "throwaway_user.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "posix/cron_file.h"

namespace omnicron::testing {

std::optional<std::string> crontab_test_problem() {
  if (::access(kCrontab, X_OK) != 0) {
    return std::string(kCrontab) +
           " is missing: these tests need the real crontab from Debian's `cron` "
           "package (apt-get install cron)";
  }
  if (::geteuid() != 0) {
    return std::string("these tests must run as root: they create throw-away users "
                       "and use `crontab -u`");
  }
  return std::nullopt;
}

posix::ProgramResult run(const std::vector<std::string>& argv) {
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  return posix::run_program(argv.front(), args, {});
}

namespace {

// useradd and userdel refuse to work while another one holds the lock on
// /etc/passwd, which happens when ctest runs tests in parallel; they are
// retried for a while.
posix::ProgramResult run_retrying(const std::vector<std::string>& argv) {
  posix::ProgramResult result;
  for (int attempt = 0; attempt < 100; ++attempt) {
    result = run(argv);
    if (result.exit_code == 0 || result.err.find("lock") == std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return result;
}

}  // namespace

ThrowAwayUser::ThrowAwayUser(const std::string& suffix)
    : name_("omnicron-test-" + std::to_string(::getpid()) +
            (suffix.empty() ? "" : "-" + suffix)) {
  const auto result = run_retrying({"/usr/sbin/useradd", "-m", name_});
  if (result.exit_code != 0) {
    throw std::runtime_error("useradd -m " + name_ + " failed: " + result.err);
  }
}

ThrowAwayUser::~ThrowAwayUser() {
  // The spool file is removed directly as well as with `crontab -r`: the
  // user may be denied by /etc/cron.deny at this point.
  run({kCrontab, "-u", name_, "-r"});
  std::error_code ec;
  std::filesystem::remove("/var/spool/cron/crontabs/" + name_, ec);
  const auto result = run_retrying({"/usr/sbin/userdel", "-r", name_});
  if (result.exit_code != 0 && result.exit_code != 12) {
    // 12 only means there was no mail spool to remove.
    std::fprintf(stderr, "warning: userdel -r %s failed: %s\n", name_.c_str(),
                 result.err.c_str());
  }
}

TempDir::TempDir() {
  std::string pattern = "/tmp/omnicron-it-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

FileRestorer::FileRestorer(std::filesystem::path path) : path_(std::move(path)) {
  text_ = posix::read_cron_file({path_, posix::CronFileTarget::Kind::plain});
  struct stat st {};
  if (text_ && ::stat(path_.c_str(), &st) == 0) {
    mode_ = st.st_mode & 07777;
    uid_ = st.st_uid;
    gid_ = st.st_gid;
  }
}

FileRestorer::~FileRestorer() {
  if (!text_) {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    return;
  }
  try {
    posix::write_file_atomically(path_, *text_, mode_, false, true);
    if (::chown(path_.c_str(), uid_, gid_) != 0) {
      std::fprintf(stderr, "warning: could not restore the owner of %s\n", path_.c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: could not restore %s: %s\n", path_.c_str(), e.what());
  }
}

}  // namespace omnicron::testing
