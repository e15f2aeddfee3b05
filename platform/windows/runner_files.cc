#include "windows/runner_files.h"

// The routing table's types come from Winsock's headers, which windows.h
// leaves out under WIN32_LEAN_AND_MEAN.
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <netioapi.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "file_path.h"
#include "runner/log_file.h"
#include "windows/com.h"

namespace omnicron::windows {

namespace {

// The byte the overlap and rotation locks take: far past the end of any
// real file, because a locked range is locked for reading and writing too
// (Windows' locks are mandatory), and the holder's pid and the program's
// output must stay readable and writable.
constexpr DWORD kLockOffsetHigh = 0x40000000;

OwnedHandle open_file(const std::filesystem::path& path, DWORD access, DWORD disposition,
                      bool inheritable = false) {
  SECURITY_ATTRIBUTES security{};
  security.nLength = sizeof security;
  security.bInheritHandle = inheritable ? TRUE : FALSE;
  // Every sharing mode, so another run, a reader and a rename (rotation,
  // trimming) never fail because this one has the file open.
  return OwnedHandle(CreateFileW(path.wstring().c_str(), access,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                 &security, disposition, FILE_ATTRIBUTE_NORMAL, nullptr));
}

OwnedHandle open_or_throw(const std::filesystem::path& path, DWORD access, DWORD disposition,
                          const char* attempted, bool inheritable = false) {
  OwnedHandle file = open_file(path, access, disposition, inheritable);
  if (!file) throw os_error(attempted, utf8_string(path), GetLastError());
  return file;
}

// Takes the lock byte of FILE; false when WAIT is false and someone else
// holds it.
bool lock_byte(HANDLE file, bool wait, const std::filesystem::path& path) {
  OVERLAPPED where{};
  where.OffsetHigh = kLockOffsetHigh;
  const DWORD flags = LOCKFILE_EXCLUSIVE_LOCK | (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
  if (LockFileEx(file, flags, 0, 1, 0, &where)) return true;
  const DWORD error = GetLastError();
  if (!wait && (error == ERROR_LOCK_VIOLATION || error == ERROR_IO_PENDING)) return false;
  throw os_error("locking", utf8_string(path), error);
}

void unlock_byte(HANDLE file) {
  OVERLAPPED where{};
  where.OffsetHigh = kLockOffsetHigh;
  UnlockFileEx(file, 0, 1, 0, &where);
}

void write_all(HANDLE file, const std::string& text, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    DWORD wrote = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(text.size() - done, 1u << 30));
    if (!WriteFile(file, text.data() + done, chunk, &wrote, nullptr)) {
      throw os_error("writing", utf8_string(path), GetLastError());
    }
    done += wrote;
  }
}

std::string read_all(HANDLE file) {
  std::string text;
  char buffer[16384];
  for (;;) {
    DWORD got = 0;
    if (!ReadFile(file, buffer, sizeof buffer, &got, nullptr) || got == 0) break;
    text.append(buffer, got);
  }
  return text;
}

std::string read_text(const std::filesystem::path& path) {
  OwnedHandle file = open_file(path, GENERIC_READ, OPEN_EXISTING);
  return file ? read_all(file.get()) : std::string();
}

std::uint64_t size_of(HANDLE file) {
  LARGE_INTEGER size{};
  return GetFileSizeEx(file, &size) ? static_cast<std::uint64_t>(size.QuadPart) : 0;
}

// Whether FILE still is the file at PATH: a writer that waited for a lock
// while another rotated the log holds the old, renamed one.
bool same_file(HANDLE file, const std::filesystem::path& path) {
  OwnedHandle other = open_file(path, FILE_READ_ATTRIBUTES, OPEN_EXISTING);
  BY_HANDLE_FILE_INFORMATION a{};
  BY_HANDLE_FILE_INFORMATION b{};
  if (!other || !GetFileInformationByHandle(file, &a) ||
      !GetFileInformationByHandle(other.get(), &b)) {
    return false;
  }
  return a.dwVolumeSerialNumber == b.dwVolumeSerialNumber &&
         a.nFileIndexHigh == b.nFileIndexHigh && a.nFileIndexLow == b.nFileIndexLow;
}

// The name of the stop event of the runner with PID, started at CREATED
// (a FILETIME as one number). "Local\": the session's namespace, where a
// user's own processes may create objects without a privilege.
std::wstring stop_event_name(unsigned long pid, unsigned long long created) {
  return to_utf16(fmt::format("Local\\omnicron-exec-{}-{}", pid, created));
}

unsigned long long own_creation_time() {
  FILETIME created{};
  FILETIME exited{};
  FILETIME kernel{};
  FILETIME user{};
  GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
  return (static_cast<unsigned long long>(created.dwHighDateTime) << 32) | created.dwLowDateTime;
}

}  // namespace

Error os_error(const std::string& attempted, const std::string& object, DWORD code) {
  Error e(ErrorKind::io, object.empty() ? attempted : attempted + ": " + object);
  e.with_native(static_cast<long long>(code), system_message(code));
  return e;
}

void make_dirs(const std::filesystem::path& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return;
  std::filesystem::create_directories(dir, ec);
  if (ec && !std::filesystem::is_directory(dir)) {
    Error e(ErrorKind::io, "creating the folder: " + utf8_string(dir));
    e.with_native(ec.value(), ec.message());
    throw e;
  }
}

HANDLE stop_event() {
  // Manual reset: once told to stop, the runner stays told, for every wait.
  static const HANDLE event = CreateEventW(
      nullptr, TRUE, FALSE, stop_event_name(GetCurrentProcessId(), own_creation_time()).c_str());
  return event;
}

RunLock::RunLock(OwnedHandle file) : file_(std::move(file)) {
  // The pid and creation time are for `replace`; a reader only trusts them
  // while the lock is held.
  const std::string text = fmt::format("{} {}\n", GetCurrentProcessId(), own_creation_time());
  LARGE_INTEGER start{};
  if (SetFilePointerEx(file_.get(), start, nullptr, FILE_BEGIN) && SetEndOfFile(file_.get())) {
    DWORD wrote = 0;
    WriteFile(file_.get(), text.data(), static_cast<DWORD>(text.size()), &wrote, nullptr);
  }
  // The event must exist before anyone can read the name it goes by.
  stop_event();
}

std::optional<RunLock> RunLock::try_acquire(const std::filesystem::path& file) {
  OwnedHandle handle = open_or_throw(file, GENERIC_READ | GENERIC_WRITE, OPEN_ALWAYS,
                                     "opening the job's lock file");
  if (!lock_byte(handle.get(), false, file)) return std::nullopt;
  return RunLock(std::move(handle));
}

RunLock RunLock::acquire(const std::filesystem::path& file) {
  OwnedHandle handle = open_or_throw(file, GENERIC_READ | GENERIC_WRITE, OPEN_ALWAYS,
                                     "opening the job's lock file");
  lock_byte(handle.get(), true, file);
  return RunLock(std::move(handle));
}

std::pair<RunLock, long> RunLock::replace(const std::filesystem::path& file) {
  if (auto lock = try_acquire(file)) return {std::move(*lock), 0};
  unsigned long pid = 0;
  unsigned long long created = 0;
  const std::string text = read_text(file);
  if (std::sscanf(text.c_str(), "%lu %llu", &pid, &created) != 2) pid = 0;
  // The event's name holds the creation time, so only the runner that
  // wrote the file can own it: a process that got a dead runner's pid
  // since has another creation time and no such event.
  long stopped = 0;
  if (pid != 0 && pid != GetCurrentProcessId()) {
    OwnedHandle event(OpenEventW(EVENT_MODIFY_STATE, FALSE, stop_event_name(pid, created).c_str()));
    if (event && SetEvent(event.get())) stopped = static_cast<long>(pid);
  }
  return {acquire(file), stopped};
}

void append_history(const std::filesystem::path& dir, const runner::RunRecord& record,
                    std::size_t max_bytes) {
  const std::string line = runner::to_json_line(record);
  const auto lock_path = dir / "history.lock";
  const auto path = dir / "history.jsonl";
  // The job's folder exists on every run but its first, so it is only made
  // when opening the lock says it is missing.
  OwnedHandle lock = open_file(lock_path, GENERIC_READ | GENERIC_WRITE, OPEN_ALWAYS);
  if (!lock) {
    const DWORD error = GetLastError();
    if (error != ERROR_PATH_NOT_FOUND && error != ERROR_FILE_NOT_FOUND) {
      throw os_error("opening the history lock", utf8_string(lock_path), error);
    }
    make_dirs(dir);
    lock = open_or_throw(lock_path, GENERIC_READ | GENERIC_WRITE, OPEN_ALWAYS,
                         "opening the history lock");
  }
  lock_byte(lock.get(), true, lock_path);
  OwnedHandle file = open_or_throw(path, FILE_APPEND_DATA | GENERIC_READ, OPEN_ALWAYS,
                                   "opening the history");
  if (size_of(file.get()) + line.size() > max_bytes) {
    // Trimmed into a new file moved over the old one, so a reader never
    // sees half a history. A reader that holds the file open without
    // FILE_SHARE_DELETE makes the move fail; the record is appended to the
    // untrimmed history then, and the next run trims it.
    file.reset();
    const std::string text = read_text(path);
    const auto tmp = dir / "history.jsonl.tmp";
    {
      OwnedHandle out =
          open_or_throw(tmp, GENERIC_WRITE, CREATE_ALWAYS, "trimming the history");
      write_all(out.get(), std::string(runner::trimmed_history(text, max_bytes)), tmp);
    }
    if (!MoveFileExW(tmp.wstring().c_str(), path.wstring().c_str(), MOVEFILE_REPLACE_EXISTING)) {
      DeleteFileW(tmp.wstring().c_str());
    }
    file = open_or_throw(path, FILE_APPEND_DATA | GENERIC_READ, OPEN_ALWAYS, "opening the history");
  }
  // Opened for appending only, so every write lands at the end, and one
  // WriteFile of the whole line: even a reader that takes no lock sees
  // whole lines.
  LARGE_INTEGER end{};
  SetFilePointerEx(file.get(), end, nullptr, FILE_END);
  write_all(file.get(), line, path);
  unlock_byte(lock.get());
}

std::string read_history(const std::filesystem::path& dir) {
  return read_text(dir / "history.jsonl");
}

LogFile::LogFile(const std::filesystem::path& path, std::uint64_t max_size, unsigned keep)
    : path_(path) {
  make_dirs(path.parent_path());
  for (;;) {
    // GENERIC_READ as well, because LockFileEx wants it; FILE_APPEND_DATA
    // without FILE_WRITE_DATA makes every write, the program's too, land at
    // the end of the file.
    file_ = open_or_throw(path, FILE_APPEND_DATA | GENERIC_READ, OPEN_ALWAYS, "opening the log",
                          true);
    if (!runner::needs_rotation(size_of(file_.get()), max_size)) break;
    // Concurrent runs of one job (overlap: allow) may rotate the same log;
    // the lock on the log itself makes one of them do it, and the others
    // reopen the new file.
    lock_byte(file_.get(), true, path);
    if (!same_file(file_.get(), path) || !runner::needs_rotation(size_of(file_.get()), max_size)) {
      file_.reset();
      continue;
    }
    for (const auto& [from, to] : runner::rotation_renames(utf8_string(path), keep)) {
      const std::wstring source = file_path(from).wstring();
      const BOOL ok = to.empty() ? DeleteFileW(source.c_str())
                                 : MoveFileExW(source.c_str(), file_path(to).wstring().c_str(),
                                               MOVEFILE_REPLACE_EXISTING);
      const DWORD error = ok ? 0 : GetLastError();
      if (!ok && error != ERROR_FILE_NOT_FOUND && error != ERROR_PATH_NOT_FOUND) {
        unlock_byte(file_.get());
        file_.reset();
        throw os_error("rotating the log", from, error);
      }
    }
    unlock_byte(file_.get());
    file_.reset();
  }
  // Where the program's output starts, should Windows not honour append-only
  // access: the runner and the program share this handle's position.
  LARGE_INTEGER end{};
  SetFilePointerEx(file_.get(), end, nullptr, FILE_END);
}

void LogFile::write(const std::string& text) {
  LARGE_INTEGER end{};
  SetFilePointerEx(file_.get(), end, nullptr, FILE_END);
  write_all(file_.get(), text, path_);
}

std::vector<runner::PowerSupply> read_power_supplies() {
  std::vector<runner::PowerSupply> out;
  SYSTEM_POWER_STATUS status{};
  if (!GetSystemPowerStatus(&status)) return out;
  // BatteryFlag 128 is "no system battery", 255 "unknown status".
  if (status.BatteryFlag != 128 && status.BatteryFlag != 255) {
    out.push_back({"Battery", std::nullopt});
  }
  // ACLineStatus 0 is offline, 1 online, 255 unknown (then no claim either way).
  if (status.ACLineStatus == 0 || status.ACLineStatus == 1) {
    out.push_back({"Mains", status.ACLineStatus == 1});
  }
  return out;
}

bool network_is_up() {
  MIB_IPFORWARD_TABLE2* table = nullptr;
  if (GetIpForwardTable2(AF_UNSPEC, &table) != NO_ERROR || !table) return false;
  bool up = false;
  for (ULONG i = 0; i < table->NumEntries && !up; ++i) {
    up = table->Table[i].DestinationPrefix.PrefixLength == 0;
  }
  FreeMibTable(table);
  return up;
}

std::vector<std::chrono::seconds> session_idle_times() {
  LASTINPUTINFO last{};
  last.cbSize = sizeof last;
  if (!GetLastInputInfo(&last)) return {};
  // Both are milliseconds since boot in 32 bits; the unsigned difference is
  // right across the wrap every 49.7 days.
  const DWORD idle_ms = GetTickCount() - last.dwTime;
  return {std::chrono::seconds(idle_ms / 1000)};
}

}  // namespace omnicron::windows
