#pragma once

#include <set>
#include <string>
#include <vector>

#include "manifest/manifest.h"
#include "posix/crontab_text.h"

namespace omnicron::posix {

// One crontab to import: a saved `crontab -l`, or an /etc/cron.d file (with
// its user column).
struct CrontabSource {
  std::string name;  // as given, for comments and messages
  std::string text;
  bool user_column = false;
};

struct ImportResult {
  std::string manifest;  // YAML, a valid manifest (version 1)
  int jobs = 0;
  // Every line that could not become a job, "FILE:LINE: reason: text".
  std::vector<std::string> not_imported;
};

// Pure: turns the job lines of crontab files into a manifest, so a team can
// move an existing table into omnicron. Each job keeps its schedule (checked
// with omnicron's strict parser), its command as a `shell:` line (or run by
// the table's SHELL when that is not /bin/sh), the environment lines above it
// as `env`, the comment directly above as `description`, and a cron.d line's
// user as `run_as`. Names come from the program's file name. Lines that cannot
// be expressed are listed in the result and as comments at the end of the
// manifest, never dropped silently. omnicron's own blocks are not imported.
// The foreign job lines of one table as manifest jobs, the way
// import_crontabs describes, with the table line each came from; names are
// made unique against `taken`, which grows. Lines that cannot be expressed
// are added to `unexpressible`.
struct AdoptedJob {
  Job job;
  int line = 0;
  std::string text;  // the line as written
};
std::vector<AdoptedJob> adopt_foreign_jobs(const ParsedCrontab& table, bool user_column,
                                           std::set<std::string>& taken,
                                           std::vector<UnexpressibleLine>& unexpressible);

ImportResult import_crontabs(const std::vector<CrontabSource>& sources,
                             const std::string& namespace_);

}  // namespace omnicron::posix
