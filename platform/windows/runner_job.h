#pragma once

#include <filesystem>
#include <string>

#include "runner/run_options.h"

namespace omnicron::windows {

// One run of a job as `omnicron.exe exec` performs it, the same contract as
// posix::run_job: the random delay, the conditions, the overlap lock, then
// up to 1 + retries attempts, each with its log banners and its history
// record. Returns the exit code for Task Scheduler (see run_options.h). The
// runner's own failures are reported as one line on stderr, recorded, and
// returned as kRunnerFailedExit.
int run_job(const runner::RunOptions& options, const std::filesystem::path& state_root);

// A run of JOB that could not even begin because its own command line was
// wrong: REASON goes to stderr as one line and into the job's history as a
// failed_to_start record, since under Task Scheduler nobody reads stderr.
// Returns kRunnerFailedExit.
int refuse_run(const runner::JobId& job, const std::string& reason,
               const std::filesystem::path& state_root);

}  // namespace omnicron::windows
