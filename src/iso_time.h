#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "tz/zone.h"

namespace omnicron {

// Formats instants as ISO-8601 local time with the zone's UTC offset,
// "2026-03-08T03:00:00-04:00" ("Z" is never used, so every line has the same
// shape). Remembers the zone's current offset period, because printing
// 100,000 consecutive fire times should not look the zone up 100,000 times.
class IsoFormatter {
 public:
  explicit IsoFormatter(const tz::Zone& zone) : zone_(&zone) {}

  // Writes exactly 25 characters to `out` and returns the end.
  char* format_to(std::chrono::sys_seconds t, char* out);
  std::string format(std::chrono::sys_seconds t);

  static constexpr std::size_t kLength = 25;

 private:
  const tz::Zone* zone_;
  tz::Period info_{};
  bool have_info_ = false;
  // "+hh:mm" of the current period, and "YYYY-MM-DDT" of the local day last
  // formatted with the instant it began: consecutive fire times mostly share
  // both, and the calendar conversion is the costly part.
  char offset_text_[6] = {};
  char day_text_[11] = {};
  std::int64_t day_begin_ = 0;
  bool have_day_ = false;
};

// Parses "2026-03-08T01:30:00-05:00", "…Z", "…+0100", with or without
// seconds. Without an offset the text is local time in `zone`; a local time
// that does not exist (skipped by DST) or is ambiguous is refused, because
// which instant the user meant cannot be known. Returns nothing on bad text;
// `error` then says why.
std::optional<std::chrono::sys_seconds> parse_instant(std::string_view text,
                                                      const tz::Zone& zone,
                                                      std::string* error);

}  // namespace omnicron
