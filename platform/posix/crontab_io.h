#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnicron::posix {

// A user's table, reached through the real `crontab` command.
struct CrontabTarget {
  // The user whose table this is, passed as `crontab -u USER` (only root
  // may do that). Nothing means the table of the user running omnicron.
  std::optional<std::string> user;
  // The `crontab` program to run. Empty means $OMNICRON_CRONTAB when that is
  // set (tests point it at a fake), else `crontab` found on PATH.
  std::string crontab_program;
};

// What one run of a program left behind.
struct ProgramResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// Runs PROGRAM with ARGS (an argv, never through a shell), feeding STDIN_TEXT
// and capturing stdout, stderr and the exit code. A program that cannot be
// started is an Error of kind io; its exit code is the caller's business.
ProgramResult run_program(const std::string& program,
                          const std::vector<std::string>& args,
                          std::string_view stdin_text);

// The path of the `crontab` program the target uses. Throws a backend Error
// saying that the `cron` package provides it when it cannot be found.
std::string crontab_program(const CrontabTarget& target);

// `crontab -l` (or `crontab -u USER -l`): the table byte for byte, or nothing
// when the user has no table ("no crontab for USER", exit 1), which means an
// empty table. Anything else crontab refuses (the user is denied by
// /etc/cron.allow or /etc/cron.deny, the user does not exist) is a backend
// Error carrying crontab's own words and its exit code.
std::optional<std::string> read_crontab(const CrontabTarget& target);

// `crontab -` (or `crontab -u USER -`) with TEXT on stdin; empty text
// installs an empty table. When crontab rejects the table it installs
// nothing and the old table stays; that, and every other refusal, is a
// backend Error carrying crontab's own words and its exit code.
void write_crontab(const CrontabTarget& target, std::string_view text);

}  // namespace omnicron::posix
