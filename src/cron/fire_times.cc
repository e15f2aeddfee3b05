#include "cron/fire_times.h"

#include <algorithm>
#include <bit>

namespace omnicron::cron {

namespace {

using detail::Day;
using detail::Matcher;
using detail::Period;

constexpr std::int64_t kMinutesPerDay = 1440;
// The Gregorian calendar repeats every 400 years (146097 days, a whole
// number of weeks): an expression that does not fire within that span never
// fires, so every search stops there.
constexpr std::int64_t kSearchMinutes = 146097 * kMinutesPerDay;
// tz::Zone gives the first and last periods of a zone open ends far beyond
// these (about +-146 billion years); anything beyond these is "no edge".
constexpr std::int64_t kFarFuture = 100'000'000'000;
constexpr std::int64_t kFarPast = -100'000'000'000;

// Debian cron (cron.c, the "virtual time" loop) sorts a jump of the local
// wall clock, measured in minutes from the last minute it handled, into:
// a jump of at most 5 runs every job for each missed minute; up to 3 hours
// runs only fixed-time jobs for the missed minutes (wildcard jobs run once,
// for the new minute); more than 3 hours runs nothing missed. Going back by
// less than 3 hours runs only wildcard jobs until the clock catches up;
// further back it starts over and runs everything again.
// A forward change of g minutes is a jump of g + 1; a backward change of b
// minutes is a jump of -(b - 1).
bool catches_up(std::int64_t gap_minutes, bool wildcard) {
  if (gap_minutes + 1 <= 5) return true;
  if (gap_minutes + 1 <= 180) return !wildcard;
  return false;
}

bool skips_repeat(std::int64_t back_minutes, bool wildcard) {
  return -(back_minutes - 1) > -180 && !wildcard;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = m > 2 ? m - 3 : m + 9;
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(std::int64_t z, int& year, int& month, int& day) {
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

// The first set bit at or after `from`, or -1.
int next_bit(std::uint64_t bits, int from) {
  if (from >= 64) return -1;
  const std::uint64_t rest = bits & (~std::uint64_t{0} << from);
  return rest == 0 ? -1 : std::countr_zero(rest);
}

// The last set bit at or before `from`, or -1.
int prev_bit(std::uint64_t bits, int from) {
  if (from < 0) return -1;
  const std::uint64_t mask =
      from >= 63 ? ~std::uint64_t{0} : (std::uint64_t{1} << (from + 1)) - 1;
  const std::uint64_t rest = bits & mask;
  return rest == 0 ? -1 : 63 - std::countl_zero(rest);
}

Matcher make_matcher(const CronExpression& expr) {
  Matcher m;
  m.minutes = expr.minutes();
  m.hours = expr.hours();
  m.days_of_month = expr.days_of_month();
  m.months = expr.months();
  m.days_of_week = expr.days_of_week();
  m.day_and = expr.day_of_month_star() || expr.day_of_week_star();
  m.wildcard = expr.is_wildcard_time();
  m.never = expr.is_reboot();
  return m;
}

// Searches fire instants through the zone's periods of constant offset. All
// local times are counted in minutes since 1970-01-01 00:00 local; a local
// minute L in a period with offset `off` is the instant L * 60 - off.
class Search {
 public:
  Search(const Matcher& matcher, const tz::Zone& zone, Period& period, Day& day)
      : m_(matcher), zone_(zone), period_(period), day_(day) {}

  std::optional<std::int64_t> next(std::int64_t after) {
    if (m_.never) return std::nullopt;
    if (!period_.valid || after < period_.begin || after >= period_.end) load(after);
    std::int64_t from = floor_div(after + period_.offset, 60) + 1;
    const std::int64_t limit = from + kSearchMinutes;
    while (true) {
      const std::int64_t lo = std::max(from, first_minute());
      const std::int64_t hi =
          period_.end >= kFarFuture ? limit
                                    : std::min(ceil_div(period_.end + period_.offset, 60), limit);
      if (lo < hi) {
        if (auto found = first_match(lo, hi)) return *found * 60 - period_.offset;
      }
      if (hi >= limit) return std::nullopt;
      const std::int64_t edge = period_.end;
      load(edge);
      if (auto t = catch_up()) return t;
      from = ceil_div(edge + period_.offset, 60);
    }
  }

  std::optional<std::int64_t> previous(std::int64_t before) {
    if (m_.never) return std::nullopt;
    const std::int64_t t = before - 1;
    if (!period_.valid || t < period_.begin || t >= period_.end) load(t);
    std::int64_t to = ceil_div(before + period_.offset, 60) - 1;
    const std::int64_t limit = to - kSearchMinutes;
    while (true) {
      const std::int64_t lo = period_.begin <= kFarPast ? limit : std::max(first_minute(), limit);
      if (lo <= to) {
        if (auto found = last_match(lo, to)) return *found * 60 - period_.offset;
      }
      if (lo <= limit) return std::nullopt;
      if (auto c = catch_up()) return c;
      const std::int64_t edge = period_.begin;
      load(edge - 1);
      to = ceil_div(edge + period_.offset, 60) - 1;
    }
  }

 private:
  void load(std::int64_t t) {
    using std::chrono::seconds;
    const auto info = zone_.get_info(std::chrono::sys_seconds{seconds{t}});
    period_.valid = true;
    period_.begin = info.begin.time_since_epoch().count();
    period_.end = info.end.time_since_epoch().count();
    period_.offset = info.offset.count();
    period_.previous_offset =
        period_.begin <= kFarPast
            ? period_.offset
            : zone_.get_info(std::chrono::sys_seconds{seconds{period_.begin - 1}})
                  .offset.count();
  }

  // The first local minute of the current period that may fire: a fixed-time
  // job does not fire again in the second copy of a repeated interval.
  std::int64_t first_minute() const {
    const std::int64_t first = ceil_div(period_.begin + period_.offset, 60);
    const std::int64_t back = (period_.previous_offset - period_.offset) / 60;
    if (back > 0 && skips_repeat(back, m_.wildcard)) {
      return ceil_div(period_.begin + period_.previous_offset, 60);
    }
    return first;
  }

  // The instant the current period starts, if the wall clock jumped forward
  // there and a job due in the skipped minutes is run at that instant.
  std::optional<std::int64_t> catch_up() {
    if (period_.begin <= kFarPast) return std::nullopt;
    const std::int64_t gap = (period_.offset - period_.previous_offset) / 60;
    if (gap <= 0 || !catches_up(gap, m_.wildcard)) return std::nullopt;
    const std::int64_t lo = ceil_div(period_.begin + period_.previous_offset, 60);
    const std::int64_t hi = ceil_div(period_.begin + period_.offset, 60);
    if (first_match(lo, hi)) return period_.begin;
    return std::nullopt;
  }

  void set_day(std::int64_t number) {
    if (day_.number == number) return;
    day_.number = number;
    civil_from_days(number, day_.year, day_.month, day_.day);
    // 1970-01-01 was a Thursday.
    day_.weekday = static_cast<int>(number + 4 - 7 * floor_div(number + 4, 7));
    const bool month = (m_.months >> day_.month) & 1;
    const bool dom = (m_.days_of_month >> day_.day) & 1U;
    const bool dow = (m_.days_of_week >> day_.weekday) & 1;
    day_.matches = month && (m_.day_and ? (dom && dow) : (dom || dow));
  }

  // How many days from the current (non-matching) day to the first day that
  // could match, counting the next day of the month and the next weekday the
  // fields allow: both must come when both must match, either otherwise.
  // The month end bounds the day-of-month jump so the month is checked again.
  std::int64_t days_to_candidate() const {
    // Weekdays after today, in a 14-bit window so the week wraps.
    const std::uint32_t week = m_.days_of_week | (std::uint32_t{m_.days_of_week} << 7U);
    const int next_weekday = next_bit(week, day_.weekday + 1);
    const std::int64_t by_weekday = next_weekday < 0 ? 7 : next_weekday - day_.weekday;
    const int next_day = next_bit(m_.days_of_month, day_.day + 1);
    const std::int64_t month_left = days_in_month(day_.year, day_.month) - day_.day + 1;
    const std::int64_t by_day = next_day < 0 ? month_left : std::min<std::int64_t>(
                                                                next_day - day_.day, month_left);
    return m_.day_and ? std::max(by_weekday, by_day) : std::min(by_weekday, by_day);
  }

  static int days_in_month(int year, int month) {
    constexpr int kDays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month];
  }

  // The first matching local minute in [lo, hi).
  std::optional<std::int64_t> first_match(std::int64_t lo, std::int64_t hi) {
    std::int64_t day = floor_div(lo, kMinutesPerDay);
    const std::int64_t rest = lo - day * kMinutesPerDay;
    int h0 = static_cast<int>(rest / 60);
    int m0 = static_cast<int>(rest % 60);
    while (day * kMinutesPerDay < hi) {
      set_day(day);
      if (!((m_.months >> day_.month) & 1)) {
        day = day_.month == 12 ? days_from_civil(day_.year + 1, 1, 1)
                               : days_from_civil(day_.year, day_.month + 1, 1);
        h0 = m0 = 0;
        continue;
      }
      if (day_.matches) {
        int h = next_bit(m_.hours, h0);
        int m = -1;
        if (h == h0) {
          m = next_bit(m_.minutes, m0);
          if (m < 0) h = next_bit(m_.hours, h0 + 1);
        }
        if (h >= 0) {
          if (m < 0) m = std::countr_zero(m_.minutes);
          const std::int64_t found = day * kMinutesPerDay + h * 60 + m;
          if (found < hi) return found;
          return std::nullopt;
        }
        ++day;
      } else {
        day += days_to_candidate();
      }
      h0 = m0 = 0;
    }
    return std::nullopt;
  }

  // The last matching local minute in [lo, hi].
  std::optional<std::int64_t> last_match(std::int64_t lo, std::int64_t hi) {
    std::int64_t day = floor_div(hi, kMinutesPerDay);
    const std::int64_t rest = hi - day * kMinutesPerDay;
    int h0 = static_cast<int>(rest / 60);
    int m0 = static_cast<int>(rest % 60);
    while (day * kMinutesPerDay + kMinutesPerDay - 1 >= lo) {
      set_day(day);
      if (!((m_.months >> day_.month) & 1)) {
        day = days_from_civil(day_.year, day_.month, 1) - 1;
        h0 = 23;
        m0 = 59;
        continue;
      }
      if (day_.matches) {
        int h = prev_bit(m_.hours, h0);
        int m = -1;
        if (h == h0) {
          m = prev_bit(m_.minutes, m0);
          if (m < 0) h = prev_bit(m_.hours, h0 - 1);
        }
        if (h >= 0) {
          if (m < 0) m = 63 - std::countl_zero(m_.minutes);
          const std::int64_t found = day * kMinutesPerDay + h * 60 + m;
          if (found >= lo) return found;
          return std::nullopt;
        }
      }
      --day;
      h0 = 23;
      m0 = 59;
    }
    return std::nullopt;
  }

  const Matcher& m_;
  const tz::Zone& zone_;
  Period& period_;
  Day& day_;
};

}  // namespace

std::optional<Instant> next_fire(const CronExpression& expr, Instant after,
                                 const tz::Zone& zone) {
  const Matcher matcher = make_matcher(expr);
  Period period;
  Day day;
  Search search(matcher, zone, period, day);
  auto t = search.next(after.time_since_epoch().count());
  if (!t) return std::nullopt;
  return Instant{std::chrono::seconds{*t}};
}

std::optional<Instant> previous_fire(const CronExpression& expr, Instant before,
                                     const tz::Zone& zone) {
  const Matcher matcher = make_matcher(expr);
  Period period;
  Day day;
  Search search(matcher, zone, period, day);
  auto t = search.previous(before.time_since_epoch().count());
  if (!t) return std::nullopt;
  return Instant{std::chrono::seconds{*t}};
}

FireTimes::FireTimes(const CronExpression& expr, const tz::Zone& zone,
                     Instant after)
    : matcher_(make_matcher(expr)), zone_(&zone), cursor_(after) {}

std::optional<Instant> FireTimes::next() {
  if (done_) return std::nullopt;
  const std::int64_t now = cursor_.time_since_epoch().count();
  // The fast path: the next minute bit in the same local hour, as long as it
  // is still in the same offset period. The day and hour matched for the
  // current instant, so they match for this one; every DST rule lives at
  // period edges, which the slow path handles.
  if (minute_ >= 0 && minute_ < 59) {
    const std::uint64_t rest = matcher_.minutes & (~std::uint64_t{0} << (minute_ + 1));
    if (rest != 0) {
      const int minute = std::countr_zero(rest);
      const std::int64_t t = now + (minute - minute_) * 60;
      if (t < period_.end) {
        minute_ = minute;
        cursor_ = Instant{std::chrono::seconds{t}};
        return cursor_;
      }
    }
  }
  Search search(matcher_, *zone_, period_, day_);
  auto t = search.next(now);
  if (!t) {
    done_ = true;
    return std::nullopt;
  }
  cursor_ = Instant{std::chrono::seconds{*t}};
  // Whether the instant is an ordinary match at its own local minute; a
  // catch-up run after a gap may fall on a minute the expression does not
  // name.
  const std::int64_t local = *t + period_.offset;
  minute_ = -1;
  if (local % 60 == 0) {
    const std::int64_t local_minute = floor_div(local, 60);
    const std::int64_t day = floor_div(local_minute, kMinutesPerDay);
    const auto of_day = local_minute - day * kMinutesPerDay;
    const int hour = static_cast<int>(of_day / 60);
    const int minute = static_cast<int>(of_day % 60);
    if (day_.number == day && day_.matches && ((matcher_.hours >> hour) & 1U) &&
        ((matcher_.minutes >> minute) & 1U))
      minute_ = minute;
  }
  return cursor_;
}

}  // namespace omnicron::cron
