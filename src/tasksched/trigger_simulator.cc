#include "tasksched/trigger_simulator.h"

#include <algorithm>

#include <date/date.h>
#include <fmt/format.h>

#include "error.h"

namespace omnicron::tasksched {

namespace {

using std::chrono::seconds;

constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Days since 1970-01-01 of a local date.
std::int64_t day_number(int year, int month, int day) {
  const date::local_days d{date::year{year} / date::month{static_cast<unsigned>(month)} /
                           date::day{static_cast<unsigned>(day)}};
  return d.time_since_epoch().count();
}

struct Civil {
  int year = 0;
  int month = 0;
  int day = 0;
  int weekday = 0;  // Sunday 0
  int days_in_month = 0;
};

Civil civil(std::int64_t number) {
  const date::local_days d{date::days{number}};
  const date::year_month_day ymd{d};
  Civil c;
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  c.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  c.weekday = static_cast<int>(date::weekday{d}.c_encoding());
  c.days_in_month =
      static_cast<int>(static_cast<unsigned>((ymd.year() / ymd.month() / date::last).day()));
  return c;
}

// The index of the Sunday-to-Saturday week holding a day; 1970-01-01 was a
// Thursday, so day 3 is the first Sunday.
std::int64_t week_number(std::int64_t day) { return floor_div(day + 4, 7); }

// Whether bit `bit` of a Task Scheduler day, week or month mask is set.
bool has(unsigned mask, int bit) { return ((mask >> bit) & 1U) != 0; }

std::int64_t seconds_of_day(const LocalDateTime& t) {
  return t.hour * 3600LL + t.minute * 60LL + t.second;
}

void check_start(const LocalDateTime& t) {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour < 0 || t.hour > 23 ||
      t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 59 ||
      !date::year_month_day{date::year{t.year} / date::month{static_cast<unsigned>(t.month)} /
                            date::day{static_cast<unsigned>(t.day)}}
           .ok()) {
    throw Error(ErrorKind::validation,
                fmt::format("StartBoundary '{}' is not a date and time", to_string(t)));
  }
}

void check_repetition(const std::optional<Repetition>& r) {
  if (!r) return;
  if (r->interval < std::chrono::minutes{1} || r->interval > std::chrono::days{31}) {
    throw Error(ErrorKind::validation,
                fmt::format("repetition interval {} is outside Task Scheduler's range PT1M-P31D",
                            to_iso_duration(r->interval)));
  }
  if (r->duration && *r->duration < r->interval) {
    throw Error(ErrorKind::validation,
                fmt::format("repetition duration {} is shorter than its interval {}",
                            to_iso_duration(*r->duration), to_iso_duration(r->interval)));
  }
}

bool selects(const CalendarSchedule& schedule, std::int64_t day, std::int64_t start_day) {
  struct Visitor {
    std::int64_t day;
    std::int64_t start_day;
    bool operator()(const ScheduleByDay& s) const {
      return (day - start_day) % s.days_interval == 0;
    }
    bool operator()(const ScheduleByWeek& s) const {
      const Civil c = civil(day);
      return has(s.days_of_week, c.weekday) &&
             (week_number(day) - week_number(start_day)) % s.weeks_interval == 0;
    }
    bool operator()(const ScheduleByMonth& s) const {
      const Civil c = civil(day);
      if (!has(s.months, c.month)) return false;
      return has(s.days_of_month, c.day) || (s.last_day && c.day == c.days_in_month);
    }
    bool operator()(const ScheduleByMonthDayOfWeek& s) const {
      const Civil c = civil(day);
      if (!has(s.months, c.month) || !has(s.days_of_week, c.weekday)) {
        return false;
      }
      const int week = (c.day - 1) / 7 + 1;
      return (week <= 4 && has(s.weeks, week)) || (s.last_week && c.day + 7 > c.days_in_month);
    }
  };
  return std::visit(Visitor{day, start_day}, schedule);
}

void check_schedule(const CalendarSchedule& schedule) {
  struct Visitor {
    void operator()(const ScheduleByDay& s) const {
      if (s.days_interval < 1 || s.days_interval > 365) {
        throw Error(ErrorKind::validation,
                    fmt::format("DaysInterval {} is outside 1-365", s.days_interval));
      }
    }
    void operator()(const ScheduleByWeek& s) const {
      if (s.weeks_interval < 1 || s.weeks_interval > 52) {
        throw Error(ErrorKind::validation,
                    fmt::format("WeeksInterval {} is outside 1-52", s.weeks_interval));
      }
    }
    void operator()(const ScheduleByMonth&) const {}
    void operator()(const ScheduleByMonthDayOfWeek&) const {}
  };
  std::visit(Visitor{}, schedule);
}

// Collects starts for one trigger.
class Collector {
 public:
  Collector(const tz::Zone& zone, std::int64_t from, std::int64_t to, SimulatedStarts& out)
      : zone_(zone), from_(from), to_(to), out_(out) {}

  // The instant of a wall-clock time, or nothing (and a note) when the zone
  // skips or repeats it.
  std::optional<std::int64_t> instant_of(std::size_t index, const LocalDateTime& local,
                                         std::int64_t local_seconds) {
    const auto periods = zone_.get_info(date::local_seconds{seconds{local_seconds}});
    if (periods.result == tz::LocalPeriods::unique) {
      return local_seconds - periods.first.offset.count();
    }
    // Reported when the start, read with the offset before the change, is
    // within a day of the interval: it could have put runs into it.
    const std::int64_t guess = local_seconds - periods.first.offset.count();
    if (guess >= from_ - kSecondsPerDay && guess < to_ + kSecondsPerDay) {
      out_.unspecified.push_back({index, local,
                                  periods.result == tz::LocalPeriods::nonexistent
                                      ? UnspecifiedStart::Reason::skipped_time
                                      : UnspecifiedStart::Reason::repeated_time});
    }
    return std::nullopt;
  }

  // The start and its repetitions that fall in [from, to).
  void runs(std::size_t index, const LocalDateTime& local, std::int64_t start,
            const std::optional<Repetition>& repetition) {
    if (!repetition) {
      add(start);
      return;
    }
    const std::int64_t interval = repetition->interval.count();
    std::int64_t k = start >= from_ ? 0 : (from_ - start + interval - 1) / interval;
    for (;; ++k) {
      const std::int64_t offset = k * interval;
      if (repetition->duration) {
        const std::int64_t duration = repetition->duration->count();
        if (offset == duration && start + offset >= from_ && start + offset < to_) {
          out_.unspecified.push_back({index, local, UnspecifiedStart::Reason::at_duration_end});
        }
        if (offset >= duration) break;
      }
      if (start + offset >= to_) break;
      add(start + offset);
    }
  }

 private:
  void add(std::int64_t t) {
    if (t >= from_ && t < to_) out_.starts.push_back(Instant{seconds{t}});
  }

  const tz::Zone& zone_;
  std::int64_t from_;
  std::int64_t to_;
  SimulatedStarts& out_;
};

void simulate_calendar(std::size_t index, const CalendarTrigger& trigger, Collector& collector,
                       std::int64_t from, std::int64_t to) {
  check_start(trigger.start);
  check_schedule(trigger.schedule);
  check_repetition(trigger.repetition);
  if (trigger.repetition && !trigger.repetition->duration) {
    throw Error(ErrorKind::validation,
                "a calendar trigger repeating without a Duration is not modelled: whether each "
                "day's start begins another endless pattern is not documented");
  }
  const std::int64_t start_day =
      day_number(trigger.start.year, trigger.start.month, trigger.start.day);
  const std::int64_t time_of_day = seconds_of_day(trigger.start);
  // Local days are at most a day and a few hours off UTC; a repetition
  // pattern reaches back at most its Duration.
  const std::int64_t reach = trigger.repetition ? trigger.repetition->duration->count() : 0;
  const std::int64_t first_day = std::max(start_day, floor_div(from - reach, kSecondsPerDay) - 2);
  const std::int64_t last_day = floor_div(to, kSecondsPerDay) + 2;
  for (std::int64_t day = first_day; day <= last_day; ++day) {
    if (!selects(trigger.schedule, day, start_day)) continue;
    const std::int64_t local_seconds = day * kSecondsPerDay + time_of_day;
    const Civil c = civil(day);
    const LocalDateTime local{
        c.year, c.month, c.day, trigger.start.hour, trigger.start.minute, trigger.start.second};
    if (auto start = collector.instant_of(index, local, local_seconds)) {
      collector.runs(index, local, *start, trigger.repetition);
    }
  }
}

void simulate_time(std::size_t index, const TimeTrigger& trigger, Collector& collector) {
  check_start(trigger.start);
  check_repetition(trigger.repetition);
  const std::int64_t local_seconds =
      day_number(trigger.start.year, trigger.start.month, trigger.start.day) * kSecondsPerDay +
      seconds_of_day(trigger.start);
  if (auto start = collector.instant_of(index, trigger.start, local_seconds)) {
    collector.runs(index, trigger.start, *start, trigger.repetition);
  }
}

}  // namespace

SimulatedStarts simulate_triggers(const std::vector<Trigger>& triggers, const tz::Zone& zone,
                                  Instant from, Instant to) {
  SimulatedStarts out;
  const std::int64_t lo = from.time_since_epoch().count();
  const std::int64_t hi = to.time_since_epoch().count();
  Collector collector(zone, lo, hi, out);
  for (std::size_t i = 0; i < triggers.size(); ++i) {
    if (const auto* calendar = std::get_if<CalendarTrigger>(&triggers[i])) {
      simulate_calendar(i, *calendar, collector, lo, hi);
    } else if (const auto* time = std::get_if<TimeTrigger>(&triggers[i])) {
      simulate_time(i, *time, collector);
    }
  }
  std::sort(out.starts.begin(), out.starts.end());
  return out;
}

}  // namespace omnicron::tasksched
