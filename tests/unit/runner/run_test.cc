#include "runner/run.h"

#include <deque>

#include <gtest/gtest.h>

#include "error.h"

namespace omnicron::runner {
namespace {

using namespace std::chrono_literals;

// An OS that records what the run asked of it and plays back the attempts a
// test gives it.
class FakeSystem final : public RunSystem {
 public:
  std::vector<PowerSupply> supplies;  // none: on external power by definition
  bool network = true;
  std::vector<std::chrono::seconds> idle;
  int conditions_asked = 0;
  bool lock_held_elsewhere = false;
  long replaced_pid = 0;
  std::deque<AttemptResult> attempts;  // played back in order
  std::vector<RunRecord> history;
  std::vector<std::string> log;
  std::vector<std::string> stderr_lines;
  std::vector<std::chrono::milliseconds> sleeps;
  bool stop_while_sleeping = false;

  Millis now() override { return Millis{1000ms}; }
  std::vector<PowerSupply> power_supplies() override {
    ++conditions_asked;
    return supplies;
  }
  bool network_is_up() override {
    ++conditions_asked;
    return network;
  }
  std::vector<std::chrono::seconds> session_idle_times() override {
    ++conditions_asked;
    return idle;
  }
  void make_job_dir(const std::filesystem::path&) override {}
  std::chrono::steady_clock::time_point steady_now() override { return {}; }
  std::unique_ptr<Held> try_lock(const std::filesystem::path&) override {
    if (lock_held_elsewhere) return nullptr;
    return std::make_unique<Held>();
  }
  std::unique_ptr<Held> lock(const std::filesystem::path&) override {
    return std::make_unique<Held>();
  }
  std::unique_ptr<Held> replace_lock(const std::filesystem::path&, const std::string&,
                                     long& stopped) override {
    stopped = replaced_pid;
    return std::make_unique<Held>();
  }
  void prepare_child(const RunOptions&) override {}
  std::unique_ptr<AttemptLog> open_log(const RunOptions&) override {
    return std::make_unique<Log>(log);
  }
  void find_program(const RunOptions& options) override {
    if (options.argv.front() == "missing") {
      throw Error(ErrorKind::io, "cannot start 'missing': No such file or directory");
    }
  }
  AttemptResult run_attempt() override {
    AttemptResult next = attempts.front();
    attempts.pop_front();
    return next;
  }
  void append_history(const std::filesystem::path&, const RunRecord& record) override {
    history.push_back(record);
  }
  bool sleep(std::chrono::milliseconds delay) override {
    sleeps.push_back(delay);
    return stop_while_sleeping;
  }
  void report(const std::string& line) override { stderr_lines.push_back(line); }

 private:
  struct Log final : AttemptLog {
    explicit Log(std::vector<std::string>& lines) : lines_(lines) {}
    void write(const std::string& text) override { lines_.push_back(text); }
    std::vector<std::string>& lines_;
  };
};

AttemptResult exited(int code) {
  AttemptResult result;
  result.pid = 42;
  result.exit_code = code;
  result.scheduler_exit = code;
  return result;
}

RunOptions options_for(std::vector<std::string> argv) {
  RunOptions options;
  options.job = {"ns", "job"};
  options.argv = std::move(argv);
  return options;
}

TEST(PerformRunTest, SkipsAndRecordsAnUnmetCondition) {
  FakeSystem system;
  system.network = false;
  system.attempts.push_back(exited(0));
  RunOptions options = options_for({"true"});
  options.require_network = true;
  EXPECT_EQ(perform_run(system, options, "/state"), 0);
  ASSERT_EQ(system.history.size(), 1u);
  EXPECT_EQ(system.history[0].outcome, Outcome::skipped);
  EXPECT_EQ(system.history[0].reason, "there is no default route (--require-network)");
  EXPECT_EQ(system.attempts.size(), 1u) << "a skipped run started its program";
}

TEST(PerformRunTest, AsksOnlyForTheConditionsRequired) {
  FakeSystem system;
  system.network = false;
  system.supplies = {{"Battery", std::nullopt}};
  system.idle = {std::chrono::seconds(5)};
  system.attempts.push_back(exited(0));
  EXPECT_EQ(perform_run(system, options_for({"true"}), "/state"), 0);
  ASSERT_EQ(system.history.size(), 1u);
  EXPECT_EQ(system.history[0].outcome, Outcome::exited);
  EXPECT_EQ(system.conditions_asked, 0);
}

TEST(PerformRunTest, NamesEachUnmetCondition) {
  FakeSystem on_battery;
  on_battery.supplies = {{"Battery", std::nullopt}, {"Mains", false}};
  RunOptions power = options_for({"true"});
  power.require_ac_power = true;
  perform_run(on_battery, power, "/state");
  ASSERT_EQ(on_battery.history.size(), 1u);
  EXPECT_EQ(on_battery.history[0].reason, "the machine is on battery (--require-ac-power)");

  FakeSystem busy;
  busy.idle = {std::chrono::seconds(30), std::chrono::seconds(3600)};
  RunOptions idle = options_for({"true"});
  idle.require_idle = std::chrono::seconds(60);
  perform_run(busy, idle, "/state");
  ASSERT_EQ(busy.history.size(), 1u);
  EXPECT_EQ(busy.history[0].reason,
            "a logged-in session had input in the last 60s (--require-idle)");
}

TEST(PerformRunTest, SkipsWhileThePreviousRunHoldsTheLock) {
  FakeSystem system;
  system.lock_held_elsewhere = true;
  RunOptions options = options_for({"true"});
  options.overlap = OverlapPolicy::skip;
  EXPECT_EQ(perform_run(system, options, "/state"), 0);
  ASSERT_EQ(system.history.size(), 1u);
  EXPECT_EQ(system.history[0].reason, "the previous run is still going (--overlap skip)");
}

TEST(PerformRunTest, RetriesAFailureAfterTheDelayAndNotesAReplacedRun) {
  FakeSystem system;
  system.replaced_pid = 7;
  system.attempts = {exited(3), exited(0)};
  RunOptions options = options_for({"job.sh"});
  options.overlap = OverlapPolicy::replace;
  options.retries = 2;
  options.retry_delay = 5s;
  EXPECT_EQ(perform_run(system, options, "/state"), 0);
  ASSERT_EQ(system.history.size(), 2u);
  EXPECT_EQ(system.history[0].attempt, 1u);
  EXPECT_EQ(system.history[0].exit_code, 3);
  EXPECT_EQ(system.history[0].reason, "replaced the run of pid 7");
  EXPECT_EQ(system.history[1].attempt, 2u);
  EXPECT_EQ(system.sleeps, (std::vector<std::chrono::milliseconds>{5s}));
}

TEST(PerformRunTest, ATimeoutReturns124AndAStopIsNotRetried) {
  FakeSystem system;
  AttemptResult timed_out = exited(0);
  timed_out.exit_code.reset();
  timed_out.timed_out = true;
  AttemptResult stopped = exited(0);
  stopped.stopped = "the runner got SIGTERM";
  stopped.scheduler_exit = 143;
  system.attempts = {timed_out, stopped, exited(0)};
  RunOptions options = options_for({"job.sh"});
  options.timeout = 250ms;
  options.retries = 2;
  EXPECT_EQ(perform_run(system, options, "/state"), 143);
  ASSERT_EQ(system.history.size(), 2u);
  EXPECT_EQ(system.history[0].outcome, Outcome::timed_out);
  EXPECT_EQ(system.history[0].reason, "timed out after 250ms");
  EXPECT_EQ(system.history[1].outcome, Outcome::stopped);
  EXPECT_EQ(system.history[1].reason, "the runner got SIGTERM");
}

TEST(PerformRunTest, AStopDuringTheRetryDelayEndsTheRun) {
  FakeSystem system;
  system.stop_while_sleeping = true;
  system.attempts = {exited(1), exited(0)};
  RunOptions options = options_for({"job.sh"});
  options.retries = 1;
  options.retry_delay = 1s;
  EXPECT_EQ(perform_run(system, options, "/state"), 1);
  EXPECT_EQ(system.history.size(), 1u);
}

TEST(PerformRunTest, AProgramThatCannotStartFailsTheRunner) {
  FakeSystem system;
  RunOptions options = options_for({"missing"});
  options.log = "/logs/job.log";
  EXPECT_EQ(perform_run(system, options, "/state"), kRunnerFailedExit);
  EXPECT_EQ(system.stderr_lines,
            (std::vector<std::string>{
                "omnicron exec: ns/job: cannot start 'missing': No such file or directory"}));
  ASSERT_EQ(system.history.size(), 1u);
  EXPECT_EQ(system.history[0].outcome, Outcome::failed_to_start);
  EXPECT_EQ(system.log.size(), 2u);  // the start and end banners
}

TEST(PerformRunTest, RefusingARunRecordsIt) {
  FakeSystem system;
  EXPECT_EQ(refuse_run(system, {"ns", "job"}, "unknown option --x", "/state"),
            kRunnerFailedExit);
  EXPECT_EQ(system.stderr_lines,
            (std::vector<std::string>{"omnicron exec: ns/job: unknown option --x"}));
  ASSERT_EQ(system.history.size(), 1u);
  EXPECT_EQ(system.history[0].reason, "unknown option --x");
}

}  // namespace
}  // namespace omnicron::runner
