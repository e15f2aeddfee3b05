#pragma once

#include <optional>
#include <string>
#include <vector>

namespace omnicron {

// One job as a backend registers it, in the backend's own words: the lines
// of a crontab entry, or a task's XML. The digest fingerprints what omnicron
// compiled; `edited` says the installed text no longer matches its digest
// (someone changed it by hand).
struct Registration {
  std::string job;
  std::string digest;
  std::vector<std::string> text;
  bool edited = false;

  friend bool operator==(const Registration&, const Registration&) = default;
};

enum class ChangeKind { unchanged, create, update, remove };

std::string_view to_string(ChangeKind kind);

struct Change {
  ChangeKind kind = ChangeKind::unchanged;
  std::string job;
  std::optional<Registration> before;  // what is installed
  std::optional<Registration> after;   // what the manifest wants
  std::string why;                     // one phrase for the operator
};

// The change set that makes what is installed match what is wanted, as a
// plain value (Terraform's plans): rendering and applying it are someone
// else's business.
struct Plan {
  std::string namespace_;
  std::vector<Change> changes;  // wanted jobs in manifest order, then removals

  bool has_changes() const;
  std::size_t count(ChangeKind kind) const;
};

// A pure function of two values. Jobs match by name; a job counts as
// unchanged only when its digest and its installed text are both as wanted.
Plan make_plan(std::string namespace_, const std::vector<Registration>& wanted,
               const std::vector<Registration>& installed);

// The plan for people: one line per job with a sign (+ create, ~ update,
// - remove), the reason, and the lines before and after for each change;
// unchanged jobs are counted, not listed.
std::string render_plan(const Plan& plan);

}  // namespace omnicron
