#pragma once

// The comparison the trigger equivalence tests make, shared: the cron
// engine's fire times of some expressions against the starts of triggers,
// as lists of instants, and the first difference in words.

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <date/date.h>
#include <fmt/format.h>

#include "cron/fire_times.h"
#include "tasksched/trigger_simulator.h"
#include "tz/zone.h"

namespace omnicron::tasksched::testing {

// Every fire time of the expressions in [from, to), sorted, repeats kept.
inline std::vector<Instant> cron_starts(const std::vector<cron::CronExpression>& exprs,
                                        const tz::Zone& zone, Instant from, Instant to) {
  std::vector<Instant> out;
  for (const auto& expr : exprs) {
    cron::FireTimes times(expr, zone, from - std::chrono::seconds{1});
    while (auto t = times.next()) {
      if (*t >= to) break;
      out.push_back(*t);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string show(Instant t, const tz::Zone& zone) {
  const auto info = zone.get_info(t);
  return date::format("%F %R ", date::local_seconds{t.time_since_epoch() + info.offset}) +
         info.abbrev;
}

// Empty when the two lists are equal, else the first difference.
inline std::string first_difference(const std::vector<Instant>& want,
                                    const std::vector<Instant>& got, const tz::Zone& zone) {
  if (want == got) return "";
  const auto [w, g] = std::mismatch(want.begin(), want.end(), got.begin(), got.end());
  if (g == got.end() || (w != want.end() && *w < *g)) {
    return fmt::format("cron fires at {}, the triggers do not ({} vs {} starts)", show(*w, zone),
                       want.size(), got.size());
  }
  return fmt::format("the triggers start at {}, cron does not ({} vs {} starts)", show(*g, zone),
                     want.size(), got.size());
}

inline std::vector<Instant> distinct(std::vector<Instant> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// A trigger's starts in [from, to) as the simulator models them in `zone`,
// distinct, with the run Task Scheduler's documentation puts at the very end
// of a repetition Duration (which the decompiler keeps, and says so), and a
// calendar trigger that repeats forever from its first start taken as the
// grid it makes.
inline std::vector<Instant> trigger_starts(const Trigger& trigger, const tz::Zone& zone,
                                           Instant from, Instant to) {
  Trigger modelled = trigger;
  if (const auto* c = std::get_if<CalendarTrigger>(&trigger); c && c->repetition && !c->repetition->duration)
    modelled = TimeTrigger{c->start, c->repetition};
  const SimulatedStarts sim = simulate_triggers({modelled}, zone, from, to);
  std::vector<Instant> starts = sim.starts;
  for (const UnspecifiedStart& u : sim.unspecified) {
    if (u.reason != UnspecifiedStart::Reason::at_duration_end) continue;
    const auto& c = std::get<CalendarTrigger>(modelled);
    const auto local = date::local_days{date::year{u.local.year} / date::month{static_cast<unsigned>(u.local.month)} /
                                        date::day{static_cast<unsigned>(u.local.day)}} +
                       std::chrono::hours{u.local.hour} + std::chrono::minutes{u.local.minute};
    const auto info = zone.get_info(date::local_seconds{local});
    const Instant end = Instant{local.time_since_epoch() - info.first.offset} + *c.repetition->duration;
    if (end >= from && end < to) starts.push_back(end);
  }
  return distinct(starts);
}

}  // namespace omnicron::tasksched::testing
