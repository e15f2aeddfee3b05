#include "posix/crontab_target.h"

#include <fmt/format.h>

#include "error.h"

namespace omnicron::posix {

CrontabTable CrontabTable::from_spec(std::string_view spec, std::optional<std::string> user) {
  CrontabTable table;
  if (spec == "crontab") {
    table.target_ = CrontabTarget{std::move(user), {}};
    return table;
  }
  auto file_target = [&](std::string_view prefix, CronFileTarget::Kind kind) {
    const std::string path(spec.substr(prefix.size()));
    if (path.empty())
      throw Error(ErrorKind::usage, fmt::format("--target {}: give a path after '{}'", spec, prefix));
    if (user)
      throw Error(ErrorKind::usage,
                  "--user applies to --target crontab only; a cron file names its users itself");
    table.target_ = CronFileTarget{path, kind};
  };
  if (spec.rfind("cron.d:", 0) == 0) {
    file_target("cron.d:", CronFileTarget::Kind::cron_d);
    const std::string name = std::get<CronFileTarget>(table.target_).path.filename().string();
    if (auto problem = cron_d_name_problem(name))
      throw Error(ErrorKind::usage, fmt::format("--target {}: {}", spec, *problem));
    return table;
  }
  if (spec.rfind("file:", 0) == 0) {
    file_target("file:", CronFileTarget::Kind::plain);
    return table;
  }
  throw Error(ErrorKind::usage,
              fmt::format("unknown --target '{}'; use crontab, cron.d:/etc/cron.d/NAME or "
                          "file:PATH",
                          spec));
}

std::string CrontabTable::describe() const {
  if (const auto* t = std::get_if<CrontabTarget>(&target_))
    return t->user ? "the crontab of user " + *t->user : std::string("your crontab");
  const auto& f = std::get<CronFileTarget>(target_);
  return "the cron file " + f.path.string();
}

bool CrontabTable::has_user_column() const {
  const auto* f = std::get_if<CronFileTarget>(&target_);
  return f && f->kind == CronFileTarget::Kind::cron_d;
}

std::string CrontabTable::read() const {
  if (const auto* t = std::get_if<CrontabTarget>(&target_))
    return read_crontab(*t).value_or(std::string());
  return read_cron_file(std::get<CronFileTarget>(target_)).value_or(std::string());
}

std::optional<std::string> CrontabTable::update(const StateDir& state,
                                                const TableChange& change) const {
  if (const auto* t = std::get_if<CrontabTarget>(&target_)) return update_crontab(state, *t, change);
  return update_cron_file(state, std::get<CronFileTarget>(target_), change);
}

std::optional<std::string> CrontabTable::restore(const StateDir& state) const {
  if (const auto* t = std::get_if<CrontabTarget>(&target_)) return restore_crontab(state, *t);
  return restore_cron_file(state, std::get<CronFileTarget>(target_));
}

}  // namespace omnicron::posix
