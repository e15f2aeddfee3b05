#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnicron::tz {

// The rule in a TZif file's footer, a POSIX TZ string such as
// "EST5EDT,M3.2.0,M11.1.0" or "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0". It says
// how the zone keeps time after the file's last transition, which for the
// "fat" files Debian ships is 2037: without it every zone would stop
// changing to and from daylight saving time in 2037.
struct PosixRule {
  // When a change happens: day-of-year forms J (1-365, no 29 February) and
  // plain (0-365, counting it), or M (month, week 1-5 where 5 means last,
  // weekday 0-6 with Sunday 0), at `time` local time (may be negative or past
  // 24h, as RFC 8536 allows).
  struct When {
    enum class Form { julian_no_leap, day_of_year, month_week_day } form =
        Form::month_week_day;
    int day = 0;
    int month = 0;
    int week = 0;
    int weekday = 0;
    std::chrono::seconds time{7200};
  };

  std::string std_abbrev;
  std::chrono::seconds std_offset{0};  // east of UTC, unlike POSIX's sign
  bool has_dst = false;
  std::string dst_abbrev;
  std::chrono::seconds dst_offset{0};
  When dst_start;  // in standard time
  When dst_end;    // in daylight time

  // A change of offset at an instant.
  struct Change {
    std::chrono::sys_seconds at;
    bool to_dst;
  };
  // The changes that happen in calendar year `year` (the year of the local
  // date the rule names), in time order.
  std::vector<Change> changes_in(int year) const;
};

// Parses a POSIX TZ string. Returns nothing when it is malformed.
std::optional<PosixRule> parse_posix_rule(std::string_view text);

}  // namespace omnicron::tz
