// omnicron render --format crontab -f FILE [--user-column USER] [--omnicron PATH] [--json]
//
// Prints what the manifest would install, and installs nothing.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/manifest_file.h"
#include "cli/zones.h"
#include "error.h"
#include "posix/crontab_block.h"

namespace omnicron::cli {

namespace {

struct RenderOptions {
  std::string format;
  std::string file = "jobs.yaml";
  std::string user_column;
  std::string omnicron_path = "/usr/local/bin/omnicron";
  bool json = false;
};

int run_render(const RenderOptions& options) {
  if (options.format != "crontab")
    throw Error(ErrorKind::usage,
                fmt::format("render: unknown --format '{}'; available: crontab",
                            options.format));
  ManifestFile file = read_manifest(options.file);
  Diagnostics& diagnostics = file.result.diagnostics;
  if (diagnostics.has_errors()) {
    print_diagnostics(file, diagnostics);
    return 2;
  }

  posix::CrontabOptions crontab;
  crontab.omnicron_path = options.omnicron_path;
  if (!options.user_column.empty()) crontab.user_column = options.user_column;
  crontab.system_timezone = std::string(system_zone().name());
  const posix::CrontabBlock block =
      posix::compile_crontab_block(file.result.manifest, crontab, diagnostics);
  if (print_diagnostics(file, diagnostics)) {
    std::fputs(fmt::format("{}: cannot render for crontab; nothing was printed\n",
                           file.path)
                   .c_str(),
               stderr);
    return 2;
  }

  if (options.json) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& entry : block.entries)
      entries.push_back({{"job", entry.job},
                         {"digest", entry.digest},
                         {"enabled", entry.enabled},
                         {"lines", entry.lines}});
    nlohmann::json out = {{"format", "crontab"},
                          {"namespace", block.namespace_},
                          {"entries", entries},
                          {"text", posix::render_crontab_block(block)}};
    std::puts(out.dump(2).c_str());
    return 0;
  }
  std::fputs(posix::render_crontab_block(block).c_str(), stdout);
  return 0;
}

}  // namespace

void setup_render(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* sub = app.add_subcommand(
      "render", "Print what a manifest would install, without installing anything");
  sub->add_option("--format", options->format, "What to render: crontab")->required();
  sub->add_option("-f,--file", options->file, "The manifest (default: jobs.yaml)");
  sub->add_option("--user-column", options->user_column,
                  "Write this user after the time fields, as /etc/cron.d files need");
  sub->add_option("--omnicron", options->omnicron_path,
                  "Path of the omnicron binary the lines call (default: "
                  "/usr/local/bin/omnicron)");
  sub->add_flag("--json", options->json, "Print the result as JSON");
  sub->callback([options, &exit_code] { exit_code = run_render(*options); });
}

}  // namespace omnicron::cli
