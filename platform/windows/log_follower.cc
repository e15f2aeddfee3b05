#include "windows/log_follower.h"

#include <optional>
#include <utility>

namespace omnicron::windows {

namespace {

OwnedHandle open_shared(const std::filesystem::path& path) {
  return OwnedHandle(CreateFileW(path.wstring().c_str(), GENERIC_READ,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                 OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
}

// Which file FILE is: its volume and index, Windows' inode.
struct FileId {
  DWORD volume;
  DWORD high;
  DWORD low;
  std::uint64_t size;
  bool operator==(const FileId& other) const {
    return volume == other.volume && high == other.high && low == other.low;
  }
};

std::optional<FileId> file_id(HANDLE file) {
  BY_HANDLE_FILE_INFORMATION info{};
  if (!file || !GetFileInformationByHandle(file, &info)) return std::nullopt;
  return FileId{info.dwVolumeSerialNumber, info.nFileIndexHigh, info.nFileIndexLow,
                (std::uint64_t{info.nFileSizeHigh} << 32) | info.nFileSizeLow};
}

}  // namespace

LogFollower::LogFollower(std::filesystem::path path, std::uint64_t offset)
    : path_(std::move(path)), file_(open_shared(path_)), offset_(offset) {}

// Everything from offset_ to the end of the open file.
std::string LogFollower::drain() {
  std::string text;
  if (!file_) return text;
  char buffer[64 * 1024];
  for (;;) {
    OVERLAPPED at{};
    at.Offset = static_cast<DWORD>(offset_);
    at.OffsetHigh = static_cast<DWORD>(offset_ >> 32);
    DWORD n = 0;
    if (!ReadFile(file_.get(), buffer, sizeof buffer, &n, &at) || n == 0) break;
    text.append(buffer, n);
    offset_ += n;
  }
  return text;
}

std::string LogFollower::read_new() {
  std::string text = drain();
  OwnedHandle now = open_shared(path_);
  const std::optional<FileId> current = file_id(now.get());
  if (!current) {
    // A log deleted while held (rotation with --log-keep 0) stays in its
    // folder, "delete pending", until its last handle closes, where Windows
    // does not delete the POSIX way; the runner cannot create the new log
    // meanwhile, so the old one is let go.
    FILE_STANDARD_INFO info{};
    if (file_ && GetFileInformationByHandleEx(file_.get(), FileStandardInfo, &info, sizeof info) &&
        info.DeletePending) {
      file_.reset();
    }
    return text;
  }
  const std::optional<FileId> held = file_id(file_.get());
  if (!held || !(*held == *current)) {
    // Rotated (or created): what reached the old file since the drain above
    // is read, then the new file from its start.
    text += drain();
    file_ = std::move(now);
    offset_ = 0;
    text += drain();
  } else if (current->size < offset_) {
    offset_ = 0;
    text += drain();
  }
  return text;
}

}  // namespace omnicron::windows
