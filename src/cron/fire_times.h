#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "tz/zone.h"

#include "cron/cron_expression.h"

namespace omnicron::cron {

using Instant = std::chrono::sys_seconds;

// Fire instants of a cron expression in a time zone, with Debian cron's
// behaviour across DST changes (see ../shared/notes/cron-facts.md):
// - a wildcard-time job (minute or hour text starts with '*') follows the
//   wall clock: no catch-up for skipped minutes, runs in both copies of a
//   repeated hour;
// - a fixed-time job whose local time is skipped runs once right after the
//   change (at the first instant of the new offset); one whose local time is
//   repeated runs once, in the first copy.
// The zone is passed in: the core never reads the clock or the disk.

// The first fire instant strictly after `after`, or nothing if the
// expression never fires again (e.g. @reboot).
std::optional<Instant> next_fire(const CronExpression& expr, Instant after,
                                 const tz::Zone& zone);

// The last fire instant strictly before `before`, or nothing.
std::optional<Instant> previous_fire(const CronExpression& expr, Instant before,
                                     const tz::Zone& zone);

namespace detail {

// What the search needs of an expression, copied so that a cursor does not
// depend on the lifetime of the CronExpression it was made from.
struct Matcher {
  std::uint64_t minutes = 0;
  std::uint32_t hours = 0;
  std::uint32_t days_of_month = 0;
  std::uint16_t months = 0;
  std::uint8_t days_of_week = 0;
  bool day_and = false;   // Either day field starred: both must match.
  bool wildcard = false;  // Minute or hour text starts with '*'.
  bool never = false;     // @reboot.
};

// One of the zone's periods of constant offset, [begin, end) in UTC
// seconds, with the offset before it (which tells whether the period starts
// after a gap or with a repeated interval).
struct Period {
  bool valid = false;
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::int64_t offset = 0;
  std::int64_t previous_offset = 0;
};

// The local calendar day last looked at, and whether the expression
// matches it.
struct Day {
  std::int64_t number = INT64_MIN;  // Days since 1970-01-01, local.
  int year = 0;
  int month = 0;
  int day = 0;
  int weekday = 0;
  bool matches = false;
};

}  // namespace detail

// A cursor for computing many consecutive fire instants quickly (it caches
// the current day's matches and the zone's current offset period). It copies
// what it needs of the expression, so the expression may go away.
class FireTimes {
 public:
  FireTimes(const CronExpression& expr, const tz::Zone& zone,
            Instant after);
  // The next fire instant, or nothing when there are no more.
  std::optional<Instant> next();

 private:
  detail::Matcher matcher_;
  const tz::Zone* zone_;
  Instant cursor_;
  bool done_ = false;
  detail::Period period_;
  detail::Day day_;
  // The local minute of the hour of cursor_ when cursor_ is an ordinary
  // match (not a DST catch-up), else -1: then the next match in the same
  // hour is one bit scan away.
  int minute_ = -1;
};

}  // namespace omnicron::cron
