#include "tasksched/decompile_task.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <date/date.h>
#include <fmt/format.h>

#include "cron/cron_expression.h"
#include "cron/fire_times.h"
#include "duration.h"
#include "error.h"
#include "tasksched/command_line.h"
#include "tasksched/runner_line.h"
#include "tasksched/trigger_simulator.h"

namespace omnicron::tasksched {

namespace {

using std::chrono::seconds;

// What compile_task writes for a `shell:` job (task_xml.cc): cmd.exe through
// %SystemRoot%, "/d /s /c" and the line in one pair of quotes.
constexpr std::string_view kCmdExe = R"(%SystemRoot%\System32\cmd.exe)";
constexpr std::string_view kShellPrefix = "/d /s /c \"";

constexpr int kMinutesPerDay = 1440;
constexpr std::uint16_t kAllMonths = 0x1FFE;
constexpr std::uint8_t kAllWeekdays = 0x7F;

constexpr std::array<const char*, 7> kWeekdayNames = {"sun", "mon", "tue", "wed",
                                                      "thu", "fri", "sat"};
constexpr std::array<const char*, 13> kMonthNames = {"",    "jan", "feb", "mar", "apr",
                                                      "may", "jun", "jul", "aug", "sep",
                                                      "oct", "nov", "dec"};

std::string at_line(const XmlPlace& place) { return fmt::format("line {}", place.line); }

// ---- Cron fields ------------------------------------------------------------

std::vector<int> bits_of(std::uint64_t mask, int lo, int hi) {
  std::vector<int> out;
  for (int i = lo; i <= hi; ++i)
    if ((mask >> i) & 1U) out.push_back(i);
  return out;
}

// A cron field for a set of values: '*' for all of them, else the shortest
// of a list of ranges, "*/S" and "A-B/S". Weekdays and months are written
// as names ("mon-fri", "jan,jul"), which read better than any step.
std::string field_text(const std::vector<int>& values, int lo, int hi,
                       const char* const* names = nullptr) {
  if (static_cast<int>(values.size()) == hi - lo + 1) return "*";
  auto name = [names](int v) { return names ? std::string(names[v]) : std::to_string(v); };
  std::string list;
  for (std::size_t i = 0; i < values.size();) {
    std::size_t j = i + 1;
    while (j < values.size() && values[j] == values[j - 1] + 1) ++j;
    if (!list.empty()) list += ',';
    if (j - i >= 3) {
      list += name(values[i]) + "-" + name(values[j - 1]);
    } else {
      list += name(values[i]);
      if (j - i == 2) list += "," + name(values[i + 1]);
    }
    i = j;
  }
  std::vector<std::string> candidates = {list};
  if (names == nullptr && values.size() >= 3) {
    const int step = values[1] - values[0];
    bool even = step > 1;
    for (std::size_t i = 2; even && i < values.size(); ++i) even = values[i] - values[i - 1] == step;
    if (even) {
      if (values.front() == lo && values.back() + step > hi)
        candidates.push_back(fmt::format("*/{}", step));
      else
        candidates.push_back(fmt::format("{}-{}/{}", values.front(), values.back(), step));
    }
  }
  return *std::min_element(candidates.begin(), candidates.end(),
                           [](const auto& a, const auto& b) { return a.size() < b.size(); });
}

// The day fields of a cron expression: day of month, month, day of week.
struct DayFields {
  std::string day_of_month = "*";
  std::string month = "*";
  std::string day_of_week = "*";
  bool every_day = true;  // the same times every day of the year
};

std::string weekday_words(std::uint8_t mask) {
  static constexpr std::array<const char*, 7> kFull = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};
  std::string out;
  for (int w : bits_of(mask, 0, 6)) out += (out.empty() ? "" : ", ") + std::string(kFull[static_cast<std::size_t>(w)]);
  return out;
}

// The reason a calendar schedule has no day fields, or nothing.
std::variant<DayFields, std::string> day_fields(const CalendarSchedule& schedule, const LocalDateTime& start) {
  struct Visitor {
    const LocalDateTime& start;
    std::variant<DayFields, std::string> operator()(const ScheduleByDay& s) const {
      if (s.days_interval != 1)
        return fmt::format("DaysInterval {} counts days from {:04}-{:02}-{:02} across months and "
                           "years, which cron's day fields cannot express",
                           s.days_interval, start.year, start.month, start.day);
      return DayFields{};
    }
    std::variant<DayFields, std::string> operator()(const ScheduleByWeek& s) const {
      if (s.weeks_interval != 1)
        return fmt::format("WeeksInterval {} counts weeks from {:04}-{:02}-{:02}, which cron's day "
                           "fields cannot express",
                           s.weeks_interval, start.year, start.month, start.day);
      DayFields f;
      f.day_of_week = field_text(bits_of(s.days_of_week, 0, 6), 0, 6, kWeekdayNames.data());
      f.every_day = s.days_of_week == kAllWeekdays;
      return f;
    }
    std::variant<DayFields, std::string> operator()(const ScheduleByMonth& s) const {
      std::uint32_t days = s.days_of_month;
      if (s.last_day) {
        // "Last" is expressible only where every selected month's last day
        // is listed anyway.
        for (int m : bits_of(s.months, 1, 12)) {
          const std::vector<int> last = m == 2 ? std::vector<int>{28, 29}
                                       : (m == 4 || m == 6 || m == 9 || m == 11) ? std::vector<int>{30}
                                                                                  : std::vector<int>{31};
          for (int d : last) {
            if (!((days >> d) & 1U))
              return std::string("Day 'Last' (each month's last day) has no cron form: Debian's "
                                 "cron has no 'L'");
          }
        }
      }
      DayFields f;
      f.day_of_month = field_text(bits_of(days, 1, 31), 1, 31);
      f.month = field_text(bits_of(s.months, 1, 12), 1, 12, kMonthNames.data());
      f.every_day = days == 0xFFFFFFFEU && s.months == kAllMonths;
      return f;
    }
    std::variant<DayFields, std::string> operator()(const ScheduleByMonthDayOfWeek& s) const {
      DayFields f;
      f.month = field_text(bits_of(s.months, 1, 12), 1, 12, kMonthNames.data());
      const bool all_weeks = s.weeks == 0x1E && s.last_week;
      if (all_weeks) {
        // Weeks 1-4 and Last hold every day of a month.
        f.day_of_week = field_text(bits_of(s.days_of_week, 0, 6), 0, 6, kWeekdayNames.data());
        f.every_day = s.days_of_week == kAllWeekdays && s.months == kAllMonths;
        return f;
      }
      std::string weeks;
      for (int w : bits_of(s.weeks, 1, 4)) weeks += (weeks.empty() ? "" : ", ") + std::to_string(w);
      if (s.last_week) weeks += weeks.empty() ? "Last" : ", Last";
      if (s.days_of_week != kAllWeekdays)
        return fmt::format("{} in week {} of the month must both match, and cron matches a day "
                           "when either its day-of-month or its day-of-week does",
                           weekday_words(s.days_of_week), weeks);
      // Every weekday of some weeks: days of the month. "Last" is the last
      // seven days, which are days 22-31 only together with week 4.
      std::uint32_t days = 0;
      for (int w : bits_of(s.weeks, 1, 4)) days |= 0x7FU << (7 * (w - 1) + 1);
      if (s.last_week) {
        if (!((s.weeks >> 4) & 1U))
          return std::string("Week 'Last' (each month's last seven days) has no cron form");
        for (int d = 29; d <= 31; ++d) days |= 1U << d;
      }
      f.day_of_month = field_text(bits_of(days, 1, 31), 1, 31);
      f.every_day = false;
      return f;
    }
  };
  return std::visit(Visitor{start}, schedule);
}

// The cron expressions for minutes of the day (0-1439) on the days `days`
// selects: hours with the same minutes share an expression.
std::vector<std::string> cron_texts(const std::set<int>& minutes_of_day, const DayFields& days) {
  std::map<int, std::vector<int>> by_hour;
  for (int t : minutes_of_day) by_hour[t / 60].push_back(t % 60);
  std::map<std::vector<int>, std::vector<int>> hours_by_minutes;
  for (const auto& [hour, minutes] : by_hour) hours_by_minutes[minutes].push_back(hour);
  // In order of the first hour of each group, as a person reads a day.
  std::vector<std::pair<std::vector<int>, std::vector<int>>> groups(hours_by_minutes.begin(),
                                                                    hours_by_minutes.end());
  std::sort(groups.begin(), groups.end(),
            [](const auto& a, const auto& b) { return a.second.front() < b.second.front(); });
  std::vector<std::string> out;
  for (const auto& [minutes, hours] : groups)
    out.push_back(fmt::format("{} {} {} {} {}", field_text(minutes, 0, 59), field_text(hours, 0, 23),
                              days.day_of_month, days.month, days.day_of_week));
  return out;
}

std::string clock(int minute_of_day) {
  return fmt::format("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60);
}

// The zone of a StartBoundary's offset: one without DST, as the offset
// means a fixed instant. Etc/GMT zones count the other way round (Etc/GMT+6
// is six hours behind UTC). Nothing when the offset is not whole hours.
std::optional<std::string> zone_for_offset(const std::string& offset) {
  if (offset == "Z" || offset == "+00:00" || offset == "-00:00") return "UTC";
  const int hours = std::stoi(offset.substr(1, 2));
  const int minutes = std::stoi(offset.substr(4, 2));
  if (minutes != 0) return std::nullopt;
  return fmt::format("Etc/GMT{}{}", offset[0] == '+' ? '-' : '+', hours);
}

// The trigger the simulator can model for one that repeats indefinitely
// from a daily start: the days' starts all lie on the grid the first start
// begins, so it is that grid.
Trigger as_modelled(const Trigger& trigger) {
  if (const auto* c = std::get_if<CalendarTrigger>(&trigger)) {
    if (c->repetition && !c->repetition->duration) return TimeTrigger{c->start, c->repetition};
    if (c->repetition && c->repetition->duration && *c->repetition->duration < c->repetition->interval)
      return CalendarTrigger{c->start, c->schedule, std::nullopt};
  }
  return trigger;
}

// Minutes of the day of a grid that repeats forever from `start_minute`
// every `interval`, when the interval divides the day.
std::variant<std::set<int>, std::string> endless_grid(int start_minute, seconds interval) {
  const long long step = interval.count() / 60;
  if (interval.count() % 60 != 0 || kMinutesPerDay % step != 0)
    return fmt::format("it repeats every {} forever, which does not divide the day evenly, so its "
                       "times of day differ from day to day",
                       to_iso_duration(interval));
  std::set<int> out;
  for (long long t = start_minute % step; t < kMinutesPerDay; t += step) out.insert(static_cast<int>(t));
  return out;
}

}  // namespace

std::vector<std::string> split_windows_arguments(std::string_view line) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size();) {
    const char c = line[i];
    if (c == '\\') {
      std::size_t n = 0;
      while (i + n < line.size() && line[i + n] == '\\') ++n;
      if (i + n < line.size() && line[i + n] == '"') {
        word.append(n / 2, '\\');
        if (n % 2 == 1) {
          word += '"';
          i += n + 1;
        } else {
          i += n;  // the quote is read next, as a quote
        }
      } else {
        word.append(n, '\\');
        i += n;
      }
      in_word = true;
    } else if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        word += '"';
        i += 2;
      } else {
        quoted = !quoted;
        ++i;
      }
      in_word = true;
    } else if ((c == ' ' || c == '\t') && !quoted) {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  if (in_word) out.push_back(std::move(word));
  return out;
}

std::string job_name_for(const ReadTask& task, std::string_view file_stem) {
  auto reduce = [](std::string_view text) {
    std::string out;
    for (char c : text) {
      const char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      const bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '.' || l == '_' || l == '-';
      if (ok) out += l;
      else if (!out.empty() && out.back() != '-') out += '-';
    }
    while (!out.empty() && !((out[0] >= 'a' && out[0] <= 'z') || (out[0] >= '0' && out[0] <= '9')))
      out.erase(0, 1);
    while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
    return out;
  };
  const std::string& uri = task.definition.registration.uri;
  const auto slash = uri.find_last_of('\\');
  std::string last = uri.substr(slash == std::string::npos ? 0 : slash + 1);
  // Windows names a per-user copy of a task "NAME-S-1-5-21-…" after its
  // user's SID, which says nothing in a manifest.
  if (const auto sid = last.find("-S-1-5-"); sid != std::string::npos && sid > 0) last.resize(sid);
  std::string name = reduce(last);
  if (name.empty()) name = reduce(file_stem);
  return name.empty() ? "task" : name;
}

std::variant<TriggerSchedule, std::string> decompile_trigger(const ReadTrigger& read) {
  if (!read.trigger) return read.problem;
  TriggerSchedule out;
  if (std::holds_alternative<BootTrigger>(*read.trigger)) {
    ScheduleItem item;
    item.kind = ScheduleItem::Kind::boot;
    out.items.push_back(item);
    return out;
  }
  if (std::holds_alternative<LogonTrigger>(*read.trigger)) {
    ScheduleItem item;
    item.kind = ScheduleItem::Kind::logon;
    out.items.push_back(item);
    return out;
  }
  const Trigger modelled = as_modelled(*read.trigger);
  const LocalDateTime start = std::holds_alternative<CalendarTrigger>(modelled)
                                  ? std::get<CalendarTrigger>(modelled).start
                                  : std::get<TimeTrigger>(modelled).start;
  if (start.second != 0 || read.start_fraction)
    return fmt::format("it starts at {}, not on a whole minute, and cron starts jobs on whole minutes",
                       to_string(start));
  if (read.start_offset) {
    out.timezone = zone_for_offset(*read.start_offset);
    if (!out.timezone)
      return fmt::format("its StartBoundary's offset {} is not a whole number of hours, so no "
                         "zone without DST (Etc/GMT±N) has it",
                         *read.start_offset);
  }
  const int start_minute = start.hour * 60 + start.minute;

  std::set<int> minutes;
  DayFields days;
  if (const auto* t = std::get_if<TimeTrigger>(&modelled)) {
    const bool from_calendar = std::holds_alternative<CalendarTrigger>(*read.trigger);
    if (from_calendar) {
      // Only every day: a weekly or monthly start repeating forever would
      // run on the other days too, which the schedule then does not say.
      const auto& schedule = std::get<CalendarTrigger>(*read.trigger).schedule;
      const auto* by_day = std::get_if<ScheduleByDay>(&schedule);
      if (by_day == nullptr || by_day->days_interval != 1)
        return "it repeats forever from its first start, so it also runs on the days its schedule "
               "leaves out; only a daily trigger repeating forever has a cron form";
    }
    if (!t->repetition)
      return fmt::format("it runs once, at {}, and a schedule repeats", to_string(t->start));
    if (t->repetition->duration)
      return fmt::format("it runs every {} for {} once, from {}, and a schedule repeats",
                         to_iso_duration(t->repetition->interval),
                         to_iso_duration(*t->repetition->duration), to_string(t->start));
    if (t->repetition->interval > std::chrono::days{1})
      return fmt::format("it repeats every {}, longer than a day, counted from {}; cron's fields "
                         "cannot count days across months",
                         to_iso_duration(t->repetition->interval), to_string(t->start));
    auto grid = endless_grid(start_minute, t->repetition->interval);
    if (grid.index() == 1) return std::get<1>(grid);
    minutes = std::get<0>(grid);
  } else {
    const auto& c = std::get<CalendarTrigger>(modelled);
    auto fields = day_fields(c.schedule, c.start);
    if (fields.index() == 1) return std::get<1>(fields);
    days = std::get<0>(fields);
    minutes.insert(start_minute);
    if (c.repetition) {
      const seconds interval = c.repetition->interval;
      const seconds duration = *c.repetition->duration;
      if (interval.count() % 60 != 0)
        return fmt::format("it repeats every {}, not a whole number of minutes",
                           to_iso_duration(interval));
      const long long step = interval.count() / 60;
      std::set<int> at_end;
      for (long long k = 1; k * interval <= duration; ++k) {
        const long long when = start_minute + k * step;
        if (when >= kMinutesPerDay && !days.every_day)
          return fmt::format("its repetition (every {} for {}) runs past midnight into days its "
                             "schedule leaves out",
                             to_iso_duration(interval), to_iso_duration(duration));
        const int of_day = static_cast<int>(when % kMinutesPerDay);
        if (k * interval == duration) {
          if (!minutes.count(of_day)) at_end.insert(of_day);
        } else {
          minutes.insert(of_day);
        }
      }
      for (int end : at_end) {
        minutes.insert(end);
        out.changed.push_back(fmt::format(
            "the run at {}, at the very end of the repetition's Duration {}, is kept as Task "
            "Scheduler's documentation says; some Windows versions (Server 2012 R2, 2016) skip it",
            clock(end), to_iso_duration(duration)));
      }
    }
  }
  for (const std::string& text : cron_texts(minutes, days)) {
    ScheduleItem item;
    item.cron = text;
    out.items.push_back(std::move(item));
  }
  // The decompiler checks itself over a year from the trigger's start: a
  // trigger it cannot prove is refused, never approximated.
  const date::local_seconds local_start =
      date::local_days{date::year{start.year} / date::month{static_cast<unsigned>(start.month)} /
                       date::day{static_cast<unsigned>(start.day)}} +
      std::chrono::minutes{start_minute};
  const std::chrono::sys_seconds from{local_start.time_since_epoch() + std::chrono::days{1}};
  if (const std::string mismatch = schedule_mismatch(*read.trigger, out, from, from + std::chrono::days{366});
      !mismatch.empty())
    return "no cron schedule fires exactly when it starts (" + mismatch + ")";
  return out;
}

std::string schedule_mismatch(const Trigger& trigger, const TriggerSchedule& schedule,
                              std::chrono::sys_seconds from, std::chrono::sys_seconds to) {
  const tz::Zone& utc = tz::Zone::utc();
  std::vector<Instant> starts;
  const Trigger modelled = as_modelled(trigger);
  SimulatedStarts sim;
  try {
    sim = simulate_triggers({modelled}, utc, from, to);
  } catch (const Error& e) {
    return e.message();
  }
  starts = sim.starts;
  for (const UnspecifiedStart& u : sim.unspecified) {
    if (u.reason != UnspecifiedStart::Reason::at_duration_end) return "a start is unspecified";
    // The documented run at start + Duration: `local` is the pattern's start.
    const auto& c = std::get<CalendarTrigger>(modelled);
    const date::local_seconds local =
        date::local_days{date::year{u.local.year} / date::month{static_cast<unsigned>(u.local.month)} /
                         date::day{static_cast<unsigned>(u.local.day)}} +
        std::chrono::hours{u.local.hour} + std::chrono::minutes{u.local.minute};
    const Instant at{local.time_since_epoch() + *c.repetition->duration};
    if (at >= from && at < to) starts.push_back(at);
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());

  std::vector<Instant> fires;
  for (const ScheduleItem& item : schedule.items) {
    if (item.kind != ScheduleItem::Kind::cron) continue;
    auto parsed = cron::CronExpression::try_parse(item.cron);
    const auto* expr = std::get_if<cron::CronExpression>(&parsed);
    if (expr == nullptr) return fmt::format("'{}' is not a cron expression", item.cron);
    cron::FireTimes times(*expr, utc, from - seconds{1});
    while (auto t = times.next()) {
      if (*t >= to) break;
      fires.push_back(*t);
    }
  }
  std::sort(fires.begin(), fires.end());
  fires.erase(std::unique(fires.begin(), fires.end()), fires.end());
  if (fires == starts) return {};
  const auto [f, s] = std::mismatch(fires.begin(), fires.end(), starts.begin(), starts.end());
  auto show = [](Instant t) { return date::format("%F %R", t); };
  if (s == starts.end() || (f != fires.end() && *f < *s))
    return fmt::format("cron fires at {} UTC, the trigger does not start then", show(*f));
  return fmt::format("the trigger starts at {} UTC, cron does not fire then", show(*s));
}

// ---- The whole task -------------------------------------------------------------

namespace {

bool is_windows_absolute(std::string_view p) {
  if (p.size() >= 3 && ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) &&
      p[1] == ':' && (p[2] == '\\' || p[2] == '/'))
    return true;
  return p.size() >= 4 && p[0] == '\\' && p[1] == '\\' && p[2] != '\\' &&
         p.find('\\', 2) != std::string_view::npos;
}

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// The program's file name, lower-case: "omnicron.exe".
std::string program_file(std::string_view program) {
  const auto slash = program.find_last_of("\\/");
  return lower(std::string(slash == std::string_view::npos ? program : program.substr(slash + 1)));
}

bool is_service_sid(std::string_view user) {
  return user == "S-1-5-18" || user == "S-1-5-19" || user == "S-1-5-20";
}

bool is_system(std::string_view user) {
  const std::string l = lower(std::string(user));
  return user == "S-1-5-18" || l == "system" || l == "nt authority\\system";
}

class Decompiler {
 public:
  Decompiler(const ReadTask& task, const DecompileOptions& options, DecompiledTask& out)
      : task_(task), options_(options), out_(out), def_(task.definition) {}

  void run() {
    out_.omnicron_task = def_.registration.source == "omnicron";
    comments();
    Job job;
    JobSettings& s = job.settings;
    const bool have_command = command(s);
    const bool have_schedule = schedule(s);
    if (!have_command || !have_schedule) {
      // Nothing was carried over, so nothing was carried over differently.
      out_.changed.clear();
      if (!have_schedule)
        out_.not_imported.push_back(
            "the task has no trigger a manifest schedule can express, so no job was made");
      return;
    }
    settings(s);
    principal(s);
    registration(s);
    elements();
    job.platforms = {Platform::windows};
    out_.job = std::move(job);
  }

 private:
  void not_imported(std::string text) { out_.not_imported.push_back(std::move(text)); }
  void changed(std::string text) { out_.changed.push_back(std::move(text)); }

  void comments() {
    const RegistrationInfo& r = def_.registration;
    std::string from = fmt::format("From {}", task_.file);
    if (!r.uri.empty()) from += fmt::format(", task {}", r.uri);
    out_.comments.push_back(from + ".");
    if (!r.author.empty() && !out_.omnicron_task) out_.comments.push_back("Author: " + r.author);
    for (const ReadElement& e : task_.registration_others) {
      if (e.name == "Date" || e.name == "Documentation")
        out_.comments.push_back(fmt::format("{}: {}", e.name, e.text));
    }
  }

  // ---- The action --------------------------------------------------------

  bool command(JobSettings& s) {
    if (task_.actions.empty()) {
      not_imported("the task has no action, so there is nothing for a job to run");
      return false;
    }
    if (task_.actions.size() > 1) {
      std::string which;
      for (const ReadAction& a : task_.actions)
        which += fmt::format("{}{} at line {}", which.empty() ? "" : ", ", a.kind, a.place.line);
      not_imported(fmt::format("the task runs {} actions one after another ({}); a job runs one "
                               "command, so no job was made",
                               task_.actions.size(), which));
      return false;
    }
    const ReadAction& action = task_.actions.front();
    if (!action.exec) {
      not_imported(fmt::format("{}: the action is a {}{}, not a program; a job runs a program, so "
                               "no job was made",
                               at_line(action.place), action.kind,
                               action.detail.empty() ? "" : " (" + action.detail + ")"));
      return false;
    }
    const ExecAction& exec = *action.exec;
    std::string program = exec.command;
    // Windows accepts the program in quotes, as people write it in the UI.
    if (program.size() >= 2 && program.front() == '"' && program.back() == '"')
      program = program.substr(1, program.size() - 2);
    if (program.empty()) {
      not_imported(fmt::format("{}: the Exec action has no Command, so no job was made",
                               at_line(action.place)));
      return false;
    }
    if (program.find('"') != std::string::npos) {
      not_imported(fmt::format("{}: the Command '{}' holds a '\"' inside, which a program path "
                               "cannot, so no job was made",
                               at_line(action.place), exec.command));
      return false;
    }
    const std::vector<std::string> words = split_windows_arguments(exec.arguments);
    // A sync writes an argv back quoted its own way: the same words for a
    // program that splits its command line by the C runtime's rules.
    auto requoted = [&] {
      if (windows_command_line(words) != exec.arguments)
        changed(fmt::format("{}: the Arguments are written again as '{}': a program that splits "
                            "its command line by the Microsoft C runtime's rules gets the same "
                            "arguments, one that reads it itself (cmd.exe) may not",
                            at_line(action.place), windows_command_line(words)));
    };

    // A manifest's commands are single lines (the loader refuses a line
    // break in any of them), and a quoted argument may hold one.
    for (const std::string& word : words) {
      if (word.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        not_imported(fmt::format("{}: an argument holds a line break, which a manifest's "
                                 "command cannot, so no job was made",
                                 at_line(action.place)));
        return false;
      }
    }
    Command cmd;
    if (program_file(program) == "omnicron.exe" || program_file(program) == "omnicron") {
      if (runner(program, words, s, cmd)) {
        requoted();
        s.command = cmd;
        working_dir(s, action);
        return true;
      }
    }
    if (program == kCmdExe && exec.arguments.starts_with(kShellPrefix) &&
        exec.arguments.ends_with('"') && exec.arguments.size() > kShellPrefix.size()) {
      // compile_task's form for `shell:`: /s strips exactly the outer quotes.
      cmd.shell = exec.arguments.substr(kShellPrefix.size(),
                                        exec.arguments.size() - kShellPrefix.size() - 1);
    } else {
      requoted();
      cmd.argv.push_back(program);
      cmd.argv.insert(cmd.argv.end(), words.begin(), words.end());
    }
    s.command = cmd;
    working_dir(s, action);
    return true;
  }

  // omnicron's runner: its options back into the job's settings.
  bool runner(const std::string& program, const std::vector<std::string>& words, JobSettings& s,
              Command& cmd) {
    auto read = read_runner_arguments(words);
    if (const auto* why = std::get_if<std::string>(&read)) {
      // The line still runs as written: the job calls the runner itself.
      changed(fmt::format("the action runs omnicron's runner, but {}; the job runs that line as "
                          "its command",
                          *why));
      return false;
    }
    RunnerLine& line = std::get<RunnerLine>(read);
    runner_ = true;
    const std::string& uri = def_.registration.uri;
    if (out_.omnicron_task && uri.starts_with("\\omnicron\\")) {
      std::string id = uri.substr(std::string("\\omnicron\\").size());
      std::replace(id.begin(), id.end(), '\\', '/');
      if (id != line.job)
        changed(fmt::format("the runner is told it runs '{}', but the task is {}", line.job, uri));
    }
    const std::vector<std::string>& argv = line.argv;
    if (argv.size() == 5 && argv[0] == kCmdExe && argv[1] == "/d" && argv[2] == "/s" &&
        argv[3] == "/c")
      cmd.shell = argv[4];
    else
      cmd.argv = argv;
    s.env = line.settings.env;
    s.log = line.settings.log;
    s.retries = line.settings.retries;
    s.random_delay = line.settings.random_delay;
    if (line.settings.working_dir) s.working_dir = line.settings.working_dir;
    if (line.settings.overlap) runner_overlap_ = line.settings.overlap;
    runner_timeout_ = line.settings.timeout;
    if (line.conditions != Conditions{}) runner_conditions_ = line.conditions;
    if (program != R"(C:\Program Files\omnicron\omnicron.exe)")
      out_.comments.push_back(fmt::format("The task starts omnicron as {}.", program));
    return true;
  }

  void working_dir(JobSettings& s, const ReadAction& action) {
    const auto& dir = action.exec->working_directory;
    if (!dir) return;
    // "/srv/app" is a path from the root of the current drive on Windows,
    // and a manifest takes it.
    if (!is_windows_absolute(*dir) && !dir->starts_with('/')) {
      not_imported(fmt::format("{}: WorkingDirectory '{}' is not an absolute path (a drive or a "
                               "share), which a manifest requires; the job starts in the "
                               "directory Task Scheduler picks",
                               at_line(action.place), *dir));
      return;
    }
    s.working_dir = *dir;
  }

  // ---- The schedule ------------------------------------------------------

  bool schedule(JobSettings& s) {
    Schedule schedule;
    std::set<std::string> seen;
    std::optional<std::optional<std::string>> zone;  // set by the first trigger taken
    std::optional<seconds> random_delay;
    bool random_delay_differs = false;
    bool repeating = false;
    if (task_.triggers.empty())
      not_imported("the task has no triggers: it runs only when started by hand or by another "
                   "program");
    for (const ReadTrigger& t : task_.triggers) {
      const std::string head = fmt::format("{}: {}{}", at_line(t.place), t.kind,
                                           t.trigger ? " (" + describe(*t.trigger) + ")" : "");
      if (!t.trigger && t.problem.empty()) {
        not_imported(fmt::format("{}: {}", head, what_it_waits_for(t)));
        continue;
      }
      if (!t.enabled) {
        not_imported(fmt::format("{}: the trigger is disabled", head));
        continue;
      }
      auto result = decompile_trigger(t);
      if (const auto* why = std::get_if<std::string>(&result)) {
        not_imported(fmt::format("{}: {}", head, *why));
        continue;
      }
      TriggerSchedule& ts = std::get<TriggerSchedule>(result);
      const bool timed = std::holds_alternative<CalendarTrigger>(*t.trigger) ||
                         std::holds_alternative<TimeTrigger>(*t.trigger);
      if (timed) {
        if (!zone) {
          zone = ts.timezone;
        } else if (*zone != ts.timezone) {
          not_imported(fmt::format("{}: its StartBoundary is in {}, another trigger's in {}; a job "
                                   "has one time zone",
                                   head, ts.timezone.value_or("local time"),
                                   zone->value_or("local time")));
          continue;
        }
        if (const auto* c = std::get_if<CalendarTrigger>(&*t.trigger); c && c->repetition) repeating = true;
        if (const auto* tt = std::get_if<TimeTrigger>(&*t.trigger); tt && tt->repetition) repeating = true;
        const LocalDateTime start = std::holds_alternative<CalendarTrigger>(*t.trigger)
                                        ? std::get<CalendarTrigger>(*t.trigger).start
                                        : std::get<TimeTrigger>(*t.trigger).start;
        const auto start_day = date::sys_days{date::year{start.year} /
                                              date::month{static_cast<unsigned>(start.month)} /
                                              date::day{static_cast<unsigned>(start.day)}};
        if (start_day > options_.now)
          changed(fmt::format("{}: the trigger starts on {:04}-{:02}-{:02}, after today; the job "
                              "runs from the day it is synced",
                              head, start.year, start.month, start.day));
      }
      for (auto& c : ts.changed) changed(fmt::format("{}: {}", head, c));
      trigger_extras(t, head, random_delay, random_delay_differs);
      for (ScheduleItem& item : ts.items) {
        const std::string key = item.kind == ScheduleItem::Kind::cron ? item.cron
                                : item.kind == ScheduleItem::Kind::boot ? "@boot"
                                                                        : "@logon";
        if (seen.insert(key).second) schedule.items.push_back(std::move(item));
      }
    }
    if (schedule.items.empty()) return false;
    s.schedule = std::move(schedule);
    if (zone && *zone) s.timezone = **zone;
    if (random_delay && !random_delay_differs && random_delay->count() > 0) {
      s.random_delay = random_delay;
      if (repeating)
        changed("Task Scheduler delays each trigger's start by up to its RandomDelay (what it "
                "does to repetitions is not documented); the runner's random_delay delays every "
                "run");
    }
    return true;
  }

  static std::string what_it_waits_for(const ReadTrigger& t) {
    const std::string detail = t.detail.empty() ? "" : " (" + t.detail + ")";
    if (t.kind == "EventTrigger")
      return "it starts the task when an event is logged" + detail + "; a schedule cannot wait for events";
    if (t.kind == "IdleTrigger")
      return "it starts the task when the machine becomes idle; a schedule has no such time "
             "(conditions: { idle } only holds a scheduled run back)";
    if (t.kind == "RegistrationTrigger")
      return "it starts the task when the task is registered or updated; a schedule has no such time";
    if (t.kind == "SessionStateChangeTrigger")
      return "it starts the task when a session changes state" + detail +
             "; a schedule knows only boot and logon";
    if (t.kind == "WnfStateChangeTrigger")
      return "it starts the task on a Windows notification (WNF) state change; a schedule cannot "
             "wait for one";
    return "a trigger omnicron does not know" + detail;
  }

  void trigger_extras(const ReadTrigger& t, const std::string& head,
                      std::optional<seconds>& random_delay, bool& random_delay_differs) {
    const seconds delay = t.random_delay.value_or(seconds{0});
    const bool timed = std::holds_alternative<CalendarTrigger>(*t.trigger) ||
                       std::holds_alternative<TimeTrigger>(*t.trigger);
    if (timed) {
      if (!random_delay) random_delay = delay;
      else if (*random_delay != delay) random_delay_differs = true;
      if (random_delay_differs && delay.count() > 0)
        not_imported(fmt::format("{}: RandomDelay {}: the triggers delay their starts by "
                                 "different amounts, and a job has one random_delay",
                                 head, to_iso_duration(delay)));
    }
    if (t.delay && t.delay->count() > 0)
      not_imported(fmt::format("{}: Delay {}: the job starts at once at {}", head,
                               to_iso_duration(*t.delay),
                               std::holds_alternative<BootTrigger>(*t.trigger) ? "boot" : "logon"));
    if (t.end_boundary)
      not_imported(fmt::format("{}: EndBoundary {}: the task is no longer started after it; a "
                               "schedule has no end",
                               head, *t.end_boundary));
    if (t.execution_time_limit)
      not_imported(fmt::format("{}: ExecutionTimeLimit {} for the runs this trigger starts; a "
                               "job has one timeout",
                               head, to_iso_duration(*t.execution_time_limit)));
    if (t.stop_at_duration_end)
      not_imported(fmt::format("{}: StopAtDurationEnd: runs still going at the end of the "
                               "repetition are stopped; a job's runs are stopped only by its timeout",
                               head));
    if (std::holds_alternative<LogonTrigger>(*t.trigger)) logon_users_.push_back({t.user_id, head});
  }

  // ---- Settings -----------------------------------------------------------

  const ReadSetting* setting(std::string_view name) const {
    for (const auto& s : task_.settings)
      if (s.name == name) return &s;
    return nullptr;
  }

  // "line 12: " before a message about a setting, or nothing when the file
  // leaves the setting out (and Windows' default is meant).
  std::string setting_place(std::string_view name) const {
    const ReadSetting* s = setting(name);
    return s ? at_line(s->place) + ": " : std::string();
  }
  std::string default_note(std::string_view name) const {
    return setting(name) ? std::string() : " (left out of the file: Windows' default)";
  }

  void settings(JobSettings& s) {
    const TaskSettings& ts = def_.settings;
    Overlap overlap = Overlap::allow;
    switch (ts.multiple_instances) {
      case InstancesPolicy::parallel: overlap = Overlap::allow; break;
      case InstancesPolicy::ignore_new: overlap = Overlap::skip; break;
      case InstancesPolicy::queue: overlap = Overlap::queue; break;
      case InstancesPolicy::stop_existing: overlap = Overlap::replace; break;
    }
    if (runner_overlap_ && *runner_overlap_ != overlap)
      not_imported(fmt::format("the runner's --overlap {} differs from Task Scheduler's "
                               "MultipleInstancesPolicy {}; the job keeps Task Scheduler's",
                               to_string(*runner_overlap_), to_string(ts.multiple_instances)));
    if (overlap != Overlap::allow) s.overlap = overlap;
    if (!ts.enabled) s.enabled = false;
    if (ts.start_when_available) s.missed = Missed::run;

    Conditions c = runner_conditions_.value_or(Conditions{});
    if (ts.disallow_start_if_on_batteries && ts.stop_if_going_on_batteries) {
      c.ac_power = true;
    } else if (ts.disallow_start_if_on_batteries || ts.stop_if_going_on_batteries) {
      const char* which = ts.disallow_start_if_on_batteries ? "DisallowStartIfOnBatteries"
                                                            : "StopIfGoingOnBatteries";
      not_imported(fmt::format("{}{} alone{}: a job's ac_power condition both keeps it from "
                               "starting on battery and stops it when the machine goes on battery",
                               setting_place(which), which, default_note(which)));
    }
    if (ts.run_only_if_network_available) c.network = true;
    if (ts.idle) {
      c.idle = ts.idle->duration;
      if (ts.idle->wait_timeout != std::chrono::hours(1))
        not_imported(fmt::format("{}IdleSettings WaitTimeout {}: a job waits an hour for the idle "
                                 "condition",
                                 setting_place("IdleSettings/WaitTimeout"),
                                 to_iso_duration(ts.idle->wait_timeout)));
      const ReadSetting* stop = setting("IdleSettings/StopOnIdleEnd");
      if (stop == nullptr || stop->text == "true" || stop->text == "1")
        not_imported(fmt::format("{}IdleSettings StopOnIdleEnd{}: the run is stopped when the "
                                 "machine stops being idle; a job's idle condition only holds "
                                 "the start back",
                                 setting_place("IdleSettings/StopOnIdleEnd"),
                                 default_note("IdleSettings/StopOnIdleEnd")));
      const ReadSetting* restart = setting("IdleSettings/RestartOnIdle");
      if (restart && (restart->text == "true" || restart->text == "1"))
        not_imported(fmt::format("{}IdleSettings RestartOnIdle: a job is not started again when "
                                 "the machine becomes idle again",
                                 setting_place("IdleSettings/RestartOnIdle")));
    }
    if (c != Conditions{}) s.conditions = c;

    // The timeout: Task Scheduler's own, or the runner's with Task
    // Scheduler's limit as the backstop compile_task computes.
    if (runner_) {
      s.timeout = runner_timeout_;
      seconds backstop{0};
      if (runner_timeout_) {
        const Retries r = s.retries.value_or(Retries{});
        backstop = s.random_delay.value_or(seconds{0}) +
                   (r.count + 1) * (*runner_timeout_ + kRunnerTimeoutMargin) + r.count * r.delay;
      }
      if (ts.execution_time_limit != backstop)
        not_imported(fmt::format("{}ExecutionTimeLimit {}: omnicron's runner stops the job by "
                                 "its --timeout, and a sync writes Task Scheduler's limit as {}",
                                 setting_place("ExecutionTimeLimit"),
                                 to_iso_duration(ts.execution_time_limit), to_iso_duration(backstop)));
    } else if (ts.execution_time_limit.count() > 0) {
      s.timeout = ts.execution_time_limit;
    }

    // What omnicron never changes from its own values: anything else is
    // listed. IdleSettings matter only with RunOnlyIfIdle (above) and for
    // idle triggers, which are not imported.
    auto expect = [this](std::string_view name, std::string_view wanted, std::string_view why) {
      const ReadSetting* r = setting(name);
      if (r == nullptr || r->text == wanted || (wanted == "true" && r->text == "1") ||
          (wanted == "false" && r->text == "0"))
        return;
      not_imported(fmt::format("{}: {} {}: {}", at_line(r->place), name, r->text, why));
    };
    expect("AllowStartOnDemand", "true", "a job's task can always be started by hand");
    expect("AllowHardTerminate", "true", "a job's task can always be stopped");
    expect("WakeToRun", "false", "a job does not wake the computer to run");
    expect("Hidden", "false", "a job's task is not hidden in Task Scheduler");
    expect("Priority", "7", "a job runs at Task Scheduler's normal priority 7");
    expect("UseUnifiedSchedulingEngine", "false", "a job's task uses Task Scheduler's default engine");
    expect("DisallowStartOnRemoteAppSession", "false",
           "a job may start in a RemoteApp session");
    expect("Volatile", "false", "a job's task is not volatile");
    static const std::set<std::string> kRead = {
        "MultipleInstancesPolicy", "DisallowStartIfOnBatteries", "StopIfGoingOnBatteries",
        "StartWhenAvailable", "RunOnlyIfNetworkAvailable", "Enabled", "ExecutionTimeLimit",
        "RunOnlyIfIdle", "AllowStartOnDemand", "AllowHardTerminate", "WakeToRun", "Hidden",
        "Priority", "UseUnifiedSchedulingEngine", "DisallowStartOnRemoteAppSession", "Volatile"};
    std::set<std::string> told;
    for (const ReadSetting& r : task_.settings) {
      if (kRead.count(r.name) || r.name.starts_with("IdleSettings/")) continue;
      const std::string group = r.name.substr(0, r.name.find('/'));
      if (!told.insert(group).second) continue;
      if (group == "RestartOnFailure") {
        const ReadSetting* interval = setting("RestartOnFailure/Interval");
        const ReadSetting* count = setting("RestartOnFailure/Count");
        not_imported(fmt::format("{}: RestartOnFailure (up to {} times, every {}): Task Scheduler "
                                 "restarts a task that failed, which a job's retries (run by "
                                 "omnicron's runner after a failing exit code) do not match",
                                 at_line(r.place), count ? count->text : "?",
                                 interval ? interval->text : "?"));
      } else if (group == "DeleteExpiredTaskAfter") {
        not_imported(fmt::format("{}: DeleteExpiredTaskAfter {}: a job's task is never deleted "
                                 "by Task Scheduler",
                                 at_line(r.place), r.text));
      } else if (group == "NetworkProfileName" || group == "NetworkSettings") {
        not_imported(fmt::format("{}: {}: a job's network condition waits for any network, not a "
                                 "named one",
                                 at_line(r.place), group));
      } else {
        not_imported(fmt::format("{}: {}: a setting omnicron does not know", at_line(r.place), group));
      }
    }
    for (const ReadElement& bad : task_.bad_values)
      not_imported(fmt::format("{}: {} {}", at_line(bad.place), bad.name, bad.text));
  }

  // ---- The principal ---------------------------------------------------------

  const ReadPrincipal* acting_principal() const {
    for (const auto& p : task_.principals)
      if (task_.actions_context && p.id == *task_.actions_context) return &p;
    return task_.principals.empty() ? nullptr : &task_.principals.front();
  }

  void principal(JobSettings& s) {
    const ReadPrincipal* p = acting_principal();
    std::optional<std::string> run_as_user;  // the Windows user the job's logon waits for
    if (p != nullptr) {
      const std::string at = at_line(p->place);
      const std::string logon = p->logon_type.value_or("");
      if (p->group_id) {
        not_imported(fmt::format("{}: the task runs for the members of group {}; a job runs as "
                                 "one user",
                                 at, *p->group_id));
      } else if (p->user_id && is_system(*p->user_id)) {
        s.run_as = "system";
      } else if (p->user_id && is_service_sid(*p->user_id)) {
        not_imported(fmt::format("{}: the task runs as {} ({}); a job runs as a user or as "
                                 "SYSTEM",
                                 at, *p->user_id,
                                 *p->user_id == "S-1-5-19" ? "LOCAL SERVICE" : "NETWORK SERVICE"));
      } else if (p->user_id && (logon == "S4U" || logon == "Password" ||
                                logon == "InteractiveTokenOrPassword")) {
        const std::string user = manifest_user(*p->user_id);
        if (p->user_id->starts_with("S-1-")) {
          not_imported(fmt::format("{}: the task runs as the account with SID {}; a manifest's "
                                   "run_as names a user, and the SID's name is known only on "
                                   "that machine; the job runs as the user who syncs it",
                                   at, *p->user_id));
        } else if (user.empty()) {
          not_imported(fmt::format("{}: the task runs as '{}', which is not a user name a manifest "
                                   "accepts ([a-z_][a-z0-9_-]*); the job runs as the user who syncs it",
                                   at, *p->user_id));
        } else {
          s.run_as = user;
          run_as_user = *p->user_id;
          if (user != *p->user_id)
            changed(fmt::format("{}: the user '{}' is written '{}' (Windows user names ignore case)",
                                at, *p->user_id, user));
          if (logon != "S4U")
            not_imported(fmt::format("{}: LogonType {}: Windows keeps {}'s password so the task can "
                                     "reach network shares; a job with run_as is registered "
                                     "without a password (S4U), with no access to the network "
                                     "as that user",
                                     at, logon, *p->user_id));
        }
      } else if (p->user_id) {
        // InteractiveToken (or none): the user's own session, while they
        // are logged on; a job without run_as is exactly that for the user
        // who syncs it.
        run_as_user = *p->user_id;
        changed(fmt::format("{}: the task runs as {} while they are logged on; the job runs as the "
                            "user who syncs it, while they are logged on",
                            at, *p->user_id));
      }
      if (p->run_level == "HighestAvailable")
        not_imported(fmt::format("{}: RunLevel HighestAvailable: the task runs with the user's full "
                                 "administrator rights; a job runs with least privilege",
                                 at));
      for (const std::string& other : p->others)
        not_imported(fmt::format("{}: {}: a principal setting omnicron does not know", at, other));
    }
    // Whose logon starts the task. compile_task writes no user for a SYSTEM
    // job (any user's logon) and the job's user otherwise.
    const bool system = s.run_as && *s.run_as == "system";
    for (const auto& [user, head] : logon_users_) {
      if (!user && !system) {
        not_imported(fmt::format("{}: it starts the task at any user's logon; a job's `on: logon` "
                                 "waits for the logon of {}",
                                 head, s.run_as ? *s.run_as : "the user who syncs it"));
      } else if (user && system) {
        not_imported(fmt::format("{}: it waits for {}'s logon; a SYSTEM job's `on: logon` waits "
                                 "for any user's",
                                 head, *user));
      } else if (user && (!run_as_user || lower(*user) != lower(*run_as_user))) {
        changed(fmt::format("{}: it waits for {}'s logon; the job's `on: logon` waits for the "
                            "logon of {}",
                            head, *user, s.run_as ? *s.run_as : "the user who syncs it"));
      }
    }
  }

  // A Windows user as a manifest's run_as: "DOMAIN\name" loses its domain
  // only when the domain is the machine's, which is unknown here, so only a
  // bare name is taken, lower-case.
  static std::string manifest_user(const std::string& user) {
    if (user.find('\\') != std::string::npos || user.find('@') != std::string::npos) return {};
    std::string l = lower(user);
    if (l.empty() || !((l[0] >= 'a' && l[0] <= 'z') || l[0] == '_')) return {};
    for (char c : l)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '$'))
        return {};
    return l;
  }

  // ---- Registration and the rest -------------------------------------------

  void registration(JobSettings& s) {
    const RegistrationInfo& r = def_.registration;
    if (!r.description.empty()) {
      if (r.description.find_first_of("\r\n") != std::string::npos) {
        // A manifest's description is one line.
        std::string one;
        for (char c : r.description) {
          if (c == '\r') continue;
          one += c == '\n' ? ' ' : c;
        }
        s.description = one;
        changed("the Description's line breaks are written as spaces: a manifest's description "
                "is one line");
      } else {
        s.description = r.description;
      }
    }
    if (out_.omnicron_task && !r.digest.empty()) {
      // omnicron's digest is of the task as compiled: a task edited by hand
      // since is imported as it is now, and said so.
      if (task_digest(def_) != r.digest)
        changed(fmt::format("the task was changed after omnicron registered it (its digest {} "
                            "no longer matches); the job is what the task does now",
                            r.digest));
    }
    for (const ReadElement& e : task_.registration_others) {
      if (e.name == "SecurityDescriptor")
        not_imported(fmt::format("{}: SecurityDescriptor: who may see and run the task; a job's "
                                 "task gets Task Scheduler's default",
                                 at_line(e.place)));
    }
  }

  void elements() {
    for (const ReadElement& e : task_.unknown)
      not_imported(fmt::format("{}: <{}> ({}): an element omnicron does not know", at_line(e.place),
                               e.name, e.place.path));
  }

  const ReadTask& task_;
  const DecompileOptions& options_;
  DecompiledTask& out_;
  const TaskDefinition& def_;
  bool runner_ = false;
  std::optional<Overlap> runner_overlap_;
  std::optional<seconds> runner_timeout_;
  std::optional<Conditions> runner_conditions_;
  std::vector<std::pair<std::optional<std::string>, std::string>> logon_users_;
};

}  // namespace

DecompiledTask decompile_task(const ReadTask& task, const DecompileOptions& options) {
  DecompiledTask out;
  Decompiler(task, options, out).run();
  return out;
}

}  // namespace omnicron::tasksched
