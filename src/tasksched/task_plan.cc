#include "tasksched/task_plan.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "error.h"
#include "tasksched/task_xml_reader.h"

namespace omnicron::tasksched {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// Task Scheduler's task names are not case-sensitive (they are files on an
// NTFS volume): "Backup" and "backup" are one task.
std::string folded(std::string_view name) {
  std::string out(name);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Why a task read from the folder is not omnicron's; empty when it is.
std::string foreign_reason(const ReadTask& task) {
  const std::string& source = task.definition.registration.source;
  if (source == "omnicron") return {};
  if (source.empty()) return "it has no RegistrationInfo/Source";
  return fmt::format("its Source is '{}'", source);
}

bool edited(const ReadTask& read, const WantedTask* wanted, const SchedulerQuirks& quirks) {
  const TaskDefinition& def = read.definition;
  const std::string& digest = def.registration.digest;
  // omnicron always writes its digest: a task without one was changed.
  if (digest.empty()) return true;
  // A trigger or action of a kind omnicron never writes was added by hand;
  // the model (and so the digest) has no room for it.
  if (quirks.keeps_triggers && read.triggers.size() != def.triggers.size()) return true;
  if (quirks.keeps_exec_action && read.actions.size() != 1) return true;
  if (task_digest(def) == digest) return false;
  // The scheduler dropped or rewrote parts, so the installed definition
  // cannot prove its digest by itself. When the manifest's task has the
  // same digest, it is the task that was registered: what the scheduler
  // kept of it must be what is installed.
  if (wanted && wanted->definition.registration.digest == digest)
    return kept_part(def, quirks) != kept_part(wanted->definition, quirks);
  // Otherwise nothing says what was registered. Where the scheduler keeps
  // everything the digest alone proves an edit; elsewhere it cannot be told,
  // and the task is updated (or removed) all the same.
  return quirks.keeps_everything();
}

Registration registration_of(const std::string& name, const ReadTask& read,
                             const WantedTask* wanted, const SchedulerQuirks& quirks) {
  const TaskDefinition& def = read.definition;
  Registration r{name, def.registration.digest,
                 lines_of(render_task_xml(kept_part(def, quirks))), false};
  r.edited = edited(read, wanted, quirks);
  return r;
}

std::string task_path(std::string_view ns, std::string_view name) {
  return fmt::format("\\omnicron\\{}\\{}", ns, name);
}

}  // namespace

SchedulerQuirks SchedulerQuirks::windows() {
  SchedulerQuirks q;
  q.scheduler = "Windows Task Scheduler";
  q.fills_in_principal_user = true;
  return q;
}

SchedulerQuirks SchedulerQuirks::wine8() {
  SchedulerQuirks q;
  q.scheduler = "Wine's Task Scheduler";
  q.keeps_triggers = false;
  q.keeps_exec_action = false;
  q.keeps_instances_policy = false;
  q.keeps_logon_type = false;
  q.keeps_principal_user = false;
  q.keeps_idle_settings = false;
  q.enumerates_tasks = false;
  return q;
}

bool SchedulerQuirks::keeps_everything() const {
  return keeps_triggers && keeps_exec_action && keeps_instances_policy && keeps_logon_type &&
         keeps_principal_user &&
         keeps_idle_settings && !fills_in_principal_user;
}

std::vector<std::string> SchedulerQuirks::not_compared() const {
  std::vector<std::string> out;
  if (!keeps_triggers) out.push_back("triggers");
  if (!keeps_exec_action) out.push_back("the program to run");
  if (!keeps_instances_policy) out.push_back("MultipleInstancesPolicy");
  if (!keeps_logon_type) out.push_back("the principal's LogonType");
  if (!keeps_principal_user) out.push_back("the principal's UserId");
  if (!keeps_idle_settings) out.push_back("IdleSettings");
  if (fills_in_principal_user) out.push_back("the user of a task registered without one");
  return out;
}

TaskDefinition kept_part(const TaskDefinition& task, const SchedulerQuirks& quirks) {
  TaskDefinition kept = task;
  if (!quirks.keeps_triggers) {
    kept.triggers.clear();
    kept.logon_user.reset();
  }
  if (!quirks.keeps_exec_action) kept.action = ExecAction{};
  if (!quirks.keeps_instances_policy) kept.settings.multiple_instances = InstancesPolicy::ignore_new;
  if (!quirks.keeps_logon_type) kept.principal.logon_type = LogonType::interactive_token;
  if (!quirks.keeps_principal_user) kept.principal.user_id.reset();
  // What the reader gives for RunOnlyIfIdle without IdleSettings.
  if (!quirks.keeps_idle_settings && kept.settings.idle) kept.settings.idle = IdleCondition{};
  if (quirks.fills_in_principal_user && kept.principal.logon_type == LogonType::interactive_token)
    kept.principal.user_id.reset();
  return kept;
}

std::vector<WantedTask> compile_tasks(const Manifest& manifest, const TaskXmlOptions& options,
                                      Diagnostics& diagnostics) {
  std::vector<WantedTask> out;
  for (const Job& job : manifest.jobs) {
    if (!runs_on(job, Platform::windows)) continue;
    auto task = compile_task(manifest, job, options, diagnostics);
    if (!task) continue;
    std::string xml = render_task_xml(*task);
    out.push_back({job.name, std::move(*task), std::move(xml)});
  }
  return out;
}

bool is_omnicron_task(const InstalledTask& task, std::string& why) {
  try {
    why = foreign_reason(read_task_xml(task.xml, task.name));
  } catch (const Error& e) {
    why = fmt::format("its XML cannot be read ({})", e.what());
  }
  return why.empty();
}

Registration registration(const WantedTask& task, const SchedulerQuirks& quirks) {
  return {task.name, task.definition.registration.digest,
          lines_of(render_task_xml(kept_part(task.definition, quirks))), false};
}

Registration installed_registration(const InstalledTask& task, const WantedTask* wanted,
                                    const SchedulerQuirks& quirks) {
  return registration_of(task.name, read_task_xml(task.xml, task.name), wanted, quirks);
}

TaskPlan plan_tasks(std::string namespace_, const std::vector<WantedTask>& wanted,
                    const std::vector<InstalledTask>& installed, const TaskPlanOptions& options) {
  const SchedulerQuirks& quirks = options.quirks;
  TaskPlan out;
  std::unordered_map<std::string, const WantedTask*> wanted_by_name;
  std::vector<Registration> wanted_registrations;
  for (const WantedTask& task : wanted) {
    wanted_by_name.emplace(folded(task.name), &task);
    wanted_registrations.push_back(registration(task, quirks));
  }

  std::vector<Registration> installed_registrations;
  std::vector<std::string> conflicts;
  std::map<std::string, std::string> replaced;  // job -> why it is foreign
  std::map<std::string, std::string> xml_of;
  for (const InstalledTask& task : installed) {
    const auto it = wanted_by_name.find(folded(task.name));
    const WantedTask* want = it == wanted_by_name.end() ? nullptr : it->second;
    std::optional<ReadTask> read;
    std::string why;
    try {
      read = read_task_xml(task.xml, task_path(namespace_, task.name));
      why = foreign_reason(*read);
    } catch (const Error& e) {
      why = fmt::format("its XML cannot be read ({})", e.what());
    }
    if (why.empty() && want && want->name != task.name) {
      // omnicron's own task under another spelling of the name (renamed by
      // hand): the same task to Task Scheduler.
      why = fmt::format("it is named '{}', not '{}'", task.name, want->name);
    }
    if (why.empty()) {
      installed_registrations.push_back(registration_of(task.name, *read, want, quirks));
      xml_of[task.name] = task.xml;
      continue;
    }
    if (!want) {
      out.foreign.push_back({task.name, why});
      out.notes.push_back(fmt::format("{}: not registered by omnicron ({}); left alone",
                                      task_path(namespace_, task.name), why));
      continue;
    }
    if (!options.replace_foreign) {
      conflicts.push_back(fmt::format("{} ({})", task_path(namespace_, task.name), why));
      continue;
    }
    // Replaced as asked: planned as an update of the job's task, its
    // current XML kept for a rollback.
    Registration foreign{want->name, "", lines_of(task.xml), true};
    installed_registrations.push_back(std::move(foreign));
    replaced[want->name] = why;
    xml_of[want->name] = task.xml;
    out.notes.push_back(fmt::format("{}: not registered by omnicron ({}); replaced by job '{}' "
                                    "as asked",
                                    task_path(namespace_, task.name), why, want->name));
  }
  if (!conflicts.empty()) {
    std::string list;
    for (const auto& c : conflicts) list += "\n  " + c;
    throw Error(ErrorKind::backend,
                fmt::format("{} task(s) in {} have the name of a job of the manifest but were "
                            "not registered by omnicron, which leaves such tasks alone:{}\n"
                            "rename the job, or delete or move the task in Task Scheduler, or "
                            "ask omnicron to replace it",
                            conflicts.size(), fmt::format("\\omnicron\\{}\\", namespace_), list));
  }

  out.plan = make_plan(namespace_, wanted_registrations, installed_registrations);
  for (Change& change : out.plan.changes) {
    if (const auto r = replaced.find(change.job); r != replaced.end())
      change.why = fmt::format("not registered by omnicron ({}); replaced as asked", r->second);
    if (change.kind == ChangeKind::create || change.kind == ChangeKind::update)
      out.register_xml[change.job] = wanted_by_name.at(folded(change.job))->xml;
    // A new task is shown whole, as registered, though only the part the
    // scheduler keeps was compared; an update shows what differs there.
    if (change.kind == ChangeKind::create && change.after)
      change.after->text = lines_of(out.register_xml[change.job]);
    if (change.kind == ChangeKind::update || change.kind == ChangeKind::remove)
      out.previous_xml[change.job] = xml_of.at(change.job);
  }
  out.tasks_after = wanted.size() + out.foreign.size();
  if (!quirks.keeps_everything()) {
    std::string parts;
    for (const auto& part : quirks.not_compared()) parts += (parts.empty() ? "" : ", ") + part;
    out.notes.insert(out.notes.begin(),
                     fmt::format("{} does not keep every part of a task as registered; not "
                                 "compared: {}",
                                 quirks.scheduler, parts));
  }
  if (wanted.empty() && !out.foreign.empty())
    out.notes.push_back(fmt::format("\\omnicron\\{}\\ stays: it holds {} task(s) omnicron did not "
                                    "register",
                                    namespace_, out.foreign.size()));
  return out;
}

}  // namespace omnicron::tasksched
