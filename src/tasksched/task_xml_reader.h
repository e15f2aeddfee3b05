#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tasksched/task_xml.h"
#include "tasksched/triggers.h"

namespace omnicron::tasksched {

// The reading half of the task XML layer: a task file as Windows exports it
// (`schtasks /query /xml`, Export-ScheduledTask, the files under
// C:\Windows\System32\Tasks) turned into the TaskDefinition model where it
// fits, with everything else kept beside it so that a caller can say what it
// could not carry over. Pure: the bytes are passed in.
//
// Windows is looser than its published schema, and so is this reader:
// elements in any order, the Task Scheduler namespace or none, empty
// elements (`<Arguments />`), task versions 1.1 to 1.6, and elements the
// schema lacks (WnfStateChangeTrigger, MaintenanceSettings), which are kept
// as unknown rather than refused.

// Where an element was in the file.
struct XmlPlace {
  int line = 0;
  // The element's path from the root, with a 1-based index where a parent
  // holds several of the same name: "Task/Triggers/CalendarTrigger[2]".
  std::string path;
  friend bool operator==(const XmlPlace&, const XmlPlace&) = default;
};

// One trigger as written. The kinds the model has (CalendarTrigger,
// TimeTrigger, BootTrigger, LogonTrigger) are read into `trigger` when they
// are well-formed; the others (EventTrigger, IdleTrigger,
// RegistrationTrigger, SessionStateChangeTrigger, WnfStateChangeTrigger, and
// whatever a later Windows adds) keep their name and a few words on what they
// wait for.
struct ReadTrigger {
  XmlPlace place;
  std::string kind;  // the element's name, "CalendarTrigger"
  std::optional<Trigger> trigger;
  // Why a trigger of a modelled kind could not be read ("StartBoundary
  // '2020-13-01T00:00:00' is not a date and time"); empty otherwise.
  std::string problem;
  // For the kinds not modelled: what the trigger waits for, as a person
  // would say it ("StateChange RemoteConnect", "Subscription <QueryList>…").
  std::string detail;
  bool enabled = true;
  // The StartBoundary's zone designator as written ("Z", "+02:00", "-06:00"):
  // a fixed instant, which does not follow DST. None: local wall-clock time.
  std::optional<std::string> start_offset;
  // StartBoundary had a fraction of a second (".000Z", ".0000000").
  bool start_fraction = false;
  std::optional<std::string> end_boundary;
  std::optional<std::chrono::seconds> random_delay;
  std::optional<std::chrono::seconds> delay;
  std::optional<std::chrono::seconds> execution_time_limit;
  bool stop_at_duration_end = false;
  std::optional<std::string> user_id;  // LogonTrigger, SessionStateChangeTrigger
  std::optional<std::string> id;       // the id attribute
};

// One action as written: Exec is read into `exec`; ComHandler, SendEmail and
// ShowMessage keep their name and a detail (the COM class id, the subject).
struct ReadAction {
  XmlPlace place;
  std::string kind;
  std::optional<ExecAction> exec;
  std::string detail;
};

struct ReadPrincipal {
  XmlPlace place;
  std::string id;
  std::optional<std::string> user_id;
  std::optional<std::string> group_id;
  std::optional<std::string> logon_type;  // as written: "InteractiveToken", "Password", …
  std::optional<std::string> run_level;   // "LeastPrivilege", "HighestAvailable"
  // Elements of the principal the model has no room for
  // (ProcessTokenSidType, RequiredPrivileges, DisplayName).
  std::vector<std::string> others;
};

// A value under <Settings>, by its path below it: "Hidden",
// "IdleSettings/StopOnIdleEnd", "RestartOnFailure/Count".
struct ReadSetting {
  XmlPlace place;
  std::string name;
  std::string text;  // trimmed
};

// A named element of <RegistrationInfo> (Date, Documentation,
// SecurityDescriptor, …) or an element nobody reads.
struct ReadElement {
  XmlPlace place;
  std::string name;
  std::string text;
};

struct ReadTask {
  std::string file;
  std::string version;  // the <Task version="…"> attribute; may be empty
  // What fits the model. What the file leaves out has Windows' defaults, not
  // omnicron's: MultipleInstancesPolicy IgnoreNew, battery conditions on,
  // ExecutionTimeLimit 72 hours. `triggers` holds the triggers that could be
  // read into the model, in file order; `action` the first Exec action;
  // `logon_user` the first LogonTrigger's user.
  TaskDefinition definition;
  std::vector<ReadTrigger> triggers;  // every trigger, in file order
  std::vector<ReadAction> actions;    // every action, in file order
  std::vector<ReadPrincipal> principals;
  std::optional<std::string> actions_context;  // <Actions Context="…">
  std::vector<ReadSetting> settings;          // every value under <Settings>
  // RegistrationInfo elements besides URI, Source, Author, Version and
  // Description (Date, Documentation, SecurityDescriptor).
  std::vector<ReadElement> registration_others;
  // Values of known elements that could not be read ("MultipleInstancesPolicy
  // 'Sometimes'"), as messages with their place.
  std::vector<ReadElement> bad_values;
  // Elements the reader does not know (and <Data>), never dropped silently:
  // the caller reports them.
  std::vector<ReadElement> unknown;
};

// Reads a task file. The encoding is decided by the bytes, not by the XML
// declaration (real exports are often UTF-8 declaring UTF-16): a byte order
// mark says UTF-16LE, UTF-16BE or UTF-8; without one, "<\0" starts UTF-16LE,
// "\0<" UTF-16BE, anything else is UTF-8. Throws omnicron::Error (kind
// validation) for a file that is not well-formed XML or whose root is not a
// <Task>, located at `file_name`:line:column and naming the element path.
ReadTask read_task_xml(std::string_view bytes, const std::string& file_name);

// Reads an xs:duration as Task Scheduler writes them: "PT15M", "P1DT2H47M",
// "PT1320M", "P31D", "PT0S", "PT30.5S" is refused (no fractions), as are
// years and months, whose length varies. Nothing for anything else.
std::optional<std::chrono::seconds> parse_iso_duration(std::string_view text);

}  // namespace omnicron::tasksched
