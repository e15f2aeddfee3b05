// omnicron import --format crontab FILE... [--user-column] [--namespace NS] [-o OUT]
//
// Turns crontab files that are not installed (a saved `crontab -l`, an
// /etc/cron.d file) into a manifest, so a team can move an existing table
// into omnicron. What cannot be expressed is listed, never dropped.
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "error.h"
#include "manifest/load.h"
#include "posix/crontab_import.h"

namespace omnicron::cli {

namespace {

struct ImportOptions {
  std::string format;
  std::vector<std::string> files;
  bool user_column = false;
  std::string namespace_ = "imported";
  std::string output;
};

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::usage, fmt::format("cannot read crontab file '{}'", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int run_import(const ImportOptions& options) {
  if (options.format != "crontab")
    throw Error(ErrorKind::usage,
                fmt::format("import: unknown --format '{}'; available: crontab", options.format));
  std::vector<posix::CrontabSource> sources;
  for (const auto& path : options.files)
    sources.push_back({path, read_whole(path), options.user_column});
  const posix::ImportResult result = posix::import_crontabs(sources, options.namespace_);

  // The importer must never hand the user a manifest omnicron itself refuses.
  const LoadResult check = load_manifest(result.manifest, "imported.yaml");
  if (check.diagnostics.has_errors()) {
    std::string why;
    for (const auto& d : check.diagnostics.items()) why += "\n  " + render(d, result.manifest);
    throw Error(ErrorKind::internal, "the imported manifest does not validate:" + why);
  }

  for (const auto& line : result.not_imported)
    std::fputs(fmt::format("warning: not imported: {}\n", line).c_str(), stderr);
  if (options.output.empty()) {
    std::fputs(result.manifest.c_str(), stdout);
  } else {
    std::ofstream out(options.output, std::ios::binary);
    out << result.manifest;
    if (!out.flush())
      throw Error(ErrorKind::io, fmt::format("cannot write '{}'", options.output));
  }
  std::fputs(fmt::format("imported {} job{}, {} line{} not imported\n", result.jobs,
                         result.jobs == 1 ? "" : "s", result.not_imported.size(),
                         result.not_imported.size() == 1 ? "" : "s")
                 .c_str(),
             stderr);
  return 0;
}

}  // namespace

void setup_import(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* sub = app.add_subcommand(
      "import", "Turn crontab files that are not installed into a manifest");
  sub->add_option("--format", options->format, "What the files are: crontab")->required();
  sub->add_option("files", options->files, "The crontab files")->required();
  sub->add_flag("--user-column", options->user_column,
                "The files have a user column, as /etc/cron.d files do");
  sub->add_option("--namespace", options->namespace_,
                  "The namespace of the new manifest (default: imported)");
  sub->add_option("-o,--output", options->output, "Write the manifest here, not to stdout");
  sub->callback([options, &exit_code] { exit_code = run_import(*options); });
}

}  // namespace omnicron::cli
