#pragma once

#include <windows.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "windows/runner_process.h"

namespace omnicron::windows {

// A job's log as `omnicron logs` reads it, the same contract as
// posix::LogFollower: the text of PATH after OFFSET, then, call after call,
// what is appended, across the runner's rotation (the rest of the renamed
// file first, then the new LOG from its start) and a truncation. The file is held open
// with every sharing mode, FILE_SHARE_DELETE included, so the runner can
// still rename it away while it is followed; the new file at the path is
// told from the old one by its file index.
class LogFollower {
 public:
  LogFollower(std::filesystem::path path, std::uint64_t offset);

  // Whether PATH named a file when the follower was made.
  bool found() const { return static_cast<bool>(file_); }

  // What was appended since the last call (the first call: everything after
  // OFFSET); empty when nothing was.
  std::string read_new();

 private:
  std::string drain();

  std::filesystem::path path_;
  OwnedHandle file_;
  std::uint64_t offset_;
};

}  // namespace omnicron::windows
