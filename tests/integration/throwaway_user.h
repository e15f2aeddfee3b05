#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "posix/crontab_io.h"

namespace omnicron::testing {

// The crontab program the tests run: the real one from Debian's `cron`.
inline constexpr const char* kCrontab = "/usr/bin/crontab";

// A message saying why the tests cannot run, or nothing when they can: as
// root, with the real crontab installed.
std::optional<std::string> crontab_test_problem();

// Runs ARGV (no shell) and returns the exit code and both outputs.
posix::ProgramResult run(const std::vector<std::string>& argv);

// A user made for one test (`useradd -m omnicron-test-<pid>[-suffix]`) and
// removed with its home and its crontab spool file when the object goes,
// whether the test passed or not. Only this user's table is ever written.
class ThrowAwayUser {
 public:
  explicit ThrowAwayUser(const std::string& suffix = "");
  ThrowAwayUser(const ThrowAwayUser&) = delete;
  ThrowAwayUser& operator=(const ThrowAwayUser&) = delete;
  ~ThrowAwayUser();

  const std::string& name() const { return name_; }
  posix::CrontabTarget target() const { return {name_, kCrontab}; }

 private:
  std::string name_;
};

// A folder under /tmp removed with everything in it at the end.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Saves a file (or its absence) with its mode and owner and puts it back
// exactly so at the end, for system files such as /etc/cron.deny.
class FileRestorer {
 public:
  explicit FileRestorer(std::filesystem::path path);
  FileRestorer(const FileRestorer&) = delete;
  FileRestorer& operator=(const FileRestorer&) = delete;
  ~FileRestorer();

 private:
  std::filesystem::path path_;
  std::optional<std::string> text_;
  unsigned mode_ = 0644;
  unsigned uid_ = 0;
  unsigned gid_ = 0;
};

}  // namespace omnicron::testing
