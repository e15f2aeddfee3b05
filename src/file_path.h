#pragma once

// Paths the user wrote (on the command line, in a manifest) are UTF-8 text.
// std::filesystem::path made from a std::string reads it in the ANSI code
// page on Windows, which turns every character that page lacks into '?';
// made from char8_t text it reads UTF-8 on every OS. On POSIX both are the
// same bytes.

#include <filesystem>
#include <string>
#include <string_view>

namespace omnicron {

inline std::filesystem::path file_path(std::string_view utf8) {
  return std::filesystem::path(std::u8string(utf8.begin(), utf8.end()));
}

inline std::string utf8_string(const std::filesystem::path& path) {
  const std::u8string text = path.u8string();
  return std::string(text.begin(), text.end());
}

}  // namespace omnicron
