#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plan.h"
#include "posix/crontab_block.h"
#include "posix/crontab_text.h"

namespace omnicron::posix {

// What a sync of one namespace would do to one table: the plan, and the
// table's whole new text (the same text when nothing changes).
struct CrontabChange {
  Plan plan;
  std::string new_table;
  // Problems in the table that concern this namespace (a block without its
  // end marker, lines in the block that belong to no job), for the operator.
  std::vector<std::string> warnings;
};

// Debian's crontab refuses a table of more lines than this, comments
// included (cron-facts.md).
inline constexpr std::size_t kMaxCrontabLines = 10000;

// The registrations as compiled from the manifest, and as installed.
std::vector<Registration> registrations(const CrontabBlock& block);
std::vector<Registration> registrations(const ParsedBlock* block);

// Pure: plans `wanted` against the current table text. An empty block
// removes the namespace's block; otherwise the block is replaced in place or
// appended. Every byte outside the block stays as it was. Throws
// omnicron::Error (kind backend) when the table's block for this namespace is
// too broken to replace safely, or when the new table would be longer than
// crontab accepts (nothing is then written).
CrontabChange plan_crontab(const CrontabBlock& wanted, const std::string& table);

// Pure: removing a namespace's block from the table text.
CrontabChange plan_removal(const std::string& namespace_, const std::string& table);

}  // namespace omnicron::posix
