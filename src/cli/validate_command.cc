// omnicron validate [FILE] [--json]
//
// Checks a manifest and reports every problem in it at once, each with
// file:line:col, the field, the source line and a caret. Exit 0 when valid
// (warnings allowed), 2 when there are errors.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/manifest_file.h"

namespace omnicron::cli {

namespace {

struct ValidateOptions {
  std::string file = "jobs.yaml";
  bool json = false;
};

int run_validate(const ValidateOptions& options) {
  ManifestFile file = read_manifest(options.file);
  const Diagnostics& diagnostics = file.result.diagnostics;
  const Manifest& manifest = file.result.manifest;
  const bool valid = !diagnostics.has_errors();

  if (options.json) {
    nlohmann::json out = {{"file", file.path},
                          {"valid", valid},
                          {"diagnostics", diagnostics_json(diagnostics)}};
    if (valid) {
      out["namespace"] = manifest.namespace_;
      out["jobs"] = nlohmann::json::array();
      for (const Job& job : manifest.jobs) out["jobs"].push_back(job.name);
    }
    std::puts(out.dump(2).c_str());
    return valid ? 0 : 2;
  }

  print_diagnostics(file, diagnostics);
  if (!valid) {
    const std::size_t errors = diagnostics.error_count();
    std::fputs(fmt::format("{}: {} error{}\n", file.path, errors,
                           errors == 1 ? "" : "s")
                   .c_str(),
               stderr);
    return 2;
  }
  std::fputs(fmt::format("{}: valid, {} job{} in namespace '{}'\n", file.path,
                         manifest.jobs.size(), manifest.jobs.size() == 1 ? "" : "s",
                         manifest.namespace_)
                 .c_str(),
             stdout);
  return 0;
}

}  // namespace

void setup_validate(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* sub = app.add_subcommand(
      "validate", "Check a manifest and report every problem in it at once");
  sub->add_option("file", options->file, "The manifest (default: jobs.yaml)");
  sub->add_option("-f,--file", options->file, "The manifest, as the other commands take it");
  sub->add_flag("--json", options->json, "Print the result as JSON");
  sub->callback([options, &exit_code] { exit_code = run_validate(*options); });
}

}  // namespace omnicron::cli
