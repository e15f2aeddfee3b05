#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace omnicron::cron {

enum class Field { minute, hour, day_of_month, month, day_of_week };

// "minute", "hour", "day-of-month", "month", "day-of-week".
std::string_view field_name(Field field);

// Why a cron expression was refused. `offset`/`length` point into the text
// that was parsed so a caller can put a caret under the offending part (the
// manifest loader adds them to the schedule string's own column).
struct SyntaxError {
  // The field the error is in; `has_field` is false for errors about the
  // whole expression (wrong field count, unknown @macro).
  bool has_field = false;
  Field field = Field::minute;
  std::size_t offset = 0;
  std::size_t length = 0;
  // One sentence naming the field, the offending text and what is allowed,
  // e.g. "minute: '60' is out of range; allowed: 0-59".
  std::string message;
};

// A parsed 5-field cron expression or @macro with Debian cron's (Vixie cron
// 3.0pl1) meaning, stored as bit sets. Parsing is strict: whatever Debian's
// crontab silently accepts but misreads or never fires is refused. Choices
// where crons disagree: a step after a single value ("5/10", which Vixie
// reads as 5 and others as 5-59/10) is refused; a step must not exceed the
// width of its range; '*' in day-of-week stands for 0-6 (so "*/7" is
// refused), while a written range may use 7 for Sunday; names may end
// ranges and take numeric steps ("mon-fri", "jan-dec/2").
class CronExpression {
 public:
  // Throws omnicron::Error (kind validation) with the SyntaxError's message.
  static CronExpression parse(std::string_view text);
  static std::variant<CronExpression, SyntaxError> try_parse(
      std::string_view text);

  // The text as written by the user.
  const std::string& text() const { return text_; }

  // @reboot: runs when the daemon starts; has no fire times.
  bool is_reboot() const { return reboot_; }

  // Bit i set means value i matches. Day of week is 0-6 with Sunday 0 (a
  // written 7 is folded onto 0). Months are 1-12, days of month 1-31.
  std::uint64_t minutes() const { return minutes_; }
  std::uint32_t hours() const { return hours_; }
  std::uint32_t days_of_month() const { return days_of_month_; }
  std::uint16_t months() const { return months_; }
  std::uint8_t days_of_week() const { return days_of_week_; }

  // Debian cron's "star" flags: set when the field's text starts with '*'.
  // The day rule: when either day field is starred, both must match; when
  // neither is, a day matches when either matches.
  bool minute_star() const { return minute_star_; }
  bool hour_star() const { return hour_star_; }
  bool day_of_month_star() const { return day_of_month_star_; }
  bool day_of_week_star() const { return day_of_week_star_; }

  // Vixie cron's MIN_STAR|HR_STAR: such a job follows the wall clock across
  // DST changes; any other job is "fixed-time".
  bool is_wildcard_time() const { return minute_star_ || hour_star_; }

  // Whether the given local calendar day (month 1-12, day 1-31, weekday 0-6
  // with Sunday 0) matches, by the day rule above.
  bool matches_day(int month, int day_of_month, int weekday) const;

  // A normalised spelling: macros expanded, names turned into numbers,
  // 7 folded to 0, lists sorted and merged into ranges where that is exact.
  std::string canonical() const;

  friend bool operator==(const CronExpression&, const CronExpression&) = default;

 private:
  std::string text_;
  bool reboot_ = false;
  std::uint64_t minutes_ = 0;
  std::uint32_t hours_ = 0;
  std::uint32_t days_of_month_ = 0;
  std::uint16_t months_ = 0;
  std::uint8_t days_of_week_ = 0;
  bool minute_star_ = false;
  bool hour_star_ = false;
  bool day_of_month_star_ = false;
  bool day_of_week_star_ = false;
};

}  // namespace omnicron::cron
