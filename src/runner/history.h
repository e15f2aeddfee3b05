#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnicron::runner {

using Millis = std::chrono::sys_time<std::chrono::milliseconds>;

// How one attempt of a run ended, in the words of the history file.
enum class Outcome {
  exited,           // the program ended by itself; exit_code says how
  signalled,        // a signal it did not ask for ended it; signal says which
  timed_out,        // the runner stopped it after --timeout
  stopped,          // the runner was told to stop (SIGTERM, a newer run replacing it)
  skipped,          // it never started: overlap or a condition; reason says why
  failed_to_start,  // the runner could not start it; reason says why
};

std::string_view to_string(Outcome outcome);
std::optional<Outcome> parse_outcome(std::string_view text);

// One line of a job's history: one attempt (or one skipped run).
struct RunRecord {
  std::string job;  // "NS/NAME"
  Outcome outcome = Outcome::exited;
  Millis start{};
  Millis end{};
  unsigned attempt = 1;   // 1-based
  unsigned attempts = 1;  // 1 + --retries
  std::optional<int> exit_code;
  std::optional<int> signal;
  std::string reason;
  std::optional<std::string> log;
  long pid = 0;                      // the program's, 0 when it never started
  std::chrono::milliseconds queued{0};  // time spent waiting for the previous run

  std::chrono::milliseconds duration() const { return end - start; }
  // Whether the attempt counts as a success: exit code 0, or a skip (a run
  // that was not due to happen did not fail).
  bool succeeded() const;

  bool operator==(const RunRecord&) const = default;
};

// The record as one JSON object on one line, ending in '\n', so a reader can
// take the file line by line and `jq` reads it as it is.
std::string to_json_line(const RunRecord& record);

// Reads one line written by to_json_line; nothing for a line that is not a
// record (a torn or foreign line is skipped by readers, never fatal).
std::optional<RunRecord> parse_record(std::string_view line);

// Every record in TEXT, oldest first, skipping lines that do not parse.
std::vector<RunRecord> parse_history(std::string_view text);

// What is kept of a history file grown past MAX_BYTES: the newest whole lines
// that fit in half of it, so trimming happens once per MAX_BYTES / 2 of new
// records rather than on every write.
std::string_view trimmed_history(std::string_view text, std::size_t max_bytes);

// "2026-11-21T23:59:00.123Z".
std::string format_utc(Millis t);
std::optional<Millis> parse_utc(std::string_view text);

}  // namespace omnicron::runner
