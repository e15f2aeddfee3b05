#include "tz/posix_rule.h"

#include <algorithm>

#include <date/date.h>

namespace omnicron::tz {

namespace {

using std::chrono::seconds;

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  // An abbreviation: three or more letters, or anything between < and >.
  bool abbrev(std::string* out) {
    if (take('<')) {
      const std::size_t end = text_.find('>', pos_);
      if (end == std::string_view::npos) return false;
      *out = std::string(text_.substr(pos_, end - pos_));
      pos_ = end + 1;
      return !out->empty();
    }
    const std::size_t start = pos_;
    while (!done() && ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z')))
      ++pos_;
    *out = std::string(text_.substr(start, pos_ - start));
    return out->size() >= 3;
  }

  bool number(int* out, int max_digits) {
    int v = 0;
    int n = 0;
    while (!done() && peek() >= '0' && peek() <= '9' && n < max_digits) {
      v = v * 10 + (peek() - '0');
      ++pos_;
      ++n;
    }
    *out = v;
    return n > 0;
  }

  // [+-]hh[:mm[:ss]], hours up to 167 as RFC 8536 allows for rule times.
  bool hms(seconds* out) {
    int sign = 1;
    if (take('-'))
      sign = -1;
    else
      take('+');
    int h = 0, m = 0, s = 0;
    if (!number(&h, 3) || h > 167) return false;
    if (take(':')) {
      if (!number(&m, 2) || m > 59) return false;
      if (take(':') && (!number(&s, 2) || s > 59)) return false;
    }
    *out = seconds{sign * (h * 3600 + m * 60 + s)};
    return true;
  }

  bool when(PosixRule::When* out) {
    using Form = PosixRule::When::Form;
    if (take('M')) {
      out->form = Form::month_week_day;
      if (!number(&out->month, 2) || !take('.') || !number(&out->week, 1) || !take('.') ||
          !number(&out->weekday, 1))
        return false;
      if (out->month < 1 || out->month > 12 || out->week < 1 || out->week > 5 ||
          out->weekday > 6)
        return false;
    } else if (take('J')) {
      out->form = Form::julian_no_leap;
      if (!number(&out->day, 3) || out->day < 1 || out->day > 365) return false;
    } else {
      out->form = Form::day_of_year;
      if (!number(&out->day, 3) || out->day > 365) return false;
    }
    if (take('/')) return hms(&out->time);
    out->time = seconds{7200};
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// The local midnight starting the rule's day in `year`, as days since the
// epoch.
date::sys_days day_of(const PosixRule::When& w, int year) {
  using Form = PosixRule::When::Form;
  const date::year y{year};
  switch (w.form) {
    case Form::julian_no_leap: {
      // J60 is always 1 March: 29 February is never counted.
      int day = w.day;
      if (y.is_leap() && day >= 60) ++day;
      return date::sys_days{y / date::January / 1} + date::days{day - 1};
    }
    case Form::day_of_year:
      return date::sys_days{y / date::January / 1} + date::days{w.day};
    case Form::month_week_day: {
      const auto month = date::month{static_cast<unsigned>(w.month)};
      const auto weekday = date::weekday{static_cast<unsigned>(w.weekday)};
      if (w.week == 5) return date::sys_days{y / month / weekday[date::last]};
      return date::sys_days{y / month / weekday[static_cast<unsigned>(w.week)]};
    }
  }
  return {};
}

}  // namespace

std::vector<PosixRule::Change> PosixRule::changes_in(int year) const {
  if (!has_dst) return {};
  // The start is written in standard time, the end in daylight time.
  const auto start = std::chrono::sys_seconds{day_of(dst_start, year)} + dst_start.time - std_offset;
  const auto end = std::chrono::sys_seconds{day_of(dst_end, year)} + dst_end.time - dst_offset;
  std::vector<Change> out = {{start, true}, {end, false}};
  std::sort(out.begin(), out.end(), [](const Change& a, const Change& b) { return a.at < b.at; });
  return out;
}

std::optional<PosixRule> parse_posix_rule(std::string_view text) {
  PosixRule rule;
  Reader r(text);
  seconds offset{0};
  if (!r.abbrev(&rule.std_abbrev) || !r.hms(&offset)) return std::nullopt;
  // POSIX counts offsets west of UTC as positive; everything else in
  // omnicron counts east as positive.
  rule.std_offset = -offset;
  if (r.done()) return rule;
  if (!r.abbrev(&rule.dst_abbrev)) return std::nullopt;
  rule.has_dst = true;
  rule.dst_offset = rule.std_offset + std::chrono::hours{1};
  if (r.peek() != ',' && !r.done()) {
    if (!r.hms(&offset)) return std::nullopt;
    rule.dst_offset = -offset;
  }
  // Without explicit dates POSIX leaves the rule to the implementation;
  // tzdata always writes them, and the US rule is glibc's default.
  if (r.done()) {
    rule.dst_start = {PosixRule::When::Form::month_week_day, 0, 3, 2, 0, seconds{7200}};
    rule.dst_end = {PosixRule::When::Form::month_week_day, 0, 11, 1, 0, seconds{7200}};
    return rule;
  }
  if (!r.take(',') || !r.when(&rule.dst_start) || !r.take(',') || !r.when(&rule.dst_end) ||
      !r.done())
    return std::nullopt;
  return rule;
}

}  // namespace omnicron::tz
