#pragma once

// Task XML into the jobs of a manifest: what `import --format task-xml` does
// with files exported from Windows, and what `export` does on Windows with
// the tasks of a Task Scheduler folder. One job per task; a task that cannot
// become a job is listed with its reasons, and so is everything a job leaves
// out (as comments above it in the manifest, and as warnings on stderr).

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/emit.h"
#include "manifest/manifest.h"

namespace omnicron::cli {

class TaskXmlImport {
 public:
  TaskXmlImport(std::string namespace_, std::chrono::sys_seconds now);

  // Adds the task whose XML is BYTES, read from SOURCE (a file, or a task's
  // path in Task Scheduler): its job, named after the task's URI (or
  // FILE_STEM), or the reasons it has none. XML that cannot be read is
  // listed the same way.
  void add(const std::string& source, std::string_view bytes, std::string_view file_stem);

  // The manifest, its comments saying where it came from (HEADER) and what
  // was not imported; checked to validate.
  std::string emit(const std::string& header) const;

  std::size_t jobs() const { return manifest_.jobs.size(); }
  std::size_t exact() const { return exact_; }
  std::size_t partly() const { return partly_; }

 private:
  Manifest manifest_;
  EmitComments comments_;
  std::chrono::sys_seconds now_;
  std::size_t exact_ = 0;
  std::size_t partly_ = 0;
  std::vector<std::string> refused_;  // "SOURCE: reason", for the footer
};

// Throws Error (internal) when TEXT, a manifest an importer made, does not
// validate: the importer must never hand the user a manifest omnicron itself
// refuses.
void check_imported(const std::string& text);

// "1 job", "3 files".
std::string plural(std::size_t n, std::string_view word);

}  // namespace omnicron::cli
