#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace omnicron::posix {

// A file in crontab format that omnicron writes itself instead of going
// through `crontab`.
struct CronFileTarget {
  enum class Kind {
    // A plain crontab-format file anywhere (five time fields, no user).
    plain,
    // A system table such as /etc/cron.d/NAME (with the user column). Its
    // name must be one cron reads, and it is written owned by root.
    cron_d,
  };
  std::filesystem::path path;
  Kind kind = Kind::plain;
};

// Why Debian's cron would not read a /etc/cron.d file called NAME, or nothing
// when it would. cron, like run-parts, only reads names made of letters,
// digits, `_` and `-`; a name with a dot (`crm.cron`, `x.dpkg-old`) is
// skipped without a word in any log.
std::optional<std::string> cron_d_name_problem(std::string_view name);

// The file's text, or nothing when the file does not exist (an empty table).
std::optional<std::string> read_cron_file(const CronFileTarget& target);

// Replaces the file with TEXT atomically: a temporary file in the same
// folder is written, flushed to disk and renamed over the target, so cron
// and readers see the old table or the new one, never half of one. The file
// gets mode 0644 (cron ignores group- or world-writable files as INSECURE);
// a cron.d file is also owned by root:root and its name is checked first.
void write_cron_file(const CronFileTarget& target, std::string_view text);

// What write_cron_file and the backups share: writes TEXT to a temporary
// file beside PATH, sets MODE (and root:root ownership when ROOT_OWNED),
// flushes it to disk and renames it to PATH. With REPLACE false an existing
// PATH is left alone and the result is false.
bool write_file_atomically(const std::filesystem::path& path, std::string_view text,
                           unsigned mode, bool root_owned, bool replace);

}  // namespace omnicron::posix
