#pragma once

#include <string>
#include <variant>
#include <vector>

#include "manifest/manifest.h"

namespace omnicron::tasksched {

// What the arguments of an `omnicron exec` line say about a job, read back:
// the inverse of the runner arguments compile_task (and the crontab
// backend) write, "exec --job NS/NAME [--cwd DIR] [--env K=V]… [--log FILE]
// [--timeout D] [--overlap P] [--retries N [--retry-delay D]]
// [--require-ac-power] [--require-network] [--require-idle D]
// [--random-delay D] -- PROGRAM ARGS…".
//
// It works on argv words, so it serves every backend: the task XML reader
// splits the Arguments by CommandLineToArgvW rules, the crontab reader by
// /bin/sh's. (platform/posix/crontab_export.cc still has its own copy over
// shell words; it should call this one.)
struct RunnerLine {
  std::string job;  // "NS/NAME" as written
  // working_dir (from --cwd), env, log, timeout, overlap, retries,
  // random_delay; nothing else is set.
  JobSettings settings;
  Conditions conditions;
  std::vector<std::string> argv;  // the program and its arguments
};

// `words` are the runner's arguments, "exec" first (the program itself not
// included). Returns the reason when they are not a line omnicron writes: an
// option it never writes (--log-max-size, --state-dir), a bad value, no
// --job, nothing after "--".
std::variant<RunnerLine, std::string> read_runner_arguments(const std::vector<std::string>& words);

}  // namespace omnicron::tasksched
