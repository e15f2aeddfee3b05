#include "posix/crontab_import.h"

#include <variant>

#include <fmt/format.h>

#include "cron/cron_expression.h"
#include "manifest/emit.h"

namespace omnicron::posix {

namespace {

// A job name from the command: the file name of its first word, reduced to
// what a manifest allows ([a-z0-9][a-z0-9._-]*), made unique with -2, -3….
std::string job_name(const std::string& command, std::set<std::string>& taken) {
  std::string word = command.substr(0, command.find_first_of(" \t;|&<>"));
  if (auto slash = word.rfind('/'); slash != std::string::npos) word = word.substr(slash + 1);
  std::string name;
  for (char c : word) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool ok = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') ||
                    lower == '.' || lower == '_' || lower == '-';
    if (ok) name += lower;
  }
  while (!name.empty() && (name.front() == '.' || name.front() == '_' || name.front() == '-'))
    name.erase(0, 1);
  if (name.empty()) name = "job";
  std::string unique = name;
  for (int n = 2; taken.count(unique); ++n) unique = fmt::format("{}-{}", name, n);
  taken.insert(unique);
  return unique;
}

}  // namespace

std::vector<AdoptedJob> adopt_foreign_jobs(const ParsedCrontab& table, bool user_column,
                                           std::set<std::string>& taken,
                                           std::vector<UnexpressibleLine>& unexpressible) {
  std::vector<AdoptedJob> out;
  for (const ForeignEntry& entry : parse_foreign_jobs(table, user_column, unexpressible)) {
    const auto parsed = cron::CronExpression::try_parse(entry.schedule);
    if (const auto* error = std::get_if<cron::SyntaxError>(&parsed)) {
      unexpressible.push_back({entry.line, entry.text, error->message});
      continue;
    }
    Job job;
    job.name = job_name(entry.command, taken);
    JobSettings& s = job.settings;
    if (entry.description) s.description = *entry.description;
    ScheduleItem item;
    item.cron = entry.schedule;
    s.schedule = Schedule{{item}};
    std::string shell = "/bin/sh";
    for (const auto& [name, value] : entry.environment) {
      if (name == "SHELL")
        shell = value;
      else
        s.env[name] = value;
    }
    // Cron runs the command with the table's SHELL; only /bin/sh is what a
    // manifest's `shell:` means.
    Command command;
    if (shell == "/bin/sh")
      command.shell = entry.command;
    else
      command.argv = {shell, "-c", entry.command};
    s.command = std::move(command);
    if (entry.user) s.run_as = *entry.user == "root" ? "system" : *entry.user;
    out.push_back({std::move(job), entry.line, entry.text});
  }
  return out;
}

ImportResult import_crontabs(const std::vector<CrontabSource>& sources,
                             const std::string& namespace_) {
  ImportResult result;
  std::set<std::string> taken;
  Manifest manifest;
  manifest.namespace_ = namespace_;
  for (const CrontabSource& source : sources) {
    std::vector<UnexpressibleLine> unexpressible;
    for (AdoptedJob& adopted :
         adopt_foreign_jobs(parse_crontab(source.text), source.user_column, taken, unexpressible))
      manifest.jobs.push_back(std::move(adopted.job));
    for (const auto& line : unexpressible)
      result.not_imported.push_back(
          fmt::format("{}:{}: {}: {}", source.name, line.line, line.reason, line.text));
  }
  result.jobs = static_cast<int>(manifest.jobs.size());

  EmitComments comments;
  std::string from = "Imported by omnicron from";
  for (const CrontabSource& source : sources) from += " " + source.name;
  comments.header.push_back(from + "; review it before syncing.");
  if (!result.not_imported.empty()) {
    comments.footer.push_back("Not imported, because a manifest cannot express them:");
    for (const auto& line : result.not_imported) comments.footer.push_back("  " + line);
  }
  result.manifest = emit_manifest(manifest, comments);
  return result;
}

}  // namespace omnicron::posix
