#include "tasksched/triggers.h"

#include <array>

#include <fmt/format.h>

namespace omnicron::tasksched {

namespace {

constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 13> kMonths = {"",    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string weekday_list(std::uint8_t mask) {
  std::string out;
  for (int w = 0; w < 7; ++w) {
    if (((static_cast<unsigned>(mask) >> w) & 1U) == 0) continue;
    if (!out.empty()) out += ',';
    out += kWeekdays[static_cast<std::size_t>(w)];
  }
  return out;
}

std::string month_list(std::uint16_t mask) {
  if ((mask & 0x1FFEU) == 0x1FFEU) return "every month";
  std::string out;
  for (int m = 1; m <= 12; ++m) {
    if (((static_cast<unsigned>(mask) >> m) & 1U) == 0) continue;
    if (!out.empty()) out += ',';
    out += kMonths[static_cast<std::size_t>(m)];
  }
  return out;
}

std::string number_list(std::uint32_t mask, int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i) {
    if (((static_cast<unsigned>(mask) >> i) & 1U) == 0) continue;
    if (!out.empty()) out += ',';
    out += std::to_string(i);
  }
  return out;
}

std::string describe_schedule(const CalendarSchedule& schedule) {
  struct Visitor {
    std::string operator()(const ScheduleByDay& s) const {
      return s.days_interval == 1 ? "daily" : fmt::format("every {} days", s.days_interval);
    }
    std::string operator()(const ScheduleByWeek& s) const {
      const std::string every =
          s.weeks_interval == 1 ? "weekly" : fmt::format("every {} weeks", s.weeks_interval);
      return fmt::format("{} on {}", every, weekday_list(s.days_of_week));
    }
    std::string operator()(const ScheduleByMonth& s) const {
      std::string days = number_list(s.days_of_month, 1, 31);
      if (s.last_day) days += days.empty() ? "Last" : ",Last";
      return fmt::format("monthly on days {} of {}", days, month_list(s.months));
    }
    std::string operator()(const ScheduleByMonthDayOfWeek& s) const {
      std::string weeks = number_list(s.weeks, 1, 4);
      if (s.last_week) weeks += weeks.empty() ? "Last" : ",Last";
      return fmt::format("monthly on {} of weeks {} of {}", weekday_list(s.days_of_week), weeks,
                         month_list(s.months));
    }
  };
  return std::visit(Visitor{}, schedule);
}

std::string describe_repetition(const std::optional<Repetition>& r) {
  if (!r) return "";
  if (!r->duration) return fmt::format(", every {} forever", to_iso_duration(r->interval));
  return fmt::format(", every {} for {}", to_iso_duration(r->interval),
                     to_iso_duration(*r->duration));
}

}  // namespace

std::string to_string(const LocalDateTime& t) {
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", t.year, t.month, t.day, t.hour,
                     t.minute, t.second);
}

std::string to_iso_duration(std::chrono::seconds d) {
  long long s = d.count();
  if (s == 0) return "PT0S";
  std::string out = s < 0 ? "-P" : "P";
  if (s < 0) s = -s;
  const long long days = s / 86400;
  const long long hours = s % 86400 / 3600;
  const long long minutes = s % 3600 / 60;
  const long long seconds = s % 60;
  if (days != 0) out += fmt::format("{}D", days);
  if (hours == 0 && minutes == 0 && seconds == 0) return out;
  out += 'T';
  if (hours != 0) out += fmt::format("{}H", hours);
  if (minutes != 0) out += fmt::format("{}M", minutes);
  if (seconds != 0) out += fmt::format("{}S", seconds);
  return out;
}

std::string describe(const Trigger& trigger) {
  struct Visitor {
    std::string operator()(const CalendarTrigger& t) const {
      return fmt::format("{} from {}{}", describe_schedule(t.schedule), to_string(t.start),
                         describe_repetition(t.repetition));
    }
    std::string operator()(const TimeTrigger& t) const {
      return fmt::format("once at {}{}", to_string(t.start), describe_repetition(t.repetition));
    }
    std::string operator()(const BootTrigger&) const { return "at boot"; }
    std::string operator()(const LogonTrigger&) const { return "at logon"; }
  };
  return std::visit(Visitor{}, trigger);
}

}  // namespace omnicron::tasksched
