#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omnicron::runner {

// The runner's own exit codes, chosen where timeout(1) and env(1) put theirs
// so a wrapper that knows those reads ours the same way: 124 when the run was
// stopped for taking too long, 125 when the runner itself failed (the program
// could not be started, the working directory or log could not be opened).
// Every other code is the program's own, or 128 + the signal that ended it.
inline constexpr int kTimedOutExit = 124;
inline constexpr int kRunnerFailedExit = 125;

// What to do when the job's previous run is still going.
enum class OverlapPolicy { allow, skip, queue, replace };

std::optional<OverlapPolicy> parse_overlap(std::string_view text);
std::string_view to_string(OverlapPolicy policy);

// A job as the scheduler names it on the runner's line: "NS/NAME".
struct JobId {
  std::string namespace_;
  std::string name;
  std::string text() const { return namespace_ + "/" + name; }
};

// Reads "NS/NAME" (both parts non-empty, exactly one slash); nothing otherwise.
std::optional<JobId> parse_job_id(std::string_view text);

// Reads a byte size: a whole number with an optional K, M or G suffix (powers
// of 1024), "10M", "512K", "4096". Nothing for zero or anything else.
std::optional<std::uint64_t> parse_size(std::string_view text);

using Environment = std::vector<std::pair<std::string, std::string>>;

// Reads "K=V" (K non-empty, no '=' in K); nothing otherwise.
std::optional<std::pair<std::string, std::string>> parse_env_assignment(std::string_view text);

// What the runner knows about the user it runs as, to fill in what cron
// leaves out.
struct UserFacts {
  bool root = false;
  std::string home;  // from the password database; empty when unknown
  std::string name;  // likewise
};

// The account with UID in TEXT, the contents of an /etc/passwd file
// ("name:password:uid:gid:gecos:home:shell" lines): its name and home.
// Nothing when no well-formed line has that uid.
std::optional<UserFacts> find_account(std::string_view passwd_text, unsigned uid);

// The program's environment: the inherited one, then PATH, HOME, LANG,
// USER and LOGNAME filled in where missing or empty (cron sets only a bare
// PATH, HOME, SHELL and LOGNAME), then the job's own --env on top. Order is
// kept so the program sees its environment in a stable order.
Environment job_environment(const Environment& inherited, const UserFacts& user,
                            const Environment& overrides);

// Where PROGRAM is found: itself when it contains a slash, else the first
// directory of PATH (as the program's environment has it) holding it. The
// candidates to try, in order; the platform tests each for an executable.
std::vector<std::string> program_candidates(std::string_view program, std::string_view path);

// The program's environment on Windows: the inherited one with the job's
// --env on top. Windows reads names without regard to case ("Path" is PATH),
// so an override replaces the variable whatever its case, and the block is
// sorted by name without regard to case, as CreateProcess wants it. Nothing
// is filled in: Windows gives every process PATH, USERPROFILE and USERNAME.
Environment windows_job_environment(const Environment& inherited, const Environment& overrides);

// The value of NAME in ENV, the name compared without regard to ASCII case
// as Windows does; empty when it is not there.
std::string windows_variable(const Environment& env, std::string_view name);

// Where PROGRAM is found on Windows, the candidates in order: PROGRAM itself
// when it names a folder (holds a backslash, '/' or ':'), else PROGRAM in each
// folder of PATH (';'-separated; empty entries skipped). A name without an
// extension is tried with ".exe" first, which CreateProcess would append.
std::vector<std::string> windows_program_candidates(std::string_view program,
                                                    std::string_view path);

// Every option of `omnicron exec`, parsed and checked, with its defaults.
struct RunOptions {
  JobId job;
  std::optional<std::string> cwd;
  Environment env;
  std::optional<std::string> log;
  std::uint64_t log_max_size = 10u * 1024 * 1024;
  unsigned log_keep = 5;
  std::optional<std::chrono::milliseconds> timeout;
  std::chrono::milliseconds kill_grace{10'000};
  OverlapPolicy overlap = OverlapPolicy::allow;
  unsigned retries = 0;
  std::chrono::milliseconds retry_delay{0};
  bool require_ac_power = false;
  bool require_network = false;
  std::optional<std::chrono::seconds> require_idle;
  std::optional<std::chrono::milliseconds> random_delay;
  std::vector<std::string> argv;
};

// Reads a runner duration: the manifest's format ("90s", "1h30m", see
// duration.h) or, for tests and sub-second grace periods, a whole number of
// milliseconds written "250ms". Nothing otherwise.
std::optional<std::chrono::milliseconds> parse_runner_duration(std::string_view text);

}  // namespace omnicron::runner
