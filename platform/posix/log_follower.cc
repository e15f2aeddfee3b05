#include "posix/log_follower.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace omnicron::posix {

LogFollower::LogFollower(std::filesystem::path path, std::uint64_t offset)
    : path_(std::move(path)), offset_(offset) {
  open_path();
}

LogFollower::~LogFollower() {
  if (fd_ >= 0) ::close(fd_);
}

void LogFollower::open_path() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  inode_ = fd_ >= 0 && ::fstat(fd_, &st) == 0 ? st.st_ino : 0;
}

// Everything from offset_ to the end of the open file.
std::string LogFollower::drain() {
  std::string text;
  if (fd_ < 0) return text;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::pread(fd_, buffer, sizeof buffer, static_cast<off_t>(offset_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    offset_ += static_cast<std::uint64_t>(n);
  }
  return text;
}

std::string LogFollower::read_new() {
  std::string text = drain();
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return text;
  if (fd_ < 0 || st.st_ino != inode_) {
    // Rotated (or created): what reached the old file since the drain above
    // is read, then the new file from its start.
    text += drain();
    open_path();
    offset_ = 0;
    text += drain();
  } else if (static_cast<std::uint64_t>(st.st_size) < offset_) {
    offset_ = 0;
    text += drain();
  }
  return text;
}

}  // namespace omnicron::posix
