#pragma once

#include <string>
#include <vector>

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
ImportResult import_crontabs(const std::vector<CrontabSource>& sources,
                             const std::string& namespace_);

}  // namespace omnicron::posix
