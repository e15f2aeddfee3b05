#include "posix/cron_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <vector>

#include "error.h"
#include "posix/os_error.h"

namespace omnicron::posix {
namespace {

void write_all(int fd, std::string_view text, const std::string& object) {
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw os_error("writing a temporary file", object, errno);
    }
    written += static_cast<std::size_t>(n);
  }
}

// Removes the temporary file unless the rename made it the real one.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // close(2) can report a write that failed late (NFS, a full disk).
  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw os_error("closing a temporary file", path_, errno);
  }
  void mark_renamed() { renamed_ = true; }

 private:
  int fd_;
  std::string path_;
  bool renamed_ = false;
};

// A rename is only durable once the folder that holds the name is on disk.
void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw os_error("opening a folder to flush it", folder.string(), errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw os_error("flushing a folder to disk", folder.string(), err);
}

}  // namespace

std::optional<std::string> cron_d_name_problem(std::string_view name) {
  if (name.empty()) return "the name is empty";
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) {
      return "cron silently ignores files in /etc/cron.d whose name has any "
             "character but letters, digits, `_` and `-` (this one has `" +
             std::string(1, c) + "`)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> read_cron_file(const CronFileTarget& target) {
  const std::string object = target.path.string();
  const int fd = ::open(object.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw os_error("opening a cron file", object, errno);
  }
  std::string text;
  std::vector<char> buffer(65536);
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw os_error("reading a cron file", object, err);
    }
    if (n == 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

void write_cron_file(const CronFileTarget& target, std::string_view text) {
  const std::string object = target.path.string();
  const std::string name = target.path.filename().string();
  if (target.kind == CronFileTarget::Kind::cron_d) {
    if (auto problem = cron_d_name_problem(name)) {
      throw Error(ErrorKind::usage, "refusing to write the cron file " + object +
                                        ": " + *problem +
                                        "; choose a name such as omnicron-crm");
    }
  }
  write_file_atomically(target.path, text, 0644,
                        target.kind == CronFileTarget::Kind::cron_d, true);
}

bool write_file_atomically(const std::filesystem::path& path, std::string_view text,
                           unsigned mode, bool root_owned, bool replace) {
  const std::string object = path.string();
  std::filesystem::path folder = path.parent_path();
  if (folder.empty()) folder = ".";

  // The temporary name starts with a dot and has one inside, so cron never
  // reads a half-written table from it, even in /etc/cron.d.
  std::string pattern =
      (folder / ("." + path.filename().string() + ".omnicron-XXXXXX")).string();
  const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) throw os_error("creating a temporary file beside", object, errno);
  TempFile temp(fd, pattern);

  write_all(temp.fd(), text, temp.path());
  // Set explicitly, not through the umask: cron skips a table that is group-
  // or world-writable, and readers need it world-readable.
  if (::fchmod(temp.fd(), static_cast<mode_t>(mode)) != 0) {
    throw os_error("setting the mode of a temporary file", temp.path(), errno);
  }
  if (root_owned && ::fchown(temp.fd(), 0, 0) != 0) {
    throw os_error("giving a temporary file to root:root (cron.d files must be "
                   "root's)",
                   temp.path(), errno);
  }
  if (::fsync(temp.fd()) != 0) throw os_error("flushing a temporary file", temp.path(), errno);
  temp.close();
  if (replace) {
    if (::rename(temp.path().c_str(), object.c_str()) != 0) {
      throw os_error("renaming a temporary file over", object, errno);
    }
  } else if (::renameat2(AT_FDCWD, temp.path().c_str(), AT_FDCWD, object.c_str(),
                         RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST) return false;
    throw os_error("renaming a temporary file to", object, errno);
  }
  temp.mark_renamed();
  sync_folder(folder);
  return true;
}

}  // namespace omnicron::posix
