#include "windows/system.h"

#include <windows.h>

#include <shellapi.h>

#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "error.h"
#include "windows/com.h"

namespace omnicron::windows {

std::vector<std::string> command_line_arguments() {
  std::vector<std::string> words;
  int count = 0;
  wchar_t** argv = CommandLineToArgvW(GetCommandLineW(), &count);
  if (!argv) return words;
  for (int i = 0; i < count; ++i) words.push_back(to_utf8(argv[i]));
  LocalFree(argv);
  return words;
}

std::optional<std::wstring> environment_variable(const wchar_t* name) {
  std::wstring value(64, L'\0');
  for (;;) {
    SetLastError(ERROR_SUCCESS);
    const DWORD n = GetEnvironmentVariableW(name, value.data(), static_cast<DWORD>(value.size()));
    if (n == 0) {
      if (GetLastError() == ERROR_ENVVAR_NOT_FOUND) return std::nullopt;
      return std::wstring();
    }
    // Too small: n is the size needed, the terminating null included.
    if (n >= value.size()) {
      value.resize(n);
      continue;
    }
    value.resize(n);
    return value;
  }
}

std::string current_user() {
  wchar_t name[257];
  DWORD size = 257;
  if (!GetUserNameW(name, &size)) return {};
  // size counts the terminating null.
  return to_utf8(std::wstring_view(name, size > 0 ? size - 1 : 0));
}

std::filesystem::path state_dir() {
  const std::optional<std::wstring> local = environment_variable(L"LOCALAPPDATA");
  if (!local || local->empty())
    throw Error(ErrorKind::io,
                "LOCALAPPDATA is not set, so omnicron has no state directory for the "
                "names of the tasks it registered");
  return std::filesystem::path(*local) / L"omnicron" / L"state";
}

std::string own_executable() {
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (n == 0) return "omnicron.exe";
    if (n < path.size()) {
      path.resize(n);
      return to_utf8(path);
    }
    path.resize(path.size() * 2);
  }
}

std::optional<std::string> time_zone_key() {
  DYNAMIC_TIME_ZONE_INFORMATION info{};
  if (GetDynamicTimeZoneInformation(&info) == TIME_ZONE_ID_INVALID) return std::nullopt;
  std::string key = to_utf8(info.TimeZoneKeyName);
  if (key.empty()) return std::nullopt;
  return key;
}

std::optional<std::string> iana_zone_for(const std::string& windows_key) {
  // Written by hand: Debian packages no copy of CLDR's windowsZones.xml, and
  // the whole table (some 140 zones) is more than the machines omnicron is
  // meant for need. A key that is missing makes the command line ask for TZ
  // instead of guessing.
  static const std::map<std::string, std::string> table = {
      {"UTC", "Etc/UTC"},
      {"GMT Standard Time", "Europe/London"},
      {"Greenwich Standard Time", "Atlantic/Reykjavik"},
      {"W. Europe Standard Time", "Europe/Berlin"},
      {"Central Europe Standard Time", "Europe/Budapest"},
      {"Central European Standard Time", "Europe/Warsaw"},
      {"Romance Standard Time", "Europe/Paris"},
      {"GTB Standard Time", "Europe/Bucharest"},
      {"FLE Standard Time", "Europe/Kiev"},
      {"E. Europe Standard Time", "Europe/Chisinau"},
      {"Russian Standard Time", "Europe/Moscow"},
      {"Turkey Standard Time", "Europe/Istanbul"},
      {"Israel Standard Time", "Asia/Jerusalem"},
      {"South Africa Standard Time", "Africa/Johannesburg"},
      {"Arabian Standard Time", "Asia/Dubai"},
      {"India Standard Time", "Asia/Calcutta"},
      {"China Standard Time", "Asia/Shanghai"},
      {"Singapore Standard Time", "Asia/Singapore"},
      {"Tokyo Standard Time", "Asia/Tokyo"},
      {"Korea Standard Time", "Asia/Seoul"},
      {"AUS Eastern Standard Time", "Australia/Sydney"},
      {"New Zealand Standard Time", "Pacific/Auckland"},
      {"Eastern Standard Time", "America/New_York"},
      {"Central Standard Time", "America/Chicago"},
      {"Mountain Standard Time", "America/Denver"},
      {"US Mountain Standard Time", "America/Phoenix"},
      {"Pacific Standard Time", "America/Los_Angeles"},
      {"Alaskan Standard Time", "America/Anchorage"},
      {"Hawaiian Standard Time", "Pacific/Honolulu"},
      {"Atlantic Standard Time", "America/Halifax"},
      {"E. South America Standard Time", "America/Sao_Paulo"},
  };
  const auto it = table.find(windows_key);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

}  // namespace omnicron::windows
