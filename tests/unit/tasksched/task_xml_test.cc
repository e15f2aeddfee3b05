// Tests of the Task Scheduler XML writer: exact text, every settings mapping,
// escaping and encoding, and the example manifests against Microsoft's
// schema through xmllint.

#include "tasksched/task_xml.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "error.h"
#include "manifest/load.h"
#include "test_zones.h"

namespace omnicron::tasksched {
namespace {

using omnicron::testing::load_zone;
using omnicron::testing::utc;

const std::chrono::sys_seconds kNow = utc(2026, 1, 1);

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected to find\n" << part << "\nin\n" << text;
}

::testing::AssertionResult Lacks(const std::string& text, const std::string& part) {
  if (text.find(part) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "did not expect\n" << part << "\nin\n" << text;
}

// ---- Rendering a hand-made definition -----------------------------------

TaskDefinition weekday_report() {
  TaskDefinition task;
  task.registration.uri = R"(\omnicron\crm\report)";
  task.registration.author = "omnicron, from crm.yaml";
  task.registration.digest = "0123abcd";
  task.registration.description = "Mail <report> & more";
  task.triggers.push_back(CalendarTrigger{
      {2000, 1, 1, 9, 0, 0},
      ScheduleByWeek{1, static_cast<std::uint8_t>((1u << 1) | (1u << 5))},
      Repetition{std::chrono::minutes(15), std::chrono::seconds(8 * 3600 + 45 * 60 + 30)}});
  task.triggers.push_back(BootTrigger{});
  task.action = {R"(C:\bin\report.exe)", R"(--to "a b")", R"(C:\crm)"};
  return task;
}

TEST(TaskXmlTest, RendersEveryElementInSchemaOrder) {
  EXPECT_EQ(render_task_xml(weekday_report()),
            R"(<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.3" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <URI>\omnicron\crm\report</URI>
    <Source>omnicron</Source>
    <Author>omnicron, from crm.yaml</Author>
    <Version>0123abcd</Version>
    <Description>Mail &lt;report&gt; &amp; more</Description>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2000-01-01T09:00:00</StartBoundary>
      <Repetition>
        <Interval>PT15M</Interval>
        <Duration>PT8H45M30S</Duration>
      </Repetition>
      <ScheduleByWeek>
        <WeeksInterval>1</WeeksInterval>
        <DaysOfWeek>
          <Monday />
          <Friday />
        </DaysOfWeek>
      </ScheduleByWeek>
    </CalendarTrigger>
    <BootTrigger />
  </Triggers>
  <Settings>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <MultipleInstancesPolicy>Parallel</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <AllowHardTerminate>true</AllowHardTerminate>
    <StartWhenAvailable>false</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <Enabled>true</Enabled>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RunOnlyIfIdle>false</RunOnlyIfIdle>
  </Settings>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Actions Context="Author">
    <Exec>
      <Command>C:\bin\report.exe</Command>
      <Arguments>--to "a b"</Arguments>
      <WorkingDirectory>C:\crm</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
)");
}

TEST(TaskXmlTest, RendersMonthlySchedulesWithLastAndMonthsInSchemaOrder) {
  TaskDefinition task = weekday_report();
  task.triggers = {
      CalendarTrigger{{2000, 1, 1, 3, 0, 0},
                      ScheduleByMonth{(1u << 1) | (1u << 15), true,
                                      static_cast<std::uint16_t>((1u << 1) | (1u << 7))},
                      std::nullopt},
      CalendarTrigger{{2000, 1, 1, 4, 30, 0},
                      ScheduleByMonthDayOfWeek{static_cast<std::uint8_t>((1u << 1) | (1u << 3)),
                                               true, static_cast<std::uint8_t>(1u << 0),
                                               static_cast<std::uint16_t>(1u << 12)},
                      std::nullopt},
      TimeTrigger{{2000, 1, 1, 0, 7, 0}, Repetition{std::chrono::hours(1), std::nullopt}},
      LogonTrigger{},
  };
  task.logon_user = "ana";
  EXPECT_TRUE(Contains(render_task_xml(task), R"(  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2000-01-01T03:00:00</StartBoundary>
      <ScheduleByMonth>
        <DaysOfMonth>
          <Day>1</Day>
          <Day>15</Day>
          <Day>Last</Day>
        </DaysOfMonth>
        <Months>
          <January />
          <July />
        </Months>
      </ScheduleByMonth>
    </CalendarTrigger>
    <CalendarTrigger>
      <StartBoundary>2000-01-01T04:30:00</StartBoundary>
      <ScheduleByMonthDayOfWeek>
        <Weeks>
          <Week>1</Week>
          <Week>3</Week>
          <Week>Last</Week>
        </Weeks>
        <DaysOfWeek>
          <Sunday />
        </DaysOfWeek>
        <Months>
          <December />
        </Months>
      </ScheduleByMonthDayOfWeek>
    </CalendarTrigger>
    <TimeTrigger>
      <StartBoundary>2000-01-01T00:07:00</StartBoundary>
      <Repetition>
        <Interval>PT1H</Interval>
      </Repetition>
    </TimeTrigger>
    <LogonTrigger>
      <UserId>ana</UserId>
    </LogonTrigger>
  </Triggers>
)"));
}

// ---- Escaping and encoding ---------------------------------------------

TEST(TaskXmlTest, EscapesMarkupAndCarriageReturns) {
  EXPECT_EQ(xml_escape(R"(a<b>&"c"'d')"), R"(a&lt;b&gt;&amp;"c"'d')");
  EXPECT_EQ(xml_escape("line\r\nnext\ttab"), "line&#13;\nnext\ttab");
  EXPECT_EQ(xml_escape("Å ü €"), "Å ü €");
}

TEST(TaskXmlTest, RefusesControlCharactersXmlCannotCarry) {
  try {
    xml_escape(std::string("bell\x07"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::validation);
    EXPECT_TRUE(Contains(e.message(), "U+0007"));
  }
}

TEST(TaskXmlTest, EncodesUtf16LittleEndianWithByteOrderMark) {
  // 'A', the euro sign (one unit) and U+1F600 (a surrogate pair).
  const std::string bytes = to_utf16le_with_bom("A\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(bytes, std::string("\xFF\xFE"
                               "A\x00"
                               "\xAC\x20"
                               "\x3D\xD8\x00\xDE",
                               10));
}

TEST(TaskXmlTest, RefusesBytesThatAreNotUtf8) {
  EXPECT_THROW(to_utf16le_with_bom("\xC0\xAF"), Error);        // overlong '/'
  EXPECT_THROW(to_utf16le_with_bom("\xED\xA0\x80"), Error);    // a surrogate half
  EXPECT_THROW(to_utf16le_with_bom("abc\xE2\x82"), Error);     // cut short
  EXPECT_THROW(to_utf16le_with_bom("\xFF"), Error);
}

// ---- Compiling jobs from a manifest ----------------------------------------

struct Compiled {
  std::optional<TaskDefinition> task;
  Diagnostics diagnostics;
  std::string xml() const { return task ? render_task_xml(*task) : std::string(); }
};

Compiled compile(const std::string& yaml, const std::string& zone = "UTC",
                 std::optional<std::string> current_user = std::nullopt) {
  const LoadResult loaded = load_manifest(yaml, "jobs.yaml");
  EXPECT_FALSE(loaded.diagnostics.has_errors())
      << (loaded.diagnostics.items().empty() ? "" : loaded.diagnostics.items()[0].message);
  Compiled out;
  TaskXmlOptions options;
  options.zone = &load_zone(zone);
  options.now = kNow;
  options.current_user = std::move(current_user);
  options.omnicron_path = R"(C:\omnicron\omnicron.exe)";
  out.task = compile_task(loaded.manifest, loaded.manifest.jobs.at(0), options,
                          out.diagnostics);
  return out;
}

// A manifest with one job "j" in namespace "ns", its keys indented under it.
std::string job_yaml(const std::string& keys) {
  return "version: 1\nnamespace: ns\njobs:\n  j:\n" + keys;
}

const std::string kPlain =
    "    schedule: \"0 6 * * *\"\n"
    "    command: ['C:\\bin\\x.exe', 'a b', 'C:\\dir\\']\n";

TEST(TaskXmlTest, CompilesAPlainCommandJobExactly) {
  const Compiled c = compile(job_yaml("    description: Say <hi>\n" + kPlain +
                                      "    working_dir: 'C:\\work'\n"));
  ASSERT_TRUE(c.task) << c.diagnostics.items().at(0).message;
  EXPECT_EQ(c.task->registration.digest, task_digest(*c.task));
  EXPECT_EQ(c.task->registration.digest.size(), 8u);
  EXPECT_EQ(c.xml(), R"(<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.3" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <URI>\omnicron\ns\j</URI>
    <Source>omnicron</Source>
    <Author>omnicron, from jobs.yaml</Author>
    <Version>)" + c.task->registration.digest + R"(</Version>
    <Description>Say &lt;hi&gt;</Description>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2000-01-01T06:00:00</StartBoundary>
      <ScheduleByDay>
        <DaysInterval>1</DaysInterval>
      </ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Settings>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <MultipleInstancesPolicy>Parallel</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <AllowHardTerminate>true</AllowHardTerminate>
    <StartWhenAvailable>false</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <Enabled>true</Enabled>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RunOnlyIfIdle>false</RunOnlyIfIdle>
  </Settings>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Actions Context="Author">
    <Exec>
      <Command>C:\bin\x.exe</Command>
      <Arguments>"a b" C:\dir\</Arguments>
      <WorkingDirectory>C:\work</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
)");
}

TEST(TaskXmlTest, DigestFollowsWhatTheTaskDoes) {
  const Compiled a = compile(job_yaml(kPlain));
  const Compiled b = compile(job_yaml(kPlain));
  const Compiled c = compile(job_yaml(kPlain + "    timeout: 5m\n"));
  ASSERT_TRUE(a.task && b.task && c.task);
  EXPECT_EQ(a.task->registration.digest, b.task->registration.digest);
  EXPECT_NE(a.task->registration.digest, c.task->registration.digest);
}

TEST(TaskXmlTest, OverlapMapsToMultipleInstancesPolicy) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"allow", "Parallel"}, {"skip", "IgnoreNew"}, {"queue", "Queue"},
      {"replace", "StopExisting"}};
  for (const auto& [overlap, policy] : cases) {
    const Compiled c = compile(job_yaml(kPlain + "    overlap: " + overlap + "\n"));
    EXPECT_TRUE(Contains(c.xml(), "<MultipleInstancesPolicy>" + policy +
                                   "</MultipleInstancesPolicy>"))
        << overlap;
  }
}

TEST(TaskXmlTest, TimeoutMapsToExecutionTimeLimitAndNoneToUnlimited) {
  EXPECT_TRUE(Contains(compile(job_yaml(kPlain)).xml(),
                       "<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>"));
  EXPECT_TRUE(Lacks(compile(job_yaml(kPlain)).xml(), "PT72H"));
  EXPECT_TRUE(Contains(compile(job_yaml(kPlain + "    timeout: 1h30m\n")).xml(),
                       "<ExecutionTimeLimit>PT1H30M</ExecutionTimeLimit>"));
}

TEST(TaskXmlTest, WithTheRunnerTheTimeoutIsTheRunnersAndTaskSchedulerIsTheBackstop) {
  const Compiled c = compile(job_yaml(kPlain + "    timeout: 1h30m\n    log: 'C:\\l.log'\n"));
  EXPECT_TRUE(Contains(c.xml(), "<ExecutionTimeLimit>PT1H32M</ExecutionTimeLimit>"));
  EXPECT_TRUE(Contains(c.xml(), "--timeout 1h30m"));
}

TEST(TaskXmlTest, TaskSchedulersBackstopCoversEveryAttemptOfTheRunner) {
  // 1m random delay + 3 attempts of (10m + 2m margin) + 2 delays of 5m.
  const Compiled c = compile(job_yaml(kPlain +
                                      "    timeout: 10m\n"
                                      "    retries: { count: 2, delay: 5m }\n"
                                      "    random_delay: 1m\n"));
  EXPECT_TRUE(Contains(c.xml(), "<ExecutionTimeLimit>PT47M</ExecutionTimeLimit>"));
  EXPECT_TRUE(Contains(c.xml(), "--timeout 10m --retries 2 --retry-delay 5m --random-delay 1m"));
}

TEST(TaskXmlTest, ReportsEveryScheduleItemItCannotExpress) {
  const Compiled c = compile(
      job_yaml("    schedule:\n"
               "      - \"0,1,3,7,12,20,30,44 0,1,3,7,12,20,22 1 * 1\"\n"
               "      - \"0 6 * * *\"\n"
               "      - \"0,1,3,7,12,20,30,44 0,1,3,7,12,20,22 2 * 2\"\n"
               "    command: ['C:\\x.exe']\n    overlap: skip\n"));
  EXPECT_FALSE(c.task);
  EXPECT_EQ(c.diagnostics.error_count(), 2u);
}

TEST(TaskXmlTest, MissedRunMapsToStartWhenAvailable) {
  EXPECT_TRUE(Contains(compile(job_yaml(kPlain + "    missed: run\n")).xml(),
                       "<StartWhenAvailable>true</StartWhenAvailable>"));
  EXPECT_TRUE(Contains(compile(job_yaml(kPlain + "    missed: skip\n")).xml(),
                       "<StartWhenAvailable>false</StartWhenAvailable>"));
}

TEST(TaskXmlTest, AcPowerConditionMapsToBothBatterySettings) {
  const std::string on = compile(job_yaml(kPlain + "    conditions: { ac_power: true }\n")).xml();
  EXPECT_TRUE(Contains(on, "<DisallowStartIfOnBatteries>true</DisallowStartIfOnBatteries>"));
  EXPECT_TRUE(Contains(on, "<StopIfGoingOnBatteries>true</StopIfGoingOnBatteries>"));
  EXPECT_TRUE(Contains(on, "<RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>"));
}

TEST(TaskXmlTest, NetworkConditionMapsToRunOnlyIfNetworkAvailable) {
  const std::string xml = compile(job_yaml(kPlain + "    conditions: { network: true }\n")).xml();
  EXPECT_TRUE(Contains(xml, "<RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>"));
  EXPECT_TRUE(Contains(xml, "<DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>"));
}

TEST(TaskXmlTest, IdleConditionMapsToIdleSettingsThatDoNotStopTheRun) {
  const std::string xml = compile(job_yaml(kPlain + "    conditions: { idle: 10m }\n")).xml();
  EXPECT_TRUE(Contains(xml, R"(    <IdleSettings>
      <Duration>PT10M</Duration>
      <WaitTimeout>PT1H</WaitTimeout>
      <StopOnIdleEnd>false</StopOnIdleEnd>
      <RestartOnIdle>false</RestartOnIdle>
    </IdleSettings>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RunOnlyIfIdle>true</RunOnlyIfIdle>
)"));
  EXPECT_TRUE(Lacks(compile(job_yaml(kPlain)).xml(), "IdleSettings"));
}

TEST(TaskXmlTest, EnabledMapsToEnabled) {
  EXPECT_TRUE(Contains(compile(job_yaml(kPlain + "    enabled: false\n")).xml(),
                       "<Enabled>false</Enabled>"));
}

TEST(TaskXmlTest, RunAsMapsToThePrincipal) {
  const std::string me = compile(job_yaml(kPlain)).xml();
  EXPECT_TRUE(Contains(me, R"(    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
)"));
  const std::string system = compile(job_yaml(kPlain + "    run_as: system\n")).xml();
  EXPECT_TRUE(Contains(system, R"(    <Principal id="Author">
      <UserId>S-1-5-18</UserId>
      <RunLevel>LeastPrivilege</RunLevel>
)"));
  const std::string user = compile(job_yaml(kPlain + "    run_as: backup\n")).xml();
  EXPECT_TRUE(Contains(user, R"(    <Principal id="Author">
      <UserId>backup</UserId>
      <LogonType>S4U</LogonType>
)"));
}

TEST(TaskXmlTest, LogonTriggerWaitsForThePrincipalsUser) {
  const std::string logon = "    schedule: { on: logon }\n    command: ['C:\\x.exe']\n";
  EXPECT_TRUE(Contains(compile(job_yaml(logon), "UTC", "ana").xml(),
                       "<LogonTrigger>\n      <UserId>ana</UserId>\n    </LogonTrigger>"));
  EXPECT_TRUE(Contains(compile(job_yaml(logon + "    run_as: backup\n"), "UTC", "ana").xml(),
                       "<UserId>backup</UserId>\n    </LogonTrigger>"));
  EXPECT_TRUE(Contains(compile(job_yaml(logon + "    run_as: system\n"), "UTC", "ana").xml(),
                       "<LogonTrigger />"));
}

TEST(TaskXmlTest, ShellJobRunsThroughCmdWithTheLineVerbatim) {
  const Compiled c = compile(job_yaml(
      "    schedule: \"0 6 * * *\"\n"
      "    shell: 'forfiles /p \"%USERPROFILE%\\Downloads\" /c \"cmd /c del @path\" & echo <ok>'\n"));
  EXPECT_TRUE(Contains(c.xml(), R"(      <Command>%SystemRoot%\System32\cmd.exe</Command>
      <Arguments>/d /s /c "forfiles /p "%USERPROFILE%\Downloads" /c "cmd /c del @path" &amp; echo &lt;ok&gt;"</Arguments>
)"));
}

TEST(TaskXmlTest, EnvLogRetriesAndRandomDelayUseTheRunner) {
  const Compiled c = compile(job_yaml(kPlain +
                                      "    env: { A: 'x y' }\n"
                                      "    log: 'C:\\logs\\j.log'\n"
                                      "    retries: { count: 2, delay: 5m }\n"
                                      "    random_delay: 1m\n"
                                      "    overlap: skip\n"
                                      "    working_dir: 'C:\\w'\n"));
  EXPECT_TRUE(Contains(c.xml(), R"(      <Command>C:\omnicron\omnicron.exe</Command>
      <Arguments>exec --job ns/j --env "A=x y" --log C:\logs\j.log --retries 2 --retry-delay 5m --random-delay 1m -- C:\bin\x.exe "a b" C:\dir\</Arguments>
      <WorkingDirectory>C:\w</WorkingDirectory>
)"));
  // Overlap stays Task Scheduler's own setting.
  EXPECT_TRUE(Contains(c.xml(), "<MultipleInstancesPolicy>IgnoreNew"));
  for (const std::string& key :
       {std::string("    env: { A: b }\n"), std::string("    log: 'C:\\l'\n"),
        std::string("    retries: 1\n"), std::string("    random_delay: 1m\n")}) {
    EXPECT_TRUE(Contains(compile(job_yaml(kPlain + key)).xml(),
                         "<Command>C:\\omnicron\\omnicron.exe</Command>"))
        << key;
  }
  for (const std::string& key :
       {std::string("    timeout: 1m\n"), std::string("    overlap: queue\n"),
        std::string("    conditions: { ac_power: true, network: true, idle: 5m }\n"),
        std::string("    missed: run\n"), std::string("    working_dir: 'C:\\w'\n")}) {
    EXPECT_TRUE(Contains(compile(job_yaml(kPlain + key)).xml(), "<Command>C:\\bin\\x.exe"))
        << key;
  }
}

TEST(TaskXmlTest, WarnsThatTaskSchedulerExpandsVariablesInArguments) {
  const Compiled c = compile(job_yaml(
      "    schedule: \"0 6 * * *\"\n    command: ['C:\\x.exe', '100%', '%APPDATA%\\y']\n"));
  ASSERT_TRUE(c.task);
  ASSERT_EQ(c.diagnostics.items().size(), 1u);
  EXPECT_EQ(c.diagnostics.items()[0].severity, Severity::warning);
  EXPECT_EQ(c.diagnostics.items()[0].field, "jobs.j.command");
  EXPECT_TRUE(Contains(c.diagnostics.items()[0].message, "replaces %APPDATA% in '%APPDATA%\\y'"));
  EXPECT_TRUE(compile(job_yaml(kPlain + "    env: { A: '%B%' }\n")).diagnostics.empty());
}

// ---- What cannot be expressed --------------------------------------------

void expect_refused(const Compiled& c, const std::string& field, const std::string& words) {
  EXPECT_FALSE(c.task);
  ASSERT_TRUE(c.diagnostics.has_errors());
  const Diagnostic& d = c.diagnostics.items().front();
  EXPECT_EQ(d.field, field);
  EXPECT_TRUE(Contains(d.message, words));
  EXPECT_TRUE(d.where.known()) << field;
}

TEST(TaskXmlTest, RefusesAnotherTimeZoneThanTheMachines) {
  expect_refused(compile(job_yaml(kPlain + "    timezone: Europe/Berlin\n"), "UTC"),
                 "jobs.j.timezone", "machine's wall clock (UTC)");
  EXPECT_TRUE(compile(job_yaml(kPlain + "    timezone: Europe/Berlin\n"), "Europe/Berlin").task);
}

TEST(TaskXmlTest, RefusesOrDaysUnlessOverlapSkipsTheSecondStart) {
  const std::string both = "    schedule: \"0 6 1 * 1\"\n    command: ['C:\\x.exe']\n";
  expect_refused(compile(job_yaml(both)), "jobs.j.overlap", "would run the job twice");
  EXPECT_TRUE(compile(job_yaml(both + "    overlap: skip\n")).task);
}

// The loader refuses a multi-line `shell:` already; a manifest made in code
// (by an importer) is checked again because cmd.exe would run only the first
// line.
TEST(TaskXmlTest, RefusesAMultiLineShellCommand) {
  LoadResult loaded =
      load_manifest(job_yaml("    schedule: \"0 6 * * *\"\n    shell: echo a\n"), "jobs.yaml");
  ASSERT_FALSE(loaded.diagnostics.has_errors());
  loaded.manifest.jobs.at(0).settings.command->shell = "echo a\r\necho b";
  TaskXmlOptions options;
  options.zone = &load_zone("UTC");
  options.now = kNow;
  Compiled c;
  c.task = compile_task(loaded.manifest, loaded.manifest.jobs.at(0), options, c.diagnostics);
  expect_refused(c, "jobs.j.shell", "line break");
}

TEST(TaskXmlTest, RefusesAProgramPathLongerThanMaxPath) {
  expect_refused(compile(job_yaml("    schedule: \"0 6 * * *\"\n    command: ['C:\\" +
                                  std::string(300, 'a') + "']\n")),
                 "jobs.j.command", "allows 260");
}

TEST(TaskXmlTest, RefusesControlCharactersInTheCommand) {
  expect_refused(
      compile(job_yaml("    schedule: \"0 6 * * *\"\n    command: ['C:\\x.exe', \"a\\x01\"]\n")),
      "jobs.j.command", "U+0001");
}

TEST(TaskXmlTest, RefusesAScheduleTaskSchedulerCannotExpressAtItsItem) {
  const Compiled c = compile(
      job_yaml("    schedule: \"0,1,3,7,12,20,30,44 0,1,3,7,12,20,22 1 * 1\"\n"
               "    command: ['C:\\x.exe']\n    overlap: skip\n"));
  EXPECT_FALSE(c.task);
  ASSERT_TRUE(c.diagnostics.has_errors());
  EXPECT_EQ(c.diagnostics.items().front().field, "jobs.j.schedule");
  EXPECT_TRUE(Contains(c.diagnostics.items().front().message, "48"));
}

// ---- The examples against Microsoft's schema -------------------------------

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every job of every example that runs on Windows compiles, and its XML,
// written as Windows writes task files (UTF-16LE with a BOM), validates
// against task.xsd. The schema is Microsoft's and lives beside the project
// (shared/taskxml/task.xsd), not in it; without it or without xmllint the
// test is skipped, saying why.
TEST(TaskXmlTest, EveryWindowsExampleJobValidatesAgainstTaskXsd) {
  const std::filesystem::path source(OMNICRON_SOURCE_DIR);
  const std::filesystem::path xsd = source / ".." / "shared" / "taskxml" / "task.xsd";
  if (!std::filesystem::exists(xsd))
    GTEST_SKIP() << "no Task Scheduler schema at " << xsd.string();
  if (std::system("xmllint --version >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "xmllint is not installed (Debian: libxml2-utils)";

  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("omnicron_task_xml_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<std::filesystem::path> examples;
  for (const auto& entry : std::filesystem::directory_iterator(source / "examples"))
    if (entry.path().extension() == ".yaml") examples.push_back(entry.path());
  ASSERT_FALSE(examples.empty());

  TaskXmlOptions options;
  options.now = kNow;
  options.current_user = "ana";
  int validated = 0;
  for (const auto& file : examples) {
    const LoadResult loaded = load_manifest(read_file(file), file.filename().string());
    ASSERT_FALSE(loaded.diagnostics.has_errors()) << file;
    for (const Job& job : loaded.manifest.jobs) {
      if (!runs_on(job, Platform::windows)) continue;
      // The machine is taken to be in the zone a job pins (the desktop
      // example pins Europe/Lisbon), else in UTC; a zone with DST would
      // rightly refuse the server's 01:30 backup.
      const EffectiveJob effective = effective_job(loaded.manifest, job, Platform::windows);
      options.zone = &load_zone(effective.timezone.value_or("UTC"));
      Diagnostics diagnostics;
      const auto task = compile_task(loaded.manifest, job, options, diagnostics);
      const std::string label = file.filename().string() + " job " + job.name;
      ASSERT_TRUE(task) << label << ": " << diagnostics.items().at(0).field << ": "
                        << diagnostics.items().at(0).message;
      const std::filesystem::path out =
          dir / (loaded.manifest.namespace_ + "-" + job.name + ".xml");
      {
        std::ofstream o(out, std::ios::binary);
        o << to_utf16le_with_bom(render_task_xml(*task));
      }
      const std::string command = "xmllint --noout --schema '" + xsd.string() + "' '" +
                                  out.string() + "' 2>&1";
      std::string output;
      FILE* pipe = ::popen(command.c_str(), "r");
      ASSERT_NE(pipe, nullptr);
      char buffer[512];
      while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
      const int status = ::pclose(pipe);
      EXPECT_EQ(status, 0) << label << "\n" << output << render_task_xml(*task);
      ++validated;
    }
  }
  // OMNICRON_KEEP_TASK_XML=1 keeps the files, to read them or try them with
  // `schtasks /create /xml` on a Windows machine.
  if (std::getenv("OMNICRON_KEEP_TASK_XML"))
    std::cout << "task XML kept in " << dir.string() << "\n";
  else
    std::filesystem::remove_all(dir);
  // crm has 4 Windows jobs, server 6, windows-desktop 5.
  EXPECT_GE(validated, 15);
}

}  // namespace
}  // namespace omnicron::tasksched
