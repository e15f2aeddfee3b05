#include "posix/runner_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "posix/boost_process.h"
// After boost_process.h, which includes what 1.81 forgets to.
#include <boost/process/v2/start_dir.hpp>

namespace omnicron::posix {

namespace {

namespace asio = boost::asio;
namespace bp = boost::process::v2;

StartError start_error(const std::string& what, int err) {
  StartError e(ErrorKind::io, what);
  e.with_native(err, std::strerror(err));
  return e;
}

// Runs in the child between fork and exec. The child leads a new process
// group, so the runner can signal everything the job started at once; and
// it is killed when the runner dies (even by SIGKILL), because the runner's
// overlap lock dies with the runner and a new run must not meet an orphan.
struct JobGroup {
  template <typename Launcher>
  boost::system::error_code on_exec_setup(Launcher&, const std::filesystem::path&,
                                          const char* const*&) {
    if (::setpgid(0, 0) != 0 || ::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
      return {errno, boost::system::system_category()};
    }
    return {};
  }
};

// Hands the launcher the job's environment instead of the runner's own.
struct JobEnvironment {
  std::vector<std::string> texts;
  std::vector<const char*> pointers;

  explicit JobEnvironment(const runner::Environment& env) {
    texts.reserve(env.size());
    for (const auto& [name, value] : env) texts.push_back(name + "=" + value);
    for (const auto& text : texts) pointers.push_back(text.c_str());
    pointers.push_back(nullptr);
  }

  template <typename Launcher>
  boost::system::error_code on_setup(Launcher& launcher, const std::filesystem::path&,
                                     const char* const*&) {
    launcher.env = pointers.data();
    return {};
  }
};

std::string value_of(const runner::Environment& env, const std::string& name) {
  for (const auto& [k, v] : env) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace

std::string find_program(const std::string& program, const runner::Environment& env) {
  const std::string path = value_of(env, "PATH");
  int last_error = ENOENT;
  for (const auto& candidate : runner::program_candidates(program, path)) {
    struct stat st {};
    if (::stat(candidate.c_str(), &st) != 0) {
      if (errno != ENOENT && errno != ENOTDIR) last_error = errno;
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      last_error = EISDIR;
      continue;
    }
    if (::access(candidate.c_str(), X_OK) != 0) {
      last_error = errno;
      continue;
    }
    return candidate;
  }
  if (program.find('/') == std::string::npos && last_error == ENOENT) {
    throw StartError(ErrorKind::io, fmt::format("cannot start '{}': not found in PATH ({})",
                                                program, path));
  }
  throw start_error(fmt::format("cannot start '{}'", program), last_error);
}

ChildResult run_child(const ChildSpec& spec) {
  if (spec.cwd) {
    // Checked here rather than left to chdir(2) in the child, whose failure
    // would come back looking like the program's own.
    struct stat st {};
    if (::stat(spec.cwd->c_str(), &st) != 0) {
      throw start_error(fmt::format("cannot use working directory '{}'", *spec.cwd), errno);
    }
    if (!S_ISDIR(st.st_mode)) {
      throw start_error(fmt::format("cannot use working directory '{}'", *spec.cwd), ENOTDIR);
    }
  }

  // Orphaned grandchildren are re-parented to the runner rather than to
  // init, so the runner can reap the ones it stops and tell when the whole
  // group is gone.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  asio::io_context context;
  // Set up before the child exists, so a SIGTERM that arrives while it
  // starts is not lost.
  asio::signal_set stop_signals(context, SIGTERM, SIGINT, SIGHUP);

  JobEnvironment environment(spec.env);
  const int out_fd = spec.output_fd >= 0 ? spec.output_fd : STDOUT_FILENO;
  const int err_fd = spec.output_fd >= 0 ? spec.output_fd : STDERR_FILENO;
  bp::process_stdio stdio{{}, out_fd, err_fd};

  boost::system::error_code ec;
  bp::basic_process<asio::io_context::executor_type> child(context.get_executor());
  if (spec.cwd) {
    child = bp::default_process_launcher()(context.get_executor(), ec,
                                           std::filesystem::path(spec.program), spec.args,
                                           bp::process_start_dir{*spec.cwd}, stdio,
                                           environment, JobGroup{});
  } else {
    child = bp::default_process_launcher()(context.get_executor(), ec,
                                           std::filesystem::path(spec.program), spec.args,
                                           stdio, environment, JobGroup{});
  }
  if (ec) throw start_error(fmt::format("cannot start '{}'", spec.program), ec.value());

  ChildResult result;
  result.pid = child.id();
  const pid_t group = static_cast<pid_t>(child.id());

  asio::steady_timer timeout_timer(context);
  asio::steady_timer grace_timer(context);
  bool finished = false;
  bool stopping = false;
  std::chrono::steady_clock::time_point grace_deadline;

  // TERM to the whole group now, KILL to whatever is left after the grace.
  auto stop_group = [&] {
    if (stopping) return;
    stopping = true;
    grace_deadline = std::chrono::steady_clock::now() + spec.kill_grace;
    ::kill(-group, SIGTERM);
    grace_timer.expires_after(spec.kill_grace);
    grace_timer.async_wait([&](boost::system::error_code e) {
      if (!e && !finished) ::kill(-group, SIGKILL);
    });
  };

  child.async_wait([&](boost::system::error_code, int) {
    finished = true;
    timeout_timer.cancel();
    grace_timer.cancel();
    stop_signals.cancel();
  });
  if (spec.timeout) {
    timeout_timer.expires_after(*spec.timeout);
    timeout_timer.async_wait([&](boost::system::error_code e) {
      if (e || finished) return;
      result.timed_out = true;
      stop_group();
    });
  }
  std::function<void(boost::system::error_code, int)> on_signal =
      [&](boost::system::error_code e, int signal) {
        if (e || finished) return;
        if (!result.stopped_by) result.stopped_by = signal;
        stop_group();
        stop_signals.async_wait(on_signal);
      };
  stop_signals.async_wait(on_signal);
  context.run();

  // A job that was stopped may have left members of its group behind (the
  // leader died of TERM while a grandchild ignores it). They get the rest of
  // the grace period, then SIGKILL, rather than being left running
  // unsupervised.
  if (stopping) {
    for (;;) {
      // The runner is their subreaper, so the group's dead are reaped here
      // and kill(2) stops finding the group once all of it is gone.
      while (::waitpid(-1, nullptr, WNOHANG) > 0) {
      }
      if (std::chrono::steady_clock::now() >= grace_deadline || ::kill(-group, 0) != 0) break;
      ::usleep(10'000);
    }
    ::kill(-group, SIGKILL);
    // SIGKILL is delivered asynchronously; the runner waits (briefly) until
    // the group is really gone, so whoever waits for the runner never sees
    // a member of a stopped job still running.
    const auto kill_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    for (;;) {
      while (::waitpid(-1, nullptr, WNOHANG) > 0) {
      }
      if (std::chrono::steady_clock::now() >= kill_deadline || ::kill(-group, 0) != 0) break;
      ::usleep(2'000);
    }
  }

  const int status = child.native_exit_code();
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace omnicron::posix
