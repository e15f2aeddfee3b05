#pragma once

#include <string>
#include <string_view>

#include "diagnostic.h"
#include "manifest/manifest.h"

namespace omnicron {

struct LoadResult {
  Manifest manifest;          // meaningful only when !diagnostics.has_errors()
  Diagnostics diagnostics;    // every error and warning in the file
};

// Parses and validates a manifest from its text. `file_name` is used in
// diagnostics and for the default namespace (its stem). Never throws for bad
// input: every problem becomes a diagnostic naming file:line:col and the
// field, and all of them are collected in one pass. Reading the file is the
// caller's job (the core does not touch the disk).
LoadResult load_manifest(std::string_view text, const std::string& file_name);

}  // namespace omnicron
