#pragma once

#include <string>

namespace omnicron {

// A place in a manifest file. Lines and columns are 1-based, as editors and
// compilers print them; 0 means "unknown".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return line > 0; }
  // "file:line:col", "file:line" or "file", whichever is known.
  std::string to_string() const;
};

}  // namespace omnicron
