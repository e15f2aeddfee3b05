// Tests of the decompiler: task XML back to manifest jobs. The schedule of
// every trigger it accepts is proven exact over a whole year against the
// trigger simulator; every example job survives compile -> XML (UTF-16) ->
// read -> decompile; what cannot be expressed is said precisely.

#include "tasksched/decompile_task.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "error.h"
#include "fire_time_helpers.h"
#include "manifest/load.h"
#include "tasksched/command_line.h"
#include "tasksched/compile_triggers.h"
#include "tasksched/runner_line.h"
#include "test_zones.h"

namespace omnicron::tasksched {
namespace {

using omnicron::testing::load_zone;
using omnicron::testing::utc;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::cron_starts;
using testing::distinct;
using testing::first_difference;

const Instant kNow = utc(2026, 1, 1);
const Instant kFrom = utc(2026, 1, 1);
const Instant kTo = utc(2027, 1, 1);

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// ---- Exactness: every accepted trigger over a whole year ----------------------

// Decompiles a trigger; when it is accepted, checks the year. Returns the
// refusal, or "" when accepted.
std::string check_trigger(const Trigger& trigger, const std::string& label) {
  ReadTrigger read;
  read.kind = std::holds_alternative<CalendarTrigger>(trigger) ? "CalendarTrigger" : "TimeTrigger";
  read.trigger = trigger;
  auto result = decompile_trigger(read);
  if (auto* why = std::get_if<std::string>(&result)) {
    EXPECT_FALSE(why->empty()) << label;
    return *why;
  }
  const TriggerSchedule& schedule = std::get<TriggerSchedule>(result);
  EXPECT_FALSE(schedule.timezone) << label;
  std::vector<cron::CronExpression> exprs;
  std::string texts;
  for (const ScheduleItem& item : schedule.items) {
    EXPECT_EQ(item.kind, ScheduleItem::Kind::cron) << label;
    exprs.push_back(cron::CronExpression::parse(item.cron));
    texts += " '" + item.cron + "'";
  }
  const tz::Zone& zone = tz::Zone::utc();
  const std::vector<Instant> fires = distinct(cron_starts(exprs, zone, kFrom, kTo));
  const std::vector<Instant> starts = testing::trigger_starts(trigger, zone, kFrom, kTo);
  EXPECT_FALSE(starts.empty()) << label;
  EXPECT_EQ(first_difference(fires, starts, zone), "") << label << " (" << describe(trigger) << ") as" << texts;
  return "";
}

TEST(DecompileTaskTest, TriggerShapesOfRealTasksAreExactOverAYear) {
  const LocalDateTime t0{2019, 3, 10, 9, 0, 0};
  const std::vector<std::pair<std::string, Trigger>> accepted = {
      {"daily", CalendarTrigger{t0, ScheduleByDay{1}, std::nullopt}},
      {"daily every 5 minutes forever", CalendarTrigger{{2018, 8, 8, 10, 0, 0}, ScheduleByDay{1}, Repetition{minutes(5), std::nullopt}}},
      {"daily every 30 minutes forever", CalendarTrigger{{2018, 9, 3, 10, 0, 0}, ScheduleByDay{1}, Repetition{minutes(30), std::nullopt}}},
      {"daily every 12 hours forever", CalendarTrigger{{2012, 1, 9, 7, 0, 0}, ScheduleByDay{1}, Repetition{hours(12), std::nullopt}}},
      {"every minute for a day", CalendarTrigger{{1970, 1, 1, 0, 0, 0}, ScheduleByDay{1}, Repetition{minutes(1), hours(24)}}},
      {"hourly for a day from :39", CalendarTrigger{{2022, 3, 10, 11, 39, 0}, ScheduleByDay{1}, Repetition{hours(1), hours(24)}}},
      {"hourly for a day from 07:20", CalendarTrigger{{2011, 4, 4, 7, 20, 0}, ScheduleByDay{1}, Repetition{hours(1), hours(24)}}},
      {"every 15 minutes for 8 hours on weekdays", CalendarTrigger{t0, ScheduleByWeek{1, 0b0111110}, Repetition{minutes(15), hours(8)}}},
      {"every 20 minutes for 8h30m at 09:10", CalendarTrigger{{2020, 1, 1, 9, 10, 0}, ScheduleByDay{1}, Repetition{minutes(20), minutes(510)}}},
      {"every 4 hours for a day and a half", CalendarTrigger{{2020, 1, 1, 22, 0, 0}, ScheduleByDay{1}, Repetition{hours(4), hours(36)}}},
      {"weekly on Friday", CalendarTrigger{t0, ScheduleByWeek{1, 1u << 5}, std::nullopt}},
      {"weekly on every day", CalendarTrigger{t0, ScheduleByWeek{1, 0x7F}, std::nullopt}},
      {"monthly on day 1", CalendarTrigger{t0, ScheduleByMonth{1u << 1, false, 0x1FFE}, std::nullopt}},
      {"monthly on 1, 15 of Jan, Apr, Jul, Oct", CalendarTrigger{t0, ScheduleByMonth{(1u << 1) | (1u << 15), false, (1u << 1) | (1u << 4) | (1u << 7) | (1u << 10)}, std::nullopt}},
      {"monthly on 29-31 and Last", CalendarTrigger{t0, ScheduleByMonth{(1u << 28) | (1u << 29) | (1u << 30) | (1u << 31), true, 0x1FFE}, std::nullopt}},
      {"day 31 and Last of January", CalendarTrigger{t0, ScheduleByMonth{1u << 31, true, 1u << 1}, std::nullopt}},
      {"every weekday of weeks 1 and 3", CalendarTrigger{t0, ScheduleByMonthDayOfWeek{(1u << 1) | (1u << 3), false, 0x7F, 0x1FFE}, std::nullopt}},
      {"every weekday of week 4 and Last", CalendarTrigger{t0, ScheduleByMonthDayOfWeek{1u << 4, true, 0x7F, 0x1FFE}, std::nullopt}},
      {"Mondays of every week in June", CalendarTrigger{t0, ScheduleByMonthDayOfWeek{0x1E, true, 1u << 1, 1u << 6}, std::nullopt}},
      {"once, every 2 minutes forever", TimeTrigger{{2023, 10, 17, 23, 6, 0}, Repetition{minutes(2), std::nullopt}}},
      {"once, every day forever", TimeTrigger{{1992, 5, 1, 11, 0, 0}, Repetition{hours(24), std::nullopt}}},
      {"once at :04, every 5 minutes forever", TimeTrigger{{2022, 3, 10, 16, 4, 0}, Repetition{minutes(5), std::nullopt}}},
  };
  for (const auto& [label, trigger] : accepted) EXPECT_EQ(check_trigger(trigger, label), "") << label;

  const std::vector<std::tuple<std::string, Trigger, std::string>> refused = {
      {"every 8 days", CalendarTrigger{{2016, 8, 25, 12, 0, 0}, ScheduleByDay{8}, std::nullopt},
       "DaysInterval 8 counts days from 2016-08-25 across months and years, which cron's day fields cannot express"},
      {"every 2 weeks", CalendarTrigger{{2013, 3, 28, 14, 0, 0}, ScheduleByWeek{2, 0b10010}, std::nullopt},
       "WeeksInterval 2 counts weeks from 2013-03-28, which cron's day fields cannot express"},
      {"last day", CalendarTrigger{t0, ScheduleByMonth{0, true, 0x1FFE}, std::nullopt},
       "Day 'Last' (each month's last day) has no cron form: Debian's cron has no 'L'"},
      {"last Sunday", CalendarTrigger{t0, ScheduleByMonthDayOfWeek{0, true, 1, 0x1FFE}, std::nullopt},
       "Sunday in week Last of the month must both match, and cron matches a day when either its day-of-month or its day-of-week does"},
      {"first Monday", CalendarTrigger{t0, ScheduleByMonthDayOfWeek{1u << 1, false, 1u << 1, 0x1FFE}, std::nullopt},
       "Monday in week 1 of the month must both match, and cron matches a day when either its day-of-month or its day-of-week does"},
      {"every day of the last week", CalendarTrigger{t0, ScheduleByMonthDayOfWeek{0, true, 0x7F, 0x1FFE}, std::nullopt},
       "Week 'Last' (each month's last seven days) has no cron form"},
      {"seconds", CalendarTrigger{{2022, 3, 10, 11, 39, 19}, ScheduleByDay{1}, std::nullopt},
       "it starts at 2022-03-10T11:39:19, not on a whole minute, and cron starts jobs on whole minutes"},
      {"once", TimeTrigger{{2022, 3, 11, 4, 49, 0}, std::nullopt},
       "it runs once, at 2022-03-11T04:49:00, and a schedule repeats"},
      {"once for a while", TimeTrigger{{2022, 3, 11, 4, 49, 0}, Repetition{minutes(5), hours(1)}},
       "it runs every PT5M for PT1H once, from 2022-03-11T04:49:00, and a schedule repeats"},
      {"every 22 hours", TimeTrigger{{2019, 1, 1, 12, 0, 0}, Repetition{hours(22), std::nullopt}},
       "it repeats every PT22H forever, which does not divide the day evenly, so its times of day differ from day to day"},
      {"every 5 days", TimeTrigger{{2004, 1, 2, 6, 0, 0}, Repetition{hours(120), std::nullopt}},
       "it repeats every P5D, longer than a day, counted from 2004-01-02T06:00:00; cron's fields cannot count days across months"},
      {"weekly repeating forever", CalendarTrigger{t0, ScheduleByWeek{1, 2}, Repetition{hours(1), std::nullopt}},
       "it repeats forever from its first start, so it also runs on the days its schedule leaves out; only a daily trigger repeating forever has a cron form"},
      {"Mondays past midnight", CalendarTrigger{{2020, 1, 6, 22, 0, 0}, ScheduleByWeek{1, 2}, Repetition{hours(1), hours(4)}},
       "its repetition (every PT1H for PT4H) runs past midnight into days its schedule leaves out"},
  };
  for (const auto& [label, trigger, why] : refused) EXPECT_EQ(check_trigger(trigger, label), why) << label;
}

// Vixie-syntax expressions from a fixed seed, compiled to triggers the way
// a sync does (in UTC, so no DST change interferes), then decompiled: every
// trigger the decompiler accepts must fire exactly as the trigger starts,
// and it must accept nearly all that omnicron writes.
TEST(DecompileTaskTest, TriggersOmnicronCompilesDecompileExactly) {
  std::mt19937 rng(20261122);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto field = [&](int lo, int hi, int weight) -> std::string {
    switch (pick(0, 3 + weight)) {
      case 0:
      case 1: return "*";
      case 2: return "*/" + std::to_string(pick(2, std::max(2, (hi - lo + 1) / 2)));
      case 3: {
        const int a = pick(lo, hi - 1);
        const int b = pick(a + 1, hi);
        return fmt::format("{}-{}/{}", a, b, pick(1, std::max(1, b - a)));
      }
      default: {
        std::string out;
        for (int i = pick(1, 3); i > 0; --i) out += (out.empty() ? "" : ",") + std::to_string(pick(lo, hi));
        return out;
      }
    }
  };
  const tz::Zone& zone = load_zone("UTC");
  int triggers = 0;
  int accepted = 0;
  std::map<std::string, int> refusals;
  for (int n = 0; n < 70; ++n) {
    const std::string text = fmt::format("{} {} {} {} {}", field(0, 59, 4), field(0, 23, 3),
                                         field(1, 31, 1), field(1, 12, 1), field(0, 6, 1));
    auto parsed = cron::CronExpression::try_parse(text);
    auto* expr = std::get_if<cron::CronExpression>(&parsed);
    if (expr == nullptr) continue;
    std::vector<Trigger> compiled;
    try {
      compiled = compile_triggers(*expr, zone, kNow);
    } catch (const Error&) {
      continue;
    }
    for (const Trigger& t : compiled) {
      ++triggers;
      const std::string why = check_trigger(t, "'" + text + "'");
      if (why.empty()) ++accepted;
      else ++refusals[why.substr(0, why.find_first_of("0123456789"))];
    }
  }
  std::string reasons;
  for (const auto& [why, count] : refusals) reasons += fmt::format("\n  {}x {}", count, why);
  std::printf("[ TaskSched ] %d compiled triggers: %d decompiled exactly, %d refused%s\n", triggers,
              accepted, triggers - accepted, reasons.c_str());
  EXPECT_GT(triggers, 50);
  // The only triggers omnicron writes that cron cannot read back are some
  // weekdays in some weeks of the month ("0 6 1-7 * */2" compiles to weeks
  // 1 of Sunday, Tuesday, Thursday, Saturday), which cron writes only with
  // a '*/N' day-of-week.
  for (const auto& [why, count] : refusals)
    EXPECT_NE(why.find("must both match"), std::string::npos) << why;
}

// ---- The examples: compile -> XML -> read -> decompile ------------------------

// What a job does on Windows, as a comparable value: the effective job with
// the schedule as its fire times over a year and the zone left out (the
// machine's own).
struct Normalised {
  std::string description;
  std::vector<Instant> fires;
  std::vector<ScheduleItem::Kind> events;  // boot and logon items
  Command command;
  std::optional<std::string> working_dir;
  std::map<std::string, std::string> env;
  std::optional<std::string> log;
  std::optional<seconds> timeout;
  Overlap overlap;
  Retries retries;
  bool enabled;
  Missed missed;
  Conditions conditions;
  std::optional<std::string> run_as;
  std::optional<seconds> random_delay;
  friend bool operator==(const Normalised&, const Normalised&) = default;
};

Normalised normalise(const Manifest& manifest, const Job& job, const tz::Zone& zone) {
  const EffectiveJob e = effective_job(manifest, job, Platform::windows);
  Normalised n{e.description, {}, {}, e.command, e.working_dir, e.env, e.log, e.timeout,
               e.overlap, e.retries, e.enabled, e.missed, e.conditions, e.run_as, e.random_delay};
  std::vector<cron::CronExpression> exprs;
  for (const ScheduleItem& item : e.schedule.items) {
    if (item.kind == ScheduleItem::Kind::boot || item.kind == ScheduleItem::Kind::logon) {
      n.events.push_back(item.kind);
      continue;
    }
    for (auto& expr : to_cron(item)) exprs.push_back(expr);
  }
  n.fires = distinct(cron_starts(exprs, zone, kFrom, kTo));
  std::sort(n.events.begin(), n.events.end());
  return n;
}

std::string describe_job(const Normalised& n) {
  std::string argv;
  for (const auto& a : n.command.argv) argv += " [" + a + "]";
  return fmt::format("description '{}', {} fires, {} events, command{} shell '{}', dir '{}', {} env, log '{}', "
                     "timeout {}, overlap {}, retries {}/{}, enabled {}, missed {}, ac {} net {} idle {}, "
                     "run_as '{}', random_delay {}",
                     n.description, n.fires.size(), n.events.size(), argv, n.command.shell,
                     n.working_dir.value_or("-"), n.env.size(), n.log.value_or("-"),
                     n.timeout ? n.timeout->count() : -1, to_string(n.overlap), n.retries.count,
                     n.retries.delay.count(), n.enabled, to_string(n.missed), n.conditions.ac_power,
                     n.conditions.network, n.conditions.idle ? n.conditions.idle->count() : -1,
                     n.run_as.value_or("-"), n.random_delay ? n.random_delay->count() : -1);
}

struct RoundTrip {
  std::optional<TaskDefinition> compiled;
  ReadTask read;
  DecompiledTask decompiled;
};

RoundTrip round_trip(const Manifest& manifest, const Job& job, const tz::Zone& zone) {
  RoundTrip r;
  TaskXmlOptions options;
  options.zone = &zone;
  options.now = kNow;
  options.current_user = "ana";
  Diagnostics diagnostics;
  r.compiled = compile_task(manifest, job, options, diagnostics);
  EXPECT_TRUE(r.compiled) << job.name << ": "
                          << (diagnostics.items().empty() ? "" : diagnostics.items()[0].message);
  if (!r.compiled) return r;
  r.read = read_task_xml(to_utf16le_with_bom(render_task_xml(*r.compiled)), job.name + ".xml");
  DecompileOptions decompile;
  decompile.now = kNow;
  r.decompiled = decompile_task(r.read, decompile);
  return r;
}

void expect_same_job(const Manifest& manifest, const Job& job, const tz::Zone& zone,
                     const std::string& label) {
  const RoundTrip r = round_trip(manifest, job, zone);
  if (!r.compiled) return;
  // The reader gives the model back exactly (less the logon user of a task
  // without a logon trigger, which the XML has no place for).
  TaskDefinition want = *r.compiled;
  if (!r.read.definition.logon_user) want.logon_user.reset();
  EXPECT_EQ(r.read.definition, want) << label;
  EXPECT_TRUE(r.read.unknown.empty()) << label;

  const DecompiledTask& d = r.decompiled;
  ASSERT_TRUE(d.job) << label << ": " << ::testing::PrintToString(d.not_imported);
  EXPECT_TRUE(d.omnicron_task) << label;
  EXPECT_EQ(d.not_imported, std::vector<std::string>{}) << label;
  for (const std::string& note : d.changed) {
    // The only thing said of an unchanged job: whose logon `on: logon`
    // waits for, which a sync decides.
    EXPECT_NE(note.find("logon"), std::string::npos) << label << ": " << note;
  }
  Manifest back;
  back.namespace_ = manifest.namespace_;
  Job again = *d.job;
  again.name = job.name;
  back.jobs.push_back(again);
  const Normalised want_job = normalise(manifest, job, zone);
  const Normalised got_job = normalise(back, again, zone);
  EXPECT_EQ(got_job, want_job) << label << "\n  want " << describe_job(want_job) << "\n  got  "
                               << describe_job(got_job);
  EXPECT_EQ(again.platforms, std::set<Platform>{Platform::windows}) << label;
}

TEST(DecompileTaskTest, EveryWindowsExampleJobSurvivesTheRoundTrip) {
  const std::filesystem::path dir = std::filesystem::path(OMNICRON_SOURCE_DIR) / "examples";
  int jobs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    const LoadResult loaded = load_manifest(read_file(entry.path()), entry.path().filename().string());
    ASSERT_FALSE(loaded.diagnostics.has_errors()) << entry.path();
    for (const Job& job : loaded.manifest.jobs) {
      if (!runs_on(job, Platform::windows)) continue;
      const EffectiveJob e = effective_job(loaded.manifest, job, Platform::windows);
      const tz::Zone& zone = load_zone(e.timezone.value_or("UTC"));
      expect_same_job(loaded.manifest, job, zone,
                      entry.path().filename().string() + " job " + job.name);
      ++jobs;
    }
  }
  EXPECT_GE(jobs, 15);
}

// Every setting the runner carries, and the shell form, in both ways a task
// starts a job: directly and through omnicron's runner.
TEST(DecompileTaskTest, RunnerOptionsAndShellCommandsSurviveTheRoundTrip) {
  const std::string yaml = R"(version: 1
namespace: ops
jobs:
  everything:
    description: All the runner carries
    schedule: ["*/10 8-18 * * mon-fri", "0 3 1 * *", { on: boot }]
    command: ['C:\Program Files\x\x.exe', 'a b', '', 'q"uote', 'C:\dir\', '%TEMP%']
    working_dir: 'C:\work'
    env: { A: 'x y', EMPTY: '', PATHLIKE: 'C:\a;C:\b' }
    log: 'C:\logs\{namespace}-{job}.log'
    timeout: 45m
    overlap: replace
    retries: { count: 3, delay: 2m }
    missed: run
    conditions: { ac_power: true, network: true, idle: 5m }
    random_delay: 90s
  shell-plain:
    schedule: "30 2 * * 0"
    shell: 'forfiles /p "C:\x" /c "cmd /c echo @path" & echo "done"'
    run_as: backup
    enabled: false
  shell-runner:
    schedule: { every: 2h }
    shell: 'echo %DATE% >> C:\x.txt'
    env: { K: v }
    overlap: skip
    run_as: system
  logon:
    schedule: { on: logon }
    command: ['C:\x.exe']
    timeout: 1h
    overlap: queue
)";
  const LoadResult loaded = load_manifest(yaml, "ops.yaml");
  ASSERT_FALSE(loaded.diagnostics.has_errors()) << loaded.diagnostics.items()[0].message;
  for (const Job& job : loaded.manifest.jobs)
    expect_same_job(loaded.manifest, job, load_zone("UTC"), job.name);
}

TEST(DecompileTaskTest, SaysWhenAnOmnicronTaskWasEditedByHand) {
  const LoadResult loaded = load_manifest(
      "version: 1\nnamespace: ns\njobs:\n  j:\n    schedule: '0 6 * * *'\n    command: ['C:\\x.exe']\n",
      "ns.yaml");
  TaskXmlOptions options;
  options.zone = &load_zone("UTC");
  options.now = kNow;
  Diagnostics diagnostics;
  auto task = compile_task(loaded.manifest, loaded.manifest.jobs[0], options, diagnostics);
  ASSERT_TRUE(task);
  task->action.arguments = "--edited";
  const ReadTask read = read_task_xml(render_task_xml(*task), "j.xml");
  DecompileOptions decompile;
  decompile.now = kNow;
  const DecompiledTask d = decompile_task(read, decompile);
  ASSERT_TRUE(d.job);
  EXPECT_EQ(d.job->settings.command->argv, (std::vector<std::string>{"C:\\x.exe", "--edited"}));
  ASSERT_EQ(d.changed.size(), 1u);
  EXPECT_NE(d.changed[0].find("changed after omnicron registered it"), std::string::npos);
}

// ---- Pieces ---------------------------------------------------------------------

TEST(DecompileTaskTest, SplitsArgumentsAsCommandLineToArgvWDoes) {
  using V = std::vector<std::string>;
  EXPECT_EQ(split_windows_arguments(""), V{});
  EXPECT_EQ(split_windows_arguments("  a  b\tc "), (V{"a", "b", "c"}));
  EXPECT_EQ(split_windows_arguments(R"("a b" c)"), (V{"a b", "c"}));
  EXPECT_EQ(split_windows_arguments(R"("")"), V{""});
  EXPECT_EQ(split_windows_arguments(R"(a\\b C:\dir\ "C:\dir\\")"), (V{R"(a\\b)", R"(C:\dir\)", R"(C:\dir\)"}));
  EXPECT_EQ(split_windows_arguments(R"(a\"b "c\\\"d")"), (V{R"(a"b)", R"(c\"d)"}));
  EXPECT_EQ(split_windows_arguments(R"(/s:"%ProgramFiles%" x)"), (V{"/s:%ProgramFiles%", "x"}));
  EXPECT_EQ(split_windows_arguments(R"("a""b")"), V{R"(a"b)"});
  // Whatever omnicron quotes splits back to the same words.
  const std::vector<V> argvs = {
      {"plain", "with space", "", "tab\there", "q\"uote", "trailing\\", "\\\\server\\share\\",
       "back\\\\\"slash", "new\nline", "ü €"},
      {"\"", "\\", "\\\"", " "},
  };
  for (const V& argv : argvs) EXPECT_EQ(split_windows_arguments(windows_command_line(argv)), argv);
}

TEST(DecompileTaskTest, ReadsTheRunnersOptionsBack) {
  auto read = [](std::vector<std::string> words) { return read_runner_arguments(words); };
  const auto line = read({"exec", "--job", "ns/j", "--cwd", "C:\\w", "--env", "A=b=c", "--log", "C:\\l",
                          "--timeout", "1h30m", "--overlap", "skip", "--retries", "2", "--retry-delay",
                          "5m", "--require-ac-power", "--require-network", "--require-idle", "10m",
                          "--random-delay", "90s", "--", "prog", "--", "x"});
  ASSERT_TRUE(std::holds_alternative<RunnerLine>(line)) << std::get<std::string>(line);
  const RunnerLine& r = std::get<RunnerLine>(line);
  EXPECT_EQ(r.job, "ns/j");
  EXPECT_EQ(r.settings.working_dir, "C:\\w");
  EXPECT_EQ(r.settings.env.at("A"), "b=c");
  EXPECT_EQ(r.settings.log, "C:\\l");
  EXPECT_EQ(r.settings.timeout, seconds(5400));
  EXPECT_EQ(r.settings.overlap, Overlap::skip);
  EXPECT_EQ(r.settings.retries, (Retries{2, seconds(300)}));
  EXPECT_EQ(r.conditions, (Conditions{true, true, seconds(600)}));
  EXPECT_EQ(r.settings.random_delay, seconds(90));
  EXPECT_EQ(r.argv, (std::vector<std::string>{"prog", "--", "x"}));

  auto why = [&](std::vector<std::string> words) {
    const auto result = read(std::move(words));
    return std::holds_alternative<std::string>(result) ? std::get<std::string>(result) : "accepted";
  };
  EXPECT_EQ(why({"exec", "--job", "ns/j", "--state-dir", "C:\\s", "--", "p"}),
            "the runner option '--state-dir' is not one omnicron writes");
  EXPECT_EQ(why({"exec", "--", "p"}), "the runner line has no '--job'");
  EXPECT_EQ(why({"exec", "--job", "ns/j"}), "the runner line names no program after '--'");
  EXPECT_EQ(why({"exec", "--job", "nsj", "--", "p"}), "'--job nsj' is not NAMESPACE/NAME");
  EXPECT_EQ(why({"exec", "--job", "ns/j", "--timeout", "soon", "--", "p"}),
            "'--timeout soon' is not a duration");
  EXPECT_EQ(why({"exec", "--job", "ns/j", "--env", "=x", "--", "p"}), "'--env =x' is not NAME=VALUE");
  EXPECT_EQ(why({"exec", "--job", "ns/j", "--log"}), "'--log' has no value");
  EXPECT_EQ(why({"run", "--job", "ns/j", "--", "p"}), "the runner line does not start with 'exec'");
}

TEST(DecompileTaskTest, NamesJobsAfterTheTaskOrTheFile) {
  ReadTask task;
  task.definition.registration.uri = R"(\Microsoft\Windows\UpdateOrchestrator\Schedule Scan)";
  EXPECT_EQ(job_name_for(task, "x"), "schedule-scan");
  task.definition.registration.uri =
      R"(\OneDrive Standalone Update Task-S-1-5-21-2212929841-2730996645-2649195864-1000)";
  EXPECT_EQ(job_name_for(task, "x"), "onedrive-standalone-update-task");
  task.definition.registration.uri = R"(\.NET Framework NGEN v4.0.30319 64)";
  EXPECT_EQ(job_name_for(task, "x"), "net-framework-ngen-v4.0.30319-64");
  task.definition.registration.uri = R"(\计划任务)";
  EXPECT_EQ(job_name_for(task, "059-Shadow Dagger"), "059-shadow-dagger");
  task.definition.registration.uri.clear();
  EXPECT_EQ(job_name_for(task, "--"), "task");
}

}  // namespace
}  // namespace omnicron::tasksched
