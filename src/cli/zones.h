#pragma once

#include <string>

#include "tz/zone.h"

namespace omnicron::cli {

// The zone this machine's cron daemon runs in: $TZ when it names a zone (the
// way the C library reads it), else /etc/localtime. On Windows, the zone
// Task Scheduler's triggers follow: $TZ, else Windows' zone by its IANA name
// (throws omnicron::Error when that cannot be told).
const tz::Zone& system_zone();

// The named zone from the system's zone database ($TZDIR, else
// /usr/share/zoneinfo, or on Windows the zoneinfo folder next to
// omnicron.exe); throws omnicron::Error (kind usage) naming `option`
// when there is no such zone. Zones are read once and kept for the process.
const tz::Zone& zone_named(const std::string& name, const std::string& option);

// Whether the zone database has a zone of that name.
bool zone_exists(const std::string& name);

}  // namespace omnicron::cli
