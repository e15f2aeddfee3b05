#include "tasksched/task_xml.h"

#include <algorithm>

#include <array>
#include <cstdint>
#include <type_traits>

#include <fmt/format.h>

#include "duration.h"
#include "error.h"
#include "schedule.h"
#include "tasksched/command_line.h"
#include "tasksched/compile_triggers.h"

namespace omnicron::tasksched {

namespace {

constexpr std::string_view kTaskNamespace = "http://schemas.microsoft.com/windows/2004/02/mit/task";

// The longest Command and WorkingDirectory the schema allows (its pathType,
// Windows' MAX_PATH).
constexpr std::size_t kMaxPathChars = 260;

// cmd.exe through the variable Task Scheduler expands in an Exec action's
// program, so a Windows installed on another drive is found too.
constexpr std::string_view kCmdExe = R"(%SystemRoot%\System32\cmd.exe)";

// Writes indented XML, one element per line, closing what it opened.
class XmlWriter {
 public:
  void open(std::string_view name, std::string_view attributes = {}) {
    line(fmt::format("<{}{}{}>", name, attributes.empty() ? "" : " ", attributes));
    ++depth_;
  }
  void close(std::string_view name) {
    --depth_;
    line(fmt::format("</{}>", name));
  }
  void leaf(std::string_view name, std::string_view text) {
    line(fmt::format("<{0}>{1}</{0}>", name, xml_escape(text)));
  }
  // A bool gets its own name: a string literal would convert to bool before
  // it converted to std::string_view.
  void flag(std::string_view name, bool value) { leaf(name, value ? "true" : "false"); }
  void empty(std::string_view name) { line(fmt::format("<{} />", name)); }
  void raw(std::string_view text) { out_ += text; }
  std::string take() { return std::move(out_); }

 private:
  void line(std::string_view text) {
    out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }
  std::string out_;
  int depth_ = 0;
};

// Weekday names in the schema's order (Monday first), with their bit in the
// Sunday-0 masks of triggers.h.
constexpr std::array<std::pair<int, std::string_view>, 7> kWeekdays = {{
    {1, "Monday"}, {2, "Tuesday"}, {3, "Wednesday"}, {4, "Thursday"},
    {5, "Friday"}, {6, "Saturday"}, {0, "Sunday"},
}};

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

void write_days_of_week(XmlWriter& w, std::uint8_t mask) {
  w.open("DaysOfWeek");
  for (const auto& [bit, name] : kWeekdays)
    if (mask & (1u << bit)) w.empty(name);
  w.close("DaysOfWeek");
}

void write_months(XmlWriter& w, std::uint16_t mask) {
  w.open("Months");
  for (int m = 1; m <= 12; ++m)
    if (mask & (1u << m)) w.empty(kMonths[static_cast<std::size_t>(m - 1)]);
  w.close("Months");
}

void write_repetition(XmlWriter& w, const std::optional<Repetition>& repetition) {
  if (!repetition) return;
  w.open("Repetition");
  w.leaf("Interval", to_iso_duration(repetition->interval));
  if (repetition->duration) w.leaf("Duration", to_iso_duration(*repetition->duration));
  w.close("Repetition");
}

void write_schedule(XmlWriter& w, const CalendarSchedule& schedule) {
  std::visit(
      [&w](const auto& s) {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, ScheduleByDay>) {
          w.open("ScheduleByDay");
          w.leaf("DaysInterval", std::to_string(s.days_interval));
          w.close("ScheduleByDay");
        } else if constexpr (std::is_same_v<T, ScheduleByWeek>) {
          w.open("ScheduleByWeek");
          w.leaf("WeeksInterval", std::to_string(s.weeks_interval));
          write_days_of_week(w, s.days_of_week);
          w.close("ScheduleByWeek");
        } else if constexpr (std::is_same_v<T, ScheduleByMonth>) {
          w.open("ScheduleByMonth");
          w.open("DaysOfMonth");
          for (int d = 1; d <= 31; ++d)
            if (s.days_of_month & (1u << d)) w.leaf("Day", std::to_string(d));
          if (s.last_day) w.leaf("Day", "Last");
          w.close("DaysOfMonth");
          write_months(w, s.months);
          w.close("ScheduleByMonth");
        } else {
          w.open("ScheduleByMonthDayOfWeek");
          w.open("Weeks");
          for (int n = 1; n <= 4; ++n)
            if (s.weeks & (1u << n)) w.leaf("Week", std::to_string(n));
          if (s.last_week) w.leaf("Week", "Last");
          w.close("Weeks");
          write_days_of_week(w, s.days_of_week);
          write_months(w, s.months);
          w.close("ScheduleByMonthDayOfWeek");
        }
      },
      schedule);
}

// Triggers are written with only what omnicron decides: Enabled, EndBoundary,
// ExecutionTimeLimit, Delay and RandomDelay keep their schema defaults (on,
// none, the task's limit, none, none), which are also Windows' own.
void write_trigger(XmlWriter& w, const Trigger& trigger,
                   const std::optional<std::string>& logon_user) {
  std::visit(
      [&](const auto& t) {
        using T = std::decay_t<decltype(t)>;
        if constexpr (std::is_same_v<T, CalendarTrigger>) {
          w.open("CalendarTrigger");
          w.leaf("StartBoundary", to_string(t.start));
          write_repetition(w, t.repetition);
          write_schedule(w, t.schedule);
          w.close("CalendarTrigger");
        } else if constexpr (std::is_same_v<T, TimeTrigger>) {
          w.open("TimeTrigger");
          w.leaf("StartBoundary", to_string(t.start));
          write_repetition(w, t.repetition);
          w.close("TimeTrigger");
        } else if constexpr (std::is_same_v<T, BootTrigger>) {
          w.empty("BootTrigger");
        } else if (logon_user) {
          w.open("LogonTrigger");
          w.leaf("UserId", *logon_user);
          w.close("LogonTrigger");
        } else {
          w.empty("LogonTrigger");
        }
      },
      trigger);
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string_view to_string(InstancesPolicy policy) {
  switch (policy) {
    case InstancesPolicy::parallel: return "Parallel";
    case InstancesPolicy::queue: return "Queue";
    case InstancesPolicy::ignore_new: return "IgnoreNew";
    case InstancesPolicy::stop_existing: return "StopExisting";
  }
  return "Parallel";
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (u < 0x20 && c != '\t' && c != '\n')
          throw Error(ErrorKind::validation,
                      fmt::format("control character U+{:04X} cannot be written in task XML "
                                  "(XML 1.0 forbids it even as a character reference)",
                                  u));
        out += c;
    }
  }
  return out;
}

std::string render_task_xml(const TaskDefinition& task) {
  XmlWriter w;
  w.raw("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n");
  w.open("Task", fmt::format("version=\"1.3\" xmlns=\"{}\"", kTaskNamespace));

  const RegistrationInfo& r = task.registration;
  w.open("RegistrationInfo");
  if (!r.uri.empty()) w.leaf("URI", r.uri);
  w.leaf("Source", r.source);
  if (!r.author.empty()) w.leaf("Author", r.author);
  if (!r.digest.empty()) w.leaf("Version", r.digest);
  if (!r.description.empty()) w.leaf("Description", r.description);
  w.close("RegistrationInfo");

  if (task.triggers.empty()) {
    w.empty("Triggers");
  } else {
    w.open("Triggers");
    for (const Trigger& trigger : task.triggers) write_trigger(w, trigger, task.logon_user);
    w.close("Triggers");
  }

  // Every setting whose Windows default is not omnicron's is written, and so
  // are the ones the manifest decides, so the XML says what the task does
  // without knowing the defaults: no AC-power-only, no 72-hour limit.
  const TaskSettings& s = task.settings;
  w.open("Settings");
  w.flag("AllowStartOnDemand", true);
  w.leaf("MultipleInstancesPolicy", to_string(s.multiple_instances));
  w.flag("DisallowStartIfOnBatteries", s.disallow_start_if_on_batteries);
  w.flag("StopIfGoingOnBatteries", s.stop_if_going_on_batteries);
  w.flag("AllowHardTerminate", true);
  w.flag("StartWhenAvailable", s.start_when_available);
  w.flag("RunOnlyIfNetworkAvailable", s.run_only_if_network_available);
  w.flag("Enabled", s.enabled);
  if (s.idle) {
    // The manifest's idle condition is a start condition, as the runner
    // checks it on POSIX: the run is not stopped when the user comes back
    // (Windows' default StopOnIdleEnd would stop it).
    w.open("IdleSettings");
    w.leaf("Duration", to_iso_duration(s.idle->duration));
    w.leaf("WaitTimeout", to_iso_duration(s.idle->wait_timeout));
    w.flag("StopOnIdleEnd", false);
    w.flag("RestartOnIdle", false);
    w.close("IdleSettings");
  }
  // PT0S is Task Scheduler's "no limit".
  w.leaf("ExecutionTimeLimit", to_iso_duration(s.execution_time_limit));
  w.flag("RunOnlyIfIdle", s.idle.has_value());
  w.close("Settings");

  w.open("Principals");
  w.open("Principal", "id=\"Author\"");
  if (task.principal.user_id) w.leaf("UserId", *task.principal.user_id);
  switch (task.principal.logon_type) {
    case LogonType::interactive_token: w.leaf("LogonType", "InteractiveToken"); break;
    case LogonType::s4u: w.leaf("LogonType", "S4U"); break;
    // The schema has no value for a service account; Windows itself writes
    // none for SYSTEM and knows it from the SID.
    case LogonType::service_account: break;
  }
  w.leaf("RunLevel", "LeastPrivilege");
  w.close("Principal");
  w.close("Principals");

  w.open("Actions", "Context=\"Author\"");
  w.open("Exec");
  w.leaf("Command", task.action.command);
  if (!task.action.arguments.empty()) w.leaf("Arguments", task.action.arguments);
  if (task.action.working_directory)
    w.leaf("WorkingDirectory", *task.action.working_directory);
  w.close("Exec");
  w.close("Actions");

  w.close("Task");
  return w.take();
}

std::string to_utf16le_with_bom(std::string_view utf8) {
  std::string out = "\xFF\xFE";
  out.reserve(2 + utf8.size() * 2);
  auto unit = [&out](std::uint32_t u) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>((u >> 8) & 0xFF);
  };
  auto bad = [&utf8](std::size_t at) {
    return Error(ErrorKind::internal,
                 fmt::format("text for task XML is not UTF-8 (byte {} of {})", at, utf8.size()));
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    std::size_t length = 0;
    std::uint32_t cp = 0;
    std::uint32_t least = 0;
    if (b < 0x80) {
      length = 1;
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      length = 2;
      cp = b & 0x1Fu;
      least = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      length = 3;
      cp = b & 0x0Fu;
      least = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      length = 4;
      cp = b & 0x07u;
      least = 0x10000;
    } else {
      throw bad(i);
    }
    if (i + length > utf8.size()) throw bad(i);
    for (std::size_t k = 1; k < length; ++k) {
      const auto c = static_cast<unsigned char>(utf8[i + k]);
      if ((c & 0xC0) != 0x80) throw bad(i + k);
      cp = (cp << 6) | (c & 0x3F);
    }
    // Overlong forms, surrogate halves and values past U+10FFFF are not
    // characters; UTF-16 could not say them or would say something else.
    if (cp < least || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) throw bad(i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
    i += length;
  }
  return out;
}

std::string task_digest(const TaskDefinition& task) {
  TaskDefinition without = task;
  without.registration.digest.clear();
  const std::uint64_t h = fnv1a(render_task_xml(without));
  return fmt::format("{:08x}", static_cast<std::uint32_t>(h ^ (h >> 32)));
}

namespace {

// What only the runner gives a task on Windows. Timeout, overlap, missed
// runs, conditions and the working directory are Task Scheduler settings;
// its RestartOnFailure restarts only a task that failed to start, not one
// that exited with an error, so retries need the runner. Its RandomDelay is
// per trigger and not documented for repetitions, and boot and logon
// triggers have none, so random_delay is the runner's too: every run is
// delayed the same way on every OS.
bool needs_runner(const EffectiveJob& job) {
  return !job.env.empty() || job.log || job.retries.count > 0 || job.random_delay;
}

std::vector<std::string> program_argv(const EffectiveJob& job) {
  if (job.command.is_shell())
    return {std::string(kCmdExe), "/d", "/s", "/c", job.command.shell};
  return job.command.argv;
}

// The runner's arguments, as crontab_block.cc writes them, less the options
// Task Scheduler carries itself (--cwd, --overlap and the conditions).
std::vector<std::string> runner_arguments(const EffectiveJob& job) {
  std::vector<std::string> words = {"exec", "--job", job.namespace_ + "/" + job.name};
  for (const auto& [name, value] : job.env)
    words.insert(words.end(), {"--env", name + "=" + value});
  if (job.log) words.insert(words.end(), {"--log", *job.log});
  if (job.timeout) words.insert(words.end(), {"--timeout", format_duration(*job.timeout)});
  if (job.retries.count > 0) {
    words.insert(words.end(), {"--retries", std::to_string(job.retries.count)});
    if (job.retries.delay.count() > 0)
      words.insert(words.end(), {"--retry-delay", format_duration(job.retries.delay)});
  }
  if (job.random_delay)
    words.insert(words.end(), {"--random-delay", format_duration(*job.random_delay)});
  words.push_back("--");
  for (auto& word : program_argv(job)) words.push_back(std::move(word));
  return words;
}

// The first control character XML 1.0 cannot carry, if any.
std::optional<unsigned char> forbidden_in_xml(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') return u;
  }
  return std::nullopt;
}

// The first "%NAME%" in `text`: Task Scheduler expands environment
// variables in an Exec action's Command, Arguments and WorkingDirectory (real
// tasks pass "%APPDATA%\x.ps1" to PowerShell, which would not expand it),
// and there is no way to escape a '%' there.
std::optional<std::string> variable_reference(std::string_view text) {
  for (std::size_t open = text.find('%'); open != std::string_view::npos;) {
    const std::size_t close = text.find('%', open + 1);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view name = text.substr(open + 1, close - open - 1);
    if (!name.empty() && name.find_first_of(" \t") == std::string_view::npos)
      return std::string(text.substr(open, close - open + 1));
    open = close;
  }
  return std::nullopt;
}

class Checker {
 public:
  Checker(const EffectiveJob& job, Diagnostics& diagnostics)
      : job_(job), diagnostics_(diagnostics) {}

  void error(const std::string& path, std::string message, std::string hint = {}) {
    diagnostics_.error(where_of(job_, path), "jobs." + job_.name + "." + path,
                       std::move(message), std::move(hint));
    ok_ = false;
  }
  void text(const std::string& path, std::string_view value) {
    if (const auto bad = forbidden_in_xml(value))
      error(path, fmt::format("control character U+{:04X} cannot be written in task XML", *bad),
            "remove it");
  }
  void warning(const std::string& path, std::string message, std::string hint = {}) {
    diagnostics_.warning(where_of(job_, path), "jobs." + job_.name + "." + path,
                         std::move(message), std::move(hint));
  }
  bool ok() const { return ok_; }

 private:
  const EffectiveJob& job_;
  Diagnostics& diagnostics_;
  bool ok_ = true;
};

// The days of a cron expression that cron joins with OR get a start from
// each day rule on a day matching both (see compile_triggers), so only
// IgnoreNew runs such a day once, as cron does.
bool has_or_days(const ScheduleItem& item) {
  if (item.kind != ScheduleItem::Kind::cron && item.kind != ScheduleItem::Kind::at) return false;
  for (const auto& expr : to_cron(item))
    if (start_equivalents(expr).size() > 1) return true;
  return false;
}

}  // namespace

std::optional<TaskDefinition> compile_task(const Manifest& manifest, const Job& source,
                                           const TaskXmlOptions& options,
                                           Diagnostics& diagnostics) {
  if (options.zone == nullptr)
    throw Error(ErrorKind::internal, "compile_task needs the machine's time zone");
  const EffectiveJob job = effective_job(manifest, source, Platform::windows);
  Checker check(job, diagnostics);
  const std::string command_field = job.command.is_shell() ? "shell" : "command";

  if (job.timezone && *job.timezone != options.zone->name())
    check.error("timezone",
                fmt::format("Task Scheduler starts tasks by the machine's wall clock ({}), so "
                            "'{}' cannot be honoured",
                            options.zone->name(), *job.timezone),
                "write the schedule in the machine's time zone and drop 'timezone', or run "
                "the job on a machine set to that zone");

  TaskDefinition task;
  task.registration.uri = "\\omnicron\\" + job.namespace_ + "\\" + job.name;
  task.registration.author = "omnicron, from " + manifest.file;
  task.registration.description = job.description;
  check.text("description", job.description);

  // Triggers, item by item so a refusal points at the item; every item is
  // tried so that all refusals are reported at once.
  bool schedule_ok = true;
  bool or_days_refused = false;
  for (const ScheduleItem& item : job.schedule.items) {
    try {
      for (auto& trigger : compile_triggers(item, *options.zone, options.now))
        task.triggers.push_back(std::move(trigger));
    } catch (const Error& e) {
      diagnostics.error(item.where.known() ? item.where : where_of(job, "schedule"),
                        "jobs." + job.name + ".schedule", e.message());
      schedule_ok = false;
      continue;
    }
    if (!or_days_refused && has_or_days(item) && job.overlap != Overlap::skip) {
      or_days_refused = true;
      check.error("overlap",
                  fmt::format("the schedule restricts both day-of-month and day-of-week, which "
                              "Task Scheduler can only express as two triggers; on a day "
                              "matching both, 'overlap: {}' would run the job twice",
                              to_string(job.overlap)),
                  "set 'overlap: skip' (Task Scheduler then ignores the second start), or "
                  "split the schedule");
    }
  }
  if (task.triggers.size() > kMaxTriggersPerTask)
    check.error("schedule",
                fmt::format("the schedule needs {} triggers; Task Scheduler allows {} per task",
                            task.triggers.size(), kMaxTriggersPerTask),
                "split the job, or simplify its schedule");

  // The principal, and whose logon a LogonTrigger waits for. Only a task
  // with a LogonTrigger has such a user, so that a task read back from its
  // XML (which names the user only inside the trigger) is the same model.
  const bool waits_for_logon =
      std::any_of(task.triggers.begin(), task.triggers.end(), [](const Trigger& t) {
        return std::holds_alternative<LogonTrigger>(t);
      });
  if (!job.run_as) {
    task.principal = {std::nullopt, LogonType::interactive_token};
    if (waits_for_logon) task.logon_user = options.current_user;
  } else if (*job.run_as == "system") {
    task.principal = {"S-1-5-18", LogonType::service_account};
  } else {
    task.principal = {*job.run_as, LogonType::s4u};
    if (waits_for_logon) task.logon_user = *job.run_as;
  }

  // Settings.
  TaskSettings& s = task.settings;
  switch (job.overlap) {
    case Overlap::allow: s.multiple_instances = InstancesPolicy::parallel; break;
    case Overlap::skip: s.multiple_instances = InstancesPolicy::ignore_new; break;
    case Overlap::queue: s.multiple_instances = InstancesPolicy::queue; break;
    case Overlap::replace: s.multiple_instances = InstancesPolicy::stop_existing; break;
  }
  s.disallow_start_if_on_batteries = job.conditions.ac_power;
  s.stop_if_going_on_batteries = job.conditions.ac_power;
  s.start_when_available = job.missed == Missed::run;
  s.run_only_if_network_available = job.conditions.network;
  s.enabled = job.enabled;
  if (job.conditions.idle) {
    if (*job.conditions.idle < std::chrono::minutes(1))
      check.error("conditions",
                  fmt::format("Task Scheduler's idle condition is at least 1m, not {}",
                              format_duration(*job.conditions.idle)),
                  "write 'idle: 1m' or longer");
    s.idle = IdleCondition{*job.conditions.idle, std::chrono::hours(1)};
  }

  // The action.
  const bool runner = needs_runner(job);
  if (job.timeout && !runner) {
    s.execution_time_limit = *job.timeout;
  } else if (job.timeout) {
    // The runner stops the whole process tree at the timeout of each
    // attempt and records it. Task Scheduler's limit covers the runner's
    // whole run (its random delay, every attempt and the delays between
    // them), so it is only a backstop for a runner that hangs, a margin
    // after the runner should have finished.
    const auto attempts = job.retries.count + 1;
    s.execution_time_limit = job.random_delay.value_or(std::chrono::seconds(0)) +
                             attempts * (*job.timeout + kRunnerTimeoutMargin) +
                             job.retries.count * job.retries.delay;
  }
  if (job.command.is_shell()) {
    check.text("shell", job.command.shell);
    if (job.command.shell.find_first_of("\r\n") != std::string::npos)
      check.error("shell", "cmd.exe runs one line; the shell command holds a line break",
                  "join the lines with '&&', or run a .cmd script");
  } else {
    for (const auto& word : job.command.argv) {
      check.text("command", word);
      if (const auto reference = variable_reference(word))
        check.warning("command",
                      fmt::format("Task Scheduler replaces {} in '{}' with the variable's value "
                                  "when it is set, so the program may not get this argument "
                                  "as written",
                                  *reference, word),
                      "pass the value another way (env, a file) if the '%' must stay");
    }
    if (!job.command.argv.empty() && job.command.argv[0].find('"') != std::string::npos)
      check.error("command",
                  fmt::format("the program '{}' holds a '\"', which a Windows program path "
                              "cannot contain",
                              job.command.argv[0]));
  }
  if (runner) {
    task.action.command = options.omnicron_path;
    task.action.arguments = windows_command_line(runner_arguments(job));
    for (const auto& [name, value] : job.env) check.text("env." + name, value);
    if (job.log) check.text("log", *job.log);
  } else if (job.command.is_shell()) {
    // /s makes cmd.exe strip exactly the first and the last quote of what
    // follows /c and run the rest verbatim, whatever quotes the line itself
    // holds; /d skips the AutoRun commands of the registry, which would make
    // the job depend on the machine.
    task.action.command = std::string(kCmdExe);
    task.action.arguments = "/d /s /c \"" + job.command.shell + "\"";
  } else if (!job.command.argv.empty()) {
    task.action.command = job.command.argv[0];
    task.action.arguments = windows_command_line(
        std::vector<std::string>(job.command.argv.begin() + 1, job.command.argv.end()));
  }
  if (task.action.command.empty())
    check.error(command_field, "the job has no program to run");
  else if (task.action.command.size() > kMaxPathChars)
    check.error(command_field,
                fmt::format("the program path has {} characters; Task Scheduler allows {}",
                            task.action.command.size(), kMaxPathChars));
  if (job.working_dir) {
    check.text("working_dir", *job.working_dir);
    if (job.working_dir->size() > kMaxPathChars)
      check.error("working_dir",
                  fmt::format("the working directory has {} characters; Task Scheduler "
                              "allows {}",
                              job.working_dir->size(), kMaxPathChars));
    task.action.working_directory = job.working_dir;
  }

  if (!check.ok() || !schedule_ok) return std::nullopt;
  task.registration.digest = task_digest(task);
  return task;
}

}  // namespace omnicron::tasksched
