#include "cli/table_options.h"

#include <cstdlib>
#include <filesystem>

#include <cstdio>

#include <fmt/format.h>

#include "cli/zones.h"

namespace omnicron::cli {

void add_table_options(CLI::App& sub, TableOptions& options) {
  sub.add_option("--target", options.target,
                 "Where the jobs live: crontab (default), cron.d:/etc/cron.d/NAME or "
                 "file:PATH");
  sub.add_option("--user", options.user,
                 "With --target crontab: this user's table (crontab -u, as root)");
  sub.add_option("--omnicron", options.omnicron_path,
                 "Path of the omnicron binary the lines call (default: "
                 "/usr/local/bin/omnicron)");
  sub.add_flag("--strict", options.strict,
               "Treat warnings (such as a program without a path) as errors");
}

posix::CrontabTable open_table(const TableOptions& options) {
  std::optional<std::string> user;
  if (!options.user.empty()) user = options.user;
  return posix::CrontabTable::from_spec(options.target, user);
}

posix::StateDir open_state() {
  const char* dir = std::getenv("OMNICRON_STATE_DIR");
  posix::StateDir state(dir && *dir ? std::filesystem::path(dir) : posix::default_state_dir());
  // Another omnicron may hold the lock for a while (a slow `crontab`, a big
  // table); without a word the wait looks like a hang.
  state.set_wait_notice([](const std::string& table, const std::filesystem::path& lock) {
    std::fputs(fmt::format("omnicron: waiting for another omnicron to finish with {} "
                           "(lock {})…\n",
                           table, lock.string())
                   .c_str(),
               stderr);
    std::fflush(stderr);
  });
  return state;
}

std::optional<posix::CrontabBlock> compile_for_table(ManifestFile& file,
                                                     const TableOptions& options,
                                                     const posix::CrontabTable& table) {
  Diagnostics& diagnostics = file.result.diagnostics;
  if (diagnostics.has_errors()) {
    print_diagnostics(file, diagnostics);
    return std::nullopt;
  }
  posix::CrontabOptions crontab;
  crontab.omnicron_path = options.omnicron_path;
  if (table.has_user_column()) crontab.user_column = "root";
  crontab.system_timezone = std::string(system_zone().name());
  crontab.strict = options.strict;
  posix::CrontabBlock block =
      posix::compile_crontab_block(file.result.manifest, crontab, diagnostics);
  if (print_diagnostics(file, diagnostics)) return std::nullopt;
  // The block's header names the manifest by its absolute path, so whoever
  // reads the table later can find it.
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(file.path, ec);
  if (!ec) block.source = absolute.lexically_normal().string();
  return block;
}

nlohmann::json plan_json(const Plan& plan, const std::string& table) {
  nlohmann::json changes = nlohmann::json::array();
  for (const Change& c : plan.changes) {
    nlohmann::json change = {{"job", c.job},
                             {"action", std::string(to_string(c.kind))},
                             {"why", c.why}};
    change["before"] = c.before ? nlohmann::json(c.before->text) : nlohmann::json(nullptr);
    change["after"] = c.after ? nlohmann::json(c.after->text) : nlohmann::json(nullptr);
    changes.push_back(std::move(change));
  }
  return {{"namespace", plan.namespace_},
          {"target", table},
          {"has_changes", plan.has_changes()},
          {"changes", changes}};
}

Applied apply_to_table(const posix::CrontabTable& table, const posix::StateDir& state,
                       const std::function<posix::CrontabChange(const std::string&)>& plan_for) {
  Applied applied;
  std::optional<std::string> after = table.update(state, [&](const std::string& current) {
    applied.change = plan_for(current);
    return applied.change.new_table == current
               ? std::nullopt
               : std::optional<std::string>(applied.change.new_table);
  });
  applied.wrote = after.has_value();
  if (after) applied.after = std::move(*after);
  return applied;
}

void print_applied(const Applied& applied, const posix::CrontabTable& table, bool json,
                   const std::string& done, const std::string& nothing) {
  for (const auto& w : applied.change.warnings)
    std::fputs(fmt::format("warning: {}: {}\n", table.describe(), w).c_str(), stderr);
  if (json) {
    nlohmann::json out = plan_json(applied.change.plan, table.describe());
    out["written"] = applied.wrote;
    std::puts(out.dump(2).c_str());
    return;
  }
  std::fputs(render_plan(applied.change.plan).c_str(), stdout);
  std::fputs(((applied.wrote ? done : nothing) + "\n").c_str(), stdout);
}

}  // namespace omnicron::cli
