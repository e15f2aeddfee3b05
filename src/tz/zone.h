#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

#include "tz/posix_rule.h"

namespace omnicron::tz {

// A stretch of time during which a zone keeps one UTC offset:
// [begin, end). The field names follow Howard Hinnant's date::sys_info.
struct Period {
  std::chrono::sys_seconds begin;
  std::chrono::sys_seconds end;
  std::chrono::seconds offset{0};  // east of UTC
  bool dst = false;
  std::string abbrev;
};

// How a local (wall-clock) time maps to instants: once, not at all (skipped
// by a change), or twice (repeated by a change).
struct LocalPeriods {
  enum Result { unique, nonexistent, ambiguous } result = unique;
  Period first;
  Period second;
};

// A time zone read from a TZif file (RFC 8536), with its footer rule, so
// times after the file's last transition follow the zone's rules too.
//
// Written for omnicron rather than taken from the date library: the Debian
// build of date-tz reads the system's TZif files but ignores their footer,
// so in every zone daylight saving time ends for good in 2037, and it scans
// the whole zone database on first use, which costs more than computing
// 100,000 fire times. Parsing is pure: the caller reads the file.
class Zone {
 public:
  // Throws omnicron::Error (kind io) naming the zone when the bytes are not
  // a TZif file this reader understands.
  static Zone from_tzif(std::string name, std::string_view bytes);
  static const Zone& utc();

  const std::string& name() const { return name_; }

  // The period holding instant t.
  Period get_info(std::chrono::sys_seconds t) const;
  // The period(s) in which local time t happens.
  LocalPeriods get_info(date::local_seconds t) const;

 private:
  struct Type {
    std::int32_t offset = 0;
    bool dst = false;
    std::string abbrev;
  };
  Period from_rule(std::chrono::sys_seconds t) const;
  Period of_type(std::size_t type, std::int64_t begin, std::int64_t end) const;

  std::string name_;
  std::vector<std::int64_t> transitions_;    // instants, ascending
  std::vector<std::uint8_t> transition_type_;  // index into types_
  std::vector<Type> types_;
  std::optional<PosixRule> rule_;
};

}  // namespace omnicron::tz
