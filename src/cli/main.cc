// omnicron: one YAML job manifest, every OS scheduler.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "error.h"

int main(int argc, char** argv) {
  CLI::App app{
      "omnicron: one YAML job manifest as the single source of truth for scheduled "
      "jobs on every OS.\n\nExit codes: 0 success, 1 failure while talking to the "
      "system, 2 bad usage or an invalid manifest.",
      "omnicron"};
  app.set_version_flag("--version", "omnicron " OMNICRON_VERSION);
  app.require_subcommand(1);
  // CLI11 takes "/name" for an option on Windows by default; omnicron's
  // options are "--name" everywhere, so a path such as /srv/jobs.yaml (which
  // Wine and Windows both accept) stays a path.
  app.allow_windows_style_options(false);
  int exit_code = 0;
  omnicron::cli::setup_validate(app, exit_code);
  omnicron::cli::setup_next(app, exit_code);
  omnicron::cli::setup_render(app, exit_code);
  omnicron::cli::setup_import(app, exit_code);
  omnicron::cli::setup_scheduler_commands(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0 in CLI11.
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fputs(fmt::format("omnicron: error: {}\nRun 'omnicron --help' for usage.\n",
                           e.what())
                   .c_str(),
               stderr);
    return 2;
  } catch (const omnicron::Error& e) {
    std::fflush(stdout);
    std::fputs(fmt::format("omnicron: error: {}\n", e.what()).c_str(), stderr);
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fputs(fmt::format("omnicron: internal error: {}\n", e.what()).c_str(), stderr);
    return 1;
  }
  return exit_code;
}
