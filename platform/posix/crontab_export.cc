#include "posix/crontab_export.h"

#include <algorithm>
#include <map>
#include <set>
#include <variant>

#include <fmt/format.h>

#include "diagnostic.h"
#include "duration.h"
#include "posix/crontab_block.h"
#include "posix/crontab_import.h"

namespace omnicron::posix {

namespace {

// The characters sh_quote() leaves bare; anything else unquoted in a line
// omnicron wrote is shell syntax, not part of a word.
bool is_plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/' || c == ',' || c == ':' || c == '+' || c == '@' ||
         c == '%';
}

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// One blank-separated word of a /bin/sh command line as sh_quote() writes
// them: bare plain characters, '…' quoted runs and backslash escapes.
struct ShWord {
  std::string value;      // with the quoting undone
  std::string_view raw;   // as written
  std::size_t begin = 0;  // offset of `raw` in the line
  // Every unquoted character was plain: the word means exactly `value`.
  bool literal = true;
  // For NAME=VALUE words whose NAME and '=' are unquoted: the length of
  // NAME, so the word is an assignment; 0 otherwise.
  std::size_t assignment = 0;
};

// Splits a command line into words; nothing when a quote is not closed.
std::optional<std::vector<ShWord>> split_words(std::string_view line) {
  std::vector<ShWord> words;
  std::size_t i = 0;
  while (true) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    ShWord word;
    word.begin = i;
    bool quoted_yet = false;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
      const char c = line[i];
      if (c == '\'') {
        const std::size_t close = line.find('\'', i + 1);
        if (close == std::string_view::npos) return std::nullopt;
        word.value.append(line.substr(i + 1, close - i - 1));
        quoted_yet = true;
        i = close + 1;
      } else if (c == '\\' && i + 1 < line.size()) {
        word.value += line[i + 1];
        quoted_yet = true;
        i += 2;
      } else {
        if (c == '=' && !quoted_yet && word.assignment == 0 && !word.value.empty() &&
            is_name_start(word.value.front()) &&
            std::all_of(word.value.begin(), word.value.end(), is_name_char)) {
          word.assignment = word.value.size();
        } else if (!is_plain(c)) {
          word.literal = false;
        }
        word.value += c;
        ++i;
      }
    }
    word.raw = line.substr(word.begin, i - word.begin);
    words.push_back(std::move(word));
  }
  return words;
}

bool is_operator(const ShWord &w, std::string_view op) { return w.raw == op; }

// What a job's line says about it, besides its schedule: the settings it
// carries, with the command and conditions kept apart until the end because
// the settings hold them as optional.
struct Decompiled {
  JobSettings settings;
  Command command;
  Conditions conditions;
  std::optional<std::string> runner;  // the `omnicron` the line calls
};

std::optional<Overlap> overlap_from(std::string_view text) {
  for (Overlap o : {Overlap::allow, Overlap::skip, Overlap::queue, Overlap::replace})
    if (to_string(o) == text) return o;
  return std::nullopt;
}

// `omnicron exec --job NS/NAME [options] -- PROGRAM ARGS…`: the options as
// runner_command() writes them. Returns the reason when the words are not.
std::variant<Decompiled, std::string> from_runner(const std::vector<ShWord> &words,
                                                  const std::string &job_id, bool shell) {
  Decompiled d;
  d.runner = words[0].value;
  std::size_t i = 2;
  // An option's value is the next word; both are consumed.
  auto value = [&]() -> std::optional<std::string> {
    if (i + 1 >= words.size()) return std::nullopt;
    i += 2;
    return words[i - 1].value;
  };
  auto duration = [&](std::string_view option,
                      std::optional<std::chrono::seconds> &into) -> std::optional<std::string> {
    auto text = value();
    if (!text) return fmt::format("'{}' has no value", option);
    into = parse_duration(*text);
    if (!into) return fmt::format("'{} {}' is not a duration", option, *text);
    return std::nullopt;
  };
  bool saw_job = false;
  while (i < words.size()) {
    const std::string &option = words[i].value;
    if (option == "--") {
      ++i;
      break;
    }
    std::optional<std::string> failure;
    if (option == "--job") {
      auto id = value();
      if (!id || *id != job_id)
        return fmt::format("the runner is told it runs '{}', not '{}'", id.value_or(""), job_id);
      saw_job = true;
    } else if (option == "--cwd") {
      d.settings.working_dir = value();
      if (!d.settings.working_dir) failure = "'--cwd' has no value";
    } else if (option == "--env") {
      auto setting = value();
      const std::size_t eq = setting ? setting->find('=') : std::string::npos;
      if (eq == std::string::npos || eq == 0) return fmt::format("'--env' needs NAME=VALUE");
      d.settings.env[setting->substr(0, eq)] = setting->substr(eq + 1);
    } else if (option == "--log") {
      d.settings.log = value();
      if (!d.settings.log) failure = "'--log' has no value";
    } else if (option == "--timeout") {
      failure = duration(option, d.settings.timeout);
    } else if (option == "--overlap") {
      auto text = value();
      d.settings.overlap = text ? overlap_from(*text) : std::nullopt;
      if (!d.settings.overlap)
        failure = fmt::format("'--overlap {}' is unknown", text.value_or(""));
    } else if (option == "--retries") {
      auto text = value();
      Retries r = d.settings.retries.value_or(Retries{});
      try {
        std::size_t used = 0;
        r.count = text ? std::stoi(*text, &used) : -1;
        if (!text || used != text->size() || r.count < 0) throw std::invalid_argument("");
      } catch (const std::exception &) {
        return fmt::format("'--retries {}' is not a count", text.value_or(""));
      }
      d.settings.retries = r;
    } else if (option == "--retry-delay") {
      std::optional<std::chrono::seconds> delay;
      failure = duration(option, delay);
      if (delay) {
        Retries r = d.settings.retries.value_or(Retries{});
        r.delay = *delay;
        d.settings.retries = r;
      }
    } else if (option == "--require-ac-power") {
      d.conditions.ac_power = true;
      ++i;
    } else if (option == "--require-network") {
      d.conditions.network = true;
      ++i;
    } else if (option == "--require-idle") {
      failure = duration(option, d.conditions.idle);
    } else if (option == "--random-delay") {
      failure = duration(option, d.settings.random_delay);
    } else {
      return fmt::format("the runner option '{}' is not one omnicron writes", option);
    }
    if (failure) return *failure;
  }
  if (!saw_job) return std::string("the runner line has no '--job'");
  if (i >= words.size()) return std::string("the runner line names no program after '--'");
  std::vector<std::string> argv;
  for (; i < words.size(); ++i) argv.push_back(words[i].value);
  if (shell && argv.size() == 3 && argv[0] == "/bin/sh" && argv[1] == "-c")
    d.command.shell = argv[2];
  else
    d.command.argv = std::move(argv);
  return d;
}

// `[cd DIR && ][NAME=VALUE …]PROGRAM ARGS…[ >> LOG 2>&1]` with literal words,
// as plain_command() writes a job that needs no runner; nothing when the
// words are not of that form.
std::optional<Decompiled> from_plain_words(const std::vector<ShWord> &words, std::size_t i) {
  Decompiled d;
  std::size_t end = words.size();
  if (end >= i + 3 && is_operator(words[end - 1], "2>&1") && is_operator(words[end - 3], ">>") &&
      words[end - 2].literal) {
    d.settings.log = words[end - 2].value;
    end -= 3;
  }
  for (; i < end && words[i].assignment > 0; ++i) {
    const ShWord &w = words[i];
    d.settings.env[w.value.substr(0, w.assignment)] = w.value.substr(w.assignment + 1);
  }
  if (i >= end) return std::nullopt;
  for (; i < end; ++i) {
    if (!words[i].literal || words[i].assignment > 0) return std::nullopt;
    d.command.argv.push_back(words[i].value);
  }
  return d;
}

std::variant<Decompiled, std::string> from_plain(std::string_view line,
                                                 const std::vector<ShWord> &words, bool shell) {
  // The working directory comes first, as "cd DIR && ".
  std::size_t first = 0;
  std::string_view rest = line;
  std::optional<std::string> working_dir;
  if (words.size() >= 3 && is_operator(words[0], "cd") && words[1].literal &&
      is_operator(words[2], "&&")) {
    working_dir = words[1].value;
    first = 3;
    rest = line.substr(words[2].begin + words[2].raw.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  }
  auto plain = from_plain_words(words, first);
  if (shell) {
    // A `shell:` job is written as its own text, unless env or a log made it
    // "/bin/sh -c TEXT" behind them.
    if (plain && (!plain->settings.env.empty() || plain->settings.log) &&
        plain->command.argv.size() == 3 && plain->command.argv[0] == "/bin/sh" &&
        plain->command.argv[1] == "-c") {
      const std::string text = plain->command.argv[2];
      plain->command = Command{{}, text};
    } else {
      plain = Decompiled{};
      plain->command.shell = std::string(rest);
      if (plain->command.shell.empty()) return std::string("the line has no command");
    }
  } else if (!plain) {
    return std::string("the command is not a plain argv as omnicron writes one");
  }
  plain->settings.working_dir = std::move(working_dir);
  return *plain;
}

std::variant<Decompiled, std::string> decompile_command(const std::string &command,
                                                        const std::string &job_id, bool shell) {
  auto words = split_words(command);
  if (!words || words->empty()) return std::string("the command has an unclosed quote");
  const std::string &program = words->front().value;
  const bool runner = words->size() >= 2 && words->front().literal && (*words)[1].raw == "exec" &&
                      (program == "omnicron" || program.ends_with("/omnicron"));
  if (runner) return from_runner(*words, job_id, shell);
  return from_plain(command, *words, shell);
}

// The installed lines of an entry as they were compiled, without the "# " of
// a disabled entry and any CR an editor left.
std::vector<std::string> compiled_lines(const ParsedEntry &entry) {
  std::vector<std::string> lines;
  for (std::string line : entry.lines) {
    if (!entry.enabled && line.starts_with("# ")) line.erase(0, 2);
    if (line.ends_with('\r')) line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

class BlockExporter {
 public:
  BlockExporter(const ExportOptions &options, ExportResult &result)
      : options_(options), result_(result) {}

  // The job of one installed entry, or nothing (with the reason listed).
  std::optional<Job> entry(const std::string &namespace_, const ParsedEntry &entry) {
    const std::string id = namespace_ + "/" + entry.job;
    auto fail = [&](const std::string &why) -> std::optional<Job> {
      result_.problems.push_back(
          fmt::format("line {}: job '{}' is not exported: {}", entry.line, id, why));
      return std::nullopt;
    };
    const std::vector<std::string> lines = compiled_lines(entry);
    if (lines.empty()) return fail("its entry has no lines");

    Schedule schedule;
    std::optional<std::string> user;
    std::string command;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      auto parsed = parse_job_line(lines[k], options_.user_column);
      if (auto *why = std::get_if<std::string>(&parsed))
        return fail(fmt::format("line {}: {}", entry.line + 1 + static_cast<int>(k), *why));
      const auto &job_line = std::get<ForeignEntry>(parsed);
      if (k == 0) {
        user = job_line.user;
        command = job_line.command;
      } else if (job_line.user != user || job_line.command != command) {
        return fail("its lines run different commands (edited by hand)");
      }
      ScheduleItem item;
      if (job_line.schedule == "@reboot")
        item.kind = ScheduleItem::Kind::boot;
      else
        item.cron = job_line.schedule;
      schedule.items.push_back(std::move(item));
    }

    auto decompiled = decompile_command(command, id, entry.shell);
    if (auto *why = std::get_if<std::string>(&decompiled)) return fail(*why);
    Decompiled &d = std::get<Decompiled>(decompiled);

    Job job;
    job.name = entry.job;
    JobSettings &s = job.settings;
    s = std::move(d.settings);
    if (!entry.description.empty()) s.description = entry.description;
    s.schedule = std::move(schedule);
    s.command = std::move(d.command);
    if (d.conditions != Conditions{}) s.conditions = d.conditions;
    if (!entry.enabled) s.enabled = false;
    if (user && *user != options_.default_user) s.run_as = *user == "root" ? "system" : *user;
    if (d.runner) {
      if (result_.omnicron_path && *result_.omnicron_path != *d.runner)
        result_.problems.push_back(
            fmt::format("line {}: job '{}' calls the runner as {}, other jobs "
                        "as {}; a sync writes one "
                        "path for all",
                        entry.line, id, *d.runner, *result_.omnicron_path));
      else
        result_.omnicron_path = d.runner;
    }

    check_round_trip(namespace_, job, entry, lines, d.runner);
    return job;
  }

 private:
  // Compiles the job again the way a sync would: a job whose lines or digest
  // would come out differently was edited by hand, and a sync of the export
  // would rewrite it, so it is listed.
  void check_round_trip(const std::string &namespace_, const Job &job, const ParsedEntry &entry,
                        const std::vector<std::string> &lines,
                        const std::optional<std::string> &runner) {
    Manifest one;
    one.namespace_ = namespace_;
    one.jobs.push_back(job);
    CrontabOptions compile;
    if (runner) compile.omnicron_path = *runner;
    if (options_.user_column) compile.user_column = options_.default_user;
    compile.system_timezone = options_.system_timezone;
    Diagnostics diagnostics;
    const CrontabBlock block = compile_crontab_block(one, compile, diagnostics);
    const bool same = block.entries.size() == 1 && block.entries[0].lines == lines &&
                      block.entries[0].digest == entry.digest;
    if (same) return;
    result_.problems.push_back(fmt::format(
        "line {}: job '{}/{}' {}; the export holds what the lines do, and a "
        "sync of it "
        "rewrites the entry",
        entry.line, namespace_, entry.job,
        entry.edited_by_hand ? "was edited by hand" : "does not compile back to its lines"));
  }

  const ExportOptions &options_;
  ExportResult &result_;
};

void add_problem_comments(ExportResult &result) {
  if (result.problems.empty()) return;
  result.comments.footer.push_back(
      "Not exported exactly, because the table's "
      "lines say something a manifest cannot:");
  for (const auto &line : result.problems) result.comments.footer.push_back("  " + line);
}

}  // namespace

ExportResult export_block(const ParsedBlock &block, const ExportOptions &options) {
  ExportResult result;
  result.manifest.namespace_ = block.namespace_;
  BlockExporter exporter(options, result);
  for (const ParsedEntry &entry : block.entries)
    if (auto job = exporter.entry(block.namespace_, entry))
      result.manifest.jobs.push_back(std::move(*job));
  result.comments.header.push_back(fmt::format(
      "Exported by omnicron from the '{}' block of {}{}.", block.namespace_, options.table_name,
      block.source ? " (generated from " + *block.source + ")" : ""));
  if (result.omnicron_path && *result.omnicron_path != CrontabOptions{}.omnicron_path)
    result.comments.header.push_back(
        fmt::format("Its lines call the runner as {}; sync with --omnicron {} "
                    "to keep them.",
                    *result.omnicron_path, *result.omnicron_path));
  add_problem_comments(result);
  return result;
}

ExportResult export_table(const ParsedCrontab &table, const std::string &namespace_,
                          const ExportOptions &options) {
  ExportResult result;
  result.manifest.namespace_ = namespace_;
  BlockExporter exporter(options, result);

  // Names used by more than one namespace are prefixed with theirs.
  std::map<std::string, int> uses;
  for (const ParsedBlock *block : table.blocks())
    for (const ParsedEntry &entry : block->entries) ++uses[entry.job];
  std::set<std::string> taken;
  for (const ParsedBlock *block : table.blocks()) {
    for (const ParsedEntry &entry : block->entries) {
      auto job = exporter.entry(block->namespace_, entry);
      if (!job) continue;
      if (uses[job->name] > 1) job->name = block->namespace_ + "-" + job->name;
      taken.insert(job->name);
      result.comments.before_job[job->name].push_back(
          fmt::format("From the '{}' block, line {}.", block->namespace_, entry.line));
      result.manifest.jobs.push_back(std::move(*job));
    }
  }

  std::vector<UnexpressibleLine> unexpressible;
  for (AdoptedJob &adopted : adopt_foreign_jobs(table, options.user_column, taken, unexpressible)) {
    if (adopted.job.settings.run_as &&
        *adopted.job.settings.run_as ==
            (options.default_user == "root" ? "system" : options.default_user))
      adopted.job.settings.run_as.reset();
    result.comments.before_job[adopted.job.name].push_back(
        fmt::format("Adopted from line {}, which omnicron does not manage; "
                    "delete that line when you "
                    "sync this job, or it runs twice:",
                    adopted.line));
    result.comments.before_job[adopted.job.name].push_back("  " + adopted.text);
    result.manifest.jobs.push_back(std::move(adopted.job));
    ++result.adopted;
  }
  for (const auto &line : unexpressible)
    result.problems.push_back(
        fmt::format("line {}: not adopted: {}: {}", line.line, line.reason, line.text));

  result.comments.header.push_back(
      fmt::format("Exported by omnicron from all of {}: its omnicron blocks and its other "
                  "job lines.",
                  options.table_name));
  add_problem_comments(result);
  return result;
}

std::string render_export(const ExportResult &result) {
  return emit_manifest(result.manifest, result.comments);
}

}  // namespace omnicron::posix
