#include "posix/crontab_import.h"

#include <set>
#include <variant>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "cron/cron_expression.h"

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

ImportResult import_crontabs(const std::vector<CrontabSource>& sources,
                             const std::string& namespace_) {
  ImportResult result;
  std::set<std::string> taken;
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "version" << YAML::Value << 1;
  out << YAML::Key << "namespace" << YAML::Value << namespace_;
  out << YAML::Key << "jobs" << YAML::Value << YAML::BeginMap;
  for (const CrontabSource& source : sources) {
    const ParsedCrontab table = parse_crontab(source.text);
    std::vector<UnexpressibleLine> unexpressible;
    for (const ForeignEntry& entry : parse_foreign_jobs(table, source.user_column, unexpressible)) {
      const auto parsed = cron::CronExpression::try_parse(entry.schedule);
      if (const auto* error = std::get_if<cron::SyntaxError>(&parsed)) {
        unexpressible.push_back({entry.line, entry.text, error->message});
        continue;
      }
      std::string shell = "/bin/sh";
      std::vector<std::pair<std::string, std::string>> env;
      for (const auto& [name, value] : entry.environment) {
        if (name == "SHELL")
          shell = value;
        else
          env.emplace_back(name, value);
      }
      out << YAML::Key << job_name(entry.command, taken) << YAML::Value << YAML::BeginMap;
      if (entry.description)
        out << YAML::Key << "description" << YAML::Value << *entry.description;
      out << YAML::Key << "schedule" << YAML::Value << YAML::DoubleQuoted << entry.schedule;
      // Cron runs the command with the table's SHELL; only /bin/sh is what a
      // manifest's `shell:` means.
      if (shell == "/bin/sh") {
        out << YAML::Key << "shell" << YAML::Value << entry.command;
      } else {
        out << YAML::Key << "command" << YAML::Value << YAML::Flow << YAML::BeginSeq << shell
            << "-c" << entry.command << YAML::EndSeq;
      }
      if (!env.empty()) {
        out << YAML::Key << "env" << YAML::Value << YAML::BeginMap;
        for (const auto& [name, value] : env)
          out << YAML::Key << name << YAML::Value << YAML::DoubleQuoted << value;
        out << YAML::EndMap;
      }
      if (entry.user)
        out << YAML::Key << "run_as" << YAML::Value << (*entry.user == "root" ? "system" : *entry.user);
      out << YAML::EndMap;
      ++result.jobs;
    }
    for (const auto& line : unexpressible)
      result.not_imported.push_back(
          fmt::format("{}:{}: {}: {}", source.name, line.line, line.reason, line.text));
  }
  out << YAML::EndMap << YAML::EndMap;
  result.manifest = "# Imported by omnicron from";
  for (const CrontabSource& source : sources) result.manifest += " " + source.name;
  result.manifest += "; review it before syncing.\n";
  result.manifest += out.c_str();
  result.manifest += "\n";
  if (!result.not_imported.empty()) {
    result.manifest += "# Not imported, because a manifest cannot express them:\n";
    for (const auto& line : result.not_imported) result.manifest += "#   " + line + "\n";
  }
  return result;
}

}  // namespace omnicron::posix
