#include "runner/status.h"

namespace omnicron::runner {

bool ends_run(const RunRecord& r) {
  return r.succeeded() || r.attempt >= r.attempts || r.outcome == Outcome::stopped ||
         r.outcome == Outcome::failed_to_start;
}

JobSummary summarize(const std::vector<RunRecord>& records) {
  JobSummary summary;
  bool streak_open = true;
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    const RunRecord& r = *it;
    if (r.outcome == Outcome::skipped) {
      if (!summary.last_run && !summary.last_skip) summary.last_skip = r;
      continue;
    }
    if (!ends_run(r)) continue;
    ++summary.runs;
    if (!summary.last_run) summary.last_run = r;
    if (streak_open) {
      if (r.succeeded()) {
        streak_open = false;
      } else {
        ++summary.failure_streak;
      }
    }
  }
  return summary;
}

}  // namespace omnicron::runner
