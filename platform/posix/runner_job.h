#pragma once

#include <filesystem>

#include "runner/run_options.h"

namespace omnicron::posix {

// One run of a job as `omnicron exec` performs it: the random delay, the
// conditions, the overlap lock, then up to 1 + retries attempts, each with
// its log banners and its history record. Returns the exit code for the
// scheduler (see run_options.h). The runner's own failures are reported as
// one line on stderr, recorded, and returned as kRunnerFailedExit.
int run_job(const runner::RunOptions& options, const std::filesystem::path& state_root);

}  // namespace omnicron::posix
