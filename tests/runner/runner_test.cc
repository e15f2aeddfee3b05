// omnicron exec against real processes. Every test starts the real binary
// (OMNICRON_BINARY) on small /bin/sh scripts and reads back what it left:
// its exit code, its stderr, the job's log and its history.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "posix/runner_files.h"
#include "runner/history.h"
#include "runner/run_options.h"

extern char** environ;

namespace omnicron {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using runner::Outcome;
using runner::RunRecord;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool alive(pid_t pid) {
  // A zombie is dead for our purpose: it runs nothing and only waits for
  // whoever adopted it to reap it.
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return false;
  const auto paren = stat.rfind(')');
  return paren != std::string::npos && stat.size() > paren + 2 && stat[paren + 2] != 'Z';
}

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/omnicron-runner-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Starts `omnicron exec --state-dir DIR/state --job t/JOB OPTIONS -- ARGV`
  // with its stderr in DIR/stderr-N; returns the pid.
  pid_t start(const std::vector<std::string>& options, const std::vector<std::string>& argv,
              const std::string& job = "t/job", char** env = environ) {
    std::vector<std::string> words = {OMNICRON_BINARY, "exec", "--state-dir",
                                      (dir_ / "state").string(), "--job", job};
    words.insert(words.end(), options.begin(), options.end());
    words.push_back("--");
    words.insert(words.end(), argv.begin(), argv.end());
    std::vector<char*> args;
    for (auto& w : words) args.push_back(w.data());
    args.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string err = (dir_ / ("stderr-" + std::to_string(spawned_++))).string();
    last_stderr_ = err;
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0);
    return pid;
  }

  static int finish(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  int exec(const std::vector<std::string>& options, const std::vector<std::string>& argv,
           const std::string& job = "t/job") {
    return finish(start(options, argv, job));
  }

  std::vector<RunRecord> history(const std::string& name = "job") {
    return runner::parse_history(
        posix::read_history(posix::job_dir(dir_ / "state", runner::JobId{"t", name})));
  }

  std::string script(const std::string& body) { return body; }

  // Waits until PATH exists (a script writes it once it is running).
  static bool wait_for(const fs::path& path, std::chrono::milliseconds limit = 5s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (fs::exists(path)) return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }

  fs::path dir_;
  std::string last_stderr_;
  int spawned_ = 0;
};

TEST_F(RunnerTest, ExitsWithTheProgramsOwnCode) {
  EXPECT_EQ(exec({}, {"/bin/sh", "-c", "exit 7"}), 7);
  EXPECT_EQ(exec({}, {"true"}), 0);
  auto records = history();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].outcome, Outcome::exited);
  EXPECT_EQ(records[0].exit_code, 7);
  EXPECT_FALSE(records[0].succeeded());
  EXPECT_TRUE(records[1].succeeded());
}

TEST_F(RunnerTest, ExitsWith128PlusTheSignalThatEndedTheProgram) {
  EXPECT_EQ(exec({}, {"/bin/sh", "-c", "kill -USR1 $$"}), 128 + SIGUSR1);
  auto records = history();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].outcome, Outcome::signalled);
  EXPECT_EQ(records[0].signal, SIGUSR1);
}

TEST_F(RunnerTest, AProgramThatCannotStartIsOneLineAndItsOwnExitCode) {
  EXPECT_EQ(exec({}, {"/nonexistent/program"}), runner::kRunnerFailedExit);
  const std::string err = read_file(last_stderr_);
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_NE(err.find("cannot start '/nonexistent/program'"), std::string::npos) << err;

  EXPECT_EQ(exec({}, {"no-such-program-anywhere"}), runner::kRunnerFailedExit);
  EXPECT_NE(read_file(last_stderr_).find("not found in PATH"), std::string::npos);

  const fs::path not_executable = dir_ / "data.txt";
  std::ofstream(not_executable) << "x\n";
  EXPECT_EQ(exec({}, {not_executable.string()}), runner::kRunnerFailedExit);
  EXPECT_NE(read_file(last_stderr_).find("Permission denied"), std::string::npos);

  EXPECT_EQ(exec({"--cwd", (dir_ / "missing").string()}, {"true"}), runner::kRunnerFailedExit);
  EXPECT_NE(read_file(last_stderr_).find("cannot use working directory"), std::string::npos);

  auto records = history();
  ASSERT_EQ(records.size(), 4u);
  for (const auto& r : records) EXPECT_EQ(r.outcome, Outcome::failed_to_start);
}

TEST_F(RunnerTest, BadOptionsOfAKnownJobAreRecordedAsRunnerFailures) {
  // Under cron nobody reads stderr: a line this omnicron cannot run must show
  // up in the job's history, where status finds it.
  EXPECT_EQ(exec({"--timeout", "soon"}, {"true"}), runner::kRunnerFailedExit);
  const std::string bad_duration =
      "--timeout 'soon' is not a duration; write it like 90s, 10m, 1h30m or 250ms";
  EXPECT_EQ(read_file(last_stderr_), "omnicron exec: t/job: " + bad_duration + "\n");
  // An option a newer omnicron wrote, with its value, as sync writes them.
  EXPECT_EQ(exec({"--newer-option", "5m"}, {"true"}), runner::kRunnerFailedExit);
  EXPECT_EQ(read_file(last_stderr_).rfind("omnicron exec: t/job: '--newer-option' is not an option "
                                          "of omnicron exec ", 0),
            0u)
      << read_file(last_stderr_);
  EXPECT_EQ(exec({"--retries", "many"}, {"true"}), runner::kRunnerFailedExit);
  EXPECT_EQ(exec({}, {}), runner::kRunnerFailedExit);
  EXPECT_NE(read_file(last_stderr_).find("nothing to run"), std::string::npos);

  auto records = history();
  ASSERT_EQ(records.size(), 4u);
  for (const auto& r : records) {
    EXPECT_EQ(r.outcome, Outcome::failed_to_start);
    EXPECT_EQ(r.pid, 0);
    EXPECT_FALSE(r.succeeded());
  }
  EXPECT_EQ(records[0].reason, bad_duration);
  EXPECT_NE(records[1].reason.find("'--newer-option'"), std::string::npos);
  EXPECT_EQ(records[2].reason, "--retries 'many' is not a whole number");

  // A program's own "--" argument is no stray separator.
  EXPECT_EQ(exec({}, {"/bin/sh", "-c", "test \"$1\" = --", "sh", "--"}), 0);
}

TEST_F(RunnerTest, BadOptionsWithoutAJobAreOnlyUsageErrors) {
  EXPECT_EQ(exec({"--timeout", "soon"}, {"true"}, "no-namespace"), 2);
  EXPECT_NE(read_file(last_stderr_).find("--job 'no-namespace' is not NAMESPACE/NAME"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "state"));
}

TEST_F(RunnerTest, RunsInTheWorkingDirectoryWithTheBaseEnvironmentAndEnvOnTop) {
  fs::create_directory(dir_ / "work");
  const fs::path log = dir_ / "logs" / "deep" / "job.log";
  // An empty environment, as bare as a scheduler could start us.
  char* empty_env[] = {nullptr};
  const pid_t pid = start({"--cwd", (dir_ / "work").string(), "--env", "GREETING=hello world",
                           "--env", "LANG=C", "--log", log.string()},
                          {"/bin/sh", "-c", "pwd; echo \"$GREETING|$LANG|$HOME\"; echo \"$PATH\"; echo oops >&2"},
                          "t/job", empty_env);
  EXPECT_EQ(finish(pid), 0);
  const std::string text = read_file(log);
  EXPECT_NE(text.find((dir_ / "work").string() + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hello world|C|/root\n"), std::string::npos) << text;
  EXPECT_NE(text.find("/usr/bin:"), std::string::npos) << text;
  EXPECT_NE(text.find("oops\n"), std::string::npos) << text;
  EXPECT_EQ(text.rfind("=== omnicron: t/job started ", 0), 0u) << text;
  EXPECT_NE(text.find("=== omnicron: t/job ended "), std::string::npos) << text;
  EXPECT_NE(text.find(": exit 0\n"), std::string::npos) << text;

  struct stat st {};
  ASSERT_EQ(::stat(log.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(log.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir_ / "logs").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto records = history();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].log, log.string());
}

TEST_F(RunnerTest, TimeoutKillsAProgramThatIgnoresTermAfterTheGracePeriod) {
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(exec({"--timeout", "200ms", "--kill-grace", "300ms"},
                 {"/bin/sh", "-c", "trap '' TERM; sleep 10"}),
            runner::kTimedOutExit);
  const auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_GE(took, 500ms);
  EXPECT_LT(took, 5s);
  auto records = history();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].outcome, Outcome::timed_out);
  EXPECT_EQ(records[0].signal, SIGKILL);
}

TEST_F(RunnerTest, TimeoutStopsGrandchildrenWithTheProgram) {
  const fs::path pids = dir_ / "pids";
  EXPECT_EQ(exec({"--timeout", "200ms", "--kill-grace", "2s"},
                 {"/bin/sh", "-c",
                  "sleep 30 & echo $! > " + pids.string() +
                      "; (trap '' TERM; sleep 30) & echo $! >> " + pids.string() + "; wait"}),
            runner::kTimedOutExit);
  std::istringstream in(read_file(pids));
  pid_t pid = 0;
  int seen = 0;
  while (in >> pid) {
    ++seen;
    EXPECT_FALSE(alive(pid)) << "grandchild " << pid << " survived";
  }
  EXPECT_EQ(seen, 2);
  auto records = history();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].signal, SIGTERM);
}

TEST_F(RunnerTest, TheProgramDiesWithTheRunner) {
  // The overlap lock dies with the runner, so its program must too, or a
  // new run would meet an orphan.
  const fs::path pid_file = dir_ / "pid";
  const pid_t runner = start({}, {"/bin/sh", "-c", "echo $$ > " + pid_file.string() + ".tmp; mv " +
                                                       pid_file.string() + ".tmp " +
                                                       pid_file.string() + "; exec sleep 30"});
  ASSERT_TRUE(wait_for(pid_file));
  const pid_t program = std::stoi(read_file(pid_file));
  ASSERT_TRUE(alive(program));
  ::kill(runner, SIGKILL);
  finish(runner);
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (alive(program) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_FALSE(alive(program)) << "the program outlived its runner";
}

TEST_F(RunnerTest, TheProgramGetsOnlyStdinStdoutAndStderr) {
  // A descriptor whoever started the runner left open (and inheritable)
  // is not passed on to the job.
  const int leaked = ::open((dir_ / "open-file").c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(leaked, 0);
  ASSERT_EQ(::dup2(leaked, 7), 7);
  const int code = exec({}, {"/bin/sh", "-c", "test ! -e /proc/self/fd/7"});
  ::close(7);
  ::close(leaked);
  EXPECT_EQ(code, 0);
}

TEST_F(RunnerTest, SkipReallySkipsASecondConcurrentRun) {
  const fs::path started = dir_ / "started";
  const fs::path release = dir_ / "release";
  const pid_t first = start({"--overlap", "skip"},
                            {"/bin/sh", "-c", "touch " + started.string() + "; while [ ! -e " +
                                                  release.string() + " ]; do sleep 0.02; done"});
  ASSERT_TRUE(wait_for(started));
  EXPECT_EQ(exec({"--overlap", "skip"}, {"/bin/sh", "-c", "echo ran >> " + (dir_ / "second").string()}), 0);
  EXPECT_FALSE(fs::exists(dir_ / "second"));
  std::ofstream(release.string()) << "";
  EXPECT_EQ(finish(first), 0);
  auto records = history();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].outcome, Outcome::skipped);
  EXPECT_NE(records[0].reason.find("still going"), std::string::npos);
  EXPECT_EQ(records[1].outcome, Outcome::exited);
}

TEST_F(RunnerTest, QueueWaitsForThePreviousRun) {
  const fs::path started = dir_ / "started";
  const fs::path order = dir_ / "order";
  // The first run holds the lock long enough that the second, however
  // slowly a loaded machine starts it, is still queued behind it.
  const pid_t first =
      start({"--overlap", "queue"}, {"/bin/sh", "-c", "touch " + started.string() +
                                                          "; sleep 1.5; echo first >> " + order.string()});
  ASSERT_TRUE(wait_for(started));
  EXPECT_EQ(exec({"--overlap", "queue"}, {"/bin/sh", "-c", "echo second >> " + order.string()}), 0);
  EXPECT_EQ(finish(first), 0);
  EXPECT_EQ(read_file(order), "first\nsecond\n");
  auto records = history();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_GT(records[1].queued, 100ms);
  EXPECT_GE(records[1].start, records[0].end - 50ms);
}

TEST_F(RunnerTest, ReplaceStopsTheOldRun) {
  const fs::path started = dir_ / "started";
  const pid_t first = start({"--overlap", "replace", "--kill-grace", "2s"},
                            {"/bin/sh", "-c", "touch " + started.string() + "; sleep 30"});
  ASSERT_TRUE(wait_for(started));
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(exec({"--overlap", "replace"}, {"true"}), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 3s);
  EXPECT_EQ(finish(first), 128 + SIGTERM);
  auto records = history();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].outcome, Outcome::stopped);
  EXPECT_EQ(records[1].outcome, Outcome::exited);
  EXPECT_NE(records[1].reason.find("replaced the run of pid"), std::string::npos);
}

TEST_F(RunnerTest, RetriesStopAtN) {
  const fs::path count = dir_ / "count";
  EXPECT_EQ(exec({"--retries", "2", "--retry-delay", "50ms"},
                 {"/bin/sh", "-c", "echo x >> " + count.string() + "; exit 3"}),
            3);
  EXPECT_EQ(read_file(count), "x\nx\nx\n");
  auto records = history();
  ASSERT_EQ(records.size(), 3u);
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_EQ(records[i].attempt, i + 1);
    EXPECT_EQ(records[i].attempts, 3u);
  }
}

TEST_F(RunnerTest, RetriesStopAtTheFirstSuccessAndCoverTimeouts) {
  const fs::path count = dir_ / "count";
  // The first attempt times out, the second succeeds.
  EXPECT_EQ(exec({"--retries", "5", "--timeout", "300ms", "--kill-grace", "100ms"},
                 {"/bin/sh", "-c", "echo x >> " + count.string() + "; [ $(wc -l < " +
                                       count.string() + ") -ge 2 ] || sleep 10"}),
            0);
  EXPECT_EQ(read_file(count), "x\nx\n");
  auto records = history();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].outcome, Outcome::timed_out);
  EXPECT_TRUE(records[1].succeeded());
}

TEST_F(RunnerTest, LogRotationKeepsExactlyNFiles) {
  const fs::path log = dir_ / "logs" / "job.log";
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(exec({"--log", log.string(), "--log-max-size", "100", "--log-keep", "3"},
                   {"/bin/echo", "run " + std::to_string(i)}),
              0);
  }
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(log.parent_path())) {
    names.insert(entry.path().filename().string());
  }
  EXPECT_EQ(names, (std::set<std::string>{"job.log", "job.log.1", "job.log.2", "job.log.3"}));
  // Each run's banners pass 100 bytes, so every run rotated: the live log has
  // the newest run and job.log.3 the oldest one kept.
  EXPECT_NE(read_file(log).find("run 5\n"), std::string::npos);
  EXPECT_NE(read_file(log.string() + ".3").find("run 2\n"), std::string::npos);
}

TEST_F(RunnerTest, HistoryOfTwentyConcurrentRunsParsesLineByLine) {
  std::vector<pid_t> pids;
  for (int i = 0; i < 20; ++i) pids.push_back(start({}, {"/bin/sh", "-c", "exit " + std::to_string(i)}));
  std::set<int> codes;
  for (const pid_t pid : pids) codes.insert(finish(pid));
  EXPECT_EQ(codes.size(), 20u);
  const std::string text =
      posix::read_history(posix::job_dir(dir_ / "state", runner::JobId{"t", "job"}));
  std::istringstream lines(text);
  std::string line;
  std::set<int> recorded;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    auto r = runner::parse_record(line);
    ASSERT_TRUE(r) << "line " << count << " does not parse: " << line;
    recorded.insert(*r->exit_code);
  }
  EXPECT_EQ(count, 20);
  EXPECT_EQ(recorded, codes);
}

TEST_F(RunnerTest, HistoryStaysBounded) {
  const fs::path job = dir_ / "state" / "jobs" / "t" / "bounded";
  RunRecord r;
  r.job = "t/bounded";
  r.reason = std::string(100, 'x');
  for (int i = 0; i < 200; ++i) posix::append_history(job, r, 4096);
  const std::string text = posix::read_history(job);
  EXPECT_LE(text.size(), 4096u);
  EXPECT_EQ(runner::parse_history(text).size(),
            static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
}

TEST_F(RunnerTest, ReadsBatteriesFromSysfs) {
  const fs::path sys = dir_ / "power_supply";
  fs::create_directories(sys / "BAT0");
  fs::create_directories(sys / "AC");
  std::ofstream(sys / "BAT0" / "type") << "Battery\n";
  std::ofstream(sys / "AC" / "type") << "Mains\n";
  std::ofstream(sys / "AC" / "online") << "0\n";
  auto supplies = posix::read_power_supplies(sys);
  ASSERT_EQ(supplies.size(), 2u);
  EXPECT_FALSE(runner::on_ac_power(supplies));
  std::ofstream(sys / "AC" / "online") << "1\n";
  EXPECT_TRUE(runner::on_ac_power(posix::read_power_supplies(sys)));
}

TEST_F(RunnerTest, ConditionsThatHoldLetTheRunHappen) {
  // This machine has no battery, and an idle time of 0s is always met; the
  // network condition depends on the machine, so only its record is checked.
  const fs::path ran = dir_ / "ran";
  EXPECT_EQ(exec({"--require-ac-power", "--require-idle", "0s"}, {"/bin/sh", "-c", "touch " + ran.string()}), 0);
  EXPECT_TRUE(fs::exists(ran));
  EXPECT_EQ(exec({"--require-network"}, {"true"}), 0);
  auto records = history();
  ASSERT_EQ(records.size(), 2u);
  if (records[1].outcome == Outcome::skipped) {
    EXPECT_NE(records[1].reason.find("--require-network"), std::string::npos);
  }
}

}  // namespace
}  // namespace omnicron
