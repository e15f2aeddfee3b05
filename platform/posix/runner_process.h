#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "error.h"
#include "runner/run_options.h"

namespace omnicron::posix {

// One attempt of a job's program, as the runner starts it.
struct ChildSpec {
  std::string program;  // an absolute or relative path, already looked up
  std::vector<std::string> args;
  std::optional<std::string> cwd;
  runner::Environment env;
  int output_fd = -1;  // stdout and stderr go here; -1 keeps the runner's own
  std::optional<std::chrono::milliseconds> timeout;
  std::chrono::milliseconds kill_grace{10'000};
};

struct ChildResult {
  long pid = 0;
  std::optional<int> exit_code;  // when it exited
  std::optional<int> signal;     // when a signal ended it
  bool timed_out = false;        // the runner stopped it after the timeout
  std::optional<int> stopped_by;  // the signal that told the runner to stop
};

// Thrown when the program could not be started at all; the message is the
// one line the operator sees ("cannot start '/x': No such file ...").
struct StartError : Error {
  using Error::Error;
};

// Finds PROGRAM as execvp(3) would, in the PATH of ENV (not the runner's own,
// so a job's --env PATH=... decides). Throws StartError when it is nowhere or
// not executable.
std::string find_program(const std::string& program, const runner::Environment& env);

// Starts the program in a process group of its own and waits for it. On the
// timeout, or when the runner itself gets SIGTERM, SIGINT or SIGHUP, the
// whole group gets SIGTERM and, if anything in it is still alive after the
// grace period, SIGKILL: a job's children and grandchildren are stopped
// with it unless they left the group themselves.
ChildResult run_child(const ChildSpec& spec);

}  // namespace omnicron::posix
