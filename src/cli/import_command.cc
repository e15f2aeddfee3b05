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
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "error.h"
#include "manifest/emit.h"
#include "manifest/load.h"
#include "posix/crontab_import.h"
#include "tasksched/decompile_task.h"
#include "tasksched/task_xml_reader.h"

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
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::usage, fmt::format("cannot read {} '{}'", what, path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void warn(const std::string& line) { std::fputs((line + "\n").c_str(), stderr); }

// The importer must never hand the user a manifest omnicron itself refuses.
void check_manifest(const std::string& manifest) {
  const LoadResult check = load_manifest(manifest, "imported.yaml");
  if (check.diagnostics.has_errors()) {
    std::string why;
    for (const auto& d : check.diagnostics.items()) why += "\n  " + render(d, manifest);
    throw Error(ErrorKind::internal, "the imported manifest does not validate:" + why);
  }
}

void write_manifest(const ImportOptions& options, const std::string& manifest) {
  if (options.output.empty()) {
    std::fputs(manifest.c_str(), stdout);
    return;
  }
  std::ofstream out(options.output, std::ios::binary);
  out << manifest;
  if (!out.flush()) throw Error(ErrorKind::io, fmt::format("cannot write '{}'", options.output));
}

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

int run_import_crontab(const ImportOptions& options) {
  std::vector<posix::CrontabSource> sources;
  for (const auto& path : options.files)
    sources.push_back({path, read_whole(path, "crontab file"), options.user_column});
  const posix::ImportResult result = posix::import_crontabs(sources, options.namespace_);
  check_manifest(result.manifest);
  for (const auto& line : result.not_imported) warn(fmt::format("warning: not imported: {}", line));
  write_manifest(options, result.manifest);
  warn(fmt::format("imported {}, {} not imported", plural(static_cast<std::size_t>(result.jobs), "job"),
                   plural(result.not_imported.size(), "line")));
  return 0;
}

// One job per task file; a task that cannot become a job is listed with
// the reasons, and so is everything a job leaves out.
int run_import_task_xml(const ImportOptions& options) {
  Manifest manifest;
  manifest.namespace_ = options.namespace_;
  EmitComments comments;
  std::set<std::string> taken;
  tasksched::DecompileOptions decompile;
  decompile.now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::size_t exact = 0;
  std::size_t partly = 0;
  std::vector<std::string> refused;  // "FILE: reason", for the footer

  for (const std::string& path : options.files) {
    const std::string bytes = read_whole(path, "task XML file");
    tasksched::ReadTask task;
    try {
      task = tasksched::read_task_xml(bytes, path);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::validation) throw;
      const std::string where =
          e.where() && e.where()->known()
              ? fmt::format("line {}{}: ", e.where()->line,
                            e.where()->column > 0 ? fmt::format(", column {}", e.where()->column) : "")
              : std::string();
      warn(fmt::format("warning: {}: not imported: {}{}", path, where, e.message()));
      refused.push_back(fmt::format("{}: {}{}", path, where, e.message()));
      continue;
    }
    tasksched::DecompiledTask result = tasksched::decompile_task(task, decompile);
    for (const auto& line : result.not_imported)
      warn(fmt::format("warning: {}: not imported: {}", path, line));
    for (const auto& line : result.changed) warn(fmt::format("note: {}: {}", path, line));
    if (!result.job) {
      for (const auto& line : result.not_imported) refused.push_back(fmt::format("{}: {}", path, line));
      continue;
    }
    Job job = std::move(*result.job);
    const std::string stem = std::filesystem::path(path).stem().string();
    const std::string base = tasksched::job_name_for(task, stem);
    job.name = base;
    for (int n = 2; taken.count(job.name); ++n) job.name = fmt::format("{}-{}", base, n);
    taken.insert(job.name);

    std::vector<std::string>& above = comments.before_job[job.name];
    above = result.comments;
    if (!result.not_imported.empty()) {
      above.push_back("Not imported, because a manifest cannot express it:");
      for (const auto& line : result.not_imported) above.push_back("  " + line);
    }
    if (!result.changed.empty()) {
      above.push_back("Imported in another form:");
      for (const auto& line : result.changed) above.push_back("  " + line);
    }
    (result.not_imported.empty() ? exact : partly) += 1;
    manifest.jobs.push_back(std::move(job));
  }

  std::string from = "Imported by omnicron from";
  for (const std::string& path : options.files) from += " " + path;
  comments.header.push_back(from + "; review it before syncing.");
  if (!refused.empty()) {
    comments.footer.push_back("Not imported, because a manifest cannot express them:");
    for (const auto& line : refused) comments.footer.push_back("  " + line);
  }
  const std::string text = emit_manifest(manifest, comments);
  check_manifest(text);
  write_manifest(options, text);

  const std::size_t files_refused = options.files.size() - manifest.jobs.size();
  warn(fmt::format("imported {} from {}: {} exactly, {} in part; {} not imported",
                   plural(manifest.jobs.size(), "job"), plural(options.files.size(), "file"), exact,
                   partly, plural(files_refused, "file")));
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
