#include "cron/describe.h"

#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace omnicron::cron {

namespace {

constexpr const char* kWeekdays[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                      "Thursday", "Friday", "Saturday"};
constexpr const char* kMonths[13] = {
    "",     "January", "February", "March",     "April",   "May",     "June",
    "July", "August",  "September", "October", "November", "December"};

// Joins text pieces. (GCC 12 warns falsely, -Wrestrict, about
// `"literal" + std::string` once inlined, so the code avoids that form.)
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

std::vector<int> values_of(std::uint64_t bits, int lo, int hi) {
  std::vector<int> out;
  for (int v = lo; v <= hi; ++v)
    if ((bits >> v) & 1U) out.push_back(v);
  return out;
}

std::string join(const std::vector<std::string>& parts, const char* conj = "and") {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += (i + 1 == parts.size()) ? fmt::format(" {} ", conj) : ", ";
    out += parts[i];
  }
  return out;
}

std::string ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    if (n % 10 == 1) suffix = "st";
    if (n % 10 == 2) suffix = "nd";
    if (n % 10 == 3) suffix = "rd";
  }
  return fmt::format("{}{}", n, suffix);
}

std::string hhmm(int h, int m) { return fmt::format("{:02}:{:02}", h, m); }

// Maximal runs of consecutive values.
std::vector<std::pair<int, int>> runs_of(const std::vector<int>& values) {
  std::vector<std::pair<int, int>> runs;
  for (int v : values) {
    if (!runs.empty() && runs.back().second + 1 == v) {
      runs.back().second = v;
    } else {
      runs.emplace_back(v, v);
    }
  }
  return runs;
}

// The step n when the values are exactly what '*/n' (or 'o-max/n' with
// o < n) gives over lo..hi; 0 otherwise.
int star_step(const std::vector<int>& values, int lo, int hi) {
  if (values.size() < 2) return 0;
  const int n = values[1] - values[0];
  if (n < 2 || values[0] - lo >= n) return 0;
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i] - values[i - 1] != n) return 0;
  return values.back() + n > hi ? n : 0;
}

// "1, 3 and 5" with runs of three or more as "9 through 17".
std::string list_with_runs(const std::vector<int>& values, const char* conj = "and") {
  std::vector<std::string> parts;
  for (auto [a, b] : runs_of(values)) {
    if (b - a >= 2) {
      parts.push_back(fmt::format("{} through {}", a, b));
    } else {
      for (int v = a; v <= b; ++v) parts.push_back(std::to_string(v));
    }
  }
  return join(parts, conj);
}

// Which hours a repeating minute pattern covers, as a suffix.
std::string hour_window(const std::vector<int>& hours, int first_minute, int last_minute) {
  if (hours.size() == 24) return "";
  const auto runs = runs_of(hours);
  if (runs.size() <= 3) {
    std::vector<std::string> parts;
    for (auto [a, b] : runs)
      parts.push_back(fmt::format("from {} through {}", hhmm(a, first_minute),
                                  hhmm(b, last_minute)));
    return cat(" ", join(parts));
  }
  if (const int n = star_step(hours, 0, 23); n != 0) {
    return hours[0] == 0 ? fmt::format(" during every {} hour", ordinal(n))
                         : fmt::format(" during every {} hour from {}", ordinal(n),
                                       hhmm(hours[0], 0));
  }
  return cat(" during hours ", list_with_runs(hours));
}

struct TimePhrase {
  std::string text;
  bool at_times = false;  // "at 08:00": reads better followed by "every day".
};

TimePhrase time_phrase(const CronExpression& expr) {
  const auto minutes = values_of(expr.minutes(), 0, 59);
  const auto hours = values_of(expr.hours(), 0, 23);
  if (minutes.size() < 60 && minutes.size() * hours.size() <= 6) {
    std::vector<std::string> times;
    for (int h : hours)
      for (int m : minutes) times.push_back(hhmm(h, m));
    return {cat("at ", join(times)), true};
  }
  if (minutes.size() == 60) return {cat("every minute", hour_window(hours, 0, 59))};
  if (const int n = star_step(minutes, 0, 59); n != 0) {
    std::string text = fmt::format("every {} minutes", n);
    if (minutes[0] != 0) text += fmt::format(" starting at minute {}", minutes[0]);
    return {text + hour_window(hours, minutes.front(), minutes.back())};
  }
  std::string text =
      minutes.size() == 1
          ? fmt::format("at minute {}", minutes[0])
          : fmt::format("at minutes {}", list_with_runs(minutes));
  if (const int n = star_step(hours, 0, 23); n != 0 && hours[0] == 0 && hours.size() > 3) {
    return {text + fmt::format(" past every {} hour", ordinal(n))};
  }
  return {cat(text, " past every hour", hour_window(hours, minutes.front(), minutes.back()))};
}

std::string day_of_month_phrase(const std::vector<int>& days) {
  if (days.size() == 1) return fmt::format("day {}", days[0]);
  if (const int n = star_step(days, 1, 31); n != 0 && days[0] == 1) {
    return fmt::format("every {} day", ordinal(n));
  }
  return cat("days ", list_with_runs(days));
}

std::string month_list(const std::vector<int>& months) {
  std::vector<std::string> names;
  for (auto [a, b] : runs_of(months)) {
    if (b - a >= 2) {
      names.push_back(fmt::format("{} through {}", kMonths[a], kMonths[b]));
    } else {
      for (int m = a; m <= b; ++m) names.emplace_back(kMonths[m]);
    }
  }
  return join(names);
}

std::string weekday_list(const std::vector<int>& days, const char* conj) {
  std::vector<std::string> names;
  for (auto [a, b] : runs_of(days)) {
    if (b - a >= 2) {
      names.push_back(fmt::format("{} through {}", kWeekdays[a], kWeekdays[b]));
    } else {
      for (int d = a; d <= b; ++d) names.emplace_back(kWeekdays[d]);
    }
  }
  return join(names, conj);
}

}  // namespace

std::string describe(const CronExpression& expr) {
  if (expr.is_reboot()) return "at system start-up";
  TimePhrase time = time_phrase(expr);
  const auto days = values_of(expr.days_of_month(), 1, 31);
  const auto weekdays = values_of(expr.days_of_week(), 0, 6);
  const auto months = values_of(expr.months(), 1, 12);
  const bool all_days = days.size() == 31;
  const bool all_weekdays = weekdays.size() == 7;
  const bool all_months = months.size() == 12;
  const std::string of_months = all_months ? std::string(" of the month") : cat(" of ", month_list(months));
  const std::string in_months = all_months ? std::string() : cat(" in ", month_list(months));
  const auto weekday_part = [&]() {
    const auto runs = runs_of(weekdays);
    if (runs.size() == 1 && runs[0].second - runs[0].first >= 2) {
      return cat(", ", weekday_list(weekdays, "and"));
    }
    return cat(" on ", weekday_list(weekdays, "and"));
  };

  // Debian cron's day rule: a day field whose text starts with '*' makes
  // both fields count (AND); otherwise either may match (OR), and then a
  // full field of either kind matches every day.
  const bool both_must_match = expr.day_of_month_star() || expr.day_of_week_star();
  const std::string_view every_day = time.at_times ? " every day" : "";
  std::string out = time.text;
  if (both_must_match) {
    if (all_days && all_weekdays) {
      out += cat(every_day, in_months);
    } else if (all_weekdays) {
      out += cat(" on ", day_of_month_phrase(days), of_months);
    } else if (all_days) {
      out += weekday_part() + in_months;
    } else {
      out += cat(" on ", day_of_month_phrase(days), of_months, " if it is a ",
                 weekday_list(weekdays, "or"));
    }
  } else if (all_days || all_weekdays) {
    out += cat(every_day, in_months);
  } else if (all_months) {
    out += cat(" on ", day_of_month_phrase(days), " of the month or on ",
               weekday_list(weekdays, "or"));
  } else {
    out += cat(" on ", day_of_month_phrase(days), " or on ", weekday_list(weekdays, "or"),
               ", in ", month_list(months));
  }
  return out;
}

}  // namespace omnicron::cron
