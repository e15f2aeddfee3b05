#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "diagnostic.h"
#include "manifest/manifest.h"

namespace omnicron {

struct LoadResult {
  Manifest manifest;          // meaningful only when !diagnostics.has_errors()
  Diagnostics diagnostics;    // every error and warning in the file
  // The YAML node tree the manifest was read from. Nothing refers to it any
  // more; it is handed out only so that a caller about to exit can choose
  // not to free it. Freeing a big manifest's tree node by node costs about
  // a fifth of its load, and the kernel takes the memory back at exit at
  // once.
  std::shared_ptr<const void> yaml_tree;
};

// Whether TEXT may name a job or a namespace: [a-z0-9][a-z0-9._-]*, which
// is also what a crontab marker and a Task Scheduler folder can carry.
bool is_valid_name(std::string_view text);

// Parses and validates a manifest from its text. `file_name` is used in
// diagnostics and for the default namespace (its stem). Never throws for bad
// input: every problem becomes a diagnostic naming file:line:col and the
// field, and all of them are collected in one pass. Reading the file is the
// caller's job (the core does not touch the disk).
LoadResult load_manifest(std::string_view text, const std::string& file_name);

}  // namespace omnicron
