// omnicron: one YAML job manifest, every OS scheduler.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "error.h"
#if defined(_WIN32)
#include "windows/system.h"
#endif

namespace {

void setup_commands(CLI::App& app, int& exit_code, const omnicron::cli::Wanted& wanted) {
  using namespace omnicron::cli;
  if (wanted("validate")) setup_validate(app, exit_code);
  if (wanted("next")) setup_next(app, exit_code);
  if (wanted("render")) setup_render(app, exit_code);
  if (wanted("import")) setup_import(app, exit_code);
  setup_scheduler_commands(app, exit_code, wanted);
}

// The command line as UTF-8 words, the program first. On Windows main()
// gets its arguments in the ANSI code page, which cannot hold every
// character of a manifest's path or of a job's arguments, so they are read
// from the UTF-16 command line instead.
std::vector<std::string> arguments(int argc, char** argv) {
#if defined(_WIN32)
  (void)argc;
  (void)argv;
  return omnicron::windows::command_line_arguments();
#else
  return {argv, argv + argc};
#endif
}

}  // namespace

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
  std::vector<std::string> words = arguments(argc, argv);
  const std::string_view first = words.size() > 1 ? std::string_view(words[1]) : "";
  setup_commands(app, exit_code,
                 first.starts_with('-') ? omnicron::cli::Wanted()
                                        : omnicron::cli::Wanted(first));
  // A first word that names no subcommand: CLI11 would only say that a
  // subcommand is required, so the message names the word and the choices.
  if (app.get_subcommands([](const CLI::App*) { return true; }).empty()) {
    setup_commands(app, exit_code, omnicron::cli::Wanted());
    if (!first.empty()) {
      std::string names;
      for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        names += (names.empty() ? "" : ", ") + sub->get_name();
      }
      std::fputs(fmt::format("omnicron: error: '{}' is not a subcommand; the subcommands are "
                             "{}\nRun 'omnicron --help' for usage.\n",
                             first, names)
                     .c_str(),
                 stderr);
      return 2;
    }
  }
  // CLI11 takes the words without the program's name, last first.
  std::vector<std::string> reversed(words.rbegin(), words.rend());
  if (!reversed.empty()) reversed.pop_back();

  try {
    app.parse(reversed);
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
