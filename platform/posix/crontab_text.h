#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace omnicron::posix {

// The pure text layer of a crontab: any table as `crontab -l` prints it (or an
// /etc/cron.d file) split into the parts omnicron owns and the parts it must
// never touch. No OS calls, no files.
//
// A block is recognised only when it is complete:
//   # >>> omnicron NS …            begin marker, at the start of a line
//   # omnicron job=NAME digest=XXXXXXXX[ disabled][ shell][ description=TEXT]
//   LINE…
//   # <<< omnicron NS              the first matching end marker
// with no other begin marker in between. Markers may carry trailing blanks or
// a CR (an editor's doing); entry lines are taken byte for byte.
//
// Whatever cannot be delimited safely stays foreign and is reported:
//  - A begin marker without its end marker (before the end of the table or
//    the next begin marker) is one foreign line, and so is everything after
//    it. Writing that namespace is refused: replacing the lines we cannot
//    delimit could leave the old jobs running beside the new ones.
//  - An end marker without a begin marker is a foreign line.
// And inside a complete block:
//  - A second complete block of a namespace is kept as a block, but writing
//    that namespace is refused until a person removes one of them.
//  - Lines before the block's first job marker belong to no job ("stray");
//    they are reported and, like any edit inside a block, overwritten by the
//    next write of the block.

// Something odd about the table, with the 1-based line it is on.
struct CrontabProblem {
  int line = 0;
  std::string namespace_;       // the block it concerns; empty for none
  std::string message;          // without the "line N: " prefix
  bool blocks_writes = false;   // replace_block refuses this namespace
  // "line 12: block 'crm' has no end marker '# <<< omnicron crm'; …"
  std::string to_string() const;
};

// One job inside an omnicron block, as found in the table.
struct ParsedEntry {
  std::string job;
  std::string digest;              // as written on the marker
  bool enabled = true;             // false when the marker says " disabled"
  bool shell = false;              // the marker says " shell": a `shell:` job
  std::string description;         // the marker's " description=", unescaped
  int line = 0;                    // the marker's line; its lines follow it
  std::vector<std::string> lines;  // as written (a disabled one's with "# "),
                                   // without the line end but with any CR
  // The lines no longer match the digest: someone edited, added, removed,
  // commented or uncommented them by hand.
  bool edited_by_hand = false;
};

struct ParsedBlock {
  std::string namespace_;
  std::optional<std::string> source;  // the manifest named on the begin marker
  int begin_line = 0;
  int end_line = 0;
  std::vector<ParsedEntry> entries;
  std::vector<int> stray_lines;       // inside the block but in no job
  // The bytes the block occupies in the table, from its begin marker through
  // its end marker's line end (none when the table ends there). When omnicron
  // had to end the table's last foreign line before adding its blocks (see
  // replace_block), that newline belongs to the first of those blocks and
  // `text` starts with it; `separator_before` says so.
  // omnicron marks the begin marker of that block (see replace_block);
  // `separator_digest` is the mark's digest of the line it ended, whether or
  // not that line is still the one before the block.
  std::string text;
  bool separator_before = false;
  std::optional<std::string> separator_digest;

  // Whether anything inside differs from what omnicron wrote.
  bool edited_by_hand() const;
};

// Lines omnicron does not own, byte for byte.
struct ForeignText {
  std::string text;
  int first_line = 0;
};

using CrontabSegment = std::variant<ForeignText, ParsedBlock>;

struct ParsedCrontab {
  // In table order; the texts concatenated are the table, byte for byte.
  std::vector<CrontabSegment> segments;
  std::vector<CrontabProblem> problems;

  // The first complete block of the namespace, or null.
  const ParsedBlock* find_block(std::string_view namespace_) const;
  std::vector<const ParsedBlock*> blocks() const;
  // The foreign segments concatenated: what omnicron must never change.
  std::string foreign_text() const;
  // The whole table again.
  std::string text() const;
};

// Splits any crontab text into foreign text and omnicron blocks; never fails
// and never loses a byte.
ParsedCrontab parse_crontab(std::string_view text);

// The table with the namespace's block replaced by `block_text` (a complete
// block of that namespace as render_crontab_block writes it), in place, or
// appended at the end when the table has none, or removed when `block_text`
// is nullopt. Everything outside the block is kept byte for byte.
//
// A table whose last line has no final newline (crontab rejects one that ends
// in a job or an environment line) gets one before an appended block. That
// newline counts as omnicron's: it is written as part of the appended block,
// the last block is then written without a final newline (a comment line
// there is accepted), and removing the blocks takes the newline away again,
// so the foreign bytes come back exactly as they were. The block after the
// newline records it on its begin marker ("; omnicron ended the line above,
// digest=XXXXXXXX", the digest of the line it ended), and parse_crontab takes
// the newline as omnicron's only while that line is still right above the
// block. A line added by hand after the newline keeps its own newline, and
// one added below the block keeps omnicron's: removing the block then leaves
// the newline, as the foreign line before needs it. Tables written before
// the mark existed are read as those versions read them (a table ending in
// blocks whose last end marker has no final newline, after foreign text
// whose last line ended just before them); the block holding the separator
// gets the mark when it is next written. Other blocks keep their bytes: when
// the marked block is removed and another block follows it directly, that
// one takes the newline over unmarked, in the old form.
//
// Throws Error (backend) when the table has a problem that blocks writes to
// that namespace (a block without an end marker, two blocks of it), and Error
// (internal) when `block_text` is not one complete block of the namespace.
std::string replace_block(const ParsedCrontab& table, std::string_view namespace_,
                          const std::optional<std::string>& block_text);

// A job line of the foreign text, as `export --all` and `import` need it.
struct ForeignEntry {
  int line = 0;
  std::string text;                 // the line as written, without its end
  std::string schedule;             // five fields joined by single spaces, or @macro
  std::optional<std::string> user;  // the user column of an /etc/cron.d file
  std::string command;              // with crontab's escaping undone
  // The environment lines in force at this line, each name once with its last
  // value, in the order the names were first set.
  std::vector<std::pair<std::string, std::string>> environment;
  // The comment on the line directly above, without '#' and leading blanks.
  std::optional<std::string> description;
};

// A foreign line that is neither a comment, a blank line, an environment line
// nor a job omnicron could take over, and why.
struct UnexpressibleLine {
  int line = 0;
  std::string text;
  std::string reason;
};

// The job lines of the foreign text. Commented-out jobs are comments. Lines
// that look like jobs but cannot be expressed (a command with an unescaped
// '%', an unknown @macro, a missing command or user) and lines cron would not
// accept are added to `unexpressible`, so nothing is dropped silently. A
// trailing CR is taken as part of the line end here.
std::vector<ForeignEntry> parse_foreign_jobs(const ParsedCrontab& table, bool user_column,
                                             std::vector<UnexpressibleLine>& unexpressible);

// One job line on its own: its schedule, user (with `user_column`) and
// command with crontab's escaping undone, or why cron or omnicron could not
// take it (the reasons parse_foreign_jobs lists). `line` has no line end.
std::variant<ForeignEntry, std::string> parse_job_line(std::string_view line,
                                                       bool user_column);

// Undoes crontab's escaping of a command: "\%" is '%', "\\" is '\', any
// other backslash stays. Returns nullopt when an unescaped '%' ends the
// command (cron sends the rest to the job's standard input).
std::optional<std::string> crontab_unescape(std::string_view command);

}  // namespace omnicron::posix
