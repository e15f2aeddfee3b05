// Tests of the plan for a namespace's folder of Task Scheduler tasks: the
// wanted tasks, the installed ones as Task Scheduler returns their XML (as
// Windows keeps them, and as Wine 8 does), drift, foreign tasks.

#include "tasksched/task_plan.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "error.h"
#include "manifest/load.h"
#include "test_zones.h"

namespace omnicron::tasksched {
namespace {

using omnicron::testing::utc;

const char* const kManifest = R"(version: 1
namespace: crm
jobs:
  backup:
    description: Nightly backup
    schedule: "30 2 * * *"
    command: ['C:\bin\backup.exe', --all]
    timeout: 10m
  report:
    description: Weekly report
    schedule: { days: [mon], at: "06:00" }
    command: ['C:\bin\report.exe']
    overlap: queue
    run_as: ana
    conditions: { idle: 5m }
  cleanup:
    schedule: "@daily"
    command: [/usr/bin/true]
    platforms: [posix]
)";

TaskXmlOptions options() {
  TaskXmlOptions o;
  o.zone = &tz::Zone::utc();
  o.now = utc(2026, 1, 1);
  o.current_user = "ana";
  return o;
}

std::vector<WantedTask> compile(const std::string& text) {
  const LoadResult loaded = load_manifest(text, "crm.yaml");
  EXPECT_FALSE(loaded.diagnostics.has_errors());
  Diagnostics diagnostics;
  auto tasks = compile_tasks(loaded.manifest, options(), diagnostics);
  EXPECT_FALSE(diagnostics.has_errors());
  return tasks;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from << " not in\n" << text;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The tasks as Windows returns them: as registered (omnicron's XML).
std::vector<InstalledTask> as_registered(const std::vector<WantedTask>& tasks) {
  std::vector<InstalledTask> out;
  for (const auto& t : tasks) out.push_back({t.name, t.xml});
  return out;
}

// A task's XML as Wine 8's get_Xml returns it once registered (taken from
// what it returned for omnicron's tasks): its own layout and element order,
// every setting spelled out, no triggers, an empty <Exec/>, IgnoreNew for any
// instances policy, no principal user or S4U logon type, no
// IdleSettings.
std::string as_wine_returns(const TaskDefinition& task) {
  const RegistrationInfo& r = task.registration;
  const TaskSettings& s = task.settings;
  auto flag = [](bool b) { return b ? "true" : "false"; };
  std::string xml = "<?xml version=\"1.0\"?>\n"
                    "<Task version=\"1.3\" "
                    "xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n"
                    "  <RegistrationInfo>\n";
  xml += "    <Author>" + xml_escape(r.author) + "</Author>\n";
  xml += "    <Version>" + r.digest + "</Version>\n";
  xml += "    <Description>" + xml_escape(r.description) + "</Description>\n";
  xml += "    <URI>" + xml_escape(r.uri) + "</URI>\n";
  xml += "    <Source>" + r.source + "</Source>\n";
  xml += "  </RegistrationInfo>\n  <Triggers/>\n  <Principals>\n"
         "    <Principal id=\"Author\">\n";
  xml += "      <RunLevel>LeastPrivilege</RunLevel>\n";
  if (task.principal.logon_type == LogonType::interactive_token)
    xml += "      <LogonType>InteractiveToken</LogonType>\n";
  xml += "    </Principal>\n  </Principals>\n  <Settings>\n";
  xml += "    <AllowStartOnDemand>true</AllowStartOnDemand>\n";
  xml += "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\n";
  xml += fmt::format("    <DisallowStartIfOnBatteries>{}</DisallowStartIfOnBatteries>\n",
                     flag(s.disallow_start_if_on_batteries));
  xml += fmt::format("    <StopIfGoingOnBatteries>{}</StopIfGoingOnBatteries>\n",
                     flag(s.stop_if_going_on_batteries));
  xml += "    <AllowHardTerminate>true</AllowHardTerminate>\n";
  xml += fmt::format("    <StartWhenAvailable>{}</StartWhenAvailable>\n",
                     flag(s.start_when_available));
  xml += fmt::format("    <RunOnlyIfNetworkAvailable>{}</RunOnlyIfNetworkAvailable>\n",
                     flag(s.run_only_if_network_available));
  xml += "    <WakeToRun>false</WakeToRun>\n";
  xml += fmt::format("    <Enabled>{}</Enabled>\n", flag(s.enabled));
  xml += "    <Hidden>false</Hidden>\n";
  xml += "    <ExecutionTimeLimit>" + to_iso_duration(s.execution_time_limit) +
         "</ExecutionTimeLimit>\n";
  xml += "    <Priority>7</Priority>\n";
  xml += fmt::format("    <RunOnlyIfIdle>{}</RunOnlyIfIdle>\n", flag(s.idle.has_value()));
  xml += "  </Settings>\n  <Actions>\n    <Exec/>\n  </Actions>\n</Task>\n";
  return xml;
}

std::vector<InstalledTask> as_wine_returns(const std::vector<WantedTask>& tasks) {
  std::vector<InstalledTask> out;
  for (const auto& t : tasks) out.push_back({t.name, as_wine_returns(t.definition)});
  return out;
}

TaskPlanOptions on(SchedulerQuirks quirks) {
  TaskPlanOptions o;
  o.quirks = std::move(quirks);
  return o;
}

const char* const kForeign = R"(<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Source>Contoso Updater</Source>
    <Author>CONTOSO\admin</Author>
  </RegistrationInfo>
  <Triggers><BootTrigger /></Triggers>
  <Actions Context="Author"><Exec><Command>C:\contoso\update.exe</Command></Exec></Actions>
</Task>
)";

// ---- The wanted tasks --------------------------------------------------

TEST(TaskPlanTest, CompilesOneTaskPerJobThatRunsOnWindows) {
  const auto tasks = compile(kManifest);
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].name, "backup");
  EXPECT_EQ(tasks[1].name, "report");
  EXPECT_EQ(tasks[0].xml, render_task_xml(tasks[0].definition));
  EXPECT_EQ(tasks[0].definition.registration.digest, task_digest(tasks[0].definition));
  EXPECT_EQ(tasks[1].definition.registration.uri, "\\omnicron\\crm\\report");
}

TEST(TaskPlanTest, CompilesTheWindowsJobsOfTheDesktopExample) {
  std::ifstream in(std::string(OMNICRON_SOURCE_DIR) + "/examples/windows-desktop.yaml");
  ASSERT_TRUE(in) << "examples/windows-desktop.yaml";
  std::ostringstream text;
  text << in.rdbuf();
  const LoadResult loaded = load_manifest(text.str(), "windows-desktop.yaml");
  ASSERT_FALSE(loaded.diagnostics.has_errors());
  TaskXmlOptions o = options();
  // clean-downloads asks for Europe/Lisbon on Windows: the machine's zone.
  o.zone = &omnicron::testing::load_zone("Europe/Lisbon");
  Diagnostics diagnostics;
  const auto tasks = compile_tasks(loaded.manifest, o, diagnostics);
  EXPECT_FALSE(diagnostics.has_errors());
  std::vector<std::string> names;
  for (const auto& t : tasks) names.push_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{"sync-documents", "defragment", "update-apps",
                                             "clean-downloads", "backup-settings"}));
  const TaskPlan plan = plan_tasks("desktop", tasks, {}, on(SchedulerQuirks::windows()));
  EXPECT_EQ(plan.plan.count(ChangeKind::create), 5u);
}

TEST(TaskPlanTest, AJobThatCannotBeExpressedIsReportedAndLeftOut) {
  const LoadResult loaded = load_manifest(R"(version: 1
namespace: crm
jobs:
  lisbon:
    schedule: "0 9 * * *"
    command: ['C:\bin\x.exe']
    timezone: Europe/Lisbon
  fine:
    schedule: "0 9 * * *"
    command: ['C:\bin\y.exe']
)",
                                          "crm.yaml");
  ASSERT_FALSE(loaded.diagnostics.has_errors());
  Diagnostics diagnostics;
  const auto tasks = compile_tasks(loaded.manifest, options(), diagnostics);
  EXPECT_TRUE(diagnostics.has_errors());
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].name, "fine");
}

// ---- Plans as Windows keeps tasks ----------------------------------------

TEST(TaskPlanTest, NothingInstalledCreatesEveryTaskWithItsXml) {
  const auto wanted = compile(kManifest);
  const TaskPlan plan = plan_tasks("crm", wanted, {}, on(SchedulerQuirks::windows()));
  ASSERT_EQ(plan.plan.changes.size(), 2u);
  EXPECT_EQ(plan.plan.count(ChangeKind::create), 2u);
  EXPECT_EQ(plan.register_xml.at("backup"), wanted[0].xml);
  EXPECT_EQ(plan.register_xml.at("report"), wanted[1].xml);
  EXPECT_TRUE(plan.previous_xml.empty());
  EXPECT_EQ(plan.tasks_after, 2u);
  // The text is the XML, so the plan shows what is registered.
  const auto& text = plan.plan.changes[0].after->text;
  EXPECT_NE(std::find(text.begin(), text.end(), "      <Command>C:\\bin\\backup.exe</Command>"),
            text.end());
}

TEST(TaskPlanTest, TasksAsRegisteredPlanNothing) {
  const auto wanted = compile(kManifest);
  for (const SchedulerQuirks& quirks : {SchedulerQuirks{}, SchedulerQuirks::windows()}) {
    const TaskPlan plan = plan_tasks("crm", wanted, as_registered(wanted), on(quirks));
    EXPECT_FALSE(plan.plan.has_changes()) << render_plan(plan.plan);
    EXPECT_TRUE(plan.register_xml.empty());
    EXPECT_TRUE(plan.foreign.empty());
  }
}

TEST(TaskPlanTest, WindowsFillingInTheRegisteringUserIsNoChange) {
  const auto wanted = compile(kManifest);
  auto installed = as_registered(wanted);
  installed[0].xml = replaced(installed[0].xml, "<Principal id=\"Author\">\n",
                              "<Principal id=\"Author\">\n      <UserId>PC\\ana</UserId>\n");
  const TaskPlan plan = plan_tasks("crm", wanted, installed, on(SchedulerQuirks::windows()));
  EXPECT_FALSE(plan.plan.has_changes()) << render_plan(plan.plan);
  // A scheduler said to keep everything sees the user as an edit.
  const TaskPlan strict = plan_tasks("crm", wanted, installed, on(SchedulerQuirks{}));
  EXPECT_EQ(strict.plan.changes[0].kind, ChangeKind::update);
}

TEST(TaskPlanTest, AChangedJobIsAnUpdateAndAJobLeftOutARemoval) {
  const auto before = compile(kManifest);
  std::string text = replaced(kManifest, "Nightly backup", "Backup, now at 3");
  text = replaced(text, "\"30 2 * * *\"", "\"0 3 * * *\"");
  // Without report.
  text = text.substr(0, text.find("  report:")) + text.substr(text.find("  cleanup:"));
  const auto after = compile(text);
  const TaskPlan plan = plan_tasks("crm", after, as_registered(before),
                                   on(SchedulerQuirks::windows()));
  ASSERT_EQ(plan.plan.changes.size(), 2u);
  EXPECT_EQ(plan.plan.changes[0].kind, ChangeKind::update);
  EXPECT_EQ(plan.plan.changes[0].why, "the manifest changed");
  EXPECT_EQ(plan.plan.changes[1].kind, ChangeKind::remove);
  EXPECT_EQ(plan.plan.changes[1].job, "report");
  EXPECT_EQ(plan.register_xml.size(), 1u);
  EXPECT_EQ(plan.register_xml.at("backup"), after[0].xml);
  EXPECT_EQ(plan.previous_xml.at("backup"), before[0].xml);
  EXPECT_EQ(plan.previous_xml.at("report"), before[1].xml);
  EXPECT_EQ(plan.tasks_after, 1u);
  const std::string shown = render_plan(plan.plan);
  EXPECT_NE(shown.find("    -     <Description>Nightly backup</Description>\n"),
            std::string::npos)
      << shown;
  EXPECT_NE(shown.find("    +     <Description>Backup, now at 3</Description>\n"),
            std::string::npos)
      << shown;
}

TEST(TaskPlanTest, ATaskEditedInTaskSchedulerIsReplacedSayingSo) {
  const auto wanted = compile(kManifest);
  auto installed = as_registered(wanted);
  installed[0].xml = replaced(installed[0].xml, "PT10M", "PT3H");
  const TaskPlan plan = plan_tasks("crm", wanted, installed, on(SchedulerQuirks::windows()));
  EXPECT_EQ(plan.plan.changes[0].kind, ChangeKind::update);
  EXPECT_TRUE(plan.plan.changes[0].before->edited);
  EXPECT_EQ(plan.plan.changes[0].why, "edited by hand; the manifest's version replaces it");
  EXPECT_EQ(plan.plan.changes[1].kind, ChangeKind::unchanged);
}

TEST(TaskPlanTest, ATriggerOfAKindOmnicronNeverWritesIsAnEdit) {
  const auto wanted = compile(kManifest);
  auto installed = as_registered(wanted);
  installed[0].xml =
      replaced(installed[0].xml, "</Triggers>",
               "  <EventTrigger><Subscription>&lt;QueryList/&gt;</Subscription></EventTrigger>\n"
               "  </Triggers>");
  const Registration r = installed_registration(installed[0], &wanted[0],
                                                SchedulerQuirks::windows());
  EXPECT_TRUE(r.edited);
  const TaskPlan plan = plan_tasks("crm", wanted, installed, on(SchedulerQuirks::windows()));
  EXPECT_EQ(plan.plan.changes[0].kind, ChangeKind::update);
}

TEST(TaskPlanTest, ATaskWhoseDigestWasRemovedIsAnEdit) {
  const auto wanted = compile(kManifest);
  auto installed = as_registered(wanted);
  const std::string digest = wanted[0].definition.registration.digest;
  installed[0].xml = replaced(installed[0].xml, "<Version>" + digest + "</Version>\n", "");
  const Registration r = installed_registration(installed[0], &wanted[0], SchedulerQuirks{});
  EXPECT_TRUE(r.edited);
  EXPECT_EQ(r.digest, "");
}

TEST(TaskPlanTest, AnEditedTaskTheManifestDroppedIsRemovedAndMarkedEdited) {
  const auto wanted = compile(kManifest);
  auto installed = as_registered(wanted);
  installed[1].xml = replaced(installed[1].xml, "Weekly report", "Weekly report (mine)");
  const TaskPlan plan = plan_tasks("crm", {wanted[0]}, installed, on(SchedulerQuirks{}));
  ASSERT_EQ(plan.plan.changes.size(), 2u);
  EXPECT_EQ(plan.plan.changes[1].kind, ChangeKind::remove);
  EXPECT_TRUE(plan.plan.changes[1].before->edited);
}

// ---- Plans as Wine 8 keeps tasks -------------------------------------------

TEST(TaskPlanTest, UnderWineANewTaskIsShownWholeThoughOnlyItsKeptPartIsCompared) {
  const auto wanted = compile(kManifest);
  const TaskPlan plan = plan_tasks("crm", wanted, {}, on(SchedulerQuirks::wine8()));
  ASSERT_EQ(plan.plan.changes.size(), 2u);
  const auto& text = plan.plan.changes[0].after->text;
  EXPECT_NE(std::find(text.begin(), text.end(), "      <Command>C:\\bin\\backup.exe</Command>"),
            text.end());
  EXPECT_NE(std::find(text.begin(), text.end(), "    <CalendarTrigger>"), text.end());
}

TEST(TaskPlanTest, UnderWineAJustRegisteredTaskReadsBackUnchanged) {
  const auto wanted = compile(kManifest);
  const auto installed = as_wine_returns(wanted);
  const TaskPlan plan = plan_tasks("crm", wanted, installed, on(SchedulerQuirks::wine8()));
  EXPECT_FALSE(plan.plan.has_changes()) << render_plan(plan.plan);
  for (const auto& task : installed)
    EXPECT_FALSE(installed_registration(task, nullptr, SchedulerQuirks::wine8()).edited);
  // What is not compared is said, never left out silently.
  ASSERT_FALSE(plan.notes.empty());
  EXPECT_EQ(plan.notes[0],
            "Wine's Task Scheduler does not keep every part of a task as registered; not "
            "compared: triggers, the program to run, MultipleInstancesPolicy, the principal's "
            "LogonType, the principal's UserId, IdleSettings");
}

TEST(TaskPlanTest, TheCallerDecidesWhatIsCompared) {
  // The same read-back, taken as Windows': the missing triggers and program
  // are edits.
  const auto wanted = compile(kManifest);
  const TaskPlan plan =
      plan_tasks("crm", wanted, as_wine_returns(wanted), on(SchedulerQuirks::windows()));
  EXPECT_EQ(plan.plan.count(ChangeKind::update), 2u);
  EXPECT_TRUE(plan.plan.changes[0].before->edited);
}

TEST(TaskPlanTest, UnderWineWhatItKeepsIsStillCompared) {
  const auto wanted = compile(kManifest);
  auto installed = as_wine_returns(wanted);
  installed[0].xml = replaced(installed[0].xml, "PT10M", "PT3H");
  installed[1].xml = replaced(installed[1].xml, "<Enabled>true</Enabled>",
                              "<Enabled>false</Enabled>");
  const TaskPlan plan = plan_tasks("crm", wanted, installed, on(SchedulerQuirks::wine8()));
  EXPECT_EQ(plan.plan.count(ChangeKind::update), 2u);
  EXPECT_TRUE(plan.plan.changes[0].before->edited);
  EXPECT_TRUE(plan.plan.changes[1].before->edited);
}

TEST(TaskPlanTest, UnderWineAChangedManifestIsAnUpdateNotAnEdit) {
  const auto before = compile(kManifest);
  const auto after = compile(replaced(kManifest, "\"30 2 * * *\"", "\"0 3 * * *\""));
  // Only the triggers changed, which Wine does not keep: the digest says it.
  const TaskPlan plan =
      plan_tasks("crm", after, as_wine_returns(before), on(SchedulerQuirks::wine8()));
  EXPECT_EQ(plan.plan.changes[0].kind, ChangeKind::update);
  EXPECT_EQ(plan.plan.changes[0].why, "the manifest changed");
  EXPECT_EQ(plan.plan.changes[1].kind, ChangeKind::unchanged);
}

TEST(TaskPlanTest, KeptPartDropsWhatWineDoesNotKeep) {
  const auto wanted = compile(kManifest);
  const TaskDefinition kept = kept_part(wanted[1].definition, SchedulerQuirks::wine8());
  EXPECT_TRUE(kept.triggers.empty());
  EXPECT_EQ(kept.action, ExecAction{});
  EXPECT_EQ(kept.settings.multiple_instances, InstancesPolicy::ignore_new);
  EXPECT_EQ(kept.principal.logon_type, LogonType::interactive_token);
  EXPECT_EQ(kept.principal.user_id, std::nullopt);
  EXPECT_EQ(kept.settings.idle, IdleCondition{});
  EXPECT_EQ(kept_part(wanted[1].definition, SchedulerQuirks{}), wanted[1].definition);
  EXPECT_TRUE(SchedulerQuirks{}.keeps_everything());
  EXPECT_TRUE(SchedulerQuirks{}.not_compared().empty());
  EXPECT_FALSE(SchedulerQuirks::wine8().enumerates_tasks);
  EXPECT_TRUE(SchedulerQuirks::windows().enumerates_tasks);
}

// ---- Tasks omnicron did not register --------------------------------------

TEST(TaskPlanTest, AForeignTaskIsListedAndLeftAlone) {
  const auto wanted = compile(kManifest);
  auto installed = as_registered(wanted);
  installed.push_back({"contoso-update", kForeign});
  const TaskPlan plan = plan_tasks("crm", wanted, installed, on(SchedulerQuirks{}));
  EXPECT_FALSE(plan.plan.has_changes());
  ASSERT_EQ(plan.foreign.size(), 1u);
  EXPECT_EQ(plan.foreign[0].name, "contoso-update");
  EXPECT_EQ(plan.foreign[0].why, "its Source is 'Contoso Updater'");
  ASSERT_EQ(plan.notes.size(), 1u);
  EXPECT_EQ(plan.notes[0],
            "\\omnicron\\crm\\contoso-update: not registered by omnicron (its Source is "
            "'Contoso Updater'); left alone");
  EXPECT_EQ(plan.tasks_after, 3u);
  std::string why;
  EXPECT_FALSE(is_omnicron_task(installed.back(), why));
  EXPECT_TRUE(is_omnicron_task(installed.front(), why));
}

TEST(TaskPlanTest, AnEmptyManifestRemovesOnlyOmnicronsTasksAndTheFolderStays) {
  const auto wanted = compile(kManifest);
  auto installed = as_registered(wanted);
  installed.push_back({"contoso-update", kForeign});
  installed.push_back({"broken", "<Task><Unclosed></Task>"});
  const TaskPlan plan = plan_tasks("crm", {}, installed, on(SchedulerQuirks{}));
  EXPECT_EQ(plan.plan.count(ChangeKind::remove), 2u);
  EXPECT_EQ(plan.plan.changes.size(), 2u);
  ASSERT_EQ(plan.foreign.size(), 2u);
  EXPECT_EQ(plan.foreign[1].why.rfind("its XML cannot be read (", 0), 0u) << plan.foreign[1].why;
  EXPECT_EQ(plan.tasks_after, 2u);
  EXPECT_EQ(plan.notes.back(),
            "\\omnicron\\crm\\ stays: it holds 2 task(s) omnicron did not register");
}

TEST(TaskPlanTest, AnEmptyManifestEmptiesTheFolder) {
  const auto wanted = compile(kManifest);
  const TaskPlan plan = plan_tasks("crm", {}, as_registered(wanted), on(SchedulerQuirks{}));
  EXPECT_EQ(plan.plan.count(ChangeKind::remove), 2u);
  EXPECT_EQ(plan.tasks_after, 0u);
  EXPECT_TRUE(plan.register_xml.empty());
  EXPECT_EQ(plan.previous_xml.size(), 2u);
}

TEST(TaskPlanTest, AJobWithTheNameOfAForeignTaskIsRefused) {
  const auto wanted = compile(kManifest);
  // Task names are not case-sensitive: "Backup" is the job's task too.
  const std::vector<InstalledTask> installed = {{"Backup", kForeign}};
  try {
    plan_tasks("crm", wanted, installed, on(SchedulerQuirks{}));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::backend);
    EXPECT_EQ(e.message(),
              "1 task(s) in \\omnicron\\crm\\ have the name of a job of the manifest but were "
              "not registered by omnicron, which leaves such tasks alone:\n"
              "  \\omnicron\\crm\\Backup (its Source is 'Contoso Updater')\n"
              "rename the job, or delete or move the task in Task Scheduler, or ask omnicron "
              "to replace it");
  }
}

TEST(TaskPlanTest, AForeignTaskIsReplacedWhenAskedAndItsXmlKept) {
  const auto wanted = compile(kManifest);
  const std::vector<InstalledTask> installed = {{"backup", kForeign}};
  TaskPlanOptions o;
  o.replace_foreign = true;
  const TaskPlan plan = plan_tasks("crm", wanted, installed, o);
  EXPECT_EQ(plan.plan.changes[0].kind, ChangeKind::update);
  EXPECT_EQ(plan.plan.changes[0].why,
            "not registered by omnicron (its Source is 'Contoso Updater'); replaced as asked");
  EXPECT_EQ(plan.previous_xml.at("backup"), kForeign);
  EXPECT_EQ(plan.register_xml.at("backup"), wanted[0].xml);
  EXPECT_TRUE(plan.foreign.empty());
  EXPECT_EQ(plan.plan.changes[1].kind, ChangeKind::create);
}

}  // namespace
}  // namespace omnicron::tasksched
