#include "posix/runner_process.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "posix/boost_process.h"

namespace omnicron::posix {

namespace {

namespace asio = boost::asio;
namespace bp = boost::process::v2;

StartError start_error(const std::string& what, int err) {
  StartError e(ErrorKind::io, what);
  e.with_native(err, std::strerror(err));
  return e;
}

// What the child needs to become the job, all prepared by the runner: the
// child shares the runner's memory until it calls execve(2), so it must not
// allocate, lock or touch anything the runner is using.
struct SpawnRequest {
  const char* program;
  char* const* argv;
  char* const* envp;
  const char* cwd;  // nullptr: the runner's own
  int output_fd;    // -1: the runner's own stdout and stderr
  pid_t runner;
  sigset_t runner_mask;  // restored in the child, for the job to inherit
  // Written by the child when a step fails, read by the runner once the child
  // has exec'd or exited: CLONE_VFORK keeps the runner suspended until then.
  int error = 0;
  const char* failed_step = nullptr;
};

// The child, between clone(2) and execve(2). It leads a new process group, so
// the runner can signal everything the job starts at once; and it is killed
// when the runner dies (even by SIGKILL), because the runner's overlap lock
// dies with the runner and a new run must not meet an orphan.
int become_job(void* argument) {
  auto& request = *static_cast<SpawnRequest*>(argument);
  auto fail = [&](const char* step) {
    request.error = errno;
    request.failed_step = step;
    ::_exit(127);
    return 0;
  };
  // Every signal is blocked here (see spawn_job). The runner's handlers
  // would run in the runner's memory, so the signals it handles get their
  // default action back before any can be delivered.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (const int signal : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(signal, &default_action, nullptr);
  ::sigprocmask(SIG_SETMASK, &request.runner_mask, nullptr);
  if (::setpgid(0, 0) != 0) return fail("setpgid");
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return fail("prctl");
  // The runner may have died before the line above; then nobody will send
  // the signal, and the job must not run unsupervised.
  if (::getppid() != request.runner) ::_exit(127);
  if (request.output_fd >= 0) {
    if (::dup2(request.output_fd, STDOUT_FILENO) < 0 ||
        ::dup2(request.output_fd, STDERR_FILENO) < 0) {
      return fail("dup2");
    }
  }
  // A failure here is reported as the working directory's, not mistaken
  // for the program's own exit.
  if (request.cwd && ::chdir(request.cwd) != 0) return fail("chdir");
  // The job gets stdin, stdout and stderr only, not whatever else the
  // scheduler left open for the runner. On kernels without close_range(2)
  // (before 5.9) the descriptors marked close-on-exec are all there is to
  // worry about: the runner opens every file of its own that way.
  ::close_range(3, ~0U, 0);
  ::execve(request.program, request.argv, request.envp);
  return fail("execve");
}

// Starts the job's program and returns its pid. Boost.Process's own
// launchers fork(2), which copies the runner's page tables and then has
// Asio rebuild its reactor in the child only to exec straight away (about
// 0.3 ms of the 2.1 ms the runner added to /bin/true), or vfork(2) while
// running that same rebuild in the shared memory, which corrupts the
// runner's reactor. This is what
// posix_spawn(3) does inside, plus the two steps it cannot express
// (PR_SET_PDEATHSIG, the group check): clone(2) with CLONE_VM | CLONE_VFORK
// on a stack of its own. Boost.Process then takes the pid (as a pidfd) for
// the waiting.
pid_t spawn_job(const ChildSpec& spec, char* const* argv, char* const* envp) {
  SpawnRequest request{};
  request.program = spec.program.c_str();
  request.argv = argv;
  request.envp = envp;
  request.cwd = spec.cwd ? spec.cwd->c_str() : nullptr;
  request.output_fd = spec.output_fd;
  request.runner = ::getpid();

  // Signals stay blocked while the child runs in the runner's memory; one
  // that arrives meanwhile is delivered to the runner once it resumes.
  sigset_t all;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &request.runner_mask);
  // The child only makes system calls; 32 KiB is room for glibc resolving
  // a lazily bound one on the way. On the runner's own stack, whose pages
  // are already mapped, rather than in fresh memory that would fault.
  alignas(64) char stack[32 * 1024];
  const pid_t pid = ::clone(become_job, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD,
                            &request);
  const int clone_error = errno;
  ::pthread_sigmask(SIG_SETMASK, &request.runner_mask, nullptr);

  if (pid < 0) throw start_error(fmt::format("cannot start '{}'", spec.program), clone_error);
  if (request.error != 0) {
    ::waitpid(pid, nullptr, 0);
    if (std::strcmp(request.failed_step, "chdir") == 0) {
      throw start_error(fmt::format("cannot use working directory '{}'", *spec.cwd),
                        request.error);
    }
    throw start_error(fmt::format("cannot start '{}'", spec.program), request.error);
  }
  return pid;
}

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
  // Orphaned grandchildren are re-parented to the runner rather than to
  // init, so the runner can reap the ones it stops and tell when the whole
  // group is gone.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  asio::io_context context;
  // Set up before the child exists, so a SIGTERM that arrives while it
  // starts is not lost.
  asio::signal_set stop_signals(context, SIGTERM, SIGINT, SIGHUP);

  std::vector<std::string> env_texts;
  env_texts.reserve(spec.env.size());
  for (const auto& [name, value] : spec.env) env_texts.push_back(name + "=" + value);
  std::vector<char*> envp;
  envp.reserve(env_texts.size() + 1);
  for (auto& text : env_texts) envp.push_back(text.data());
  envp.push_back(nullptr);
  // argv[0] is the path the program was found at, as Boost.Process's
  // launchers pass it.
  std::string program = spec.program;
  std::vector<std::string> args = spec.args;
  std::vector<char*> argv;
  argv.reserve(args.size() + 2);
  argv.push_back(program.data());
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  bp::basic_process<asio::io_context::executor_type> child(context.get_executor(),
                                                           spawn_job(spec, argv.data(), envp.data()));

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
