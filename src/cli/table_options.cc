#include "cli/table_options.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

#include "cli/zones.h"
#include "posix/compile_memo.h"

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

namespace {

// The binary's path, device, inode, size and times: a rebuilt or upgraded
// omnicron may compile differently, so its memos must not be used. Nothing
// when the system cannot say (no /proc), and then nothing is remembered.
std::optional<std::string> binary_identity() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  struct stat st {};
  if (ec || ::stat(exe.c_str(), &st) != 0) return std::nullopt;
  return fmt::format("{} {}:{} {} {}.{:09} {}.{:09}", exe.string(), st.st_dev, st.st_ino,
                     st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_ctim.tv_sec,
                     st.st_ctim.tv_nsec);
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

}  // namespace

std::optional<posix::CrontabBlock> compile_remembered(const std::string& path,
                                                      const TableOptions& options,
                                                      const posix::CrontabTable& table,
                                                      const posix::StateDir& state) {
  std::string text = read_manifest_text(path);
  std::optional<posix::CompileInputs> inputs;
  if (auto binary = binary_identity()) {
    // Every input of compile_for_table besides the manifest: the options it
    // copies into CrontabOptions and what the zone lookups read.
    const char* tzdir = std::getenv("TZDIR");
    inputs = posix::CompileInputs{
        *binary, absolute_path(path), text, table.describe(),
        fmt::format("runner={}\nuser_column={}\nstrict={}\nzone={}\ntzdir={}",
                    options.omnicron_path, table.has_user_column(), options.strict,
                    system_zone().name(), tzdir ? tzdir : "")};
    if (auto memo = state.read_memo(posix::memo_file_name(*inputs))) {
      if (auto block = posix::remembered_block(*memo, *inputs)) return block;
    }
  }
  ManifestFile file = load_manifest_file(path, std::move(text));
  auto block = compile_for_table(file, options, table);
  if (block && inputs && file.result.diagnostics.items().empty()) {
    state.write_memo(posix::memo_file_name(*inputs), posix::memo_text(*inputs, *block));
  }
  keep_until_exit(std::make_shared<ManifestFile>(std::move(file)));
  return block;
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
