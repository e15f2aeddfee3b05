#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace omnicron::posix {

// A job's log as `omnicron logs` reads it: the text of PATH after OFFSET,
// then, call after call, what is appended. The runner rotates a log by
// renaming it to LOG.1 and starting a new LOG, so the file stays open: the
// rest of the old file is read first, then the new one (noticed by its
// inode) from its start. A file truncated in place is read again from its
// start. A path with no file yet (or between a rename and the new file) is
// waited for, not an error. A file renamed twice between two calls is
// missed in between, as with any follower that polls (tail -F too).
class LogFollower {
 public:
  LogFollower(std::filesystem::path path, std::uint64_t offset);
  ~LogFollower();
  LogFollower(const LogFollower&) = delete;
  LogFollower& operator=(const LogFollower&) = delete;

  // Whether PATH named a file when the follower was made.
  bool found() const { return fd_ >= 0; }

  // What was appended since the last call (the first call: everything after
  // OFFSET); empty when nothing was.
  std::string read_new();

 private:
  void open_path();
  std::string drain();

  std::filesystem::path path_;
  int fd_ = -1;
  ino_t inode_ = 0;
  std::uint64_t offset_;
};

}  // namespace omnicron::posix
