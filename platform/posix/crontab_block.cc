#include "posix/crontab_block.h"

#include <cstdint>

#include <fmt/format.h>

#include "duration.h"
#include "error.h"
#include "posix/shell_quote.h"
#include "schedule.h"

namespace omnicron::posix {

namespace {

// Whether the job asks for something only the runner (`omnicron exec`)
// provides; plain cron lines cannot time out, lock, retry or check power.
bool needs_runner(const EffectiveJob& job) {
  return job.timeout || job.overlap != Overlap::allow || job.retries.count > 0 ||
         job.conditions.ac_power || job.conditions.network ||
         job.conditions.idle || job.random_delay;
}

std::vector<std::string> program_argv(const EffectiveJob& job) {
  if (job.command.is_shell()) return {"/bin/sh", "-c", job.command.shell};
  return job.command.argv;
}

// The /bin/sh command line for a job that needs no runner: working directory,
// environment and log done by the shell cron already starts. The job's own
// environment travels on its own line, never as a top-level crontab
// assignment that would leak into other people's lines.
std::string plain_command(const EffectiveJob& job) {
  std::string out;
  if (job.working_dir) out += "cd " + sh_quote(*job.working_dir) + " && ";
  for (const auto& [name, value] : job.env) out += name + "=" + sh_quote(value) + " ";
  if (job.command.is_shell() && (job.env.empty() && !job.log))
    out += job.command.shell;
  else
    out += sh_join(program_argv(job));
  if (job.log) out += " >> " + sh_quote(*job.log) + " 2>&1";
  return out;
}

// The runner's command line: every option on the registered line itself, so
// what is installed describes itself and `export` can read it back.
std::string runner_command(const EffectiveJob& job, const CrontabOptions& options) {
  std::vector<std::string> words = {options.omnicron_path, "exec", "--job",
                                    job.namespace_ + "/" + job.name};
  if (job.working_dir) words.insert(words.end(), {"--cwd", *job.working_dir});
  for (const auto& [name, value] : job.env)
    words.insert(words.end(), {"--env", name + "=" + value});
  if (job.log) words.insert(words.end(), {"--log", *job.log});
  if (job.timeout) words.insert(words.end(), {"--timeout", format_duration(*job.timeout)});
  if (job.overlap != Overlap::allow)
    words.insert(words.end(), {"--overlap", std::string(to_string(job.overlap))});
  if (job.retries.count > 0) {
    words.insert(words.end(), {"--retries", std::to_string(job.retries.count)});
    if (job.retries.delay.count() > 0)
      words.insert(words.end(), {"--retry-delay", format_duration(job.retries.delay)});
  }
  if (job.conditions.ac_power) words.push_back("--require-ac-power");
  if (job.conditions.network) words.push_back("--require-network");
  if (job.conditions.idle)
    words.insert(words.end(), {"--require-idle", format_duration(*job.conditions.idle)});
  if (job.random_delay)
    words.insert(words.end(), {"--random-delay", format_duration(*job.random_delay)});
  words.push_back("--");
  for (auto& word : program_argv(job)) words.push_back(std::move(word));
  return sh_join(words);
}

// Collapses runs of blanks in a cron expression so installed lines read the
// same whatever spacing the manifest used.
std::string schedule_text(const cron::CronExpression& expr) {
  std::string out;
  bool blank = false;
  for (char c : expr.text()) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

// The user column of a job's line in an /etc/cron.d file: its own `run_as`
// ("system" is root there) or the file's default user.
std::string user_of(const EffectiveJob& job, const CrontabOptions& options) {
  if (!job.run_as) return *options.user_column;
  return *job.run_as == "system" ? "root" : *job.run_as;
}

// Reports what cron cannot do for this job; returns false if it cannot be
// compiled at all.
bool check_expressible(const EffectiveJob& job,
                       const CrontabOptions& options, Diagnostics& diagnostics) {
  bool ok = true;
  const std::string field = "jobs." + job.name + ".";
  if (job.timezone && *job.timezone != options.system_timezone) {
    diagnostics.error(
        where_of(job, "timezone"), field + "timezone",
        fmt::format("cron runs jobs in the system's time zone ({}) and Debian's cron has "
                    "no CRON_TZ, so '{}' cannot be honoured",
                    options.system_timezone.empty() ? "unknown" : options.system_timezone,
                    *job.timezone),
        "write the schedule in the system's time zone, or move 'timezone' into a "
        "'windows:' overlay");
    ok = false;
  }
  if (job.missed == Missed::run) {
    diagnostics.error(where_of(job, "missed"), field + "missed",
                      "cron does not run jobs missed while the machine was off "
                      "(that needs anacron or systemd timers)",
                      "move 'missed: run' into a 'windows:' overlay, or remove it");
    ok = false;
  }
  if (job.run_as && !options.user_column) {
    diagnostics.error(where_of(job, "run_as"), field + "run_as",
                      fmt::format("a user's crontab runs every line as its owner, so "
                                  "'run_as: {}' cannot be honoured there",
                                  *job.run_as),
                      "render for an /etc/cron.d file (--user-column USER), where every "
                      "line names its user, or move 'run_as' into a 'windows:' overlay");
    ok = false;
  }
  if (!job.command.is_shell() && !job.command.argv.empty() &&
      job.command.argv[0].find('/') == std::string::npos && !job.env.count("PATH")) {
    const std::string message = fmt::format(
        "'{}' has no path; cron looks programs up in PATH=/usr/bin:/bin, which may "
        "not be where it is",
        job.command.argv[0]);
    const std::string hint = "write the full path (see `command -v " + job.command.argv[0] +
                             "`), or set env.PATH";
    if (options.strict) {
      diagnostics.error(where_of(job, "command"), field + "command", message, hint);
      ok = false;
    } else {
      diagnostics.warning(where_of(job, "command"), field + "command", message, hint);
    }
  }
  return ok;
}

}  // namespace

// FNV-1a over the lines as compiled (before a disabled entry's lines are
// commented out), so the digest says what was meant, not how it was written.
// The shell flag and the description are mixed in only when present, behind
// a byte no line contains, so entries without them keep the digests they had
// before the marker carried them.
std::string crontab_digest(const std::vector<std::string>& lines, bool enabled, bool shell,
                           std::string_view description) {
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  for (const auto& line : lines) {
    for (char c : line) mix(static_cast<unsigned char>(c));
    mix('\n');
  }
  mix(enabled ? '1' : '0');
  if (shell) {
    mix('\x01');
    mix('s');
  }
  if (!description.empty()) {
    mix('\x01');
    mix('d');
    for (char c : description) mix(static_cast<unsigned char>(c));
  }
  return fmt::format("{:08x}", static_cast<std::uint32_t>(h ^ (h >> 32)));
}

CrontabBlock compile_crontab_block(const Manifest& manifest,
                                   const CrontabOptions& options,
                                   Diagnostics& diagnostics) {
  CrontabBlock block{manifest.namespace_, manifest.file, {}};
  for (const Job& source : manifest.jobs) {
    if (!runs_on(source, Platform::posix)) continue;
    const EffectiveJob job = effective_job(manifest, source, Platform::posix);
    if (!check_expressible(job, options, diagnostics)) continue;

    std::string command = crontab_escape(needs_runner(job) ? runner_command(job, options)
                                                           : plain_command(job));
    if (command.size() > kMaxCrontabCommandBytes) {
      diagnostics.error(
          where_of(job, "command"), "jobs." + job.name + ".command",
          fmt::format("the crontab command would be {} bytes; Debian's cron refuses "
                      "commands longer than {} bytes",
                      command.size(), kMaxCrontabCommandBytes),
          "move the long part into a script and run that");
      continue;
    }
    // `crontab -l` prints a carriage return or a backspace as the two
    // characters "\r" or "\b" (cron-facts.md), so such a line would never
    // read back as written and every later plan would see a change.
    if (const auto bad = command.find_first_of("\r\b"); bad != std::string::npos) {
      diagnostics.error(where_of(job, "command"), "jobs." + job.name + ".command",
                        fmt::format("the crontab line would hold a {}, which `crontab -l` "
                                    "prints back as the two characters '{}'",
                                    command[bad] == '\r' ? "carriage return" : "backspace",
                                    command[bad] == '\r' ? "\\r" : "\\b"),
                        "remove the control character from the command, its env, log or "
                        "working_dir");
      continue;
    }

    CrontabEntry entry{job.name, {}, {}, job.enabled, job.command.is_shell(), job.description};
    bool ok = true;
    for (const ScheduleItem& item : job.schedule.items) {
      try {
        for (const auto& expr : to_cron(item)) {
          std::string line = schedule_text(expr);
          if (options.user_column) line += " " + user_of(job, options);
          entry.lines.push_back(line + " " + command);
        }
      } catch (const Error& e) {
        diagnostics.error(item.where.known() ? item.where : where_of(job, "schedule"),
                          "jobs." + job.name + ".schedule", e.message());
        ok = false;
      }
    }
    if (!ok) continue;
    entry.digest =
        crontab_digest(entry.lines, entry.enabled, entry.shell, entry.description);
    block.entries.push_back(std::move(entry));
  }
  return block;
}

std::string escape_marker_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f || (c == ' ' && i + 1 == text.size())) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string unescape_marker_text(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char next = text[i + 1];
    if (next == '\\' || next == 'n' || next == 'r' || next == 't') {
      out += next == 'n' ? '\n' : next == 'r' ? '\r' : next == 't' ? '\t' : '\\';
      ++i;
    } else if (next == 'x' && i + 3 < text.size() && hex(text[i + 2]) >= 0 &&
               hex(text[i + 3]) >= 0) {
      out += static_cast<char>(hex(text[i + 2]) * 16 + hex(text[i + 3]));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string render_crontab_block(const CrontabBlock& block) {
  std::string out = fmt::format(
      "# >>> omnicron {} — generated from {}; edits inside are overwritten\n",
      block.namespace_, block.source);
  for (const CrontabEntry& entry : block.entries) {
    out += fmt::format("# omnicron job={} digest={}{}{}{}{}\n", entry.job, entry.digest,
                       entry.enabled ? "" : " disabled", entry.shell ? " shell" : "",
                       entry.description.empty() ? "" : " description=",
                       escape_marker_text(entry.description));
    for (const auto& line : entry.lines) out += (entry.enabled ? "" : "# ") + line + "\n";
  }
  out += fmt::format("# <<< omnicron {}\n", block.namespace_);
  return out;
}

}  // namespace omnicron::posix
