#include "plan.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

namespace omnicron {

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::unchanged: return "unchanged";
    case ChangeKind::create: return "create";
    case ChangeKind::update: return "update";
    case ChangeKind::remove: return "remove";
  }
  return "unchanged";
}

bool Plan::has_changes() const {
  return std::any_of(changes.begin(), changes.end(),
                     [](const Change& c) { return c.kind != ChangeKind::unchanged; });
}

std::size_t Plan::count(ChangeKind kind) const {
  return static_cast<std::size_t>(std::count_if(
      changes.begin(), changes.end(), [kind](const Change& c) { return c.kind == kind; }));
}

Plan make_plan(std::string namespace_, const std::vector<Registration>& wanted,
               const std::vector<Registration>& installed) {
  Plan plan{std::move(namespace_), {}};
  // Indexed by job name: a table holds thousands of jobs and a sync plans
  // twice, so a search per job would be quadratic.
  std::unordered_map<std::string_view, const Registration*> by_name;
  for (const Registration& have : installed) by_name.emplace(have.job, &have);
  std::unordered_set<std::string_view> wanted_names;
  for (const Registration& want : wanted) {
    wanted_names.insert(want.job);
    const auto it = by_name.find(want.job);
    Change change{ChangeKind::create, want.job, std::nullopt, want, "not installed"};
    if (it != by_name.end()) {
      const Registration& have = *it->second;
      change.before = have;
      if (have.edited) {
        change.kind = ChangeKind::update;
        change.why = "edited by hand; the manifest's version replaces it";
      } else if (have.digest != want.digest || have.text != want.text) {
        change.kind = ChangeKind::update;
        change.why = "the manifest changed";
      } else {
        change.kind = ChangeKind::unchanged;
        change.why = "up to date";
      }
    }
    plan.changes.push_back(std::move(change));
  }
  for (const Registration& have : installed) {
    if (wanted_names.count(have.job)) continue;
    plan.changes.push_back(
        {ChangeKind::remove, have.job, have, std::nullopt, "no longer in the manifest"});
  }
  return plan;
}

std::string render_plan(const Plan& plan) {
  std::string out;
  for (const Change& c : plan.changes) {
    if (c.kind == ChangeKind::unchanged) continue;
    const char sign = c.kind == ChangeKind::create ? '+' : c.kind == ChangeKind::update ? '~' : '-';
    out += fmt::format("{} {}/{}: {} ({})\n", sign, plan.namespace_, c.job, to_string(c.kind),
                       c.why);
    if (c.before)
      for (const auto& line : c.before->text) out += "    - " + line + "\n";
    if (c.after)
      for (const auto& line : c.after->text) out += "    + " + line + "\n";
  }
  out += fmt::format("{}: {} to create, {} to update, {} to remove, {} unchanged\n",
                     plan.namespace_, plan.count(ChangeKind::create),
                     plan.count(ChangeKind::update), plan.count(ChangeKind::remove),
                     plan.count(ChangeKind::unchanged));
  return out;
}

}  // namespace omnicron
