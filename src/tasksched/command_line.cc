#include "tasksched/command_line.h"

namespace omnicron::tasksched {

std::string quote_windows_argument(std::string_view argument) {
  // Newline and vertical tab do not split arguments for CommandLineToArgvW,
  // but the C runtime of some compilers treats them as blanks; quoting them
  // costs nothing and is read the same way by both.
  if (!argument.empty() && argument.find_first_of(" \t\n\v\"") == std::string_view::npos)
    return std::string(argument);
  std::string out = "\"";
  std::size_t backslashes = 0;
  for (char c : argument) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    if (c == '"') {
      // The backslashes before a quote are read in pairs, and the odd one
      // left over makes the quote literal.
      out.append(backslashes * 2 + 1, '\\');
      out += '"';
    } else {
      out.append(backslashes, '\\');
      out += c;
    }
    backslashes = 0;
  }
  // The closing quote follows: double the trailing backslashes so none of
  // them escapes it.
  out.append(backslashes * 2, '\\');
  out += '"';
  return out;
}

std::string windows_command_line(const std::vector<std::string>& arguments) {
  std::string out;
  for (const auto& argument : arguments) {
    if (!out.empty()) out += ' ';
    out += quote_windows_argument(argument);
  }
  return out;
}

}  // namespace omnicron::tasksched
