#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostic.h"
#include "manifest/manifest.h"
#include "tasksched/triggers.h"
#include "tz/zone.h"

namespace omnicron::tasksched {

// What a task's XML says, as a plain value: the pure model between a job of
// the manifest and the text Task Scheduler registers. Only what omnicron
// writes is modelled; every field is written explicitly where Windows'
// default differs from omnicron's (see render_task_xml).

struct RegistrationInfo {
  // The task's path, "\omnicron\NS\NAME". Windows writes the registered path
  // here itself, so writing the same keeps the XML stable across a
  // register-and-read-back.
  std::string uri;
  std::string source = "omnicron";
  std::string author;
  // omnicron's digest (8 hex digits) of the task as compiled, carried in
  // <Version>: a free-text field Windows keeps as registered and shows
  // nowhere prominent, unlike <Description>, which people read and edit, and
  // unlike <URI>, which Windows overwrites with the task's path. Empty
  // before task_digest() has been applied.
  std::string digest;
  std::string description;
  friend bool operator==(const RegistrationInfo&, const RegistrationInfo&) = default;
};

// Task Scheduler's MultipleInstancesPolicy values.
enum class InstancesPolicy { parallel, queue, ignore_new, stop_existing };
std::string_view to_string(InstancesPolicy policy);  // "Parallel", ...

// Task Scheduler's idle condition: start only after the machine has been
// idle for `duration`, waiting at most `wait_timeout` for that.
struct IdleCondition {
  std::chrono::seconds duration{600};
  std::chrono::seconds wait_timeout{3600};
  friend bool operator==(const IdleCondition&, const IdleCondition&) = default;
};

struct TaskSettings {
  InstancesPolicy multiple_instances = InstancesPolicy::parallel;
  bool disallow_start_if_on_batteries = false;
  bool stop_if_going_on_batteries = false;
  bool start_when_available = false;
  bool run_only_if_network_available = false;
  bool enabled = true;
  std::optional<IdleCondition> idle;  // also sets RunOnlyIfIdle
  // Zero means no limit (PT0S), never Windows' 72-hour default.
  std::chrono::seconds execution_time_limit{0};
  friend bool operator==(const TaskSettings&, const TaskSettings&) = default;
};

// Who the task runs as.
enum class LogonType {
  interactive_token,  // the registering user, only while logged on
  s4u,                // a named user, whether logged on or not, no password
  service_account,    // SYSTEM: no <LogonType> element, the SID says it
};

struct Principal {
  std::optional<std::string> user_id;  // none: the registering user
  LogonType logon_type = LogonType::interactive_token;
  friend bool operator==(const Principal&, const Principal&) = default;
};

struct ExecAction {
  std::string command;    // the program, not quoted
  std::string arguments;  // already a Windows command line (see command_line.h)
  std::optional<std::string> working_directory;
  friend bool operator==(const ExecAction&, const ExecAction&) = default;
};

struct TaskDefinition {
  RegistrationInfo registration;
  std::vector<Trigger> triggers;
  // The user a LogonTrigger waits for; none means any user's logon (which
  // only an administrator may register).
  std::optional<std::string> logon_user;
  TaskSettings settings;
  Principal principal;
  ExecAction action;
  friend bool operator==(const TaskDefinition&, const TaskDefinition&) = default;
};

// Text for an XML element: '&', '<' and '>' as entities, a carriage return
// as "&#13;" (a parser would otherwise turn "\r\n" into "\n"). Throws
// omnicron::Error (validation) for a control character XML 1.0 cannot carry
// at all, even as a character reference.
std::string xml_escape(std::string_view text);

// The task's XML, as UTF-8 text with '\n' line ends and two-space indents.
// It starts with <?xml version="1.0" encoding="UTF-16"?>, the declaration
// Windows writes and expects: the text is meant to be written to disk
// through to_utf16le_with_bom(), or handed to RegisterTask as a BSTR, which
// is UTF-16 too. `<Task version="1.3">` in the Task Scheduler namespace,
// every element in the order of Microsoft's published schema (task.xsd,
// which pins version 1.3 and validates with xmllint).
std::string render_task_xml(const TaskDefinition& task);

// UTF-8 to UTF-16LE bytes with a byte order mark, as Windows stores task
// files. Throws omnicron::Error (internal) for bytes that are not UTF-8.
std::string to_utf16le_with_bom(std::string_view utf8);

// FNV-1a (8 hex digits) of render_task_xml() of the task with its digest
// left empty: what a reader recomputes to tell a task edited by hand.
std::string task_digest(const TaskDefinition& task);

struct TaskXmlOptions {
  // omnicron.exe on the Windows machine, started when a job needs the runner.
  std::string omnicron_path = R"(C:\Program Files\omnicron\omnicron.exe)";
  // The machine's time zone: triggers follow its wall clock. A job whose
  // `timezone` names another zone cannot be expressed.
  const tz::Zone* zone = nullptr;
  // The instant the triggers are compiled at (see compile_triggers).
  std::chrono::sys_seconds now{};
  // The user who registers the tasks, for LogonTriggers of jobs without
  // `run_as`: a non-administrator may only register a logon trigger for
  // themselves.
  std::optional<std::string> current_user;
};

// With the runner, Task Scheduler stops it this long per attempt after the
// job's timeout if the runner has not stopped the job itself by then: room
// for the runner's kill grace (10s) and for recording the run.
inline constexpr std::chrono::seconds kRunnerTimeoutMargin{120};

// The task for one job of the manifest, on Windows (its `windows:` overlay
// applied). Whatever cannot be expressed is reported as an error diagnostic
// at the field that asks for it, and nothing is returned; warnings may be
// added to a task that is returned.
//
// The action starts the program directly (argv from `command:`, or
// `cmd.exe /d /s /c "LINE"` for `shell:`) unless the job uses something only
// the runner provides on Windows (env, log, retries, random_delay); then it
// starts `omnicron.exe exec --job NS/NAME …options… -- argv`, the same line
// the crontab backend writes. Timeout, overlap, missed runs, conditions, the
// working directory and the user are Task Scheduler's own settings.
std::optional<TaskDefinition> compile_task(const Manifest& manifest, const Job& job,
                                           const TaskXmlOptions& options,
                                           Diagnostics& diagnostics);

}  // namespace omnicron::tasksched
