#include "schedule.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "error.h"

namespace omnicron {

namespace {

constexpr const char* kEveryAllowed =
    "use one of 1m, 2m, 3m, 4m, 5m, 6m, 10m, 12m, 15m, 20m, 30m or a whole "
    "number of hours dividing 24 (1h, 2h, 3h, 4h, 6h, 8h, 12h, 24h)";

// The interval as the user most likely wrote it, in its largest exact unit.
std::string spell_interval(std::chrono::seconds every) {
  const long long s = every.count();
  if (s != 0 && s % 86400 == 0) return fmt::format("{}d", s / 86400);
  if (s != 0 && s % 3600 == 0) return fmt::format("{}h", s / 3600);
  if (s != 0 && s % 60 == 0) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

std::string join(const std::set<int>& values) {
  std::string out;
  for (int v : values) {
    if (!out.empty()) out += ',';
    out += std::to_string(v);
  }
  return out;
}

std::vector<cron::CronExpression> compile_every(std::chrono::seconds every) {
  const long long s = every.count();
  const std::string spelled = spell_interval(every);
  if (s <= 0) {
    throw Error(ErrorKind::validation,
                fmt::format("every {} is not a positive interval; {}", spelled, kEveryAllowed));
  }
  if (s % 60 != 0) {
    throw Error(ErrorKind::validation,
                fmt::format("every {} is not a whole number of minutes, cron's smallest "
                            "unit; {}",
                            spelled, kEveryAllowed));
  }
  const long long minutes = s / 60;
  if (minutes < 60) {
    if (60 % minutes != 0) {
      throw Error(ErrorKind::validation,
                  fmt::format("every {} does not divide the hour evenly; {}", spelled,
                              kEveryAllowed));
    }
    if (minutes == 1) return {cron::CronExpression::parse("* * * * *")};
    return {cron::CronExpression::parse(fmt::format("*/{} * * * *", minutes))};
  }
  if (minutes > 24 * 60) {
    throw Error(ErrorKind::validation,
                fmt::format("every {} is longer than a day, which cron cannot repeat "
                            "evenly (months and years have uneven lengths); use 'at' with "
                            "'days', or {}",
                            spelled, kEveryAllowed));
  }
  if (minutes % 60 != 0 || 24 % (minutes / 60) != 0) {
    throw Error(ErrorKind::validation,
                fmt::format("every {} does not divide the day evenly; {}", spelled,
                            kEveryAllowed));
  }
  const long long hours = minutes / 60;
  if (hours == 1) return {cron::CronExpression::parse("0 * * * *")};
  if (hours == 24) return {cron::CronExpression::parse("0 0 * * *")};
  return {cron::CronExpression::parse(fmt::format("0 */{} * * *", hours))};
}

std::vector<cron::CronExpression> compile_at(const ScheduleItem& item) {
  if (item.at.empty()) {
    throw Error(ErrorKind::validation, "at: no time of day given; write at: \"06:00\"");
  }
  std::set<int> days;
  for (int d : item.days) {
    if (d < 0 || d > 7) {
      throw Error(ErrorKind::validation,
                  fmt::format("days: {} is not a day of the week; allowed: sun, mon, tue, "
                              "wed, thu, fri, sat",
                              d));
    }
    days.insert(d % 7);
  }
  // All seven days is every day: '*' says so plainly.
  const std::string dow = days.empty() || days.size() == 7 ? "*" : join(days);

  // Times sharing a minute become one expression (the hour field lists
  // their hours); times with different minutes cannot share one, because
  // cron takes every combination of the minute and hour fields.
  std::map<int, std::set<int>> hours_by_minute;
  for (const TimeOfDay& t : item.at) {
    if (t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59) {
      throw Error(ErrorKind::validation,
                  fmt::format("at: '{:02}:{:02}' is not a time of day; allowed: "
                              "00:00-23:59",
                              t.hour, t.minute));
    }
    hours_by_minute[t.minute].insert(t.hour);
  }
  std::vector<cron::CronExpression> out;
  for (const auto& [minute, hours] : hours_by_minute) {
    out.push_back(cron::CronExpression::parse(
        fmt::format("{} {} * * {}", minute, join(hours), dow)));
  }
  return out;
}

}  // namespace

std::vector<cron::CronExpression> to_cron(const ScheduleItem& item) {
  switch (item.kind) {
    case ScheduleItem::Kind::cron:
      return {cron::CronExpression::parse(item.cron)};
    case ScheduleItem::Kind::every:
      return compile_every(item.every);
    case ScheduleItem::Kind::at:
      return compile_at(item);
    case ScheduleItem::Kind::boot:
      return {cron::CronExpression::parse("@reboot")};
    case ScheduleItem::Kind::logon:
      throw Error(ErrorKind::validation,
                  "on: logon has no cron equivalent; it runs at user logon on Windows "
                  "only (limit the job with platforms: [windows], or use on: boot)");
  }
  throw Error(ErrorKind::internal, "unknown schedule kind");
}

}  // namespace omnicron
