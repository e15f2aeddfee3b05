#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "runner/run_options.h"

namespace omnicron::runner {

// TEXT as one file name: letters, digits, `.`, `_` and `-` stay, every other
// byte becomes %XX, so different texts never share a name.
std::string safe_file_name(std::string_view text);

// A job's own folder under the state directory: <state>/jobs/<NS>/<NAME>,
// each part through safe_file_name. Holds the overlap lock and the history,
// on every OS.
std::filesystem::path job_dir(const std::filesystem::path& state_root, const JobId& job);

}  // namespace omnicron::runner
