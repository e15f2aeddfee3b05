#pragma once

// What the command line asks Windows besides Task Scheduler: its own
// arguments, who is running it, where it keeps its state, where omnicron.exe
// is, and which time zone the machine is set to.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace omnicron::windows {

// The process's command line as UTF-8 words (CommandLineToArgvW), the
// program first. main() gets its arguments in the ANSI code page, which
// cannot hold every character of a path or of a job's arguments.
std::vector<std::string> command_line_arguments();

// The variable NAME of the process's environment, read wide
// (GetEnvironmentVariableW); none when it is not set.
std::optional<std::wstring> environment_variable(const wchar_t* name);

// The user running this process, as GetUserNameW gives it (no domain).
std::string current_user();

// %LOCALAPPDATA%\omnicron\state (created on demand by whoever writes there).
// Throws Error (io) when LOCALAPPDATA is not set.
std::filesystem::path state_dir();

// The full path of the running omnicron.exe: what a task's action starts
// when its job needs the runner.
std::string own_executable();

// The Windows name of the machine's time zone (the registry key name
// GetDynamicTimeZoneInformation gives, "W. Europe Standard Time"); none when
// Windows does not say.
std::optional<std::string> time_zone_key();

// The IANA zone for a Windows zone key, from the CLDR table (windowsZones,
// territory 001) for the zones in common use; none for a key not in it.
std::optional<std::string> iana_zone_for(const std::string& windows_key);

}  // namespace omnicron::windows
