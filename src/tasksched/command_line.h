#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace omnicron::tasksched {

// One argument quoted so that CommandLineToArgvW (and the Microsoft C
// runtime, which follows the same rules for everything after the program
// name) gives it back unchanged:
//   - an argument with no space, tab, newline, vertical tab or '"' and not
//     empty is written as it is (backslashes are literal there);
//   - otherwise it is wrapped in '"'; inside, a run of n backslashes before a
//     '"' becomes 2n+1 backslashes and the '"', a run before the closing '"'
//     becomes 2n backslashes, and any other run stays as it is.
// "" stands for the empty argument, which would otherwise vanish.
std::string quote_windows_argument(std::string_view argument);

// The arguments joined by single spaces, each quoted as above: what goes
// after the program name on a Windows command line, e.g. the Arguments of a
// Task Scheduler Exec action. The program itself is not part of `arguments`;
// Windows parses the program name by simpler rules (no backslash escapes)
// and Task Scheduler keeps it in its own element.
std::string windows_command_line(const std::vector<std::string>& arguments);

}  // namespace omnicron::tasksched
