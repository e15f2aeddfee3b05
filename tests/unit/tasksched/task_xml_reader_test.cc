// Tests of the task XML reader: encodings decided by the bytes, elements in
// any order with or without the namespace, Windows' defaults, what the model
// has no room for kept aside, and errors located at file, line and element.

#include "tasksched/task_xml_reader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "error.h"

namespace omnicron::tasksched {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

std::string fixture(const std::string& name) {
  const std::filesystem::path path =
      std::filesystem::path(OMNICRON_SOURCE_DIR) / "tests/unit/tasksched/data" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// UTF-16BE: UTF-16LE with every pair of bytes swapped.
std::string to_utf16be_with_bom(std::string_view utf8) {
  std::string bytes = to_utf16le_with_bom(utf8);
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) std::swap(bytes[i], bytes[i + 1]);
  return bytes;
}

constexpr std::string_view kNs = R"( xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task")";

// A small task in Windows' usual order, with the namespace.
std::string small_task(std::string_view declaration = "UTF-16", bool ns = true) {
  return fmt::format(R"(<?xml version="1.0" encoding="{}"?>
<Task version="1.2"{}>
  <RegistrationInfo>
    <URI>\Backups\Nightly Café</URI>
    <Description>Copies € files</Description>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2020-02-03T01:30:00</StartBoundary>
      <ScheduleByDay>
        <DaysInterval>1</DaysInterval>
      </ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Settings>
    <MultipleInstancesPolicy>Parallel</MultipleInstancesPolicy>
    <ExecutionTimeLimit>PT2H</ExecutionTimeLimit>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>C:\bin\backup.exe</Command>
      <Arguments>--all "C:\My Files"</Arguments>
    </Exec>
  </Actions>
</Task>)",
                     declaration, ns ? kNs : "");
}

TEST(TaskXmlReaderTest, ReadsTheModelFromATaskFile) {
  const ReadTask task = read_task_xml(small_task(), "t.xml");
  const TaskDefinition& d = task.definition;
  EXPECT_EQ(task.version, "1.2");
  EXPECT_EQ(d.registration.uri, R"(\Backups\Nightly Café)");
  EXPECT_EQ(d.registration.source, "");
  EXPECT_EQ(d.registration.description, "Copies € files");
  ASSERT_EQ(d.triggers.size(), 1u);
  EXPECT_EQ(d.triggers[0], Trigger(CalendarTrigger{{2020, 2, 3, 1, 30, 0}, ScheduleByDay{1}, std::nullopt}));
  EXPECT_EQ(d.settings.multiple_instances, InstancesPolicy::parallel);
  EXPECT_EQ(d.settings.execution_time_limit, hours(2));
  EXPECT_EQ(d.action.command, R"(C:\bin\backup.exe)");
  EXPECT_EQ(d.action.arguments, R"(--all "C:\My Files")");
  EXPECT_FALSE(d.action.working_directory);
  EXPECT_EQ(task.actions_context, "Author");
  EXPECT_TRUE(task.unknown.empty());
  ASSERT_EQ(task.triggers.size(), 1u);
  EXPECT_EQ(task.triggers[0].place, (XmlPlace{8, "Task/Triggers/CalendarTrigger"}));
}

// Windows writes UTF-16LE with a BOM; people commit UTF-8 (with or without
// a BOM) that still says UTF-16; the declaration may say either. The bytes
// decide.
TEST(TaskXmlReaderTest, DecidesTheEncodingByTheBytesNotTheDeclaration) {
  const TaskDefinition want = read_task_xml(small_task("UTF-8"), "t.xml").definition;
  for (const std::string declaration : {"UTF-16", "UTF-8", "utf-16le"}) {
    const std::string text = small_task(declaration);
    std::string crlf;
    for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const std::vector<std::pair<std::string, std::string>> variants = {
        {"UTF-8 without a BOM", text},
        {"UTF-8 with a BOM", "\xEF\xBB\xBF" + text},
        {"UTF-16LE with a BOM", to_utf16le_with_bom(text)},
        {"UTF-16LE with a BOM and CRLF", to_utf16le_with_bom(crlf)},
        {"UTF-16LE without a BOM", to_utf16le_with_bom(text).substr(2)},
        {"UTF-16BE with a BOM", to_utf16be_with_bom(text)},
        {"UTF-16BE without a BOM", to_utf16be_with_bom(text).substr(2)},
    };
    for (const auto& [label, bytes] : variants) {
      SCOPED_TRACE(label + " declaring " + declaration);
      EXPECT_EQ(read_task_xml(bytes, "t.xml").definition, want);
    }
  }
}

TEST(TaskXmlReaderTest, ReadsElementsInAnyOrderWithOrWithoutTheNamespace) {
  const std::string shuffled = fmt::format(R"(<?xml version="1.0" encoding="UTF-16"?>
<Task{}>
  <Actions>
    <Exec>
      <Arguments>--all "C:\My Files"</Arguments>
      <Command>C:\bin\backup.exe</Command>
    </Exec>
  </Actions>
  <Settings>
    <ExecutionTimeLimit>PT2H</ExecutionTimeLimit>
    <MultipleInstancesPolicy>Parallel</MultipleInstancesPolicy>
  </Settings>
  <Triggers>
    <CalendarTrigger>
      <ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>
      <Enabled>true</Enabled>
      <StartBoundary>2020-02-03T01:30:00</StartBoundary>
    </CalendarTrigger>
  </Triggers>
  <RegistrationInfo>
    <Description>Copies € files</Description>
    <URI>\Backups\Nightly Café</URI>
  </RegistrationInfo>
</Task>)",
                                           "");
  const TaskDefinition want = read_task_xml(small_task(), "a.xml").definition;
  EXPECT_EQ(read_task_xml(shuffled, "b.xml").definition, want);
  EXPECT_EQ(read_task_xml(small_task("UTF-16", false), "c.xml").definition, want);
}

TEST(TaskXmlReaderTest, TakesWindowsDefaultsForWhatTheFileLeavesOut) {
  const ReadTask task = read_task_xml(
      "<Task><Triggers /><Actions><Exec><Command>x.exe</Command><Arguments /></Exec></Actions></Task>",
      "t.xml");
  const TaskSettings& s = task.definition.settings;
  EXPECT_EQ(s.multiple_instances, InstancesPolicy::ignore_new);
  EXPECT_TRUE(s.disallow_start_if_on_batteries);
  EXPECT_TRUE(s.stop_if_going_on_batteries);
  EXPECT_FALSE(s.start_when_available);
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.execution_time_limit, hours(72));
  EXPECT_FALSE(s.idle);
  EXPECT_TRUE(task.triggers.empty());
  EXPECT_EQ(task.definition.action.arguments, "");
  EXPECT_EQ(task.definition.principal, Principal{});
}

TEST(TaskXmlReaderTest, ReadsEveryTriggerKindAndKeepsWhatTheModelLacks) {
  const ReadTask task = read_task_xml(fmt::format(R"(<Task{}>
  <Triggers>
    <TimeTrigger id="t1">
      <StartBoundary>2021-01-01T00:05:00.000Z</StartBoundary>
      <EndBoundary>2030-01-01T00:00:00</EndBoundary>
      <RandomDelay>PT4H</RandomDelay>
      <Repetition><Interval>PT10M</Interval><StopAtDurationEnd>true</StopAtDurationEnd></Repetition>
    </TimeTrigger>
    <LogonTrigger><UserId>CONTOSO\ana</UserId><Delay>PT30S</Delay></LogonTrigger>
    <BootTrigger><Enabled>false</Enabled></BootTrigger>
    <CalendarTrigger>
      <StartBoundary>2021-01-01T06:00:00+02:00</StartBoundary>
      <ScheduleByMonthDayOfWeek>
        <Weeks><Week>1</Week><Week>Last</Week></Weeks>
        <DaysOfWeek><Sunday /><Saturday /></DaysOfWeek>
        <Months><March /><December /></Months>
      </ScheduleByMonthDayOfWeek>
    </CalendarTrigger>
    <SessionStateChangeTrigger><StateChange>RemoteConnect</StateChange></SessionStateChangeTrigger>
    <WnfStateChangeTrigger><StateName>0123</StateName></WnfStateChangeTrigger>
  </Triggers>
  <Actions><Exec><Command>x.exe</Command></Exec></Actions>
</Task>)",
                                                  kNs),
                                      "t.xml");
  ASSERT_EQ(task.triggers.size(), 6u);
  const ReadTrigger& time = task.triggers[0];
  EXPECT_EQ(time.trigger, Trigger(TimeTrigger{{2021, 1, 1, 0, 5, 0}, Repetition{minutes(10), std::nullopt}}));
  EXPECT_EQ(time.start_offset, "Z");
  EXPECT_FALSE(time.start_fraction);
  EXPECT_EQ(time.end_boundary, "2030-01-01T00:00:00");
  EXPECT_EQ(time.random_delay, hours(4));
  EXPECT_TRUE(time.stop_at_duration_end);
  EXPECT_EQ(time.id, "t1");
  EXPECT_EQ(task.triggers[1].trigger, Trigger(LogonTrigger{}));
  EXPECT_EQ(task.triggers[1].user_id, R"(CONTOSO\ana)");
  EXPECT_EQ(task.triggers[1].delay, seconds(30));
  EXPECT_EQ(task.definition.logon_user, R"(CONTOSO\ana)");
  EXPECT_FALSE(task.triggers[2].enabled);
  EXPECT_EQ(task.triggers[3].trigger,
            Trigger(CalendarTrigger{{2021, 1, 1, 6, 0, 0},
                                    ScheduleByMonthDayOfWeek{1u << 1, true, 0b1000001,
                                                             (1u << 3) | (1u << 12)},
                                    std::nullopt}));
  EXPECT_EQ(task.triggers[3].start_offset, "+02:00");
  EXPECT_FALSE(task.triggers[4].trigger);
  EXPECT_EQ(task.triggers[4].kind, "SessionStateChangeTrigger");
  EXPECT_EQ(task.triggers[4].detail, "StateChange RemoteConnect");
  EXPECT_EQ(task.triggers[5].kind, "WnfStateChangeTrigger");
  EXPECT_EQ(task.triggers[5].place.path, "Task/Triggers/WnfStateChangeTrigger");
  EXPECT_EQ(task.definition.triggers.size(), 4u);
  EXPECT_TRUE(task.unknown.empty());
}

TEST(TaskXmlReaderTest, SaysWhyATriggerOfAKnownKindCannotBeRead) {
  auto problem = [](const std::string& body) {
    const ReadTask task = read_task_xml("<Task><Triggers>" + body + "</Triggers></Task>", "t.xml");
    return task.triggers.at(0).problem;
  };
  EXPECT_EQ(problem("<CalendarTrigger><StartBoundary>2020-13-01T00:00:00</StartBoundary>"
                    "<ScheduleByDay /></CalendarTrigger>"),
            "StartBoundary '2020-13-01T00:00:00' is not a date and time");
  EXPECT_EQ(problem("<CalendarTrigger><StartBoundary>2020-01-01T00:00:00</StartBoundary>"
                    "</CalendarTrigger>"),
            "it has no ScheduleByDay, ScheduleByWeek, ScheduleByMonth or ScheduleByMonthDayOfWeek");
  EXPECT_EQ(problem("<TimeTrigger />"), "it has no StartBoundary");
  EXPECT_EQ(problem("<TimeTrigger><StartBoundary>2020-01-01T00:00:00</StartBoundary>"
                    "<Repetition><Interval>every hour</Interval></Repetition></TimeTrigger>"),
            "Interval 'every hour' is not a duration");
  EXPECT_EQ(problem("<BootTrigger><Repetition><Interval>PT1H</Interval></Repetition></BootTrigger>"),
            "it repeats every PT1H after the boot");
}

TEST(TaskXmlReaderTest, KeepsUnknownElementsWithTheirPlace) {
  const ReadTask task = read_task_xml(R"(<Task>
  <Triggers>
    <BootTrigger>
      <Mystery>1</Mystery>
    </BootTrigger>
  </Triggers>
  <Actions><Exec><Command>x.exe</Command><Shell>pwsh</Shell></Exec></Actions>
  <Data><Anything /></Data>
  <Later xmlns="urn:future">v</Later>
</Task>)",
                                      "t.xml");
  ASSERT_EQ(task.unknown.size(), 4u);
  EXPECT_EQ(task.unknown[0].name, "Data");
  EXPECT_EQ(task.unknown[1].place, (XmlPlace{4, "Task/Triggers/BootTrigger/Mystery"}));
  EXPECT_EQ(task.unknown[1].text, "1");
  EXPECT_EQ(task.unknown[2].place.path, "Task/Actions/Exec/Shell");
  EXPECT_EQ(task.unknown[3].name, "{urn:future}Later");
}

TEST(TaskXmlReaderTest, NumbersSiblingsOfTheSameNameInPaths) {
  const ReadTask task = read_task_xml(
      "<Task><Triggers><BootTrigger /><LogonTrigger /><BootTrigger /></Triggers></Task>", "t.xml");
  EXPECT_EQ(task.triggers[0].place.path, "Task/Triggers/BootTrigger[1]");
  EXPECT_EQ(task.triggers[1].place.path, "Task/Triggers/LogonTrigger");
  EXPECT_EQ(task.triggers[2].place.path, "Task/Triggers/BootTrigger[2]");
}

TEST(TaskXmlReaderTest, ReadsThePrincipalTheActionsRunAs) {
  const ReadTask task = read_task_xml(R"(<Task>
  <Principals>
    <Principal id="Other"><UserId>S-1-5-18</UserId></Principal>
    <Principal id="Author"><UserId>backup</UserId><LogonType>S4U</LogonType><RunLevel>HighestAvailable</RunLevel>
      <RequiredPrivileges><Privilege>SeBackupPrivilege</Privilege></RequiredPrivileges></Principal>
  </Principals>
  <Actions Context="Author"><Exec><Command>x.exe</Command></Exec></Actions>
</Task>)",
                                      "t.xml");
  EXPECT_EQ(task.definition.principal, (Principal{"backup", LogonType::s4u}));
  ASSERT_EQ(task.principals.size(), 2u);
  EXPECT_EQ(task.principals[1].run_level, "HighestAvailable");
  EXPECT_EQ(task.principals[1].others, std::vector<std::string>{"RequiredPrivileges"});
  const ReadTask system =
      read_task_xml("<Task><Principals><Principal><UserId>S-1-5-18</UserId></Principal></Principals></Task>",
                    "t.xml");
  EXPECT_EQ(system.definition.principal, (Principal{"S-1-5-18", LogonType::service_account}));
}

TEST(TaskXmlReaderTest, ListsValuesItCannotRead) {
  const ReadTask task = read_task_xml(
      "<Task><Settings><MultipleInstancesPolicy>Sometimes</MultipleInstancesPolicy>"
      "<Enabled>yes</Enabled></Settings></Task>",
      "t.xml");
  ASSERT_EQ(task.bad_values.size(), 2u);
  EXPECT_EQ(task.bad_values[0].name, "MultipleInstancesPolicy");
  EXPECT_EQ(task.bad_values[0].text, "'Sometimes' is not Parallel, Queue, IgnoreNew or StopExisting");
  EXPECT_EQ(task.bad_values[1].text, "'yes' is not true or false");
}

void expect_error(const std::string& bytes, int line, const std::string& words) {
  try {
    read_task_xml(bytes, "bad.xml");
    FAIL() << "no error for\n" << bytes;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::validation);
    ASSERT_TRUE(e.where());
    EXPECT_EQ(e.where()->file, "bad.xml");
    EXPECT_EQ(e.where()->line, line) << e.what();
    EXPECT_NE(e.message().find(words), std::string::npos) << e.message();
  }
}

TEST(TaskXmlReaderTest, LocatesMalformedXmlByLineAndElement) {
  expect_error("<?xml version=\"1.0\"?>\n<Task>\n  <Settings>\n    <Enabled>true</Enabld>\n",
               4, "mismatched tag (in Task/Settings/Enabled)");
  expect_error("<Task>\n<Triggers>\n</Task>\n", 3, "mismatched tag (in Task/Triggers)");
  expect_error("<Task>\n  <Actions>\n", 3, "no element found (in Task/Actions)");
  expect_error("<Task>\n &bogus;\n</Task>", 2, "undefined entity (in Task)");
  expect_error("", 1, "no element found");
  // The same mistake in a UTF-16 file is found on the same line.
  expect_error(to_utf16le_with_bom("<Task>\r\n<Settings>\r\n</Task>"), 3,
               "(UTF-16LE): mismatched tag (in Task/Settings)");
  // An odd number of bytes cannot be UTF-16.
  expect_error(to_utf16le_with_bom("<Task/>") + "x", 1, "UTF-16LE");
}

TEST(TaskXmlReaderTest, RefusesAFileThatIsNotATask) {
  expect_error("<?xml version=\"1.0\"?>\n\n<Project />", 3, "the root element is <Project>, not <Task>");
}

TEST(TaskXmlReaderTest, ReadsTheOwnFixturesInEveryEncoding) {
  // UTF-16LE with BOM and CRLF, UTF-8 declaring UTF-16, UTF-8 with BOM,
  // UTF-16BE with BOM, UTF-16LE without BOM.
  for (const std::string name :
       {"daily-report-utf16le.xml", "weekly-utc-utf8-declared-utf16.xml", "boot-logon-utf8-bom.xml",
        "monthly-utf16be.xml", "event-comhandler.xml", "two-actions.xml"}) {
    SCOPED_TRACE(name);
    const ReadTask task = read_task_xml(fixture(name), name);
    EXPECT_FALSE(task.triggers.empty());
    EXPECT_FALSE(task.actions.empty());
  }
  const ReadTask report = read_task_xml(fixture("daily-report-utf16le.xml"), "r.xml");
  EXPECT_EQ(report.definition.registration.description, "Mails the daily report & archives it");
  EXPECT_EQ(report.definition.action.command, R"("C:\Program Files\Reports\report.exe")");
  EXPECT_EQ(report.triggers[0].place.line, 10);
  const ReadTask sync = read_task_xml(fixture("weekly-utc-utf8-declared-utf16.xml"), "s.xml");
  EXPECT_EQ(sync.definition.registration.uri, "\\Nightly Sync (Café)");
}

TEST(TaskXmlReaderTest, ReadsIsoDurationsAsTaskSchedulerWritesThem) {
  EXPECT_EQ(parse_iso_duration("PT0S"), seconds(0));
  EXPECT_EQ(parse_iso_duration("PT15M"), minutes(15));
  EXPECT_EQ(parse_iso_duration("PT1320M"), minutes(1320));
  EXPECT_EQ(parse_iso_duration("P1DT2H47M"), seconds(86400 + 2 * 3600 + 47 * 60));
  EXPECT_EQ(parse_iso_duration("P31D"), hours(31 * 24));
  EXPECT_EQ(parse_iso_duration("PT59M30S"), seconds(59 * 60 + 30));
  for (const char* bad : {"", "P", "PT", "15M", "P1M", "P1Y", "PT1.5S", "PT1H1H", "PT1M1H", "P1W",
                          "-PT1M", "PT1D"})
    EXPECT_FALSE(parse_iso_duration(bad)) << bad;
}

}  // namespace
}  // namespace omnicron::tasksched
