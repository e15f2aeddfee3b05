// omnicron exec --job NS/NAME [options] -- PROGRAM ARGS...
//
// The runner: what the OS scheduler starts for a job that needs more than a
// plain command line. It starts PROGRAM directly (no shell), with the job's
// working directory, environment, log, timeout, overlap policy, retries and
// conditions, records every run in the job's history, and exits with the
// program's own exit code. Nothing on this path loads a manifest or a zone.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/runner_state.h"
#include "error.h"
#include "runner/run_options.h"

namespace omnicron::cli {

namespace {

struct ExecOptions {
  std::string job;
  std::string cwd;
  std::vector<std::string> env;
  std::string log;
  std::string log_max_size = "10M";
  // Read as text, like every other option, so a bad value is the runner's
  // own usage error (recorded for the job) rather than CLI11's.
  std::string log_keep = "5";
  std::string timeout;
  std::string kill_grace = "10s";
  std::string overlap = "allow";
  std::string retries = "0";
  std::string retry_delay;
  bool require_ac_power = false;
  bool require_network = false;
  std::string require_idle;
  std::string random_delay;
  std::string state_dir;
  std::vector<std::string> argv;
};

Error usage(std::string message) { return Error(ErrorKind::usage, std::move(message)); }

std::chrono::milliseconds duration_of(const std::string& option, const std::string& text) {
  auto d = runner::parse_runner_duration(text);
  if (!d) {
    throw usage(fmt::format("{} '{}' is not a duration; write it like 90s, 10m, 1h30m or 250ms",
                            option, text));
  }
  return *d;
}

unsigned count_of(const std::string& option, const std::string& text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw usage(fmt::format("{} '{}' is not a whole number", option, text));
  }
  return value;
}

runner::RunOptions run_options(const ExecOptions& o, const runner::JobId& job,
                               const std::vector<std::string>& unknown) {
  // Most likely the line was installed by a newer omnicron than this one.
  // CLI11 lists the -- separator among the leftovers; it is no mistake.
  bool separated = false;
  for (const auto& word : unknown) {
    if (word == "--") {
      separated = true;
      continue;
    }
    throw usage(fmt::format(
        "'{}' is not an option of omnicron exec {}; if a newer omnicron installed this job, "
        "update this one or sync the job again with it",
        word, OMNICRON_VERSION));
  }
  // A word before the separator began the command (see setup_exec), so the
  // separator landed among the program's arguments.
  if (!separated && std::find(o.argv.begin(), o.argv.end(), "--") != o.argv.end()) {
    throw usage(fmt::format("unexpected '{}' before --; the program and its arguments go after it",
                            o.argv.front()));
  }
  if (o.argv.empty()) {
    throw usage("nothing to run: give the program and its arguments after --");
  }
  runner::RunOptions r;
  r.job = job;
  if (!o.cwd.empty()) r.cwd = o.cwd;
  for (const auto& text : o.env) {
    auto pair = runner::parse_env_assignment(text);
    if (!pair) throw usage(fmt::format("--env '{}' is not NAME=VALUE", text));
    r.env.push_back(std::move(*pair));
  }
  if (!o.log.empty()) r.log = o.log;
  auto size = runner::parse_size(o.log_max_size);
  if (!size) {
    throw usage(fmt::format("--log-max-size '{}' is not a size; write it like 10M, 512K or 4096",
                            o.log_max_size));
  }
  r.log_max_size = *size;
  r.log_keep = count_of("--log-keep", o.log_keep);
  if (!o.timeout.empty()) r.timeout = duration_of("--timeout", o.timeout);
  r.kill_grace = duration_of("--kill-grace", o.kill_grace);
  auto overlap = runner::parse_overlap(o.overlap);
  if (!overlap) {
    throw usage(fmt::format("--overlap '{}' is not one of allow, skip, queue, replace",
                            o.overlap));
  }
  r.overlap = *overlap;
  r.retries = count_of("--retries", o.retries);
  if (!o.retry_delay.empty()) r.retry_delay = duration_of("--retry-delay", o.retry_delay);
  r.require_ac_power = o.require_ac_power;
  r.require_network = o.require_network;
  if (!o.require_idle.empty()) {
    r.require_idle =
        std::chrono::duration_cast<std::chrono::seconds>(duration_of("--require-idle", o.require_idle));
  }
  if (!o.random_delay.empty()) r.random_delay = duration_of("--random-delay", o.random_delay);
  r.argv = o.argv;
  return r;
}

int run_exec(const ExecOptions& options, const std::vector<std::string>& unknown) {
  // Without a job there is no history to record a mistake in; that one is
  // an ordinary usage error.
  const auto job = runner::parse_job_id(options.job);
  if (!job) throw usage(fmt::format("--job '{}' is not NAMESPACE/NAME", options.job));
  // The same state directory as sync's, status's and logs'.
  const std::filesystem::path state = runner_state_root(options.state_dir);
  // Under cron nobody reads stderr, so a line this omnicron cannot run is a
  // failed run of the job, in its history where status shows it.
  runner::RunOptions run;
  try {
    run = run_options(options, *job, unknown);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) throw;
    return os::refuse_run(*job, e.what(), state);
  }
  return os::run_job(run, state);
}

// The subcommand's options, bound to O. Declared once, for the parse of the
// whole command line and for the second one on Windows (see setup_exec).
void add_exec_options(CLI::App& sub, ExecOptions& o) {
  sub.add_option("--job", o.job, "The job, NAMESPACE/NAME, for its lock, history and log banners")
      ->required();
  sub.add_option("--cwd", o.cwd, "Working directory of the program");
  sub.add_option("--env", o.env, "NAME=VALUE on top of the base environment (repeatable)")
      ->take_all()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub.add_option("--log", o.log,
                 "Append stdout and stderr here (mode 0600, folders 0700), with banners");
  sub.add_option("--log-max-size", o.log_max_size,
                 "Rotate the log before a run once it reaches this size (default 10M)");
  sub.add_option("--log-keep", o.log_keep, "Rotated logs kept: LOG.1 ... LOG.N (default 5)");
  sub.add_option("--timeout", o.timeout,
                 "Stop the whole process group (job object on Windows) after this long "
                 "(90s, 10m, 1h, 250ms)");
  sub.add_option("--kill-grace", o.kill_grace,
                 "Time between SIGTERM and SIGKILL when stopping (default 10s; Windows "
                 "stops at once)");
  sub.add_option("--overlap", o.overlap,
                 "When the previous run is still going: allow, skip, queue or replace");
  sub.add_option("--retries", o.retries, "Run again up to N times after a failure or timeout");
  sub.add_option("--retry-delay", o.retry_delay, "Wait this long before each retry");
  sub.add_flag("--require-ac-power", o.require_ac_power,
               "Skip the run (recorded) when the machine is on battery");
  sub.add_flag("--require-network", o.require_network,
               "Skip the run (recorded) when there is no default route");
  sub.add_option("--require-idle", o.require_idle,
                 "Skip the run (recorded) unless every logged-in terminal has been idle this long");
  sub.add_option("--random-delay", o.random_delay,
                 "Sleep a random time between 0 and this before starting");
  sub.add_option("--state-dir", o.state_dir,
                 "Where job histories and locks live (default: the XDG state directory)");
  sub.add_option("command", o.argv, "The program and its arguments, after --");
  // Unknown options reach run_exec, which records them against the job.
  // Everything from the first word that is not an option on belongs to the
  // command, as with env(1) and timeout(1): so the value of an unknown option
  // ("--newer-option 5m -- prog") starts the command instead of making CLI11
  // hand "--" and the program to the top-level parser, which would reject
  // them before anything could be recorded.
  sub.allow_extras();
  sub.positionals_at_end();
}

}  // namespace

void setup_exec(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ExecOptions>();
  CLI::App* sub = app.add_subcommand(
      "exec",
      "Run one job's program the way the scheduler should: omnicron exec --job NS/NAME "
      "[options] -- PROGRAM ARGS...\nExits with the program's code (128+N for signal N), "
      "124 when --timeout stopped it, 125 when the runner itself failed (recorded in the "
      "job's history, as are bad options once --job is known).");
  add_exec_options(*sub, *o);
  sub->callback([o, sub, &exit_code] {
    // On Windows main() parsed the UTF-16 command line, so the program's
    // arguments arrive exactly, not through the ANSI code page.
    exit_code = run_exec(*o, sub->remaining());
    // The exit code is the runner's whole answer, so it leaves here rather
    // than through main: destroying the parser's few hundred options and
    // then the static objects took about 3% of the runner's time on a short
    // job (perf), nearly as much as appending the history record. Nothing is
    // left that the kernel does not clean up (memory, descriptors, flocks);
    // only stdio's buffers need flushing.
    std::fflush(nullptr);
    std::_Exit(exit_code);
  });
}

}  // namespace omnicron::cli
