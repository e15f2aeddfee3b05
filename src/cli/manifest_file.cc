#include "cli/manifest_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/zones.h"
#include "error.h"
#include "file_path.h"
#if defined(__linux__)
#include "posix/heap_hint.h"
#endif

namespace omnicron::cli {

std::string read_manifest_text(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(file_path(path), ec))
    throw Error(ErrorKind::usage,
                fmt::format("cannot read manifest '{}': it is a directory; name a YAML "
                            "file such as {}/jobs.yaml",
                            path, path));
  std::ifstream in(file_path(path), std::ios::binary);
  if (!in) {
    const int code = errno;
    // A name that does not exist is the caller's mistake; anything else
    // (permissions, I/O) is the system's answer.
    throw Error(code == ENOENT ? ErrorKind::usage : ErrorKind::io,
                fmt::format("cannot read manifest '{}'", path))
        .with_native(code, std::strerror(code));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw Error(ErrorKind::io, fmt::format("cannot read manifest '{}'", path));
  return text.str();
}

namespace {

void check_timezones(ManifestFile& file) {
  const Manifest& manifest = file.result.manifest;
  // Merging every job's settings only to find no zone is most of the cost of
  // this check on a big manifest, so jobs that cannot have one are skipped.
  const bool default_zone = manifest.defaults.timezone || manifest.defaults_posix.timezone ||
                            manifest.defaults_windows.timezone;
  for (const Job& job : manifest.jobs) {
    if (!default_zone && !job.settings.timezone && !job.posix.timezone && !job.windows.timezone)
      continue;
    for (Platform platform : {Platform::posix, Platform::windows}) {
      if (!runs_on(job, platform)) continue;
      EffectiveJob effective = effective_job(manifest, job, platform);
      if (!effective.timezone || zone_exists(*effective.timezone)) continue;
      SourceLocation where = job.where;
      for (const char* key : {"timezone", "posix.timezone", "windows.timezone"}) {
        auto it = job.field_locations.find(key);
        if (it != job.field_locations.end()) where = it->second;
      }
      file.result.diagnostics.error(
          where, "jobs." + job.name + ".timezone",
          fmt::format("unknown time zone '{}'; write an IANA name such as "
                      "Europe/Berlin or America/New_York",
                      *effective.timezone));
      break;
    }
  }
}

}  // namespace

ManifestFile read_manifest(const std::string& path) {
  return load_manifest_file(path, read_manifest_text(path));
}

ManifestFile load_manifest_file(const std::string& path, std::string text) {
  ManifestFile file;
  file.path = path;
  file.text = std::move(text);
  // A loaded manifest takes about 40 times its text in small allocations.
  // Below a quarter megabyte the hint would cost more than it saves.
#if defined(__linux__)
  if (file.text.size() >= (256 << 10)) posix::expect_heap_use(file.text.size() * 40);
#endif
  file.result = load_manifest(file.text, path);
  keep_until_exit(std::move(file.result.yaml_tree));
  if (!file.result.diagnostics.has_errors()) check_timezones(file);
  return file;
}

void keep_until_exit(std::shared_ptr<const void> memory) {
  static auto* const kept = new std::vector<std::shared_ptr<const void>>;
  kept->push_back(std::move(memory));
}

bool print_diagnostics(const ManifestFile& file, const Diagnostics& diagnostics) {
  for (const Diagnostic& d : diagnostics.items()) {
    // A diagnostic may point into the manifest or (rarely) elsewhere; only
    // show a source excerpt from the text we actually have.
    std::string_view source =
        d.where.file == file.path ? std::string_view(file.text) : std::string_view();
    std::fputs(render(d, source).c_str(), stderr);
  }
  return diagnostics.has_errors();
}

nlohmann::json diagnostics_json(const Diagnostics& diagnostics) {
  nlohmann::json out = nlohmann::json::array();
  for (const Diagnostic& d : diagnostics.items()) {
    out.push_back({{"severity", d.severity == Severity::error ? "error" : "warning"},
                   {"file", d.where.file},
                   {"line", d.where.line},
                   {"column", d.where.column},
                   {"field", d.field},
                   {"message", d.message},
                   {"hint", d.hint}});
  }
  return out;
}

}  // namespace omnicron::cli
