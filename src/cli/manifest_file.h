#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "manifest/load.h"

namespace omnicron::cli {

// A manifest read from disk: its text (for source excerpts in messages) and
// what the loader made of it.
struct ManifestFile {
  std::string path;
  std::string text;
  LoadResult result;
};

// Reads and loads a manifest. A path that is missing, a directory or
// unreadable throws omnicron::Error (kind io) with one clear line; bad
// contents become diagnostics. Also checks that every `timezone` names a zone
// in this machine's time zone database, which the core cannot look at.
ManifestFile read_manifest(const std::string& path);

// The two halves of read_manifest: reading the file (which throws as above)
// and loading its text.
std::string read_manifest_text(const std::string& path);
ManifestFile load_manifest_file(const std::string& path, std::string text);

// Keeps MEMORY alive until the process exits. A command reads one manifest
// and exits, and freeing a big manifest's tree or jobs piece by piece costs
// a fifth of its load; the kernel takes the memory back at exit at once.
// The pointer lives in a static, so leak checkers see the memory as still
// reachable, not lost.
void keep_until_exit(std::shared_ptr<const void> memory);

// Prints the diagnostics to stderr the way compilers do (file:line:col, the
// source line, a caret). Returns whether there were errors.
bool print_diagnostics(const ManifestFile& file, const Diagnostics& diagnostics);

nlohmann::json diagnostics_json(const Diagnostics& diagnostics);

}  // namespace omnicron::cli
