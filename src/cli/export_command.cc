// omnicron export [--namespace NS | --all] [-o FILE] [--target T] [--user U]
//
// Writes a manifest of what is installed: one namespace's jobs, decompiled
// from the lines omnicron wrote, or with --all every block and every other
// job line of the table. Syncing the export of a namespace writes nothing.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/table_options.h"
#include "cli/zones.h"
#include "error.h"
#include "manifest/load.h"
#include "posix/crontab_export.h"

namespace omnicron::cli {

namespace {

struct ExportCliOptions {
  std::string namespace_;
  bool all = false;
  std::string output;
  TableOptions table;
};

std::string list_namespaces(const posix::ParsedCrontab &parsed) {
  std::string out;
  for (const posix::ParsedBlock *block : parsed.blocks())
    out += (out.empty() ? "" : ", ") + block->namespace_;
  return out;
}

// The one block to export: the one named, or the only one there is.
const posix::ParsedBlock &choose_block(const posix::ParsedCrontab &parsed,
                                       const std::string &namespace_,
                                       const posix::CrontabTable &table) {
  const auto blocks = parsed.blocks();
  if (!namespace_.empty()) {
    if (const posix::ParsedBlock *block = parsed.find_block(namespace_)) return *block;
    throw Error(ErrorKind::usage,
                blocks.empty()
                    ? fmt::format("{} has no omnicron jobs; '--all' exports its other job "
                                  "lines",
                                  table.describe())
                    : fmt::format("{} has no namespace '{}'; it has: {}", table.describe(),
                                  namespace_, list_namespaces(parsed)));
  }
  if (blocks.size() == 1) return *blocks.front();
  if (blocks.empty())
    throw Error(ErrorKind::usage,
                fmt::format("{} has no omnicron jobs; '--all' exports its other job lines",
                            table.describe()));
  throw Error(ErrorKind::usage,
              fmt::format("{} holds several namespaces ({}); choose one with --namespace, "
                          "or export everything with --all",
                          table.describe(), list_namespaces(parsed)));
}

// Written next to the destination and renamed over it, so an interrupted
// export never leaves half a manifest where a whole one was.
void write_atomically(const std::string &path, const std::string &text) {
  const std::string temporary = path + ".omnicron-tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw Error(ErrorKind::io, fmt::format("cannot write '{}'", temporary));
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw Error(ErrorKind::io, fmt::format("cannot write '{}'", path));
  }
}

int run_export(const ExportCliOptions &options) {
  const posix::CrontabTable table = open_table(options.table);
  const posix::ParsedCrontab parsed = posix::parse_crontab(table.read());

  posix::ExportOptions export_options;
  export_options.user_column = table.has_user_column();
  export_options.system_timezone = std::string(system_zone().name());
  export_options.table_name = table.describe();
  posix::ExportResult result;
  if (options.all) {
    const auto blocks = parsed.blocks();
    const std::string namespace_ = blocks.size() == 1 ? blocks.front()->namespace_ : "adopted";
    result = posix::export_table(parsed, namespace_, export_options);
  } else {
    result = posix::export_block(choose_block(parsed, options.namespace_, table), export_options);
  }
  const std::string text = posix::render_export(result);

  // Export must never hand the user a manifest omnicron itself refuses.
  const LoadResult check = load_manifest(text, "exported.yaml");
  if (check.diagnostics.has_errors()) {
    std::string why;
    for (const auto &d : check.diagnostics.items()) why += "\n  " + render(d, text);
    throw Error(ErrorKind::internal, "the exported manifest does not validate:" + why);
  }

  for (const auto &line : result.problems)
    std::fputs(fmt::format("warning: {}\n", line).c_str(), stderr);
  if (options.output.empty())
    std::fputs(text.c_str(), stdout);
  else
    write_atomically(options.output, text);
  const std::size_t jobs = result.manifest.jobs.size();
  std::string summary =
      fmt::format("exported {} job{} from {}", jobs, jobs == 1 ? "" : "s", table.describe());
  if (options.all) summary += fmt::format(" ({} adopted from other lines)", result.adopted);
  if (!result.problems.empty())
    summary += fmt::format("; {} not exported exactly (see the warnings)", result.problems.size());
  std::fputs((summary + "\n").c_str(), stderr);
  return 0;
}

}  // namespace

void setup_export(CLI::App &app, int &exit_code) {
  auto options = std::make_shared<ExportCliOptions>();
  CLI::App *sub = app.add_subcommand("export", "Write a manifest of what is installed");
  auto *ns = sub->add_option("--namespace", options->namespace_,
                             "The namespace to export (default: the only one installed)");
  auto *all = sub->add_flag("--all", options->all,
                            "Every namespace and every other job line of the table, the "
                            "latter marked as adopted");
  ns->excludes(all);
  sub->add_option("-o,--output", options->output, "Write the manifest here, not to stdout");
  sub->add_option("--target", options->table.target,
                  "Where the jobs live: crontab (default), cron.d:/etc/cron.d/NAME or "
                  "file:PATH");
  sub->add_option("--user", options->table.user,
                  "With --target crontab: this user's table (crontab -u, as root)");
  sub->callback([options, &exit_code] { exit_code = run_export(*options); });
}

}  // namespace omnicron::cli
