#include "cli/task_import.h"

#include <cstdio>
#include <set>

#include <fmt/format.h>

#include "error.h"
#include "manifest/load.h"
#include "tasksched/decompile_task.h"
#include "tasksched/task_xml_reader.h"

namespace omnicron::cli {

namespace {

void warn(const std::string& line) { std::fputs((line + "\n").c_str(), stderr); }

}  // namespace

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

TaskXmlImport::TaskXmlImport(std::string namespace_, std::chrono::sys_seconds now) : now_(now) {
  manifest_.namespace_ = std::move(namespace_);
}

void TaskXmlImport::add(const std::string& source, std::string_view bytes,
                        std::string_view file_stem) {
  tasksched::ReadTask task;
  try {
    task = tasksched::read_task_xml(bytes, source);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::validation) throw;
    const std::string where =
        e.where() && e.where()->known()
            ? fmt::format("line {}{}: ", e.where()->line,
                          e.where()->column > 0 ? fmt::format(", column {}", e.where()->column)
                                                : "")
            : std::string();
    warn(fmt::format("warning: {}: not imported: {}{}", source, where, e.message()));
    refused_.push_back(fmt::format("{}: {}{}", source, where, e.message()));
    return;
  }
  tasksched::DecompileOptions decompile;
  decompile.now = now_;
  tasksched::DecompiledTask result = tasksched::decompile_task(task, decompile);
  for (const auto& line : result.not_imported)
    warn(fmt::format("warning: {}: not imported: {}", source, line));
  for (const auto& line : result.changed) warn(fmt::format("note: {}: {}", source, line));
  if (!result.job) {
    for (const auto& line : result.not_imported)
      refused_.push_back(fmt::format("{}: {}", source, line));
    return;
  }
  Job job = std::move(*result.job);
  const std::string base = tasksched::job_name_for(task, file_stem);
  std::set<std::string> taken;
  for (const Job& other : manifest_.jobs) taken.insert(other.name);
  job.name = base;
  for (int n = 2; taken.count(job.name); ++n) job.name = fmt::format("{}-{}", base, n);

  std::vector<std::string>& above = comments_.before_job[job.name];
  above = result.comments;
  if (!result.not_imported.empty()) {
    above.push_back("Not imported, because a manifest cannot express it:");
    for (const auto& line : result.not_imported) above.push_back("  " + line);
  }
  if (!result.changed.empty()) {
    above.push_back("Imported in another form:");
    for (const auto& line : result.changed) above.push_back("  " + line);
  }
  (result.not_imported.empty() ? exact_ : partly_) += 1;
  manifest_.jobs.push_back(std::move(job));
}

std::string TaskXmlImport::emit(const std::string& header) const {
  EmitComments comments = comments_;
  comments.header.push_back(header);
  if (!refused_.empty()) {
    comments.footer.push_back("Not imported, because a manifest cannot express them:");
    for (const auto& line : refused_) comments.footer.push_back("  " + line);
  }
  std::string text = emit_manifest(manifest_, comments);
  check_imported(text);
  return text;
}

void check_imported(const std::string& text) {
  const LoadResult check = load_manifest(text, "imported.yaml");
  if (!check.diagnostics.has_errors()) return;
  std::string why;
  for (const auto& d : check.diagnostics.items()) why += "\n  " + render(d, text);
  throw Error(ErrorKind::internal, "the imported manifest does not validate:" + why);
}

}  // namespace omnicron::cli
