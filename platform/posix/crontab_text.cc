#include "posix/crontab_text.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include <fmt/format.h>

#include "error.h"
#include "posix/crontab_block.h"

namespace omnicron::posix {

namespace {

constexpr std::string_view kBeginPrefix = "# >>> omnicron ";
constexpr std::string_view kEndPrefix = "# <<< omnicron ";
constexpr std::string_view kEntryPrefix = "# omnicron job=";
constexpr std::string_view kSourcePrefix = " — generated from ";
constexpr std::string_view kSourceSuffix = "; edits inside are overwritten";
// Written at the end of the begin marker of the block before which omnicron
// added a newline to end a foreign last line (see replace_block), followed by
// the digest of that line. Recording the fact, instead of inferring it from
// where the blocks are, keeps a line someone adds by hand between or before
// the blocks from being taken for omnicron's newline and losing its own. The
// old parser reads such a marker as a block without a source.
constexpr std::string_view kSeparatorMark = "; omnicron ended the line above, digest=";
constexpr std::size_t kSeparatorDigestSize = 8;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// One line of the table: where it starts, where its content ends (before the
// '\n') and where the next line starts.
struct Line {
  std::size_t begin = 0;
  std::size_t content_end = 0;
  std::size_t end = 0;
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      lines.push_back({pos, text.size(), text.size()});
      break;
    }
    lines.push_back({pos, nl, nl + 1});
    pos = nl + 1;
  }
  return lines;
}

int line_number(std::size_t index) { return static_cast<int>(index) + 1; }

// Markers are recognised with trailing blanks or a CR after them, so an
// editor that adds either does not turn omnicron's block into foreign text
// (and a later write into a second copy of the jobs).
std::string_view marker_text(std::string_view content) {
  while (!content.empty() &&
         (is_blank(content.back()) || content.back() == '\r'))
    content.remove_suffix(1);
  return content;
}

// A namespace token: everything up to the first blank, at least one byte.
std::string_view take_token(std::string_view& rest) {
  std::size_t n = 0;
  while (n < rest.size() && !is_blank(rest[n])) ++n;
  std::string_view token = rest.substr(0, n);
  rest.remove_prefix(n);
  return token;
}

// The digest of the foreign line a separator ended, as the mark records it:
// 32-bit FNV-1a in hexadecimal. It only has to tell that line from one added
// by hand below it, not resist tampering.
std::string line_digest(std::string_view line) {
  std::uint32_t hash = 2166136261u;
  for (const char c : line) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return fmt::format("{:08x}", hash);
}

bool is_hex_digest(std::string_view s) {
  return s.size() == kSeparatorDigestSize &&
         std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The separator mark at the end of a begin marker's text, if any: where it
// starts in `rest` and the digest it records.
std::optional<std::pair<std::size_t, std::string>> find_separator_mark(std::string_view rest) {
  if (rest.size() < kSeparatorMark.size() + kSeparatorDigestSize) return std::nullopt;
  const std::size_t at = rest.size() - kSeparatorMark.size() - kSeparatorDigestSize;
  const std::string_view digest = rest.substr(at + kSeparatorMark.size());
  if (rest.substr(at, kSeparatorMark.size()) != kSeparatorMark || !is_hex_digest(digest))
    return std::nullopt;
  return std::pair{at, std::string(digest)};
}

// A block's text with the separator mark added to, or taken from, the end of
// its begin marker (before any trailing blanks or CR an editor left there).
std::string with_separator_mark(std::string_view block, std::string_view digest) {
  const std::size_t nl = block.find('\n');
  const std::size_t end = nl == std::string_view::npos ? block.size() : nl;
  const std::string_view marker = marker_text(block.substr(0, end));
  std::string out(marker);
  out += kSeparatorMark;
  out += digest;
  out += block.substr(marker.size());
  return out;
}

std::string without_separator_mark(std::string_view block) {
  const std::size_t nl = block.find('\n');
  const std::size_t end = nl == std::string_view::npos ? block.size() : nl;
  const std::string_view marker = marker_text(block.substr(0, end));
  const auto mark = find_separator_mark(marker);
  if (!mark) return std::string(block);
  std::string out(marker.substr(0, mark->first));
  out += block.substr(marker.size());
  return out;
}

struct BeginMarker {
  std::string namespace_;
  std::optional<std::string> source;
  std::optional<std::string> separator_digest;  // the mark's, when it has one
};

std::optional<BeginMarker> parse_begin(std::string_view content) {
  std::string_view rest = marker_text(content);
  if (!rest.starts_with(kBeginPrefix)) return std::nullopt;
  std::optional<std::string> separator_digest;
  if (auto mark = find_separator_mark(rest)) {
    rest = rest.substr(0, mark->first);
    separator_digest = std::move(mark->second);
  }
  rest.remove_prefix(kBeginPrefix.size());
  const std::string_view ns = take_token(rest);
  if (ns.empty()) return std::nullopt;
  BeginMarker marker{std::string(ns), std::nullopt, std::move(separator_digest)};
  if (rest.starts_with(kSourcePrefix) && rest.ends_with(kSourceSuffix) &&
      rest.size() >= kSourcePrefix.size() + kSourceSuffix.size()) {
    rest.remove_prefix(kSourcePrefix.size());
    rest.remove_suffix(kSourceSuffix.size());
    marker.source = std::string(rest);
  }
  return marker;
}

std::optional<std::string> parse_end(std::string_view content) {
  std::string_view rest = marker_text(content);
  if (!rest.starts_with(kEndPrefix)) return std::nullopt;
  rest.remove_prefix(kEndPrefix.size());
  const std::string_view ns = take_token(rest);
  if (ns.empty() || !rest.empty()) return std::nullopt;
  return std::string(ns);
}

std::optional<ParsedEntry> parse_entry_marker(std::string_view content) {
  std::string_view rest = marker_text(content);
  if (!rest.starts_with(kEntryPrefix)) return std::nullopt;
  rest.remove_prefix(kEntryPrefix.size());
  ParsedEntry entry;
  entry.job = std::string(take_token(rest));
  constexpr std::string_view kDigest = " digest=";
  if (entry.job.empty() || !rest.starts_with(kDigest)) return std::nullopt;
  rest.remove_prefix(kDigest.size());
  entry.digest = std::string(take_token(rest));
  if (entry.digest.empty()) return std::nullopt;
  // The flags come in the order render_crontab_block writes them; the
  // description, if any, is last and runs to the end of the line.
  constexpr std::string_view kDisabled = " disabled";
  constexpr std::string_view kShell = " shell";
  constexpr std::string_view kDescription = " description=";
  auto flag = [&rest](std::string_view word) {
    if (rest == word || rest.starts_with(std::string(word) + " ")) {
      rest.remove_prefix(word.size());
      return true;
    }
    return false;
  };
  if (flag(kDisabled)) entry.enabled = false;
  if (flag(kShell)) entry.shell = true;
  if (rest.starts_with(kDescription)) {
    rest.remove_prefix(kDescription.size());
    entry.description = unescape_marker_text(rest);
    rest = {};
  }
  if (!rest.empty()) return std::nullopt;
  return entry;
}

// The digest covers the lines as compiled; a disabled entry is written with
// every line commented out, so a line without "# " there means someone
// switched it back on by hand.
bool matches_digest(const ParsedEntry& entry) {
  std::vector<std::string> compiled;
  compiled.reserve(entry.lines.size());
  for (const auto& line : entry.lines) {
    if (entry.enabled) {
      compiled.push_back(line);
    } else {
      if (!line.starts_with("# ")) return false;
      compiled.push_back(line.substr(2));
    }
  }
  return crontab_digest(compiled, entry.enabled, entry.shell, entry.description) ==
         entry.digest;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), lines_(split_lines(text)) {}

  ParsedCrontab run() {
    for (std::size_t i = 0; i < lines_.size();) {
      if (auto begin = parse_begin(content(i))) {
        const std::optional<std::size_t> end = find_end(i, begin->namespace_);
        if (end) {
          add_block(i, *end, std::move(*begin));
          i = *end + 1;
          continue;
        }
      } else if (auto end_ns = parse_end(content(i))) {
        problem(i, *end_ns, false,
                fmt::format("end marker '{}{}' has no begin marker before it; the line is "
                            "left as it is",
                            kEndPrefix, *end_ns));
      }
      ++i;
    }
    flush_foreign(text_.size());
    attach_separator();
    return std::move(out_);
  }

 private:
  std::string_view content(std::size_t i) const {
    return text_.substr(lines_[i].begin, lines_[i].content_end - lines_[i].begin);
  }

  void problem(std::size_t i, std::string ns, bool blocks_writes, std::string message) {
    out_.problems.push_back({line_number(i), std::move(ns), std::move(message), blocks_writes});
  }

  // The first end marker of the namespace after line `begin`, unless another
  // begin marker comes first. Stopping at any begin marker keeps a block
  // whose end marker was lost from swallowing a later, complete block.
  std::optional<std::size_t> find_end(std::size_t begin, const std::string& ns) {
    for (std::size_t j = begin + 1; j < lines_.size(); ++j) {
      if (parse_begin(content(j))) {
        problem(begin, ns, true,
                fmt::format("block '{0}' has no end marker '{1}{0}' before the next block "
                            "starts on line {2}; its lines are left as they are and '{0}' "
                            "is not written until the end marker is put back after its "
                            "last job or the block is deleted by hand",
                            ns, kEndPrefix, line_number(j)));
        return std::nullopt;
      }
      if (auto end = parse_end(content(j)); end && *end == ns) return j;
    }
    problem(begin, ns, true,
            fmt::format("block '{0}' has no end marker '{1}{0}'; its lines are left as "
                        "they are and '{0}' is not written until the end marker is put "
                        "back after its last job or the block is deleted by hand",
                        ns, kEndPrefix));
    return std::nullopt;
  }

  void flush_foreign(std::size_t upto) {
    if (upto > foreign_begin_)
      out_.segments.emplace_back(ForeignText{
          std::string(text_.substr(foreign_begin_, upto - foreign_begin_)), foreign_line_});
  }

  void add_block(std::size_t first, std::size_t last, BeginMarker begin) {
    flush_foreign(lines_[first].begin);
    ParsedBlock block;
    block.namespace_ = std::move(begin.namespace_);
    block.source = std::move(begin.source);
    block.separator_digest = std::move(begin.separator_digest);
    block.begin_line = line_number(first);
    block.end_line = line_number(last);
    block.text = std::string(text_.substr(lines_[first].begin, lines_[last].end - lines_[first].begin));

    for (std::size_t k = first + 1; k < last; ++k) {
      if (auto entry = parse_entry_marker(content(k))) {
        entry->line = line_number(k);
        block.entries.push_back(std::move(*entry));
      } else if (block.entries.empty()) {
        block.stray_lines.push_back(line_number(k));
        problem(k, block.namespace_, false,
                fmt::format("block '{}' holds a line that belongs to no job; like any edit "
                            "inside the block it is overwritten when the block is written",
                            block.namespace_));
      } else {
        block.entries.back().lines.emplace_back(content(k));
      }
    }

    std::map<std::string, int> seen_jobs;
    for (ParsedEntry& entry : block.entries) {
      entry.edited_by_hand = !matches_digest(entry);
      auto [it, fresh] = seen_jobs.emplace(entry.job, entry.line);
      if (!fresh)
        problem(static_cast<std::size_t>(entry.line - 1), block.namespace_, false,
                fmt::format("block '{}' lists job '{}' a second time (first on line {})",
                            block.namespace_, entry.job, it->second));
    }

    auto [it, fresh] = first_block_line_.emplace(block.namespace_, block.begin_line);
    if (!fresh)
      problem(first, block.namespace_, true,
              fmt::format("a second block for namespace '{0}' (the first starts on line "
                          "{1}); '{0}' is not written until one of them is deleted by hand",
                          block.namespace_, it->second));

    out_.segments.emplace_back(std::move(block));
    foreign_begin_ = lines_[last].end;
    foreign_line_ = line_number(last + 1);
  }

  // The newline before a block is omnicron's separator when the block's
  // begin marker says so and the foreign line that newline ends is still the
  // one omnicron ended (its digest matches). A line added by hand below it
  // keeps its own newline, and the mark goes stale: the block is then read
  // as any other, and its next write drops the mark.
  //
  // Tables written before the mark existed have no mark anywhere; for them
  // the separator is inferred from where the blocks are, as those versions
  // did (see attach_legacy_separator).
  void attach_separator() {
    auto& segments = out_.segments;
    bool any_mark = false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      auto* block = std::get_if<ParsedBlock>(&segments[i]);
      if (!block || !block->separator_digest) continue;
      any_mark = true;
      auto* foreign = i > 0 ? std::get_if<ForeignText>(&segments[i - 1]) : nullptr;
      if (!foreign || !foreign->text.ends_with('\n')) continue;
      const std::string_view before =
          std::string_view(foreign->text).substr(0, foreign->text.size() - 1);
      const std::size_t nl = before.rfind('\n');
      const std::string_view line = nl == std::string_view::npos ? before : before.substr(nl + 1);
      if (line.empty() || line_digest(line) != *block->separator_digest) continue;
      foreign->text.pop_back();
      block->text.insert(0, 1, '\n');
      block->separator_before = true;
    }
    if (!any_mark) attach_legacy_separator();
  }

  // How versions without the mark found the separator: when a table ends in
  // blocks and the last end marker has no final newline, the newline before
  // the first of those blocks was added by replace_block to end a foreign
  // last line that had none. (A foreign part that already ended in a
  // newline, or an empty one, would have needed no separator.) A line added
  // by hand between the blocks is misread by this rule, which is why the
  // separator is now marked; replace_block marks it when the block holding
  // it is next written. The rule is not applied once any block carries a
  // mark, even a stale one: that table was written with marks, and a stale
  // mark means a line was added by hand, just where the rule goes wrong.
  void attach_legacy_separator() {
    auto& segments = out_.segments;
    if (segments.empty()) return;
    const auto* last = std::get_if<ParsedBlock>(&segments.back());
    if (!last || last->text.ends_with('\n')) return;
    std::size_t run = segments.size();
    while (run > 0 && std::holds_alternative<ParsedBlock>(segments[run - 1])) --run;
    if (run == 0) return;
    auto& foreign = std::get<ForeignText>(segments[run - 1]);
    const std::string& t = foreign.text;
    if (t.size() < 2 || t.back() != '\n' || t[t.size() - 2] == '\n') return;
    foreign.text.pop_back();
    auto& first = std::get<ParsedBlock>(segments[run]);
    first.text.insert(0, 1, '\n');
    first.separator_before = true;
  }

  std::string_view text_;
  std::vector<Line> lines_;
  ParsedCrontab out_;
  std::size_t foreign_begin_ = 0;
  int foreign_line_ = 1;
  std::map<std::string, int> first_block_line_;
};

// ---- Foreign jobs -------------------------------------------------------

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

void skip_blanks(std::string_view s, std::size_t& i) {
  while (i < s.size() && is_blank(s[i])) ++i;
}

// An environment setting as Debian's cron reads it (env.c, load_env): an
// optionally quoted name, blanks allowed around '=', and a value that is
// either quoted (the quotes are removed) or runs to the end of the line with
// trailing blanks removed. Cron tries this before it tries a job line.
std::optional<std::pair<std::string, std::string>> parse_env(std::string_view s) {
  std::size_t i = 0;
  skip_blanks(s, i);
  std::string name;
  if (i < s.size() && (s[i] == '\'' || s[i] == '"')) {
    const std::size_t close = s.find(s[i], i + 1);
    if (close == std::string_view::npos) return std::nullopt;
    name = std::string(s.substr(i + 1, close - i - 1));
    i = close + 1;
  } else {
    const std::size_t start = i;
    while (i < s.size() && !is_blank(s[i]) && s[i] != '=') ++i;
    name = std::string(s.substr(start, i - start));
  }
  if (name.empty()) return std::nullopt;
  skip_blanks(s, i);
  if (i >= s.size() || s[i] != '=') return std::nullopt;
  ++i;
  skip_blanks(s, i);
  if (i < s.size() && (s[i] == '\'' || s[i] == '"')) {
    const std::size_t close = s.find(s[i], i + 1);
    // An unclosed quote is no setting for cron, which then reads the line
    // as a (broken) job.
    if (close == std::string_view::npos) return std::nullopt;
    return std::pair{name, std::string(s.substr(i + 1, close - i - 1))};
  }
  std::string_view value = s.substr(i);
  while (!value.empty() && is_blank(value.back())) value.remove_suffix(1);
  return std::pair{name, std::string(value)};
}

bool is_time_field(std::string_view field, bool names_allowed) {
  if (field.empty()) return false;
  for (char c : field) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if ((c >= '0' && c <= '9') || c == '*' || c == '/' || c == ',' || c == '-') continue;
    if (letter && names_allowed) continue;
    return false;
  }
  return true;
}

std::string_view next_field(std::string_view s, std::size_t& i) {
  skip_blanks(s, i);
  const std::size_t start = i;
  while (i < s.size() && !is_blank(s[i])) ++i;
  return s.substr(start, i - start);
}

// Cron's macros are case-sensitive (cron-facts.md).
bool is_known_macro(std::string_view macro) {
  for (std::string_view known : {"@reboot", "@yearly", "@annually", "@monthly", "@weekly",
                                 "@daily", "@midnight", "@hourly"})
    if (macro == known) return true;
  return false;
}

// A job line, or the reason it cannot be taken over.
std::variant<ForeignEntry, std::string> parse_job(std::string_view s, bool user_column) {
  ForeignEntry entry;
  std::size_t i = 0;
  skip_blanks(s, i);
  if (i < s.size() && s[i] == '@') {
    const std::string_view macro = next_field(s, i);
    if (!is_known_macro(macro))
      return fmt::format("unknown schedule '{}' (cron knows @reboot, @yearly, @annually, "
                         "@monthly, @weekly, @daily, @midnight and @hourly, in lower case)",
                         macro);
    entry.schedule = std::string(macro);
  } else {
    for (int field = 0; field < 5; ++field) {
      const std::string_view text = next_field(s, i);
      // Only month and day of week have names.
      if (!is_time_field(text, field >= 3))
        return std::string(
            "neither a job, an environment setting nor a comment; cron would not accept "
            "this line");
      if (field > 0) entry.schedule += ' ';
      entry.schedule += text;
    }
  }
  if (user_column) {
    const std::string_view user = next_field(s, i);
    if (user.empty()) return std::string("the job names no user (an /etc/cron.d line needs one)");
    entry.user = std::string(user);
  }
  skip_blanks(s, i);
  if (i >= s.size()) return std::string("the job has no command");
  auto command = crontab_unescape(s.substr(i));
  if (!command)
    return std::string(
        "the command has an unescaped '%': cron sends the text after it to the job's "
        "standard input, which omnicron cannot express (write '\\%' for a literal '%')");
  entry.command = std::move(*command);
  return entry;
}

// The environment in force: each name once, with its latest value.
void set_env(std::vector<std::pair<std::string, std::string>>& env,
             std::pair<std::string, std::string> setting) {
  auto it = std::find_if(env.begin(), env.end(),
                         [&](const auto& e) { return e.first == setting.first; });
  if (it != env.end())
    it->second = std::move(setting.second);
  else
    env.push_back(std::move(setting));
}

}  // namespace

std::variant<ForeignEntry, std::string> parse_job_line(std::string_view line,
                                                       bool user_column) {
  return parse_job(line, user_column);
}

std::string CrontabProblem::to_string() const {
  return fmt::format("line {}: {}", line, message);
}

bool ParsedBlock::edited_by_hand() const {
  return !stray_lines.empty() ||
         std::any_of(entries.begin(), entries.end(),
                     [](const ParsedEntry& e) { return e.edited_by_hand; });
}

const ParsedBlock* ParsedCrontab::find_block(std::string_view namespace_) const {
  for (const auto& segment : segments)
    if (const auto* block = std::get_if<ParsedBlock>(&segment);
        block && block->namespace_ == namespace_)
      return block;
  return nullptr;
}

std::vector<const ParsedBlock*> ParsedCrontab::blocks() const {
  std::vector<const ParsedBlock*> out;
  for (const auto& segment : segments)
    if (const auto* block = std::get_if<ParsedBlock>(&segment)) out.push_back(block);
  return out;
}

std::string ParsedCrontab::foreign_text() const {
  std::string out;
  for (const auto& segment : segments)
    if (const auto* foreign = std::get_if<ForeignText>(&segment)) out += foreign->text;
  return out;
}

std::string ParsedCrontab::text() const {
  std::string out;
  for (const auto& segment : segments)
    std::visit([&out](const auto& s) { out += s.text; }, segment);
  return out;
}

ParsedCrontab parse_crontab(std::string_view text) { return Parser(text).run(); }

std::string replace_block(const ParsedCrontab& table, std::string_view namespace_,
                          const std::optional<std::string>& block_text) {
  for (const CrontabProblem& p : table.problems)
    if (p.blocks_writes && p.namespace_ == namespace_)
      throw Error(ErrorKind::backend,
                  fmt::format("cannot rewrite omnicron's block '{}' in the crontab safely: {}",
                              namespace_, p.to_string()));

  if (block_text) {
    const ParsedCrontab fresh = parse_crontab(*block_text);
    const auto* block = fresh.segments.size() == 1
                            ? std::get_if<ParsedBlock>(&fresh.segments[0])
                            : nullptr;
    if (!block || block->namespace_ != namespace_ || !fresh.problems.empty() ||
        !block_text->ends_with('\n'))
      throw Error(ErrorKind::internal,
                  fmt::format("the text given for block '{}' is not one complete block of "
                              "that namespace ending in a newline",
                              namespace_));
  }

  // Blocks are written with the framing the old one had (see the header):
  // the separator newline before a block that has one, and no final newline
  // after the last one when the table had none. A block's text is kept here
  // without its separator. Only the block written here gets the separator
  // mark (again): every other block keeps its bytes, so a separator that
  // passes to the next block when its block is removed goes unmarked there,
  // as versions before the mark wrote it, until that block is written.
  struct Piece {
    std::optional<std::string> block;  // the namespace; nullopt for foreign text
    std::string text;
    bool separator_before = false;
    bool mark = false;  // write the separator mark, for the line before
  };
  std::vector<Piece> pieces;
  for (const auto& segment : table.segments) {
    if (const auto* block = std::get_if<ParsedBlock>(&segment)) {
      std::string text = block->text;
      if (block->separator_before) text.erase(0, 1);
      pieces.push_back({block->namespace_, std::move(text), block->separator_before, false});
    } else {
      pieces.push_back({std::nullopt, std::get<ForeignText>(segment).text, false, false});
    }
  }
  auto it = std::find_if(pieces.begin(), pieces.end(),
                         [&](const Piece& p) { return p.block == namespace_; });
  auto unterminated = [](const std::string& t) { return !t.empty() && !t.ends_with('\n'); };

  if (it != pieces.end() && block_text) {
    std::string text = *block_text;
    if (unterminated(it->text)) text.pop_back();
    it->text = std::move(text);
    it->mark = it->separator_before;
  } else if (it != pieces.end()) {
    const bool separator = it->separator_before;
    const bool was_last_unterminated = unterminated(it->text);
    const auto index = static_cast<std::size_t>(it - pieces.begin());
    pieces.erase(it);
    // The separator ended the foreign line before the block. A block right
    // after takes it over; foreign text right after (a line added by hand
    // below the block) needs that line ended, so the newline stays, as
    // foreign text; at the end of the table it goes, and the foreign last
    // line is unterminated again, as it was.
    if (separator && index > 0 && index < pieces.size()) {
      if (pieces[index].block) {
        pieces[index].separator_before = true;
      } else {
        pieces[index - 1].text += '\n';
      }
    }
    if (was_last_unterminated && index > 0 && index == pieces.size() &&
        pieces[index - 1].block && pieces[index - 1].text.ends_with('\n'))
      pieces[index - 1].text.pop_back();
  } else if (block_text) {
    std::string text = *block_text;
    bool separator = false;
    if (!pieces.empty() && unterminated(pieces.back().text)) {
      text.pop_back();
      if (pieces.back().block)
        pieces.back().text += '\n';
      else
        separator = true;
    }
    pieces.push_back({std::string(namespace_), std::move(text), separator, separator});
  }

  // A last block without a final newline is the framing of a separator.
  // Without one (its block was removed and a line added by hand keeps the
  // newline, or a stale mark), the table would read as one written before
  // the mark, and the newline of a line added by hand above the last block
  // would be taken for a separator; the last block gets its newline instead.
  const bool any_separator = std::any_of(pieces.begin(), pieces.end(),
                                         [](const Piece& p) { return p.separator_before; });
  if (!any_separator && !pieces.empty() && pieces.back().block &&
      unterminated(pieces.back().text))
    pieces.back().text += '\n';

  std::string out;
  for (const Piece& p : pieces) {
    if (!p.separator_before) {
      out += p.text;
      continue;
    }
    // The foreign line the newline ends. The mark records its digest, so a
    // line added by hand after the newline is not taken for it.
    const std::size_t nl = out.rfind('\n');
    const std::string_view line =
        nl == std::string::npos ? std::string_view(out) : std::string_view(out).substr(nl + 1);
    const std::string text = p.mark ? without_separator_mark(p.text) : p.text;
    if (line.empty()) {
      // Nothing to end (cannot happen for a separator parse_crontab found);
      // no newline is added.
      out += text;
    } else if (p.mark) {
      // The digest first: `line` points into `out`.
      const std::string digest = line_digest(line);
      out += '\n';
      out += with_separator_mark(text, digest);
    } else {
      out += '\n';
      out += text;
    }
  }
  return out;
}

std::optional<std::string> crontab_unescape(std::string_view command) {
  std::string out;
  out.reserve(command.size());
  bool escaped = false;
  for (char c : command) {
    if (escaped) {
      if (c != '%' && c != '\\') out += '\\';
      out += c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == '%') {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  if (escaped) out += '\\';
  return out;
}

std::vector<ForeignEntry> parse_foreign_jobs(const ParsedCrontab& table, bool user_column,
                                             std::vector<UnexpressibleLine>& unexpressible) {
  std::vector<ForeignEntry> jobs;
  std::vector<std::pair<std::string, std::string>> env;
  std::optional<std::string> comment_above;

  for (const auto& segment : table.segments) {
    if (const auto* block = std::get_if<ParsedBlock>(&segment)) {
      // omnicron never writes environment lines, but one added inside a block
      // by hand still applies to every line after it, foreign ones included.
      std::string_view text = block->text;
      if (block->separator_before) text.remove_prefix(1);
      for (const Line& line : split_lines(text)) {
        const std::string_view s =
            trim_blanks(text.substr(line.begin, line.content_end - line.begin));
        if (s.empty() || s.front() == '#') continue;
        if (auto setting = parse_env(s)) set_env(env, std::move(*setting));
      }
      comment_above.reset();
      continue;
    }
    const auto& foreign = std::get<ForeignText>(segment);
    const std::string_view text = foreign.text;
    const auto lines = split_lines(text);
    for (std::size_t k = 0; k < lines.size(); ++k) {
      std::string_view raw = text.substr(lines[k].begin, lines[k].content_end - lines[k].begin);
      const int number = foreign.first_line + static_cast<int>(k);
      // A CR before the newline is taken as part of the line end.
      std::string_view s = raw;
      if (s.ends_with('\r')) s.remove_suffix(1);
      const std::string_view trimmed = trim_blanks(s);
      if (trimmed.empty()) {
        comment_above.reset();
        continue;
      }
      if (trimmed.front() == '#') {
        const std::string_view comment = trim_blanks(trimmed.substr(1));
        if (comment.empty())
          comment_above.reset();
        else
          comment_above = std::string(comment);
        continue;
      }
      if (auto setting = parse_env(s)) {
        set_env(env, std::move(*setting));
        comment_above.reset();
        continue;
      }
      auto job = parse_job(s, user_column);
      if (auto* entry = std::get_if<ForeignEntry>(&job)) {
        entry->line = number;
        entry->text = std::string(raw);
        entry->environment = env;
        entry->description = comment_above;
        jobs.push_back(std::move(*entry));
      } else {
        unexpressible.push_back({number, std::string(raw), std::get<std::string>(job)});
      }
      comment_above.reset();
    }
  }
  return jobs;
}

}  // namespace omnicron::posix
