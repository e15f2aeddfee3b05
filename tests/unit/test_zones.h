#pragma once

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include <date/date.h>

#include "tz/zone.h"

namespace omnicron::testing {

// An instant written as a UTC date and time.
inline std::chrono::sys_seconds utc(int y, unsigned m, unsigned d, int h = 0, int mi = 0,
                                    int s = 0) {
  return std::chrono::sys_seconds{date::sys_days{date::year{y} / date::month{m} / date::day{d}}} +
         std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
}

// Reads a zone from the system's zone database, once per test binary. The
// core never reads files; tests do it the way the CLI does.
inline const tz::Zone& load_zone(const std::string& name) {
  static std::map<std::string, std::unique_ptr<tz::Zone>> zones;
  auto& slot = zones[name];
  if (!slot) {
    std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("no zone file for " + name);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    slot = std::make_unique<tz::Zone>(tz::Zone::from_tzif(name, bytes.str()));
  }
  return *slot;
}

}  // namespace omnicron::testing
