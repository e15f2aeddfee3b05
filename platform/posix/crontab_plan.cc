#include "posix/crontab_plan.h"

#include <algorithm>

#include <fmt/format.h>

#include "error.h"

namespace omnicron::posix {

std::vector<Registration> registrations(const CrontabBlock& block) {
  std::vector<Registration> out;
  for (const CrontabEntry& entry : block.entries) {
    Registration r{entry.job, entry.digest, {}, false};
    // The text as it stands in the table, so it compares with what is read.
    for (const auto& line : entry.lines) r.text.push_back((entry.enabled ? "" : "# ") + line);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<Registration> registrations(const ParsedBlock* block) {
  std::vector<Registration> out;
  if (!block) return out;
  for (const ParsedEntry& entry : block->entries)
    out.push_back({entry.job, entry.digest, entry.lines, entry.edited_by_hand});
  return out;
}

namespace {

std::vector<std::string> warnings_for(const ParsedCrontab& parsed, const std::string& ns) {
  std::vector<std::string> out;
  for (const CrontabProblem& p : parsed.problems)
    if (p.namespace_ == ns) out.push_back(p.to_string());
  return out;
}

std::size_t line_count(const std::string& text) {
  std::size_t n = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

}  // namespace

CrontabChange plan_crontab(const CrontabBlock& wanted, const std::string& table) {
  const ParsedCrontab parsed = parse_crontab(table);
  const ParsedBlock* installed = parsed.find_block(wanted.namespace_);
  CrontabChange change{make_plan(wanted.namespace_, registrations(wanted), registrations(installed)),
                       table, warnings_for(parsed, wanted.namespace_)};
  // Stray lines in the block are changes too: the next write drops them.
  const bool strays = installed && !installed->stray_lines.empty();
  if (!change.plan.has_changes() && !strays) return change;
  std::optional<std::string> text;
  if (!wanted.entries.empty()) text = render_crontab_block(wanted);
  change.new_table = replace_block(parsed, wanted.namespace_, text);
  const std::size_t lines = line_count(change.new_table);
  if (lines > kMaxCrontabLines)
    throw Error(ErrorKind::backend,
                fmt::format("the table would have {} lines; Debian's crontab refuses tables "
                            "of more than {} lines, comments included",
                            lines, kMaxCrontabLines));
  return change;
}

CrontabChange plan_removal(const std::string& namespace_, const std::string& table) {
  CrontabBlock nothing{namespace_, "", {}};
  return plan_crontab(nothing, table);
}

}  // namespace omnicron::posix
