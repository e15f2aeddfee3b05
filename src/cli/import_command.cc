// omnicron import --format crontab FILE... [--user-column] [--namespace NS] [-o OUT]
// omnicron import --format task-xml FILE... [--namespace NS] [-o OUT]
//
// Turns crontab files that are not installed (a saved `crontab -l`, an
// /etc/cron.d file), or Task Scheduler task XML exported from Windows
// machines (`schtasks /query /xml`, Export-ScheduledTask), into a manifest,
// so a team can move existing jobs into omnicron. What cannot be expressed
// is listed, never dropped.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/task_import.h"
#include "error.h"
#include "file_path.h"
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

std::string read_whole(const std::string& path, std::string_view what) {
  std::ifstream in(file_path(path), std::ios::binary);
  if (!in) throw Error(ErrorKind::usage, fmt::format("cannot read {} '{}'", what, path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void warn(const std::string& line) { std::fputs((line + "\n").c_str(), stderr); }

void write_manifest(const ImportOptions& options, const std::string& manifest) {
  if (options.output.empty()) {
    std::fputs(manifest.c_str(), stdout);
    return;
  }
  std::ofstream out(file_path(options.output), std::ios::binary);
  out << manifest;
  if (!out.flush()) throw Error(ErrorKind::io, fmt::format("cannot write '{}'", options.output));
}

int run_import_crontab(const ImportOptions& options) {
  std::vector<posix::CrontabSource> sources;
  for (const auto& path : options.files)
    sources.push_back({path, read_whole(path, "crontab file"), options.user_column});
  const posix::ImportResult result = posix::import_crontabs(sources, options.namespace_);
  check_imported(result.manifest);
  for (const auto& line : result.not_imported) warn(fmt::format("warning: not imported: {}", line));
  write_manifest(options, result.manifest);
  warn(fmt::format("imported {}, {} not imported", plural(static_cast<std::size_t>(result.jobs), "job"),
                   plural(result.not_imported.size(), "line")));
  return 0;
}

// One job per task file; a task that cannot become a job is listed with
// the reasons, and so is everything a job leaves out.
int run_import_task_xml(const ImportOptions& options) {
  TaskXmlImport import(options.namespace_,
                       std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  for (const std::string& path : options.files)
    import.add(path, read_whole(path, "task XML file"), utf8_string(file_path(path).stem()));
  std::string from = "Imported by omnicron from";
  for (const std::string& path : options.files) from += " " + path;
  write_manifest(options, import.emit(from + "; review it before syncing."));
  const std::size_t files_refused = options.files.size() - import.jobs();
  warn(fmt::format("imported {} from {}: {} exactly, {} in part; {} not imported",
                   plural(import.jobs(), "job"), plural(options.files.size(), "file"),
                   import.exact(), import.partly(), plural(files_refused, "file")));
  return 0;
}

int run_import(const ImportOptions& options) {
  if (options.format == "crontab") return run_import_crontab(options);
  if (options.format == "task-xml") {
    if (options.user_column)
      throw Error(ErrorKind::usage, "import: --user-column is for --format crontab only");
    return run_import_task_xml(options);
  }
  throw Error(ErrorKind::usage,
              fmt::format("import: unknown --format '{}'; available: crontab, task-xml", options.format));
}

}  // namespace

void setup_import(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* sub = app.add_subcommand(
      "import",
      "Turn crontab files that are not installed, or task XML exported from Windows, into a "
      "manifest");
  sub->add_option("--format", options->format, "What the files are: crontab or task-xml")
      ->required();
  sub->add_option("files", options->files,
                  "The crontab files, or the task XML files (UTF-16 or UTF-8), one job each")
      ->required();
  sub->add_flag("--user-column", options->user_column,
                "crontab: the files have a user column, as /etc/cron.d files do");
  sub->add_option("--namespace", options->namespace_,
                  "The namespace of the new manifest (default: imported)");
  sub->add_option("-o,--output", options->output, "Write the manifest here, not to stdout");
  sub->callback([options, &exit_code] { exit_code = run_import(*options); });
}

}  // namespace omnicron::cli
