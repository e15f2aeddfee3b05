#pragma once

// The plan for one namespace's folder of Task Scheduler tasks, \omnicron\NS\:
// the tasks the manifest wants against the tasks the folder holds, as the
// core's backend-neutral Plan (plan.h). Pure: the installed tasks' XML is
// passed in, as Task Scheduler returns it.
//
// A task's Registration is its job's name (the task's name in the folder),
// omnicron's digest (RegistrationInfo/Version), and as text the task's XML as
// omnicron renders it from the model of what the scheduler keeps (see
// SchedulerQuirks): both sides are rendered by the same writer, so the XML's
// formatting, the order Windows writes elements in and the defaults it spells
// out never count as a change; only what the task does.
//
// Tasks in the folder that omnicron did not register (their Source is not
// "omnicron") are foreign: they are never planned for removal, they are
// listed so the operator knows they are there (and that the folder stays
// while they are), and a job of the manifest with the name of one is refused
// unless the caller asks to replace it. The folder is omnicron's by name, but
// someone may have put a task there by hand or with another tool, and a
// Task Scheduler user expects a tool to leave alone what it did not create.

#include <map>
#include <string>
#include <vector>

#include "diagnostic.h"
#include "manifest/manifest.h"
#include "plan.h"
#include "tasksched/task_xml.h"

namespace omnicron::tasksched {

// What a Task Scheduler keeps of a task it registers, where that is known to
// differ from what was registered. A plan compares only the parts the
// scheduler keeps, so that a task just registered reads back as unchanged.
// Which scheduler this is is the caller's to say (the Windows layer asks
// ntdll whether it is Wine); nothing here guesses, and what is not compared
// is listed by not_compared() for the operator.
struct SchedulerQuirks {
  // For messages: "Windows Task Scheduler", "Wine 8's Task Scheduler".
  std::string scheduler = "Task Scheduler";
  // Wine 8 stores no triggers.
  bool keeps_triggers = true;
  // Wine 8 writes an empty <Exec/>: no program, arguments or directory.
  bool keeps_exec_action = true;
  // Wine 8 reads MultipleInstancesPolicy IgnoreNew only and turns any other
  // value into it.
  bool keeps_instances_policy = true;
  // Wine 8 reads LogonType InteractiveToken only; S4U comes back without one.
  bool keeps_logon_type = true;
  // Wine 8 ignores the principal's UserId too: a task registered to run as
  // SYSTEM (S-1-5-18) comes back without one.
  bool keeps_principal_user = true;
  // Wine 8 writes RunOnlyIfIdle but not IdleSettings (Duration, WaitTimeout).
  bool keeps_idle_settings = true;
  // Windows writes the registering user into a principal registered without
  // a UserId (omnicron's tasks for jobs without `run_as`).
  bool fills_in_principal_user = false;
  // Wine 8 cannot list a folder's tasks (get_Count, get_Item: E_NOTIMPL).
  // Not used by the plan; the I/O layer reads it.
  bool enumerates_tasks = true;

  // Windows: keeps what it is given, and fills in the registering user.
  static SchedulerQuirks windows();
  // Wine 8 (wine-facts.md).
  static SchedulerQuirks wine8();

  // Whether every part of a definition omnicron writes is read back as written.
  bool keeps_everything() const;
  // The parts not compared, one phrase each ("triggers", "the program to
  // run"); empty when keeps_everything().
  std::vector<std::string> not_compared() const;

  friend bool operator==(const SchedulerQuirks&, const SchedulerQuirks&) = default;
};

// The part of a definition a scheduler with these quirks keeps, with what it
// drops or rewrites set as it reads back (no triggers, an empty action,
// IgnoreNew, the idle condition's defaults, ...). Applied to both sides of a
// comparison.
TaskDefinition kept_part(const TaskDefinition& task, const SchedulerQuirks& quirks);

// A task the manifest wants.
struct WantedTask {
  std::string name;  // the job's name: the task's name in the folder
  TaskDefinition definition;
  std::string xml;  // render_task_xml(definition): what is registered
};

// The tasks of the manifest's namespace: one per job that runs on Windows, in
// manifest order. A job that cannot be expressed is reported in
// `diagnostics` (errors at the fields that ask for it) and left out; the
// caller must not sync when there are errors.
std::vector<WantedTask> compile_tasks(const Manifest& manifest, const TaskXmlOptions& options,
                                      Diagnostics& diagnostics);

// A task found in the folder: its name and its XML as Task Scheduler returns
// it (get_Xml), in UTF-8.
struct InstalledTask {
  std::string name;
  std::string xml;
};

// A task in the folder that omnicron did not register, or whose XML it cannot
// read: left alone.
struct ForeignTask {
  std::string name;
  std::string why;  // "its Source is 'Contoso Updater'", "it has no Source", ...
};

struct TaskPlanOptions {
  SchedulerQuirks quirks;
  // Replace a foreign task when a job has its name (its XML is kept in the
  // plan, so a failed sync puts it back). Off: such a job is refused.
  bool replace_foreign = false;
};

struct TaskPlan {
  Plan plan;
  // The XML to register for each job the plan creates or updates.
  std::map<std::string, std::string> register_xml;
  // The XML of each task the plan updates or removes, as read: what a failed
  // sync registers again.
  std::map<std::string, std::string> previous_xml;
  // Foreign tasks the plan leaves alone (a replaced one is an update, not
  // listed here).
  std::vector<ForeignTask> foreign;
  // For the operator: what is not compared on this scheduler, the foreign
  // tasks, foreign tasks being replaced.
  std::vector<std::string> notes;
  // How many tasks the folder holds once the plan is applied; zero means the
  // folder itself goes.
  std::size_t tasks_after = 0;
};

// Whether the installed XML is a task omnicron registered: its
// RegistrationInfo/Source is "omnicron". Sets `why` to the reason when not.
bool is_omnicron_task(const InstalledTask& task, std::string& why);

// The wanted task as a Registration (text: the kept part, rendered).
Registration registration(const WantedTask& task, const SchedulerQuirks& quirks);

// An installed task omnicron registered as a Registration, `edited` set when
// it no longer matches its own digest (someone changed it in Task Scheduler's
// window or with schtasks). `wanted`, when the manifest still has the job,
// is what the digest is checked against where the scheduler does not keep
// everything: the installed parts it kept must then equal the wanted task's
// when the digests are equal. Where the digests differ and the scheduler
// dropped parts, whether the task was also edited cannot be told; it is
// updated either way, and `edited` stays false. Throws Error (validation)
// when the XML cannot be read.
Registration installed_registration(const InstalledTask& task, const WantedTask* wanted,
                                    const SchedulerQuirks& quirks);

// Pure: plans the namespace's folder. Throws Error (backend), naming every
// such task, when jobs have the names of foreign tasks and
// `replace_foreign` is off: nothing is planned then.
TaskPlan plan_tasks(std::string namespace_, const std::vector<WantedTask>& wanted,
                    const std::vector<InstalledTask>& installed, const TaskPlanOptions& options);

}  // namespace omnicron::tasksched
