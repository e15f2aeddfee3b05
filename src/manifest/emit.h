#pragma once

#include <map>
#include <string>
#include <vector>

#include "manifest/manifest.h"

namespace omnicron {

// What to say around the manifest's YAML besides its values: comments are
// how `export` tells a person where a job came from and what it could not
// carry over.
struct EmitComments {
  std::vector<std::string> header;                             // before `version:`
  std::map<std::string, std::vector<std::string>> before_job;  // by job name
  std::vector<std::string> footer;                             // after the last job
};

// Writes a manifest as YAML (format version 1) that load_manifest() reads
// back to the same model: `version`, `namespace`, `defaults` (when it holds
// anything), then every job in order with its keys in the order the format
// documents them. Strings that YAML would read as something else ("on",
// "010", "null", "~") are quoted, schedules in cron form always are. Source
// locations are not part of the output. Pure; no I/O.
std::string emit_manifest(const Manifest &manifest, const EmitComments &comments = {});

}  // namespace omnicron
