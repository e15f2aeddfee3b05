#include "tasksched/compile_triggers.h"

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <date/date.h>
#include <fmt/format.h>

#include "cron/fire_times.h"
#include "error.h"
#include "tasksched/trigger_simulator.h"

namespace omnicron::tasksched {

namespace {

using Instant = std::chrono::sys_seconds;
using std::chrono::seconds;

constexpr std::uint32_t kAllDaysOfMonth = 0xFFFFFFFEU;  // bits 1-31
constexpr std::uint8_t kAllDaysOfWeek = 0x7F;           // bits 0-6
constexpr std::uint16_t kAllMonths = 0x1FFE;            // bits 1-12
constexpr std::uint8_t kAllWeeks = 0x1E;                // weeks 1-4
// A repetition pattern ends this long after its last wanted run: strictly
// before the next one (a minute later at the least), so no run ever lands
// on start + Duration, which Windows versions treat differently.
constexpr seconds kDurationMargin{30};
// How far either side of a DST change the check compares: a calendar start
// up to a day before the change can repeat into it, and its effects end
// within a day after it.
constexpr seconds kCheckReach{26 * 3600};

// The five fields as the user wrote them, or as an @macro expands.
struct FieldTexts {
  std::string minute, hour, day_of_month, month, day_of_week;
};

FieldTexts field_texts(const cron::CronExpression& expr) {
  const std::string source = expr.text().starts_with('@') ? expr.canonical() : expr.text();
  std::istringstream in(source);
  FieldTexts f;
  in >> f.minute >> f.hour >> f.day_of_month >> f.month >> f.day_of_week;
  return f;
}

std::string times_named(const FieldTexts& f) {
  return fmt::format("minute '{}' and hour '{}'", f.minute, f.hour);
}

Error refusal(std::string message) { return Error(ErrorKind::validation, std::move(message)); }

// A run of equal steps through the day: `count` starts from `start` minutes
// after midnight, `step` minutes apart.
struct Run {
  int start = 0;
  int step = 0;
  int count = 1;
};

std::vector<int> values_of(std::uint64_t bits) {
  std::vector<int> out;
  for (int i = 0; i < 64; ++i) {
    if ((bits >> i) & 1U) out.push_back(i);
  }
  return out;
}

// Covers a set of numbers by runs of equal steps, taking from the smallest
// number left the longest run through numbers still left. Greedy, not
// minimal in every case, but exact: every number in exactly one run.
std::vector<Run> cover(const std::vector<int>& values) {
  std::vector<Run> runs;
  std::vector<bool> left(64, false);
  int remaining = 0;
  for (int v : values) {
    left[static_cast<std::size_t>(v)] = true;
    ++remaining;
  }
  while (remaining > 0) {
    int x = 0;
    while (!left[static_cast<std::size_t>(x)]) ++x;
    Run best{x, 0, 1};
    for (int y = x + 1; y < 64; ++y) {
      if (!left[static_cast<std::size_t>(y)]) continue;
      const int d = y - x;
      int count = 1;
      while (x + count * d < 64 && left[static_cast<std::size_t>(x + count * d)]) ++count;
      if (count > best.count) best = {x, d, count};
    }
    for (int k = 0; k < best.count; ++k) {
      left[static_cast<std::size_t>(best.start + k * best.step)] = false;
      --remaining;
    }
    runs.push_back(best);
  }
  return runs;
}

// The times of day (every hour with every minute) as few runs as the three
// ways below give: the whole set as one run; one run of hours per minute;
// runs of minutes per hour, joined across consecutive hours where the
// minutes step evenly through the whole hour ("*/15 9-17" is one run).
std::vector<Run> time_runs(std::uint64_t minute_bits, std::uint32_t hour_bits) {
  const std::vector<int> minutes = values_of(minute_bits);
  const std::vector<int> hours = values_of(hour_bits);
  std::vector<int> times;
  for (int h : hours) {
    for (int m : minutes) times.push_back(h * 60 + m);
  }
  std::vector<std::vector<Run>> ways;
  {
    const int step = times.size() > 1 ? times[1] - times[0] : 0;
    bool even = true;
    for (std::size_t i = 1; i < times.size(); ++i) even = even && times[i] - times[i - 1] == step;
    if (even) ways.push_back({Run{times.front(), step, static_cast<int>(times.size())}});
  }
  {
    std::vector<Run> by_minute;
    for (int m : minutes) {
      for (const Run& h : cover(hours))
        by_minute.push_back({h.start * 60 + m, h.step * 60, h.count});
    }
    ways.push_back(std::move(by_minute));
  }
  {
    std::vector<Run> by_hour;
    for (const Run& m : cover(minutes)) {
      if (m.count == 1) {
        for (const Run& h : cover(hours)) {
          by_hour.push_back({h.start * 60 + m.start, h.step * 60, h.count});
        }
      } else if (m.count * m.step == 60) {
        // The minutes step evenly through the hour and on into the next:
        // consecutive hours form one run.
        std::size_t i = 0;
        while (i < hours.size()) {
          std::size_t j = i + 1;
          while (j < hours.size() && hours[j] == hours[j - 1] + 1) ++j;
          by_hour.push_back({hours[i] * 60 + m.start, m.step, static_cast<int>(j - i) * m.count});
          i = j;
        }
      } else {
        for (int h : hours) by_hour.push_back({h * 60 + m.start, m.step, m.count});
      }
    }
    ways.push_back(std::move(by_hour));
  }
  return *std::min_element(ways.begin(), ways.end(),
                           [](const auto& a, const auto& b) { return a.size() < b.size(); });
}

// When the expression names every hour: its times as grids that step
// evenly through the whole day (a step dividing the hour), one per run of
// minutes that steps evenly through the hour, and one hourly grid for each
// other minute. Nothing when some hour is missing.
std::optional<std::vector<Run>> whole_day_grids(std::uint64_t minute_bits,
                                                std::uint32_t hour_bits) {
  if (hour_bits != 0xFFFFFFU) return std::nullopt;
  std::vector<Run> grids;
  for (const Run& m : cover(values_of(minute_bits))) {
    if (m.count > 1 && m.count * m.step == 60) {
      grids.push_back({m.start, m.step, 1440 / m.step});
    } else {
      for (int k = 0; k < m.count; ++k) grids.push_back({m.start + k * m.step, 60, 24});
    }
  }
  return grids;
}

// A day rule of the expression and the calendar schedule that selects it.
struct DayRule {
  CalendarSchedule schedule;
  bool every_day = false;
};

CalendarSchedule weekdays_schedule(std::uint8_t days_of_week, std::uint16_t months) {
  if (months == kAllMonths) return ScheduleByWeek{1, days_of_week};
  // Weeks 1-4 and Last together hold every day of a month: days 29-31 are
  // always their weekday's last occurrence.
  return ScheduleByMonthDayOfWeek{kAllWeeks, true, days_of_week, months};
}

CalendarSchedule every_day_schedule(std::uint16_t months) {
  if (months == kAllMonths) return ScheduleByDay{1};
  return ScheduleByMonth{kAllDaysOfMonth, false, months};
}

// Days 1-28 as whole weeks of the month (1-7, 8-14, ...), as the bits of
// ScheduleByMonthDayOfWeek's weeks; nothing if they are not.
std::optional<std::uint8_t> whole_weeks(std::uint32_t days) {
  std::uint8_t weeks = 0;
  for (int w = 1; w <= 4; ++w) {
    const std::uint32_t block = 0x7FU << (7 * (w - 1) + 1);
    if ((days & block) == block) {
      weeks = static_cast<std::uint8_t>(weeks | (1U << w));
    } else if ((days & block) != 0) {
      return std::nullopt;
    }
  }
  if ((days & ~0x1FFFFFFEU) != 0) return std::nullopt;  // days 29-31
  return weeks;
}

std::vector<DayRule> day_rules(const cron::CronExpression& expr, const FieldTexts& f) {
  const std::uint32_t dom = expr.days_of_month();
  const std::uint8_t dow = expr.days_of_week();
  const std::uint16_t months = expr.months();
  const bool all_dom = dom == kAllDaysOfMonth;
  const bool all_dow = dow == kAllDaysOfWeek;
  const bool both_must_match = expr.day_of_month_star() || expr.day_of_week_star();
  if (both_must_match) {
    if (all_dom && all_dow) return {{every_day_schedule(months), months == kAllMonths}};
    if (all_dom) return {{weekdays_schedule(dow, months), false}};
    if (all_dow) return {{ScheduleByMonth{dom, false, months}, false}};
    if (auto weeks = whole_weeks(dom)) {
      return {{ScheduleByMonthDayOfWeek{*weeks, false, dow, months}, false}};
    }
    throw refusal(fmt::format(
        "day-of-month '{}' and day-of-week '{}' must both match (a day field starting with "
        "'*' makes cron require both), and Task Scheduler has no trigger for days that are "
        "both, except whole weeks of the month (1-7, 8-14, 15-21, 22-28); write one of the "
        "two as '*'",
        f.day_of_month, f.day_of_week));
  }
  // Neither field starts with '*': a day matches when either does.
  if (all_dom || all_dow) return {{every_day_schedule(months), months == kAllMonths}};
  return {{ScheduleByMonth{dom, false, months}, false}, {weekdays_schedule(dow, months), false}};
}

LocalDateTime start_at(const TriggerOptions& o, int minute_of_day) {
  return {o.start_year, o.start_month, o.start_day, minute_of_day / 60, minute_of_day % 60, 0};
}

std::optional<Repetition> repetition_of(const Run& run) {
  if (run.count <= 1) return std::nullopt;
  const seconds interval{run.step * 60LL};
  return Repetition{interval, interval * (run.count - 1) + kDurationMargin};
}

// Splits runs where the wall clock passes one of `points` (minutes after
// midnight), so that no repetition pattern spans a DST change there.
std::vector<Run> split_runs(const std::vector<Run>& runs, const std::set<int>& points) {
  std::vector<Run> out;
  for (const Run& run : runs) {
    Run piece{run.start, run.step, 1};
    for (int k = 1; k < run.count; ++k) {
      const int t = run.start + k * run.step;
      const auto p = points.upper_bound(t - run.step);
      if (p != points.end() && *p <= t) {
        out.push_back(piece);
        piece = Run{t, run.step, 1};
      } else {
        ++piece.count;
      }
    }
    out.push_back(piece);
  }
  return out;
}

// ---- The DST check -------------------------------------------------------

std::string local_text(Instant t, const tz::Zone& zone) {
  const auto info = zone.get_info(t);
  const date::local_seconds local{t.time_since_epoch() + info.offset};
  return fmt::format("{} {}", date::format("%Y-%m-%d %H:%M", local), info.abbrev);
}

std::string clock_text(Instant t, seconds offset) {
  const date::local_seconds local{t.time_since_epoch() + offset};
  return date::format("%H:%M", local);
}

// One DST change, described for a message: "on 2026-03-29 (clocks go forward
// from 02:00 to 03:00)".
// Every change of the zone's UTC offset in the checked years, as the
// period that ends with it and the one that begins; periods that only
// rename the zone (same offset) are passed over.
std::vector<std::pair<tz::Period, tz::Period>> offset_changes(const tz::Zone& zone, Instant now,
                                                              const TriggerOptions& options) {
  std::vector<std::pair<tz::Period, tz::Period>> out;
  const Instant horizon = now + std::chrono::years{options.years_checked};
  Instant t = now;
  while (t < horizon) {
    const tz::Period period = zone.get_info(t);
    if (period.end >= horizon) break;
    const tz::Period next = zone.get_info(period.end);
    t = period.end;
    if (next.offset != period.offset) out.emplace_back(period, next);
  }
  return out;
}

struct Change {
  Instant at;
  seconds before{0};
  seconds after{0};
  std::string clocks() const {
    return fmt::format("clocks go {} from {} to {}", after > before ? "forward" : "back",
                       clock_text(at, before), clock_text(at, after));
  }
  std::string text() const {
    const date::local_seconds local{at.time_since_epoch() + before};
    return fmt::format("on {} ({})", date::format("%Y-%m-%d", date::floor<date::days>(local)),
                       clocks());
  }
};

std::vector<Instant> cron_starts(const std::vector<cron::CronExpression>& exprs,
                                 const tz::Zone& zone, Instant from, Instant to) {
  std::vector<Instant> out;
  for (const auto& expr : exprs) {
    cron::FireTimes times(expr, zone, from - seconds{1});
    while (auto t = times.next()) {
      if (*t >= to) break;
      out.push_back(*t);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Where the triggers and cron disagree in [from, to), as a refusal message;
// nothing when they agree.
std::optional<std::string> disagreement(const std::vector<Trigger>& triggers,
                                        const std::vector<cron::CronExpression>& exprs,
                                        const tz::Zone& zone, Instant from, Instant to,
                                        const FieldTexts& f, const std::optional<Change>& change) {
  const SimulatedStarts sim = simulate_triggers(triggers, zone, from, to);
  const std::string where =
      change ? fmt::format("around the DST change in {} {}", zone.name(), change->text())
             : fmt::format("in {}", zone.name());
  for (const UnspecifiedStart& u : sim.unspecified) {
    if (u.reason == UnspecifiedStart::Reason::at_duration_end) {
      // Every Duration written above ends between two runs.
      throw Error(ErrorKind::internal,
                  fmt::format("a compiled repetition pattern has a run at its very end ({})",
                              to_string(u.local)));
    }
    const bool skipped = u.reason == UnspecifiedStart::Reason::skipped_time;
    std::string hours;
    if (change) {
      const auto [lo, hi] = std::minmax(change->before, change->after);
      hours = fmt::format("; move it out of {}-{} local time", clock_text(change->at, lo),
                          clock_text(change->at, hi));
    }
    return fmt::format(
        "{}: {} {} {:02}:{:02}{} on {:04}-{:02}-{:02}{}, and Task Scheduler does not specify "
        "when a start due at a skipped or repeated time runs (Microsoft KB 325413), so it "
        "cannot match cron there{}",
        times_named(f), zone.name(), skipped ? "skips" : "has", u.local.hour, u.local.minute,
        skipped ? "" : " twice", u.local.year, u.local.month, u.local.day,
        change ? fmt::format(" ({})", change->clocks()) : "", hours);
  }
  const std::vector<Instant> want = cron_starts(exprs, zone, from, to);
  if (want == sim.starts) return std::nullopt;
  const auto [w, s] = std::mismatch(want.begin(), want.end(), sim.starts.begin(), sim.starts.end());
  const Instant first = s == sim.starts.end() || (w != want.end() && *w < *s) ? *w : *s;
  const auto by_cron = std::count(want.begin(), want.end(), first);
  const auto by_triggers = std::count(sim.starts.begin(), sim.starts.end(), first);
  if (by_triggers == 0) {
    return fmt::format("{}: {}, cron runs at {} and Task Scheduler would not", times_named(f),
                       where, local_text(first, zone));
  }
  if (by_cron == 0) {
    return fmt::format("{}: {}, Task Scheduler would start at {} and cron would not",
                       times_named(f), where, local_text(first, zone));
  }
  const auto spell = [](std::ptrdiff_t n) {
    return n == 1   ? std::string("once")
           : n == 2 ? std::string("twice")
                    : fmt::format("{} times", n);
  };
  return fmt::format("{}: {}, Task Scheduler would start {} at {} and cron {}", times_named(f),
                     where, spell(by_triggers), local_text(first, zone), spell(by_cron));
}

// Checks the triggers against cron in `zone`: at each StartBoundary, today,
// and around every DST change of the checked years. Changes that look the
// same (same offsets, same local time, the same calendar day and weekday, a
// leap year or not) behave the same, so each is checked once.
std::optional<std::string> check_in_zone(const std::vector<Trigger>& triggers,
                                         const std::vector<cron::CronExpression>& exprs,
                                         const tz::Zone& zone, Instant now,
                                         const TriggerOptions& options, const FieldTexts& f) {
  for (const Trigger& trigger : triggers) {
    const LocalDateTime* start = nullptr;
    if (const auto* c = std::get_if<CalendarTrigger>(&trigger)) start = &c->start;
    if (const auto* t = std::get_if<TimeTrigger>(&trigger)) start = &t->start;
    if (start == nullptr) continue;
    const date::local_seconds local =
        date::local_days{date::year{start->year} /
                         date::month{static_cast<unsigned>(start->month)} /
                         date::day{static_cast<unsigned>(start->day)}} +
        std::chrono::hours{start->hour} + std::chrono::minutes{start->minute};
    if (zone.get_info(local).result != tz::LocalPeriods::unique) {
      return fmt::format("{}: the StartBoundary {} is not a single instant in {}", times_named(f),
                         to_string(*start), zone.name());
    }
  }
  if (auto d =
          disagreement(triggers, exprs, zone, now, now + std::chrono::days{2}, f, std::nullopt)) {
    return d;
  }
  using Key = std::tuple<long long, long long, long long, unsigned, unsigned, unsigned, bool>;
  std::set<Key> seen;
  for (const auto& [period, next] : offset_changes(zone, now, options)) {
    const Change change{period.end, period.offset, next.offset};
    const date::local_seconds local{change.at.time_since_epoch() + change.before};
    const date::local_days day = date::floor<date::days>(local);
    const date::year_month_day ymd{day};
    // Another change within three days makes this one unlike the others.
    const bool crowded = period.begin > change.at - std::chrono::days{3} ||
                         next.end < change.at + std::chrono::days{3};
    const Key key{crowded ? change.at.time_since_epoch().count() : 0,
                  change.before.count(),
                  change.after.count(),
                  static_cast<unsigned>((local - day).count()),
                  static_cast<unsigned>(ymd.month()) * 100 + static_cast<unsigned>(ymd.day()),
                  date::weekday{day}.c_encoding(),
                  ymd.year().is_leap()};
    if (!seen.insert(key).second) continue;
    if (auto d = disagreement(triggers, exprs, zone, change.at - kCheckReach,
                              change.at + kCheckReach, f, change)) {
      return d;
    }
  }
  return std::nullopt;
}

// The wall-clock readings (minutes after midnight, either side) at which the
// zone's offset changes in the checked years.
std::set<int> change_clock_minutes(const tz::Zone& zone, Instant now,
                                   const TriggerOptions& options) {
  std::set<int> out;
  for (const auto& [period, next] : offset_changes(zone, now, options)) {
    for (seconds offset : {period.offset, next.offset}) {
      const auto local = (period.end.time_since_epoch() + offset).count();
      const auto of_day = ((local % 86400) + 86400) % 86400;
      out.insert(static_cast<int>((of_day + 59) / 60));
    }
  }
  return out;
}

std::vector<Trigger> compile_expression(const cron::CronExpression& expr, const tz::Zone& zone,
                                        Instant now, const TriggerOptions& options) {
  if (expr.is_reboot()) return {BootTrigger{}};
  const FieldTexts f = field_texts(expr);
  const std::vector<DayRule> rules = day_rules(expr, f);
  const std::vector<Run> runs = time_runs(expr.minutes(), expr.hours());
  const std::vector<cron::CronExpression> exprs = start_equivalents(expr);

  // The shapes to try, fewest triggers and least dependence on the zone
  // first.
  std::vector<std::vector<Trigger>> shapes;
  if (rules.size() == 1 && rules.front().every_day) {
    if (auto grids = whole_day_grids(expr.minutes(), expr.hours());
        grids && grids->size() <= kMaxTriggersPerTask) {
      // Grids through the whole of every day: a start that repeats forever
      // keeps its phase with the wall clock across any DST change that is a
      // whole number of steps, which is how cron runs a wildcard job.
      std::vector<Trigger> endless;
      for (const Run& grid : *grids) {
        endless.push_back(TimeTrigger{start_at(options, grid.start),
                                      Repetition{seconds{grid.step * 60LL}, std::nullopt}});
      }
      shapes.push_back(std::move(endless));
    }
  }
  const std::size_t needed = rules.size() * runs.size();
  if (needed > kMaxTriggersPerTask && shapes.empty()) {
    if (rules.size() == 1) {
      throw refusal(fmt::format("{} need {} triggers; Task Scheduler allows {} per task",
                                times_named(f), needed, kMaxTriggersPerTask));
    }
    throw refusal(fmt::format(
        "{} need {} triggers ({} times of day for day-of-month '{}' and again for day-of-week "
        "'{}', which cron joins with OR); Task Scheduler allows {} per task",
        times_named(f), needed, runs.size(), f.day_of_month, f.day_of_week, kMaxTriggersPerTask));
  }
  const auto calendar = [&](const std::vector<Run>& day_runs) {
    std::vector<Trigger> out;
    for (const DayRule& rule : rules) {
      for (const Run& run : day_runs) {
        out.push_back(
            CalendarTrigger{start_at(options, run.start), rule.schedule, repetition_of(run)});
      }
    }
    return out;
  };
  if (needed <= kMaxTriggersPerTask) shapes.push_back(calendar(runs));
  // The same, with no repetition pattern spanning the wall-clock times of
  // the zone's DST changes ("0 */12" becomes 00:00 and 12:00 on their own).
  const std::vector<Run> split = split_runs(runs, change_clock_minutes(zone, now, options));
  if (split.size() != runs.size() && rules.size() * split.size() <= kMaxTriggersPerTask) {
    shapes.push_back(calendar(split));
  }
  std::optional<std::string> reason;
  for (auto& shape : shapes) {
    reason = check_in_zone(shape, exprs, zone, now, options, f);
    if (!reason) return std::move(shape);
  }
  throw refusal(*reason);
}

std::string item_text(const ScheduleItem& item) {
  switch (item.kind) {
    case ScheduleItem::Kind::cron:
      return fmt::format("'{}'", item.cron);
    case ScheduleItem::Kind::every: {
      const long long s = item.every.count();
      if (s != 0 && s % 3600 == 0) return fmt::format("'every: {}h'", s / 3600);
      if (s != 0 && s % 60 == 0) return fmt::format("'every: {}m'", s / 60);
      return fmt::format("'every: {}s'", s);
    }
    case ScheduleItem::Kind::at: {
      std::string times;
      for (const TimeOfDay& t : item.at) {
        times += fmt::format("{}{:02}:{:02}", times.empty() ? "" : ", ", t.hour, t.minute);
      }
      return fmt::format("'at: {}'", times);
    }
    case ScheduleItem::Kind::boot:
      return "on: boot";
    case ScheduleItem::Kind::logon:
      return "on: logon";
  }
  return "?";
}

}  // namespace

std::vector<cron::CronExpression> start_equivalents(const cron::CronExpression& expr) {
  if (expr.is_reboot() || expr.day_of_month_star() || expr.day_of_week_star() ||
      expr.days_of_month() == kAllDaysOfMonth || expr.days_of_week() == kAllDaysOfWeek) {
    return {expr};
  }
  const FieldTexts f = field_texts(expr);
  return {cron::CronExpression::parse(
              fmt::format("{} {} {} {} *", f.minute, f.hour, f.day_of_month, f.month)),
          cron::CronExpression::parse(
              fmt::format("{} {} * {} {}", f.minute, f.hour, f.month, f.day_of_week))};
}

std::vector<Trigger> compile_triggers(const cron::CronExpression& expr, const tz::Zone& zone,
                                      std::chrono::sys_seconds now, const TriggerOptions& options) {
  return compile_expression(expr, zone, now, options);
}

std::vector<Trigger> compile_triggers(const ScheduleItem& item, const tz::Zone& zone,
                                      std::chrono::sys_seconds now, const TriggerOptions& options) {
  try {
    if (item.kind == ScheduleItem::Kind::logon) return {LogonTrigger{}};
    std::vector<Trigger> out;
    for (const cron::CronExpression& expr : to_cron(item)) {
      for (Trigger& t : compile_expression(expr, zone, now, options)) out.push_back(std::move(t));
    }
    return out;
  } catch (Error& e) {
    if (!e.where() && item.where.known()) e.at(item.where);
    e.with_context(
        fmt::format("while compiling schedule {} into Task Scheduler triggers", item_text(item)));
    throw;
  }
}

std::vector<Trigger> compile_triggers(const Schedule& schedule, const tz::Zone& zone,
                                      std::chrono::sys_seconds now, const TriggerOptions& options) {
  std::vector<Trigger> out;
  for (const ScheduleItem& item : schedule.items) {
    for (Trigger& t : compile_triggers(item, zone, now, options)) out.push_back(std::move(t));
  }
  if (out.size() > kMaxTriggersPerTask) {
    Error e =
        refusal(fmt::format("the schedule's {} items need {} triggers in all; Task "
                            "Scheduler allows {} per task",
                            schedule.items.size(), out.size(), kMaxTriggersPerTask));
    if (!schedule.items.empty() && schedule.items.front().where.known()) {
      e.at(schedule.items.front().where);
    }
    throw e;
  }
  return out;
}

}  // namespace omnicron::tasksched
