#pragma once

#include <optional>
#include <vector>

#include "runner/history.h"

namespace omnicron::runner {

// What `omnicron status` says about one job, from its history alone.
struct JobSummary {
  std::optional<RunRecord> last_run;  // the newest record that is not a skip
  std::optional<RunRecord> last_skip;  // the newest skip, when newer than last_run
  unsigned failure_streak = 0;  // runs that failed in a row, newest first
  unsigned runs = 0;            // runs in the history (retries are one run)
};

// Whether RECORD ends its run: a success, the last allowed attempt, or an
// outcome that is never retried. A failed attempt that was retried is not
// the end of its run and does not count towards the failure streak.
bool ends_run(const RunRecord& record);

// RECORDS oldest first, as parse_history returns them.
JobSummary summarize(const std::vector<RunRecord>& records);

}  // namespace omnicron::runner
