// omnicron logs NS/NAME [--follow] [--lines N] [--state-dir DIR]
//
// Prints the end of a job's log: the file its newest run recorded (the
// runner's --log), so the log is found without the manifest.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.h"
#include "error.h"
#include "posix/runner_files.h"
#include "posix/state_dir.h"
#include "runner/history.h"
#include "runner/run_options.h"

namespace omnicron::cli {

namespace {

namespace fs = std::filesystem;

struct LogsOptions {
  std::string job;
  std::string state_dir;
  bool follow = false;
  std::size_t lines = 20;
};

fs::path state_root(const std::string& option) {
  if (!option.empty()) return option;
  const char* from_env = std::getenv("OMNICRON_STATE_DIR");
  return from_env && *from_env ? fs::path(from_env) : posix::default_state_dir();
}

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
      posix::read_history(posix::job_dir(state_root(options.state_dir), *id)));
  std::optional<std::string> log;
  for (auto it = records.rbegin(); it != records.rend() && !log; ++it) log = it->log;
  if (!log) {
    throw Error(ErrorKind::usage,
                fmt::format("job {} has no log: none of its recorded runs used --log "
                            "(its output went wherever the scheduler sends it)",
                            options.job));
  }
  std::ifstream in(*log, std::ios::binary);
  if (!in) throw Error(ErrorKind::io, fmt::format("cannot read the log of {}: {}", options.job, *log));
  std::ostringstream whole;
  whole << in.rdbuf();
  const std::string text = whole.str();
  // `--lines 0` gives an empty view whose data() is null, which fwrite must
  // not be handed even with a zero size.
  if (const std::string_view end = tail(text, options.lines); !end.empty())
    std::fwrite(end.data(), 1, end.size(), stdout);
  std::fflush(stdout);
  if (!options.follow) return 0;

  // Polls rather than using inotify: a log is written a few times a run. The
  // file stays open, so when a rotation renames it away (the path now names
  // a new file, noticed by its inode) the rest of the old file is still
  // printed before the new one.
  std::ifstream current(*log, std::ios::binary);
  auto offset = static_cast<std::streamoff>(text.size());
  current.seekg(offset);
  struct stat st {};
  ino_t inode = ::stat(log->c_str(), &st) == 0 ? st.st_ino : 0;
  auto drain = [&current, &offset] {
    current.clear();
    std::ostringstream appended;
    appended << current.rdbuf();
    const std::string more = appended.str();
    if (more.empty()) return;
    offset += static_cast<std::streamoff>(more.size());
    std::fwrite(more.data(), 1, more.size(), stdout);
    std::fflush(stdout);
  };
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    drain();
    if (::stat(log->c_str(), &st) != 0) continue;
    if (st.st_ino != inode) {
      inode = st.st_ino;
      current = std::ifstream(*log, std::ios::binary);
      offset = 0;
      drain();
    } else if (st.st_size < offset) {
      // Truncated in place: start again from its beginning.
      current.clear();
      current.seekg(0);
      offset = 0;
      drain();
    }
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
