#include "posix/crontab_io.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>

#include "error.h"
#include "posix/boost_process.h"
#include "posix/os_error.h"

namespace omnicron::posix {
namespace {

namespace asio = boost::asio;
namespace bp = boost::process::v2;

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Gives the descriptor up to a new owner.
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// The text a child reads on stdin, in an anonymous in-memory file rather than
// a pipe. crontab refuses a denied user before it reads stdin; writing to a
// pipe whose reader is gone raises SIGPIPE, which kills omnicron unless the
// whole process ignores it, and a table larger than the pipe buffer would
// need a writer running beside the readers of stdout and stderr. A file has
// none of these problems: the child reads what it wants, when it wants.
Fd stdin_file(std::string_view text) {
  Fd fd(::memfd_create("omnicron-stdin", MFD_CLOEXEC));
  if (fd.get() < 0) throw os_error("creating the input for a program", "memfd", errno);
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd.get(), text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw os_error("writing the input for a program", "memfd", errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::lseek(fd.get(), 0, SEEK_SET) < 0) {
    throw os_error("rewinding the input for a program", "memfd", errno);
  }
  return fd;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string table_name(const CrontabTarget& target) {
  return target.user ? "the crontab of user " + *target.user
                     : std::string("your crontab");
}

std::vector<std::string> crontab_args(const CrontabTarget& target,
                                      const char* action) {
  std::vector<std::string> args;
  if (target.user) {
    args.push_back("-u");
    args.push_back(*target.user);
  }
  args.push_back(action);
  return args;
}

// crontab's refusal as one error: what omnicron attempted, then crontab's
// own words (its stderr) and its exit code.
Error crontab_error(std::string attempted, const ProgramResult& result) {
  std::string words = trimmed(result.err);
  if (words.empty()) words = trimmed(result.out);
  if (words.empty()) words = "crontab gave no reason";
  Error error(ErrorKind::backend, std::move(attempted));
  error.with_native(result.exit_code, std::move(words));
  return error;
}

}  // namespace

ProgramResult run_program(const std::string& program,
                          const std::vector<std::string>& args,
                          std::string_view stdin_text) {
  const Fd input = stdin_file(stdin_text);
  asio::io_context context;
  asio::readable_pipe out(context);
  asio::readable_pipe err(context);
  // posix_spawn(3), not Boost.Process's launchers: those fork(2), which
  // copies omnicron's page tables and then makes every page omnicron
  // writes until crontab has exec'd a copy-on-write fault (a measurable
  // part of a no-op sync, whose whole cost should be one `crontab -l`).
  // glibc's posix_spawn is clone(CLONE_VM | CLONE_VFORK): nothing copied.
  // Boost.Process takes the pid for the waiting.
  std::string program_arg = program;
  std::vector<std::string> arg_texts = args;
  std::vector<char*> argv;
  argv.reserve(args.size() + 2);
  argv.push_back(program_arg.data());
  for (auto& arg : arg_texts) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  {
    // The write ends are closed when this block ends, or the reads below
    // would never see the end of the output.
    int out_fds[2];
    int err_fds[2];
    if (::pipe2(out_fds, O_CLOEXEC) != 0) throw os_error("starting a program", program, errno);
    Fd out_read(out_fds[0]);
    const Fd out_write(out_fds[1]);
    if (::pipe2(err_fds, O_CLOEXEC) != 0) throw os_error("starting a program", program, errno);
    Fd err_read(err_fds[0]);
    const Fd err_write(err_fds[1]);
    out.assign(out_read.get());
    out_read.release();
    err.assign(err_read.get());
    err_read.release();

    // Every step must succeed: a child whose stdin is not the text would
    // have `crontab -` install whatever omnicron's own stdin holds. dup2
    // onto 0, 1 and 2 clears close-on-exec on the copies, and everything
    // from 3 up is closed, so only those three reach the program, as with
    // Boost.Process's launcher (a descriptor a wrapper script left open
    // without close-on-exec included).
    posix_spawn_file_actions_t actions;
    int error = ::posix_spawn_file_actions_init(&actions);
    if (error != 0) throw os_error("starting a program", program, error);
    error = ::posix_spawn_file_actions_adddup2(&actions, input.get(), 0);
    if (error == 0) error = ::posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
    if (error == 0) error = ::posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
    if (error == 0) error = ::posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (error == 0) {
      error = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    }
    ::posix_spawn_file_actions_destroy(&actions);
    if (error != 0) throw os_error("starting a program", program, error);
  }
  std::optional<bp::basic_process<asio::io_context::executor_type>> child;
  try {
    child.emplace(context.get_executor(), pid);
  } catch (...) {
    // Boost.Process could not take the child (pidfd_open failed): it is
    // stopped and reaped here rather than left to finish a write unwatched.
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    throw;
  }

  // stdout and stderr are read at the same time: a child that fills one pipe
  // while we wait on the other would otherwise never finish.
  ProgramResult result;
  boost::system::error_code out_ec;
  boost::system::error_code err_ec;
  asio::async_read(out, asio::dynamic_buffer(result.out),
                   [&](boost::system::error_code e, std::size_t) { out_ec = e; });
  asio::async_read(err, asio::dynamic_buffer(result.err),
                   [&](boost::system::error_code e, std::size_t) { err_ec = e; });
  context.run();

  boost::system::error_code wait_ec;
  result.exit_code = child->wait(wait_ec);
  if (wait_ec) throw os_error("waiting for a program", program, wait_ec.value());
  // A read ends with end-of-file when the child closes its side; anything
  // else means part of what it said was lost.
  for (const auto& e : {out_ec, err_ec}) {
    if (e && e != asio::error::eof) {
      throw os_error("reading the output of a program", program, e.value());
    }
  }
  return result;
}

std::string crontab_program(const CrontabTarget& target) {
  std::string program = target.crontab_program;
  if (program.empty()) {
    if (const char* env = std::getenv("OMNICRON_CRONTAB"); env && *env) program = env;
  }
  if (program.empty()) {
    program = bp::environment::find_executable("crontab").string();
    if (program.empty()) {
      throw Error(ErrorKind::backend,
                  "cannot find the `crontab` program on PATH; on Debian and "
                  "Ubuntu it comes with the `cron` package (apt-get install cron)");
    }
    return program;
  }
  if (::access(program.c_str(), X_OK) != 0) {
    const int err = errno;
    Error error(ErrorKind::backend,
                "cannot run the `crontab` program: " + program +
                    " (on Debian and Ubuntu it comes with the `cron` package)");
    error.with_native(err, std::strerror(err));
    throw error;
  }
  return program;
}

std::optional<std::string> read_crontab(const CrontabTarget& target) {
  const std::string program = crontab_program(target);
  const ProgramResult result = run_program(program, crontab_args(target, "-l"), {});
  if (result.exit_code == 0) return result.out;
  // crontab says "no crontab for USER" and exits 1 when the user has no
  // table yet; that is an empty table, not a failure.
  if (result.exit_code == 1 && trimmed(result.err).starts_with("no crontab for ")) {
    return std::nullopt;
  }
  throw crontab_error("reading " + table_name(target), result);
}

void write_crontab(const CrontabTarget& target, std::string_view text) {
  const std::string program = crontab_program(target);
  const ProgramResult result = run_program(program, crontab_args(target, "-"), text);
  if (result.exit_code != 0) {
    throw crontab_error("installing " + table_name(target), result);
  }
}

}  // namespace omnicron::posix
