#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runner/history.h"

namespace omnicron::runner {

// Whether a log of SIZE bytes is rotated before the next attempt writes to
// it. The check is made once per attempt, so a single long run may take the
// log past MAX_SIZE; the cap holds from one run to the next.
bool needs_rotation(std::uint64_t size, std::uint64_t max_size);

// The renames that rotate LOG keeping KEEP old files: "LOG.KEEP" is
// overwritten by "LOG.(KEEP-1)" and so on, then LOG becomes "LOG.1".
// Applied in order, with rename(2) replacing the target, nothing older than
// LOG.KEEP survives. KEEP 0 means no old file: LOG itself is removed (the
// single pair has an empty target).
std::vector<std::pair<std::string, std::string>> rotation_renames(const std::string& log,
                                                                  unsigned keep);

// The lines written around an attempt's output in its log.
std::string start_banner(const RunRecord& started, const std::vector<std::string>& argv);
std::string end_banner(const RunRecord& finished);

// "exit 0", "signal 9 (SIGKILL)", "timed out after 1s, then signal 15 (SIGTERM)".
std::string describe_result(const RunRecord& record);

// "SIGTERM" for 15; "signal N" for a number without a name here.
std::string signal_name(int signal);

}  // namespace omnicron::runner
