#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "source_location.h"

namespace omnicron {

enum class Severity { error, warning };

// One finding about a manifest, in the spirit of Terraform's tfdiags:
// validation collects every diagnostic in a file before it stops.
struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation where;
  // The dotted path of the field in the manifest, e.g. "jobs.backup.timeout".
  std::string field;
  // What was wrong and what is allowed, one sentence, no trailing period.
  std::string message;
  // An optional second line, e.g. "did you mean 'timeout'?".
  std::string hint;
};

class Diagnostics {
 public:
  void error(SourceLocation where, std::string field, std::string message,
             std::string hint = {});
  void warning(SourceLocation where, std::string field, std::string message,
               std::string hint = {});
  void add(Diagnostic d) { items_.push_back(std::move(d)); }

  bool has_errors() const;
  std::size_t error_count() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
};

// Renders one diagnostic the way compilers do, ninja-style:
//
//   jobs.yaml:7:14: error: jobs.heartbeat.overlap: unknown policy 'skp'; allowed: allow, skip, queue, replace
//       overlap: skp
//                ^
//     did you mean 'skip'?
//
// `source` is the whole text of the file the diagnostic points into; when the
// line is not available the source excerpt is left out.
std::string render(const Diagnostic& d, std::string_view source);

}  // namespace omnicron
