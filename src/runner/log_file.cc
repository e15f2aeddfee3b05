#include "runner/log_file.h"

#include <fmt/format.h>

namespace omnicron::runner {

bool needs_rotation(std::uint64_t size, std::uint64_t max_size) {
  return size >= max_size;
}

std::vector<std::pair<std::string, std::string>> rotation_renames(const std::string& log,
                                                                  unsigned keep) {
  if (keep == 0) return {{log, ""}};
  std::vector<std::pair<std::string, std::string>> out;
  for (unsigned i = keep - 1; i >= 1; --i) {
    out.emplace_back(fmt::format("{}.{}", log, i), fmt::format("{}.{}", log, i + 1));
  }
  out.emplace_back(log, log + ".1");
  return out;
}

std::string signal_name(int signal) {
  // The signals a job is realistically ended by; strsignal(3) would be an OS
  // call and its words differ between C libraries.
  switch (signal) {
    case 1: return "SIGHUP";
    case 2: return "SIGINT";
    case 3: return "SIGQUIT";
    case 4: return "SIGILL";
    case 6: return "SIGABRT";
    case 7: return "SIGBUS";
    case 8: return "SIGFPE";
    case 9: return "SIGKILL";
    case 11: return "SIGSEGV";
    case 13: return "SIGPIPE";
    case 14: return "SIGALRM";
    case 15: return "SIGTERM";
    case 24: return "SIGXCPU";
    case 25: return "SIGXFSZ";
    default: return fmt::format("signal {}", signal);
  }
}

std::string describe_result(const RunRecord& r) {
  std::string how;
  if (r.exit_code) how = fmt::format("exit {}", *r.exit_code);
  if (r.signal) how = fmt::format("signal {} ({})", *r.signal, signal_name(*r.signal));
  switch (r.outcome) {
    case Outcome::exited:
    case Outcome::signalled:
      return how;
    case Outcome::timed_out:
      return how.empty() ? "timed out" : "timed out, then " + how;
    case Outcome::stopped:
      return how.empty() ? "stopped" : "stopped, then " + how;
    case Outcome::skipped:
      return "skipped: " + r.reason;
    case Outcome::failed_to_start:
      return "could not start: " + r.reason;
  }
  return how;
}

namespace {

std::string attempt_text(const RunRecord& r) {
  if (r.attempts <= 1) return "";
  return fmt::format(" (attempt {} of {})", r.attempt, r.attempts);
}

}  // namespace

std::string start_banner(const RunRecord& started, const std::vector<std::string>& argv) {
  std::string command;
  for (const auto& word : argv) {
    if (!command.empty()) command += ' ';
    command += word;
  }
  return fmt::format("=== omnicron: {} started {}{}: {}\n", started.job,
                     format_utc(started.start), attempt_text(started), command);
}

std::string end_banner(const RunRecord& finished) {
  return fmt::format("=== omnicron: {} ended {}{} after {:.3f}s: {}\n", finished.job,
                     format_utc(finished.end), attempt_text(finished),
                     static_cast<double>(finished.duration().count()) / 1000.0,
                     describe_result(finished));
}

}  // namespace omnicron::runner
