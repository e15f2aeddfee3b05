#pragma once

// What exec, status and logs share: the runner's state folder and the OS's
// implementation of the runner and its files. Each backend has run_job,
// refuse_run, read_history and LogFollower with one contract, and a default
// state folder of its own.

#include <filesystem>
#include <string>

#if defined(_WIN32)
#include "windows/log_follower.h"
#include "windows/runner_files.h"
#include "windows/runner_job.h"
#else
#include "posix/log_follower.h"
#include "posix/runner_files.h"
#include "posix/runner_job.h"
#endif

namespace omnicron::cli {

namespace os {
#if defined(_WIN32)
using windows::LogFollower;
using windows::read_history;
using windows::refuse_run;
using windows::run_job;
#else
using posix::LogFollower;
using posix::read_history;
using posix::refuse_run;
using posix::run_job;
#endif
}  // namespace os

// The runner's state folder: OPTION (--state-dir) when given, else
// $OMNICRON_STATE_DIR (tests keep their state to themselves), else the
// OS's: the XDG state directory, or %LOCALAPPDATA%\omnicron\state.
std::filesystem::path runner_state_root(const std::string& option);

}  // namespace omnicron::cli
