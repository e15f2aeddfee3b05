#pragma once

// The runner's process layer on Windows: one attempt of a job's program,
// started with CreateProcessW inside a job object of its own.

#include <windows.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "error.h"
#include "runner/run_options.h"

namespace omnicron::windows {

// An owned kernel handle, closed once. Holds nullptr or a handle, never
// INVALID_HANDLE_VALUE (CreateFileW's failure is turned into nullptr).
class OwnedHandle {
 public:
  OwnedHandle() = default;
  explicit OwnedHandle(HANDLE h) : h_(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
  ~OwnedHandle() { reset(); }
  OwnedHandle(OwnedHandle&& other) noexcept : h_(other.h_) { other.h_ = nullptr; }
  OwnedHandle& operator=(OwnedHandle&& other) noexcept {
    if (this != &other) {
      reset();
      h_ = other.h_;
      other.h_ = nullptr;
    }
    return *this;
  }
  OwnedHandle(const OwnedHandle&) = delete;
  OwnedHandle& operator=(const OwnedHandle&) = delete;

  HANDLE get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }
  void reset() {
    if (h_) CloseHandle(h_);
    h_ = nullptr;
  }

 private:
  HANDLE h_ = nullptr;
};

// One attempt of a job's program, as the runner starts it.
struct ChildSpec {
  std::string program;  // a path, already looked up (find_program)
  std::vector<std::string> args;
  std::optional<std::string> cwd;
  runner::Environment env;
  // Stdout and stderr go here (an inheritable handle); nullptr keeps the
  // runner's own.
  HANDLE output = nullptr;
  std::optional<std::chrono::milliseconds> timeout;
  // Signalled when someone wants this run gone (a newer run replacing it,
  // Ctrl+C); nullptr when nobody can ask.
  HANDLE stop_event = nullptr;
};

struct ChildResult {
  long pid = 0;
  std::optional<int> exit_code;  // the program's exit code (a DWORD, as an int)
  bool timed_out = false;        // the runner stopped it after the timeout
  bool stopped = false;          // stop_event told the runner to stop it
};

// Thrown when the program could not be started at all; the message is the
// one line the operator sees ("cannot start 'C:\x.exe': The system cannot
// find the file specified. (code 2)").
struct StartError : Error {
  using Error::Error;
};

// The text Windows gives for a Win32 error code (FormatMessageW), without
// the trailing newline.
std::string system_message(DWORD code);

// Finds PROGRAM in the PATH of ENV (not the runner's own, so a job's
// --env PATH=... decides), trying ".exe" for a name without an extension.
// A PROGRAM with a folder in it that names no file is returned as it is, for
// CreateProcessW to say what is wrong with it. Throws StartError when a bare
// name is nowhere in PATH.
std::string find_program(const std::string& program, const runner::Environment& env);

// The command line CreateProcessW gets: the program in double quotes (the
// program name is read by simpler rules than the arguments: up to the next
// '"', no escapes) and then every argument quoted for CommandLineToArgvW and
// the C runtime (tasksched/command_line.h), so the program's argv is exactly
// SPEC's.
std::wstring command_line(const std::string& program, const std::vector<std::string>& args);

// The environment block: "NAME=VALUE\0" for each variable, in ENV's order
// (windows_job_environment sorts it), then one more "\0".
std::wstring environment_block(const runner::Environment& env);

// Starts the program in a job object of its own and waits for it. On the
// timeout, or when the stop event is signalled, the whole job (the program,
// its children and theirs) is terminated at once: Windows has no SIGTERM a
// console program could catch, so there is no grace period. The job object
// is set to kill everything in it when its last handle closes, so the
// program does not outlive a runner that is killed. After a normal exit
// that limit is lifted first, so whatever the program left running on
// purpose keeps running, as it would on POSIX.
ChildResult run_child(const ChildSpec& spec);

}  // namespace omnicron::windows
