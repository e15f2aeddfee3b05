// The proof that matters for the Windows backend: for every example schedule
// and a broad generated corpus of cron expressions, the starts Task Scheduler
// would make from the compiled triggers over a whole year equal the cron
// engine's fire times, minute for minute, in UTC and in two DST zones.
// Expressions the compiler refuses are counted by reason and printed; the
// test asserts that refusals stay rare where they should be and that every
// accepted expression matches exactly.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <date/date.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cron/fire_times.h"
#include "error.h"
#include "manifest/load.h"
#include "tasksched/compile_triggers.h"
#include "fire_time_helpers.h"
#include "tasksched/trigger_simulator.h"
#include "test_zones.h"

namespace omnicron::tasksched {
namespace {

using omnicron::testing::load_zone;
using omnicron::testing::utc;

// The zones compared: no DST; Europe's changes at 01:00 UTC on Sundays;
// North America's at 02:00 local, whose autumn change repeats 01:00-02:00.
const std::vector<std::string> kZones = {"UTC", "Europe/Berlin", "America/New_York"};

// The compiler is told it is 2026-01-01; the year compared is 2026, which
// holds both DST changes of both zones.
const Instant kNow = utc(2026, 1, 1);
const Instant kFrom = utc(2026, 1, 1);
const Instant kTo = utc(2027, 1, 1);

std::vector<Instant> cron_starts(const std::vector<cron::CronExpression>& exprs,
                                 const tz::Zone& zone) {
  return testing::cron_starts(exprs, zone, kFrom, kTo);
}

using testing::first_difference;

std::string describe_all(const std::vector<Trigger>& triggers) {
  std::string out;
  for (const Trigger& t : triggers) out += "\n    " + describe(t);
  return out;
}

struct Tally {
  int accepted = 0;
  int refused = 0;
  std::map<std::string, int> reasons;
  std::vector<std::string> refused_texts;
  std::vector<cron::CronExpression> refused_for_days;
};

std::string reason_of(const Error& e) {
  const std::string& m = e.message();
  if (m.find("must both match") != std::string::npos) return "day fields both required";
  if (m.find("per task") != std::string::npos) return "more than 48 triggers";
  if (m.find("clocks go") != std::string::npos) return "DST change";
  return "other: " + m;
}

// Compiles, simulates a year and compares; records the outcome.
void compare(const cron::CronExpression& expr, const tz::Zone& zone, Tally& tally) {
  std::vector<Trigger> triggers;
  try {
    triggers = compile_triggers(expr, zone, kNow);
  } catch (const Error& e) {
    ++tally.refused;
    const std::string reason = reason_of(e);
    ++tally.reasons[reason];
    tally.refused_texts.push_back(expr.text());
    if (reason == "day fields both required") tally.refused_for_days.push_back(expr);
    EXPECT_EQ(e.kind(), ErrorKind::validation) << expr.text() << ": " << e.what();
    return;
  }
  ++tally.accepted;
  EXPECT_LE(triggers.size(), kMaxTriggersPerTask) << expr.text();
  const SimulatedStarts sim = simulate_triggers(triggers, zone, kFrom, kTo);
  EXPECT_TRUE(sim.unspecified.empty()) << "'" << expr.text() << "' in " << zone.name()
                                       << ": a start is unspecified" << describe_all(triggers);
  // Every start, repeats included, against the expressions the triggers
  // stand for; then the distinct instants against the expression itself.
  const std::vector<cron::CronExpression> equivalents = start_equivalents(expr);
  const std::string d1 = first_difference(cron_starts(equivalents, zone), sim.starts, zone);
  EXPECT_EQ(d1, "") << "'" << expr.text() << "' in " << zone.name() << describe_all(triggers);
  if (equivalents.size() > 1) {
    std::vector<Instant> distinct = sim.starts;
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const std::string d2 = first_difference(cron_starts({expr}, zone), distinct, zone);
    EXPECT_EQ(d2, "") << "'" << expr.text() << "' in " << zone.name() << describe_all(triggers);
  }
}

// ---- The generated corpus -------------------------------------------------

// Vixie-syntax fields without 'L': '*', numbers, ranges, steps, lists and
// names, drawn from a fixed seed so a failure can be replayed.
class Corpus {
 public:
  explicit Corpus(unsigned seed) : rng_(seed) {}

  std::string expression() {
    return fmt::format("{} {} {} {} {}", field(0, 59, nullptr, 4), field(0, 23, nullptr, 3),
                       field(1, 31, nullptr, 1), field(1, 12, kMonths, 1),
                       field(0, 6, kWeekdays, 1));
  }

 private:
  static constexpr const char* kMonths[13] = {"",    "jan", "feb", "mar", "apr", "may", "jun",
                                              "jul", "aug", "sep", "oct", "nov", "dec"};
  static constexpr const char* kWeekdays[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::string value(int v, const char* const* names) {
    if (names != nullptr && pick(0, 2) == 0) return names[v];
    return std::to_string(v);
  }

  std::string atom(int lo, int hi, const char* const* names) {
    const int a = pick(lo, hi);
    if (pick(0, 1) == 0 || a == hi) return value(a, names);
    const int b = pick(a + 1, hi);
    return value(a, names) + "-" + value(b, names);
  }

  // `restricted_weight` makes lists and ranges more or less likely than '*'
  // and steps, so minutes are restricted more often than days (keeping the
  // corpus from being mostly every-minute schedules).
  std::string field(int lo, int hi, const char* const* names, int restricted_weight) {
    const int width = hi - lo + 1;
    switch (pick(0, 3 + restricted_weight)) {
      case 0:
      case 1:
        return "*";
      case 2: {
        const int step = pick(2, std::max(2, width / 2));
        return "*/" + std::to_string(step);
      }
      case 3: {
        const int a = pick(lo, hi - 1);
        const int b = pick(a + 1, hi);
        const int step = pick(1, std::max(1, b - a));
        return value(a, names) + "-" + value(b, names) + "/" + std::to_string(step);
      }
      default: {
        const int n = pick(1, 3);
        std::string out;
        for (int i = 0; i < n; ++i) out += (i ? "," : "") + atom(lo, hi, names);
        return out;
      }
    }
  }

  std::mt19937 rng_;
};

// Schedules people write, which must all be accepted in UTC.
const std::vector<std::string> kCommon = {
    "* * * * *",       "*/5 * * * *",     "*/15 * * * *",    "0 * * * *",
    "30 * * * *",      "0 */2 * * *",     "0 */6 * * *",     "0 0 * * *",
    "30 1 * * *",      "0 2 * * 0",       "15 14 1 * *",     "0 22 * * 1-5",
    "23 0-20/2 * * *", "5 4 * * sun",     "0 0,12 1 */2 *",  "*/15 9-17 * * 1-5",
    "0 9 1,15 * *",    "0 8 * * mon-fri", "0 0 1 1 *",       "45 23 * * 6",
    "0 9 1 * 1",       "0 9-18 * * 1-5",  "*/10 8-20 * * *", "0 3 * jan-mar *",
    "@hourly",         "@daily",          "@weekly",         "@monthly",
    "@yearly",         "0 12 * * 1-5",    "17 3,15 * * *",   "*/20 * * * 6,0",
    "0 4 8-14 * *",    "0 6 1-7 * */2",   "1-59/2 * * * *",  "0,30 * * * *",
};

TEST(TaskSchedEquivalenceTest, CommonSchedulesAreAcceptedAndExactInUtc) {
  const tz::Zone& zone = load_zone("UTC");
  Tally tally;
  for (const std::string& text : kCommon) compare(cron::CronExpression::parse(text), zone, tally);
  EXPECT_EQ(tally.refused, 0) << ::testing::PrintToString(tally.refused_texts);
}

TEST(TaskSchedEquivalenceTest, CommonSchedulesMatchOrAreRefusedInDstZones) {
  for (const std::string& name : {std::string("Europe/Berlin"), std::string("America/New_York")}) {
    const tz::Zone& zone = load_zone(name);
    Tally tally;
    for (const std::string& text : kCommon) compare(cron::CronExpression::parse(text), zone, tally);
    std::printf("[ TaskSched ] %zu common schedules in %s: %d accepted, %d refused: %s\n",
                kCommon.size(), name.c_str(), tally.accepted, tally.refused,
                ::testing::PrintToString(tally.refused_texts).c_str());
    // Whole-day grids, business hours and daytime jobs do not meet a DST
    // change; only jobs at the hours the zone changes may be refused.
    EXPECT_LE(tally.refused, 6) << name;
  }
}

TEST(TaskSchedEquivalenceTest, GeneratedCorpusMatchesCronForAYear) {
  constexpr int kExpressions = 200;
  Corpus corpus(20260101);
  std::vector<cron::CronExpression> exprs;
  int unparsable = 0;
  while (static_cast<int>(exprs.size()) < kExpressions) {
    auto parsed = cron::CronExpression::try_parse(corpus.expression());
    if (auto* expr = std::get_if<cron::CronExpression>(&parsed)) {
      exprs.push_back(*expr);
    } else {
      ++unparsable;
    }
  }
  for (const std::string& name : kZones) {
    const tz::Zone& zone = load_zone(name);
    Tally tally;
    for (const auto& expr : exprs) compare(expr, zone, tally);
    std::string reasons;
    for (const auto& [reason, count] : tally.reasons) {
      reasons += fmt::format("{}{}: {}", reasons.empty() ? "" : ", ", reason, count);
    }
    std::printf(
        "[ TaskSched ] %d generated expressions (%d unparsable drafts skipped) in %s: %d "
        "accepted and exact, %d refused (%.1f%%)%s%s\n",
        kExpressions, unparsable, name.c_str(), tally.accepted, tally.refused,
        100.0 * tally.refused / kExpressions, reasons.empty() ? "" : ": ", reasons.c_str());
    for (const auto& [reason, count] : tally.reasons) {
      EXPECT_FALSE(reason.starts_with("other")) << reason;
    }
    if (name == "UTC") {
      // Without DST the only refusals are the two that no trigger set can
      // express: days that must match both day fields, and too many times.
      // The corpus writes '*/n' in day fields often, as people do to mean
      // "every n days", which is exactly what cron's rule turns into an
      // intersection.
      EXPECT_EQ(tally.reasons.count("DST change"), 0U);
      for (const auto& expr : tally.refused_for_days) {
        EXPECT_TRUE(expr.day_of_month_star() || expr.day_of_week_star()) << expr.text();
        EXPECT_NE(expr.days_of_month(), 0xFFFFFFFEU) << expr.text();
        EXPECT_NE(expr.days_of_week(), 0x7FU) << expr.text();
      }
      EXPECT_LE(tally.refused, kExpressions * 30 / 100);
    } else {
      // A DST zone adds the jobs that would start inside a change, which a
      // corpus full of '*' hours meets often.
      EXPECT_LE(tally.refused, kExpressions * 45 / 100);
    }
    EXPECT_GE(tally.accepted, kExpressions / 2);
  }
}

// ---- The example manifests ---------------------------------------------------

TEST(TaskSchedEquivalenceTest, ExampleSchedulesMatchCronForAYear) {
  const std::filesystem::path dir = std::filesystem::path(OMNICRON_SOURCE_DIR) / "examples";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  std::map<std::string, std::vector<std::string>> refused;  // zone -> items
  int items = 0;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    const LoadResult loaded = load_manifest(text.str(), file.filename().string());
    ASSERT_FALSE(loaded.diagnostics.has_errors()) << file;
    for (const Job& job : loaded.manifest.jobs) {
      const EffectiveJob effective = effective_job(loaded.manifest, job, Platform::windows);
      for (const ScheduleItem& item : effective.schedule.items) {
        ++items;
        for (const std::string& name : kZones) {
          const tz::Zone& zone = load_zone(name);
          const std::string label =
              fmt::format("{} job {} in {}", file.filename().string(), job.name, name);
          std::vector<Trigger> triggers;
          try {
            triggers = compile_triggers(item, zone, kNow);
          } catch (const Error& e) {
            refused[name].push_back(fmt::format("{}: {}", job.name, e.message()));
            continue;
          }
          if (item.kind == ScheduleItem::Kind::logon) {
            EXPECT_EQ(triggers, (std::vector<Trigger>{LogonTrigger{}})) << label;
            continue;
          }
          if (item.kind == ScheduleItem::Kind::boot) {
            EXPECT_EQ(triggers, (std::vector<Trigger>{BootTrigger{}})) << label;
            continue;
          }
          std::vector<cron::CronExpression> equivalents;
          for (const auto& expr : to_cron(item)) {
            for (const auto& e : start_equivalents(expr)) equivalents.push_back(e);
          }
          const SimulatedStarts sim = simulate_triggers(triggers, zone, kFrom, kTo);
          EXPECT_TRUE(sim.unspecified.empty()) << label;
          const auto want = cron_starts(equivalents, zone);
          EXPECT_FALSE(want.empty()) << label;
          EXPECT_EQ(first_difference(want, sim.starts, zone), "")
              << label << describe_all(triggers);
        }
      }
    }
  }
  for (const auto& [zone, list] : refused) {
    std::printf("[ TaskSched ] %d example schedule items in %s: %zu refused\n", items, zone.c_str(),
                list.size());
    for (const auto& r : list) std::printf("[ TaskSched ]   %s\n", r.c_str());
  }
  EXPECT_EQ(refused.count("UTC"), 0U);
  // The jobs at 02:00 meet Europe's and America's spring change, and 01:30
  // America's autumn one: cron runs them once right after the change, Task
  // Scheduler's behaviour there is unspecified, so they are refused.
  EXPECT_EQ(refused["Europe/Berlin"].size(), 2U);
  EXPECT_EQ(refused["America/New_York"].size(), 3U);
}

}  // namespace
}  // namespace omnicron::tasksched
