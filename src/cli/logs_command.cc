// omnicron logs NS/NAME [--follow] [--lines N] [--state-dir DIR]
//
// Prints the end of a job's log: the file its newest run recorded (the
// runner's --log), so the log is found without the manifest.
#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#endif

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/runner_state.h"
#include "error.h"
#include "file_path.h"
#include "runner/history.h"
#include "runner/job_dir.h"
#include "runner/run_options.h"

namespace omnicron::cli {

namespace {

struct LogsOptions {
  std::string job;
  std::string state_dir;
  bool follow = false;
  std::size_t lines = 20;
};

// The last N lines of TEXT.
std::string_view tail(std::string_view text, std::size_t n) {
  if (n == 0) return {};
  std::size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') --pos;
  while (pos > 0) {
    const auto newline = text.rfind('\n', pos - 1);
    if (newline == std::string_view::npos) return text;
    if (--n == 0) return text.substr(newline + 1);
    pos = newline;
  }
  return text;
}

int run_logs(const LogsOptions& options) {
  auto id = runner::parse_job_id(options.job);
  if (!id) throw Error(ErrorKind::usage, fmt::format("'{}' is not NAMESPACE/NAME", options.job));
  const auto records = runner::parse_history(
      os::read_history(runner::job_dir(runner_state_root(options.state_dir), *id)));
  std::optional<std::string> log;
  for (auto it = records.rbegin(); it != records.rend() && !log; ++it) log = it->log;
  if (!log) {
    throw Error(ErrorKind::usage,
                fmt::format("job {} has no log: none of its recorded runs used --log "
                            "(its output went wherever the scheduler sends it)",
                            options.job));
  }
  // The follower reads the log from the start and keeps it open (on Windows
  // in a way that still lets the runner rename it), so nothing written or
  // rotated between printing the end and following is lost.
  os::LogFollower follower(file_path(*log), 0);
  if (!follower.found())
    throw Error(ErrorKind::io, fmt::format("cannot read the log of {}: {}", options.job, *log));
  const std::string text = follower.read_new();
#if defined(_WIN32)
  // The log's bytes as they are: in text mode the C runtime would turn every
  // "\n" into "\r\n", and a line that already ends in "\r\n" into "\r\r\n".
  _setmode(_fileno(stdout), _O_BINARY);
#endif
  // `--lines 0` gives an empty view whose data() is null, which fwrite must
  // not be handed even with a zero size.
  if (const std::string_view end = tail(text, options.lines); !end.empty())
    std::fwrite(end.data(), 1, end.size(), stdout);
  std::fflush(stdout);
  if (!options.follow) return 0;

  // Polls rather than using inotify: a log is written a few times a run.
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    const std::string more = follower.read_new();
    if (more.empty()) continue;
    std::fwrite(more.data(), 1, more.size(), stdout);
    std::fflush(stdout);
  }
}

}  // namespace

void setup_logs(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<LogsOptions>();
  CLI::App* sub = app.add_subcommand("logs", "Print the end of a job's log");
  sub->add_option("job", options->job, "The job, NAMESPACE/NAME")->required();
  sub->add_flag("-f,--follow", options->follow, "Keep printing what is appended");
  sub->add_option("-n,--lines", options->lines, "How many lines (default: 20)");
  sub->add_option("--state-dir", options->state_dir,
                  "Where the runner keeps histories (default: the state directory)");
  sub->callback([options, &exit_code] { exit_code = run_logs(*options); });
}

}  // namespace omnicron::cli
