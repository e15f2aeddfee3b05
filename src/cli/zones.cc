#include "cli/zones.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "error.h"
#include "file_path.h"
#if defined(_WIN32)
#include "windows/system.h"
#endif

namespace omnicron::cli {

namespace {

std::string zone_dir() {
  const char* dir = std::getenv("TZDIR");
  if (dir && *dir) return dir;
#if defined(_WIN32)
  // Windows has no zone database of the IANA kind: omnicron.exe's own comes
  // in a folder next to it.
  return (std::filesystem::path(windows::own_executable()).parent_path() / "zoneinfo")
      .generic_string();
#else
  return "/usr/share/zoneinfo";
#endif
}

// Zone names are paths below the database folder; refuse anything that could
// reach outside it.
bool plausible_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.front() == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
          c == '+'))
      return false;
  return name.find("..") == std::string::npos;
}

std::optional<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file_path(path), ec)) return std::nullopt;
  std::ifstream in(file_path(path), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::map<std::string, std::unique_ptr<tz::Zone>>& loaded() {
  static std::map<std::string, std::unique_ptr<tz::Zone>> zones;
  return zones;
}

const tz::Zone* load(const std::string& name, const std::string& path) {
  auto& zones = loaded();
  if (auto it = zones.find(name); it != zones.end()) return it->second.get();
  std::optional<std::string> bytes = read_file(path);
  if (!bytes) return nullptr;
  auto zone = std::make_unique<tz::Zone>(tz::Zone::from_tzif(name, *bytes));
  return zones.emplace(name, std::move(zone)).first->second.get();
}

const tz::Zone* find(const std::string& name) {
  if (name == "UTC" || name == "Etc/UTC") {
    // Every system has UTC, even one without a zone database.
    if (const tz::Zone* z = plausible_name(name) ? load(name, zone_dir() + "/" + name) : nullptr)
      return z;
    return &tz::Zone::utc();
  }
  return plausible_name(name) ? load(name, zone_dir() + "/" + name) : nullptr;
}

}  // namespace

bool zone_exists(const std::string& name) { return find(name) != nullptr; }

const tz::Zone& zone_named(const std::string& name, const std::string& option) {
  if (const tz::Zone* zone = find(name)) return *zone;
  throw Error(ErrorKind::usage,
              fmt::format("{}: unknown time zone '{}'; write an IANA name such as "
                          "Europe/Berlin, America/New_York or UTC",
                          option, name));
}

const tz::Zone& system_zone() {
  if (const char* tz = std::getenv("TZ"); tz && *tz) {
    // POSIX rules such as "EST5EDT,M3.2.0,M11.1.0" are not zone names; for
    // them fall back to the file the system is configured with.
    if (const tz::Zone* zone = find(tz[0] == ':' ? tz + 1 : tz)) return *zone;
  }
#if defined(_WIN32)
  // Windows names its zones its own way; the common ones map to IANA names.
  const auto key = windows::time_zone_key();
  const auto name = key ? windows::iana_zone_for(*key) : std::nullopt;
  if (name) {
    if (const tz::Zone* zone = find(*name)) return *zone;
    throw Error(ErrorKind::io,
                fmt::format("this machine's time zone is {} ('{}'), but the zone database "
                            "in {} has no such zone; set TZDIR to a folder holding it",
                            *name, *key, zone_dir()));
  }
  throw Error(ErrorKind::usage,
              fmt::format("cannot tell this machine's time zone as an IANA name (Windows "
                          "calls it '{}'); set TZ to it, e.g. TZ=Europe/Berlin",
                          key.value_or("unknown")));
#else
  // /etc/localtime is a link into the database on Debian; its target names
  // the zone. A copied file is used as it is, named "localtime".
  std::error_code ec;
  const auto target = std::filesystem::read_symlink("/etc/localtime", ec).string();
  if (const auto at = target.find("zoneinfo/"); !ec && at != std::string::npos) {
    if (const tz::Zone* zone = find(target.substr(at + 9))) return *zone;
  }
  if (const tz::Zone* zone = load("localtime", "/etc/localtime")) return *zone;
  return tz::Zone::utc();
#endif
}

}  // namespace omnicron::cli
