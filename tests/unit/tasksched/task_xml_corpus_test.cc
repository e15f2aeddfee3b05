// Task files as they come from Windows machines: the project's own fixtures
// (tests/unit/tasksched/data, written for these tests in the shapes and
// encodings real exports have), and, where it exists beside the project,
// the collection of 60 real exports in ../shared/taskxml/real. Each file
// either imports or lists exactly why not, and every trigger the import
// accepts fires exactly as Task Scheduler would start it, over a year.

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "fire_time_helpers.h"
#include "manifest/emit.h"
#include "manifest/load.h"
#include "tasksched/decompile_task.h"
#include "test_zones.h"

namespace omnicron::tasksched {
namespace {

using omnicron::testing::utc;

const Instant kNow = utc(2026, 11, 22);
const std::filesystem::path kData = std::filesystem::path(OMNICRON_SOURCE_DIR) / "tests/unit/tasksched/data";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct Imported {
  ReadTask task;
  DecompiledTask result;
  std::vector<std::string> schedule;  // the job's schedule items as text
};

Imported import(const std::filesystem::path& path) {
  Imported out;
  out.task = read_task_xml(read_file(path), path.filename().string());
  DecompileOptions options;
  options.now = kNow;
  out.result = decompile_task(out.task, options);
  if (out.result.job) {
    for (const ScheduleItem& item : out.result.job->settings.schedule->items) {
      if (item.kind == ScheduleItem::Kind::cron) out.schedule.push_back(item.cron);
      else out.schedule.push_back(item.kind == ScheduleItem::Kind::boot ? "on: boot" : "on: logon");
    }
  }
  return out;
}

// Every trigger of the file the decompiler accepts, checked over a year
// from kNow in UTC (in the zone its StartBoundary's offset names, which is
// a fixed offset, so UTC shifted).
void expect_exact_triggers(const Imported& imported, const std::string& label) {
  const tz::Zone& zone = tz::Zone::utc();
  for (const ReadTrigger& t : imported.task.triggers) {
    auto result = decompile_trigger(t);
    const auto* schedule = std::get_if<TriggerSchedule>(&result);
    if (schedule == nullptr || !t.trigger) continue;
    if (std::holds_alternative<BootTrigger>(*t.trigger) || std::holds_alternative<LogonTrigger>(*t.trigger))
      continue;
    std::vector<cron::CronExpression> exprs;
    for (const ScheduleItem& item : schedule->items) exprs.push_back(cron::CronExpression::parse(item.cron));
    // A StartBoundary with an offset is a fixed instant: the trigger's
    // wall-clock times are in that offset, and so are the cron times.
    const tz::Zone* in = &zone;
    if (schedule->timezone && *schedule->timezone != "UTC")
      in = &omnicron::testing::load_zone(*schedule->timezone);
    const Instant to = kNow + std::chrono::days{366};
    const auto fires = testing::distinct(testing::cron_starts(exprs, *in, kNow, to));
    const auto starts = testing::trigger_starts(*t.trigger, *in, kNow, to);
    EXPECT_FALSE(starts.empty()) << label << " " << t.place.path;
    EXPECT_EQ(testing::first_difference(fires, starts, *in), "") << label << " " << t.place.path;
  }
}

// Everything a manifest made of these jobs says must load.
void expect_valid_manifest(const std::vector<Imported>& all) {
  Manifest manifest;
  manifest.namespace_ = "imported";
  int n = 0;
  for (const Imported& i : all) {
    if (!i.result.job) continue;
    Job job = *i.result.job;
    job.name = fmt::format("{}-{}", job_name_for(i.task, "x"), ++n);
    manifest.jobs.push_back(job);
  }
  const std::string text = emit_manifest(manifest);
  const LoadResult loaded = load_manifest(text, "imported.yaml");
  EXPECT_FALSE(loaded.diagnostics.has_errors())
      << (loaded.diagnostics.items().empty() ? "" : loaded.diagnostics.items()[0].message) << "\n" << text;
}

bool mentions(const std::vector<std::string>& lines, const std::string& words) {
  for (const auto& line : lines)
    if (line.find(words) != std::string::npos) return true;
  return false;
}

TEST(TaskXmlCorpusTest, OwnFixturesImportAsExpected) {
  std::vector<Imported> all;
  {
    const Imported i = import(kData / "daily-report-utf16le.xml");
    ASSERT_TRUE(i.result.job);
    const JobSettings& s = i.result.job->settings;
    EXPECT_EQ(i.schedule, (std::vector<std::string>{"*/15 9-16 * * mon-fri", "0 17 * * mon-fri"}));
    EXPECT_EQ(s.command->argv, (std::vector<std::string>{R"(C:\Program Files\Reports\report.exe)",
                                                         "--daily", "--to", "ops team", R"(C:\out\)"}));
    EXPECT_EQ(s.working_dir, R"(C:\Reports)");
    EXPECT_EQ(s.timeout, std::chrono::minutes(90));
    EXPECT_EQ(s.overlap, Overlap::queue);
    EXPECT_EQ(s.missed, Missed::run);
    EXPECT_EQ(s.conditions, (Conditions{false, true, std::nullopt}));
    EXPECT_EQ(s.run_as, "reports");
    EXPECT_EQ(s.description, "Mails the daily report & archives it");
    EXPECT_EQ(i.result.not_imported, std::vector<std::string>{});
    ASSERT_EQ(i.result.changed.size(), 1u);
    EXPECT_TRUE(mentions(i.result.changed, "the run at 17:00, at the very end of the repetition's Duration PT8H"));
    EXPECT_EQ(job_name_for(i.task, "daily-report-utf16le"), "daily-report");
    all.push_back(i);
  }
  {
    const Imported i = import(kData / "weekly-utc-utf8-declared-utf16.xml");
    ASSERT_TRUE(i.result.job);
    EXPECT_EQ(i.schedule, std::vector<std::string>{"30 6 * * fri,sat"});
    EXPECT_EQ(i.result.job->settings.timezone, "UTC");
    EXPECT_FALSE(i.result.job->settings.timeout);
    EXPECT_FALSE(i.result.job->settings.overlap);
    EXPECT_EQ(i.result.not_imported, std::vector<std::string>{});
    all.push_back(i);
  }
  {
    const Imported i = import(kData / "boot-logon-utf8-bom.xml");
    ASSERT_TRUE(i.result.job);
    EXPECT_EQ(i.schedule, (std::vector<std::string>{"on: boot", "on: logon"}));
    EXPECT_EQ(i.result.not_imported.size(), 9u) << ::testing::PrintToString(i.result.not_imported);
    for (const char* words :
         {"line 7: BootTrigger (at boot): Delay PT1M", "line 14: SessionStateChangeTrigger",
          "Hidden true", "line 28: MaintenanceSettings", "RestartOnFailure (up to 3 times, every PT1M)",
          "group S-1-5-32-545", "RunLevel HighestAvailable", "at any user's logon",
          "<{urn:example}Extra> (Task/{urn:example}Extra)"})
      EXPECT_TRUE(mentions(i.result.not_imported, words)) << words;
    all.push_back(i);
  }
  {
    const Imported i = import(kData / "monthly-utf16be.xml");
    ASSERT_TRUE(i.result.job);
    EXPECT_EQ(i.schedule, std::vector<std::string>{"0 3 1,15 jan,apr,jul,oct *"});
    EXPECT_EQ(i.result.job->settings.command->shell, R"(del /q C:\Temp\*.tmp & echo done)");
    EXPECT_EQ(i.result.job->settings.enabled, false);
    EXPECT_EQ(i.result.job->settings.run_as, "system");
    ASSERT_EQ(i.result.not_imported.size(), 2u);
    EXPECT_TRUE(mentions(i.result.not_imported, "line 19: CalendarTrigger (monthly on days Last of every month"));
    EXPECT_TRUE(mentions(i.result.not_imported, "line 27: CalendarTrigger (every 3 days"));
    all.push_back(i);
  }
  {
    const Imported i = import(kData / "event-comhandler.xml");
    EXPECT_FALSE(i.result.job);
    EXPECT_EQ(i.result.not_imported.size(), 4u) << ::testing::PrintToString(i.result.not_imported);
    EXPECT_TRUE(mentions(i.result.not_imported, "the action is a ComHandler (ClassId {01234567-89AB-CDEF-0123-456789ABCDEF})"));
    EXPECT_TRUE(mentions(i.result.not_imported, "line 7: EventTrigger"));
    EXPECT_TRUE(mentions(i.result.not_imported, "line 10: IdleTrigger"));
  }
  {
    const Imported i = import(kData / "two-actions.xml");
    EXPECT_FALSE(i.result.job);
    EXPECT_TRUE(mentions(i.result.not_imported, "the task runs 2 actions one after another (Exec at line 18, Exec at line 21)"));
    EXPECT_TRUE(mentions(i.result.not_imported, "it starts at 2021-06-01T12:00:30, not on a whole minute"));
  }
  for (const Imported& i : all) expect_exact_triggers(i, i.task.file);
  expect_valid_manifest(all);
}

// The real exports. The outcome of each (imported exactly, in part, or not
// at all; how many things are listed; the schedule) is kept in
// data/real-corpus.expected, so any change in what the importer makes of
// them shows up in review; OMNICRON_UPDATE_EXPECTED=1 rewrites it.
TEST(TaskXmlCorpusTest, RealExportsImportOrSayWhyNot) {
  const std::filesystem::path dir =
      std::filesystem::path(OMNICRON_SOURCE_DIR) / ".." / "shared" / "taskxml" / "real";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no real task files at " << dir.string();
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".xml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 60u);

  std::vector<Imported> all;
  std::string outcomes;
  std::map<std::string, int> tally;
  for (const auto& path : files) {
    const std::string name = path.filename().string();
    Imported i;
    ASSERT_NO_THROW(i = import(path)) << name;
    const DecompiledTask& r = i.result;
    const std::string outcome = !r.job ? "none" : r.not_imported.empty() ? "exact" : "partly";
    ++tally[outcome];
    // Nothing vanishes: a task that is not imported says why, and so does
    // one imported in part.
    if (!r.job) {
      EXPECT_FALSE(r.not_imported.empty()) << name;
    }
    for (const auto& line : r.not_imported) EXPECT_FALSE(line.empty()) << name;
    std::string schedule;
    for (const auto& s : i.schedule) schedule += (schedule.empty() ? "" : " | ") + s;
    if (schedule.empty()) schedule = "-";
    outcomes += fmt::format("{}\t{}\t{} not imported\t{} changed\t{}\n", name, outcome,
                            r.not_imported.size(), r.changed.size(), schedule);
    expect_exact_triggers(i, name);
    all.push_back(std::move(i));
  }
  expect_valid_manifest(all);
  std::printf("[ TaskSched ] 60 real task files: %d imported exactly, %d in part, %d not at all\n",
              tally["exact"], tally["partly"], tally["none"]);

  const std::filesystem::path expected = kData / "real-corpus.expected";
  if (std::getenv("OMNICRON_UPDATE_EXPECTED")) {
    std::ofstream(expected, std::ios::binary) << outcomes;
    return;
  }
  EXPECT_EQ(read_file(expected), outcomes)
      << "the import of the real task files changed; check it, then rerun with "
         "OMNICRON_UPDATE_EXPECTED=1 to record it";
}

}  // namespace
}  // namespace omnicron::tasksched
