#include "posix/runner_job.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "posix/runner_files.h"
#include "posix/runner_process.h"
#include "runner/conditions.h"
#include "runner/history.h"
#include "runner/log_file.h"
#include "runner/run.h"

extern char** environ;

namespace omnicron::posix {

namespace {

using runner::RunRecord;

runner::Millis now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now());
}

runner::Environment inherited_environment() {
  runner::Environment env;
  for (char** entry = environ; entry && *entry; ++entry) {
    if (auto pair = runner::parse_env_assignment(*entry)) env.push_back(std::move(*pair));
  }
  return env;
}

// The whole of a small file, through plain read(2) (no iostreams, no
// locale); empty when it cannot be read.
std::string small_file(const char* path) {
  std::string text;
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

runner::UserFacts user_facts(const runner::Environment& env) {
  runner::UserFacts facts;
  const uid_t uid = ::geteuid();
  facts.root = uid == 0;
  // cron already sets HOME and LOGNAME, so on the usual path nothing is
  // looked up at all.
  auto has = [&](const char* name) {
    for (const auto& [k, v] : env) {
      if (k == name && !v.empty()) return true;
    }
    return false;
  };
  if (has("HOME") && (has("USER") || has("LOGNAME"))) {
    for (const auto& [k, v] : env) {
      if (k == "LOGNAME" || (k == "USER" && facts.name.empty())) facts.name = v;
    }
    return facts;
  }
  // Local accounts are read from /etc/passwd directly: getpwuid(3) first
  // tries nscd's socket (twice) and reads nsswitch.conf before reading the
  // same file, about 2% of the runner's time on a short job (perf). Every
  // nsswitch.conf asks "files" first in practice; accounts from elsewhere
  // (LDAP, SSSD, systemd's dynamic users) still come through getpwuid(3).
  if (auto local = runner::find_account(small_file("/etc/passwd"), uid)) return *local;
  if (const passwd* pw = ::getpwuid(uid)) {
    facts.home = pw->pw_dir ? pw->pw_dir : "";
    facts.name = pw->pw_name ? pw->pw_name : "";
  }
  return facts;
}

// The runner's POSIX side, for runner::perform_run.
class PosixRun final : public runner::RunSystemWith<RunLock> {
 public:
  runner::Millis now() override { return posix::now(); }

  std::vector<runner::PowerSupply> power_supplies() override {
    return posix::read_power_supplies();
  }
  bool network_is_up() override { return posix::network_is_up(); }
  std::vector<std::chrono::seconds> session_idle_times() override {
    return posix::session_idle_times();
  }

  void make_job_dir(const std::filesystem::path& dir) override { make_private_dirs(dir); }

  std::chrono::steady_clock::time_point steady_now() override {
    return std::chrono::steady_clock::now();
  }

  std::unique_ptr<runner::Held> replace_lock(const std::filesystem::path& file,
                                             const std::string& job, long& stopped) override {
    auto [acquired, pid] = RunLock::replace(file, job);
    stopped = pid;
    return runner::hold(std::move(acquired));
  }

  void prepare_child(const runner::RunOptions& options) override {
    const runner::Environment inherited = inherited_environment();
    spec_.env = runner::job_environment(inherited, user_facts(inherited), options.env);
    spec_.kill_grace = options.kill_grace;
    runner::set_command(spec_, options);
  }

  std::unique_ptr<runner::AttemptLog> open_log(const runner::RunOptions& options) override {
    auto log = runner::open_log_file<LogFile>(options);
    spec_.output_fd = log->file().fd();
    return log;
  }

  void find_program(const runner::RunOptions& options) override {
    spec_.program = posix::find_program(options.argv.front(), spec_.env);
  }

  runner::AttemptResult run_attempt() override {
    const ChildResult child = run_child(spec_);
    runner::AttemptResult result = runner::attempt_result(child);
    result.signal = child.signal;
    if (child.stopped_by) {
      result.stopped = fmt::format("the runner got {}", runner::signal_name(*child.stopped_by));
    }
    // A program ended by a signal reports 128 + its number, as the shells do.
    result.scheduler_exit = child.exit_code ? *child.exit_code : 128 + child.signal.value_or(0);
    return result;
  }

  void append_history(const std::filesystem::path& dir, const RunRecord& record) override {
    posix::append_history(dir, record);
  }

  bool sleep(std::chrono::milliseconds delay) override {
    std::this_thread::sleep_for(delay);
    return false;
  }

  void report(const std::string& line) override { std::fprintf(stderr, "%s\n", line.c_str()); }

 private:
  ChildSpec spec_;
};

}  // namespace

int refuse_run(const runner::JobId& job, const std::string& reason,
               const std::filesystem::path& state_root) {
  PosixRun system;
  return runner::refuse_run(system, job, reason, state_root);
}

int run_job(const runner::RunOptions& options, const std::filesystem::path& state_root) {
  if (options.random_delay && options.random_delay->count() > 0) {
    std::random_device seed;
    std::uniform_int_distribution<std::int64_t> pick(0, options.random_delay->count());
    std::this_thread::sleep_for(std::chrono::milliseconds(pick(seed)));
  }
  PosixRun system;
  return runner::perform_run(system, options, state_root);
}

}  // namespace omnicron::posix
