#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "posix/cron_file.h"
#include "posix/crontab_io.h"
#include "posix/state_dir.h"

namespace omnicron::posix {

// Where a sync writes: a user's table through `crontab` (`--target crontab`,
// the default), an /etc/cron.d-style file with a user column
// (`--target cron.d:/etc/cron.d/NAME`), or a plain crontab-format file
// (`--target file:PATH`, for tests and review).
class CrontabTable {
 public:
  // Throws omnicron::Error (kind usage) for a spec it does not know, naming
  // the forms it does.
  static CrontabTable from_spec(std::string_view spec, std::optional<std::string> user);

  // "the crontab of user NAME", "the cron file /etc/cron.d/crm".
  std::string describe() const;
  bool has_user_column() const;

  // The table's text; empty when there is none.
  std::string read() const;
  // Under the state directory's lock: read, change, and (when `change` gives
  // new text) back up, write and check. Returns the table as read back after
  // the write, or nothing when it did not write.
  std::optional<std::string> update(const StateDir& state, const TableChange& change) const;
  // Puts the newest backup back; nothing when there is none.
  std::optional<std::string> restore(const StateDir& state) const;

 private:
  std::variant<CrontabTarget, CronFileTarget> target_;
};

}  // namespace omnicron::posix
