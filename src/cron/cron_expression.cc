#include "cron/cron_expression.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "error.h"

namespace omnicron::cron {

namespace {

// The limits and spelling of one field. Day of week accepts 0-7 when written
// (Debian cron takes both 0 and 7 as Sunday), but '*' stands for 0-6 so that
// a step on '*' never lands on 7.
struct FieldSpec {
  Field field;
  int min;
  int max;       // The largest value that may be written.
  int star_max;  // What '*' stands for.
  const char* allowed;
  const std::array<const char*, 13>* names;  // Indexed by value; null: no names.
  int name_base;
};

constexpr std::array<const char*, 13> kMonthNames = {
    "", "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 13> kWeekdayNames = {
    "sun", "mon", "tue", "wed", "thu", "fri", "sat", "", "", "", "", "", ""};

const FieldSpec kSpecs[5] = {
    {Field::minute, 0, 59, 59, "0-59", nullptr, 0},
    {Field::hour, 0, 23, 23, "0-23", nullptr, 0},
    {Field::day_of_month, 1, 31, 31, "1-31", nullptr, 0},
    {Field::month, 1, 12, 12, "1-12 or jan-dec", &kMonthNames, 1},
    {Field::day_of_week, 0, 7, 6, "0-7 or sun-sat (0 and 7 are Sunday)",
     &kWeekdayNames, 0},
};

constexpr const char* kSyntaxSummary =
    "values combined as *, a-b, */n, a-b/n and comma-separated lists";

constexpr std::array<const char*, 8> kMacros = {
    "@reboot", "@yearly", "@annually", "@monthly",
    "@weekly", "@daily",  "@midnight", "@hourly"};

constexpr const char* kMacroList =
    "@reboot, @yearly, @annually, @monthly, @weekly, @daily, @midnight, "
    "@hourly";

constexpr const char* kMonthLong[13] = {
    "",     "January", "February", "March",     "April",   "May",     "June",
    "July", "August",  "September", "October", "November", "December"};

// A refusal on its way out of the field parser.
struct Refusal {
  std::size_t offset;  // Relative to the field's text.
  std::size_t length;
  std::string message;
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// Parses one field's text into a bit set. Values outside [min, max] never
// reach the bits; day-of-week 7 is folded onto 0 by the caller.
class FieldParser {
 public:
  FieldParser(const FieldSpec& spec, std::string_view text)
      : spec_(spec), text_(text) {}

  std::optional<Refusal> parse(std::uint64_t& bits) {
    std::size_t pos = 0;
    while (true) {
      const std::size_t item_begin = pos;
      std::size_t item_end = text_.find(',', pos);
      if (item_end == std::string_view::npos) item_end = text_.size();
      if (item_end == item_begin) {
        return Refusal{item_begin, 1,
                       prefix() + fmt::format("empty item in list '{}'; remove the "
                                              "extra ','", text_)};
      }
      if (auto r = parse_item(item_begin, item_end, bits)) return r;
      if (item_end == text_.size()) return std::nullopt;
      pos = item_end + 1;
      if (pos == text_.size()) {
        return Refusal{item_end, 1,
                       prefix() + fmt::format("empty item in list '{}'; remove the "
                                              "trailing ','", text_)};
      }
    }
  }

 private:
  std::string prefix() const { return std::string(field_name(spec_.field)) + ": "; }

  Refusal junk(std::size_t at, std::size_t item_end, std::size_t item_begin) const {
    return Refusal{at, item_end - at,
                   prefix() + fmt::format("unexpected '{}' in '{}'; allowed: {}",
                                          text_.substr(at, item_end - at),
                                          text_.substr(item_begin, item_end - item_begin),
                                          kSyntaxSummary)};
  }

  Refusal out_of_range(std::size_t at, std::size_t len) const {
    return Refusal{at, len,
                   prefix() + fmt::format("'{}' is out of range; allowed: {}",
                                          text_.substr(at, len), spec_.allowed)};
  }

  // Reads a number or (where the field has them) a three-letter name at
  // `pos`. On success `pos` is moved past it.
  std::optional<Refusal> parse_value(std::size_t& pos, std::size_t item_begin,
                                     std::size_t item_end, int& value) const {
    const std::size_t start = pos;
    if (pos < item_end && is_digit(text_[pos])) {
      while (pos < item_end && is_digit(text_[pos])) ++pos;
      const std::size_t len = pos - start;
      // Debian's crontab reads numbers into an unsigned int that silently
      // wraps (4294967296 is 0); no field needs more than two digits, and
      // three allow a leading zero.
      if (len > 3) {
        return Refusal{start, len,
                       prefix() + fmt::format("'{}' has too many digits; allowed: {}",
                                              text_.substr(start, len), spec_.allowed)};
      }
      int v = 0;
      for (std::size_t i = start; i < pos; ++i) v = v * 10 + (text_[i] - '0');
      if (v < spec_.min || v > spec_.max) return out_of_range(start, len);
      value = v;
      return std::nullopt;
    }
    if (pos < item_end && is_alpha(text_[pos])) {
      while (pos < item_end && (is_alpha(text_[pos]) || is_digit(text_[pos]))) ++pos;
      const std::string_view word = text_.substr(start, pos - start);
      if (spec_.names == nullptr) {
        return Refusal{start, word.size(),
                       prefix() + fmt::format("'{}' is not a number; allowed: {}", word,
                                              spec_.allowed)};
      }
      const std::string w = lowered(word);
      for (std::size_t i = 0; i < spec_.names->size(); ++i) {
        const std::string_view name = (*spec_.names)[i];
        if (!name.empty() && w == name) {
          value = static_cast<int>(i);
          return std::nullopt;
        }
      }
      std::string hint;
      if (w.size() > 3) {
        for (const char* name : *spec_.names) {
          if (*name != '\0' && w.compare(0, 3, name) == 0) {
            hint = fmt::format("; did you mean '{}'?", name);
          }
        }
      }
      const bool months = spec_.field == Field::month;
      return Refusal{
          start, word.size(),
          prefix() + fmt::format("unknown name '{}'; allowed: {} or {}{}", word,
                                 months ? "jan, feb, mar, apr, may, jun, jul, aug, "
                                          "sep, oct, nov, dec"
                                        : "sun, mon, tue, wed, thu, fri, sat",
                                 months ? "1-12" : "0-7", hint)};
    }
    if (pos < item_end) return junk(pos, item_end, item_begin);
    // Nothing where a value belongs: "5-" or "-5" without its start.
    return Refusal{item_begin, item_end - item_begin,
                   prefix() + fmt::format("'{}' is missing a value; allowed: {}",
                                          text_.substr(item_begin, item_end - item_begin),
                                          kSyntaxSummary)};
  }

  std::optional<Refusal> parse_item(std::size_t begin, std::size_t end,
                                    std::uint64_t& bits) const {
    std::size_t pos = begin;
    int low = 0;
    int high = 0;
    bool is_range = false;
    if (text_[pos] == '*') {
      ++pos;
      low = spec_.min;
      high = spec_.star_max;
      is_range = true;
    } else {
      if (auto r = parse_value(pos, begin, end, low)) return r;
      high = low;
      if (pos < end && text_[pos] == '-') {
        ++pos;
        if (pos == end) {
          return Refusal{begin, end - begin,
                         prefix() + fmt::format("range '{}' has no end; write a range as "
                                                "a-b, e.g. 1-5",
                                                text_.substr(begin, end - begin))};
        }
        if (auto r = parse_value(pos, begin, end, high)) return r;
        is_range = true;
        if (high < low) return reversed(begin, pos, low, high);
      }
    }
    int step = 1;
    if (pos < end && text_[pos] == '/') {
      const std::size_t slash = pos;
      ++pos;
      if (!is_range) {
        // Vixie cron reads "5/10" as plain 5 and ignores the rest, while
        // other crons read it as "from 5, every 10"; refusing is the only
        // reading that surprises nobody.
        const std::string_view item = text_.substr(begin, end - begin);
        return Refusal{
            begin, end - begin,
            prefix() + fmt::format("'{}' has a step after a single value; write "
                                   "'{}-{}{}' for every {} from {}, or '*{}'",
                                   item, text_.substr(begin, slash - begin),
                                   spec_.star_max, text_.substr(slash, end - slash),
                                   text_.substr(slash + 1, end - slash - 1),
                                   text_.substr(begin, slash - begin),
                                   text_.substr(slash, end - slash))};
      }
      const std::size_t digits = pos;
      while (pos < end && is_digit(text_[pos])) ++pos;
      const std::size_t len = pos - digits;
      const std::string_view item = text_.substr(begin, end - begin);
      if (len == 0) {
        if (pos < end) return junk(pos, end, begin);
        return Refusal{slash, 1,
                       prefix() + fmt::format("'{}' has no step after '/'; write a step "
                                              "as */n or a-b/n",
                                              item)};
      }
      if (len > 3) {
        return Refusal{digits, len,
                       prefix() + fmt::format("step '{}' in '{}' has too many digits",
                                              text_.substr(digits, len), item)};
      }
      step = 0;
      for (std::size_t i = digits; i < pos; ++i) step = step * 10 + (text_[i] - '0');
      if (step == 0) {
        return Refusal{digits, len,
                       prefix() + fmt::format("step 0 in '{}' is not allowed; a step "
                                              "must be at least 1",
                                              item)};
      }
      if (step > high - low) {
        const std::string range = fmt::format("{}-{}", low, high);
        if (high == low) {
          return Refusal{digits, len,
                         prefix() + fmt::format("step {} in '{}' is larger than the "
                                                "range {}; a single value takes no step",
                                                step, item, range)};
        }
        return Refusal{digits, len,
                       prefix() + fmt::format("step {} in '{}' is larger than the range "
                                              "{}; allowed steps: 1-{}",
                                              step, item, range, high - low)};
      }
    }
    if (pos < end) return junk(pos, end, begin);
    for (int v = low; v <= high; v += step) bits |= std::uint64_t{1} << v;
    return std::nullopt;
  }

  Refusal reversed(std::size_t begin, std::size_t end, int low, int high) const {
    // Ranges do not wrap around in any cron; say how to write the wrap.
    const int max = spec_.star_max;
    const int min = spec_.min;
    std::string first = low >= max ? fmt::format("{}", low == 7 ? 0 : low)
                                   : fmt::format("{}-{}", low, max);
    std::string second =
        high == min ? fmt::format("{}", min) : fmt::format("{}-{}", min, high);
    std::string suggestion = (low == 7) ? second : fmt::format("{},{}", first, second);
    return Refusal{begin, end - begin,
                   prefix() + fmt::format("'{}' is a reversed range; ranges do not "
                                          "wrap around, write '{}'",
                                          text_.substr(begin, end - begin), suggestion)};
  }

  const FieldSpec& spec_;
  std::string_view text_;
};

// The Unicode code point starting at `pos` (or the raw byte if the text is
// not valid UTF-8), and how many bytes it takes.
std::pair<std::uint32_t, std::size_t> decode_utf8(std::string_view s, std::size_t pos) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if ((b0 & 0xE0U) == 0xC0U) {
    n = 2;
    cp = b0 & 0x1FU;
  } else if ((b0 & 0xF0U) == 0xE0U) {
    n = 3;
    cp = b0 & 0x0FU;
  } else if ((b0 & 0xF8U) == 0xF0U) {
    n = 4;
    cp = b0 & 0x07U;
  } else {
    return {b0, 1};
  }
  if (pos + n > s.size()) return {b0, 1};
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0U) != 0x80U) return {b0, 1};
    cp = (cp << 6U) | (b & 0x3FU);
  }
  return {cp, n};
}

std::string describe_non_ascii(std::uint32_t cp, std::size_t bytes) {
  if (bytes == 1) return fmt::format("the byte 0x{:02X}, which is not valid UTF-8", cp);
  const bool digit = (cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9) ||
                     (cp >= 0x0966 && cp <= 0x096F) || (cp >= 0xFF10 && cp <= 0xFF19);
  const bool space = cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
                     cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
  if (digit) return fmt::format("the non-ASCII digit U+{:04X}", cp);
  if (space) return fmt::format("the non-ASCII space U+{:04X}", cp);
  return fmt::format("the non-ASCII character U+{:04X}", cp);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diag = up;
    }
  }
  return row[b.size()];
}

int days_in_month_max(int month) {
  // February counts 29: a leap day is rare but real, and fires.
  constexpr int kDays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[month];
}

std::string join_english(const std::vector<std::string>& parts, const char* conj) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += (i + 1 == parts.size()) ? fmt::format(" {} ", conj) : ", ";
    out += parts[i];
  }
  return out;
}

// Spells a bit set (values lo..hi) as sorted items: runs of three or more
// become a-b; an arithmetic progression becomes a-b/n when that is shorter.
std::string spell_set(std::uint64_t bits, int lo, int hi) {
  std::vector<int> values;
  for (int v = lo; v <= hi; ++v)
    if ((bits >> v) & 1U) values.push_back(v);
  std::string progression;
  if (values.size() >= 3) {
    const int step = values[1] - values[0];
    bool regular = step > 1;
    for (std::size_t i = 2; regular && i < values.size(); ++i)
      regular = values[i] - values[i - 1] == step;
    if (regular) progression = fmt::format("{}-{}/{}", values.front(), values.back(), step);
  }
  std::string out;
  std::size_t i = 0;
  while (i < values.size()) {
    std::size_t j = i;
    while (j + 1 < values.size() && values[j + 1] == values[j] + 1) ++j;
    if (!out.empty()) out += ',';
    if (j - i >= 2) {
      out += fmt::format("{}-{}", values[i], values[j]);
    } else {
      for (std::size_t k = i; k <= j; ++k) {
        if (k > i) out += ',';
        out += std::to_string(values[k]);
      }
    }
    i = j + 1;
  }
  if (!progression.empty() && progression.size() < out.size()) return progression;
  return out;
}

// The bits of '*/step' over lo..hi.
std::uint64_t star_step_bits(int lo, int hi, int step) {
  std::uint64_t bits = 0;
  for (int v = lo; v <= hi; v += step) bits |= std::uint64_t{1} << v;
  return bits;
}

// Spells a field whose text started with '*': it must keep starting with
// '*' because Debian cron's DST and day rules depend on that.
std::string spell_star_field(std::uint64_t bits, int lo, int hi) {
  for (int step = 1; step <= hi - lo; ++step) {
    const std::uint64_t pattern = star_step_bits(lo, hi, step);
    if ((pattern & ~bits) != 0) continue;
    std::string out = step == 1 ? "*" : fmt::format("*/{}", step);
    const std::uint64_t rest = bits & ~pattern;
    if (rest != 0) out += fmt::format(",{}", spell_set(rest, lo, hi));
    return out;
  }
  return fmt::format("*,{}", spell_set(bits, lo, hi));
}

}  // namespace

std::string_view field_name(Field field) {
  switch (field) {
    case Field::minute:
      return "minute";
    case Field::hour:
      return "hour";
    case Field::day_of_month:
      return "day-of-month";
    case Field::month:
      return "month";
    case Field::day_of_week:
      return "day-of-week";
  }
  return "field";
}

CronExpression CronExpression::parse(std::string_view text) {
  auto result = try_parse(text);
  if (auto* error = std::get_if<SyntaxError>(&result)) {
    throw Error(ErrorKind::validation, error->message);
  }
  return std::get<CronExpression>(std::move(result));
}

std::variant<CronExpression, SyntaxError> CronExpression::try_parse(
    std::string_view text) {
  CronExpression expr;
  expr.text_ = std::string(text);

  // Split on spaces and tabs, the only separators Debian's crontab knows.
  struct Token {
    std::size_t offset;
    std::string_view text;
  };
  std::vector<Token> tokens;
  for (std::size_t i = 0; i < text.size();) {
    if (is_blank(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && !is_blank(text[j])) ++j;
    tokens.push_back({i, text.substr(i, j - i)});
    i = j;
  }

  const auto whole_error = [&](std::size_t offset, std::size_t length, std::string message) {
    SyntaxError e;
    e.offset = offset;
    e.length = length;
    e.message = std::move(message);
    return e;
  };

  if (!tokens.empty() && tokens[0].text[0] == '@') {
    const std::string_view name = tokens[0].text;
    const auto known = std::find(kMacros.begin(), kMacros.end(), name);
    if (known == kMacros.end()) {
      std::string hint;
      const std::string low = lowered(name);
      std::size_t best = 3;
      for (const char* macro : kMacros) {
        const std::size_t d = edit_distance(low, macro);
        if (d < best) {
          best = d;
          hint = fmt::format(" did you mean '{}'?", macro);
        }
      }
      return whole_error(tokens[0].offset, name.size(),
                         fmt::format("unknown macro '{}';{} allowed: {}", name, hint,
                                     kMacroList));
    }
    if (tokens.size() > 1) {
      const std::size_t from = tokens[1].offset;
      const std::size_t to = tokens.back().offset + tokens.back().text.size();
      return whole_error(from, to - from,
                         fmt::format("'{}' is a whole schedule and takes no fields; "
                                     "remove '{}'",
                                     name, text.substr(from, to - from)));
    }
    if (name == "@reboot") {
      expr.reboot_ = true;
      return expr;
    }
    std::string_view expansion;
    if (name == "@yearly" || name == "@annually") expansion = "0 0 1 1 *";
    if (name == "@monthly") expansion = "0 0 1 * *";
    if (name == "@weekly") expansion = "0 0 * * 0";
    if (name == "@daily" || name == "@midnight") expansion = "0 0 * * *";
    if (name == "@hourly") expansion = "0 * * * *";
    auto inner = try_parse(expansion);
    CronExpression expanded = std::get<CronExpression>(std::move(inner));
    expanded.text_ = std::string(text);
    return expanded;
  }

  // Non-ASCII first: a no-break space between fields would otherwise show up
  // as a puzzling field count.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) < 0x80) continue;
    const auto [cp, bytes] = decode_utf8(text, i);
    SyntaxError e;
    e.offset = i;
    e.length = bytes;
    std::size_t index = 0;
    while (index + 1 < tokens.size() && tokens[index + 1].offset <= i) ++index;
    const std::string what = describe_non_ascii(cp, bytes);
    if (index < 5) {
      e.has_field = true;
      e.field = kSpecs[index].field;
      e.message = fmt::format("{}: '{}' contains {}; allowed: ASCII only ({})",
                              field_name(e.field), tokens[index].text, what,
                              kSpecs[index].allowed);
    } else {
      e.message = fmt::format("'{}' contains {}; a cron expression is ASCII only",
                              tokens[index].text, what);
    }
    return e;
  }

  if (tokens.size() != 5) {
    std::size_t offset = 0;
    std::size_t length = text.size();
    std::string extra;
    if (tokens.size() > 5) {
      offset = tokens[5].offset;
      length = tokens.back().offset + tokens.back().text.size() - offset;
      extra = "; in a crontab the sixth would silently become part of the command";
    }
    return whole_error(offset, length,
                       fmt::format("expected 5 fields (minute hour day-of-month month "
                                   "day-of-week) or an @macro, but found {}{}",
                                   tokens.size(), extra));
  }

  std::uint64_t bits[5] = {};
  for (std::size_t i = 0; i < 5; ++i) {
    FieldParser parser(kSpecs[i], tokens[i].text);
    if (auto refusal = parser.parse(bits[i])) {
      SyntaxError e;
      e.has_field = true;
      e.field = kSpecs[i].field;
      e.offset = tokens[i].offset + refusal->offset;
      e.length = refusal->length;
      e.message = std::move(refusal->message);
      return e;
    }
  }
  // Debian cron takes 7 as Sunday.
  if ((bits[4] >> 7) & 1U) bits[4] = (bits[4] & 0x7FU) | 1U;

  expr.minutes_ = bits[0];
  expr.hours_ = static_cast<std::uint32_t>(bits[1]);
  expr.days_of_month_ = static_cast<std::uint32_t>(bits[2]);
  expr.months_ = static_cast<std::uint16_t>(bits[3]);
  expr.days_of_week_ = static_cast<std::uint8_t>(bits[4]);
  expr.minute_star_ = tokens[0].text[0] == '*';
  expr.hour_star_ = tokens[1].text[0] == '*';
  expr.day_of_month_star_ = tokens[2].text[0] == '*';
  expr.day_of_week_star_ = tokens[4].text[0] == '*';

  // When either day field is starred both must match, so a day of month that
  // no chosen month has makes the expression dead; Debian's crontab would
  // install it and it would never run.
  if (expr.day_of_month_star_ || expr.day_of_week_star_) {
    bool fires = false;
    for (int m = 1; m <= 12 && !fires; ++m) {
      if (!((expr.months_ >> m) & 1)) continue;
      const std::uint32_t valid = static_cast<std::uint32_t>(
          ((std::uint64_t{1} << (days_in_month_max(m) + 1)) - 1) & ~std::uint64_t{1});
      fires = (expr.days_of_month_ & valid) != 0;
    }
    if (!fires) {
      std::vector<std::string> days;
      for (int d = 1; d <= 31; ++d)
        if ((expr.days_of_month_ >> d) & 1U) days.push_back(std::to_string(d));
      std::vector<std::string> months;
      for (int m = 1; m <= 12; ++m)
        if ((expr.months_ >> m) & 1) months.emplace_back(kMonthLong[m]);
      SyntaxError e;
      e.has_field = true;
      e.field = Field::day_of_month;
      e.offset = tokens[2].offset;
      e.length = tokens[2].text.size();
      e.message = fmt::format("day-of-month: {} never {} in {}, so this never fires",
                              join_english(days, "and"), days.size() == 1 ? "occurs" : "occur",
                              join_english(months, "or"));
      return e;
    }
  }
  return expr;
}

bool CronExpression::matches_day(int month, int day_of_month, int weekday) const {
  if (!((months_ >> month) & 1)) return false;
  const bool dom = (days_of_month_ >> day_of_month) & 1U;
  const bool dow = (days_of_week_ >> weekday) & 1;
  // Debian cron: a day field whose text starts with '*' leaves the other
  // field in charge (both must match); otherwise either may match.
  if (day_of_month_star_ || day_of_week_star_) return dom && dow;
  return dom || dow;
}

std::string CronExpression::canonical() const {
  if (reboot_) return "@reboot";
  const auto field = [](std::uint64_t bits, bool star, int lo, int hi) {
    return star ? spell_star_field(bits, lo, hi) : spell_set(bits, lo, hi);
  };
  // The month field's star flag means nothing to Debian cron, so a full set
  // is '*' however it was written.
  const std::string month = months_ == 0x1FFE ? "*" : spell_set(months_, 1, 12);
  return fmt::format("{} {} {} {} {}", field(minutes_, minute_star_, 0, 59),
                     field(hours_, hour_star_, 0, 23),
                     field(days_of_month_, day_of_month_star_, 1, 31), month,
                     field(days_of_week_, day_of_week_star_, 0, 6));
}

}  // namespace omnicron::cron
