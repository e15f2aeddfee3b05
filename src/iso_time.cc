#include "iso_time.h"

#include <cstring>

namespace omnicron {

namespace {

// "00".."99": two digits are copied, not divided out, on the hot path.
constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

void two_digits(char* out, unsigned v) { std::memcpy(out, kDigitPairs + 2 * v, 2); }

}  // namespace

char* IsoFormatter::format_to(std::chrono::sys_seconds t, char* out) {
  const std::int64_t s = t.time_since_epoch().count();
  if (!have_info_ || t < info_.begin || t >= info_.end) {
    info_ = zone_->get_info(t);
    have_info_ = true;
    have_day_ = false;
    long long offset = info_.offset.count();
    offset_text_[0] = offset < 0 ? '-' : '+';
    if (offset < 0) offset = -offset;
    two_digits(offset_text_ + 1, static_cast<unsigned>(offset / 3600));
    offset_text_[3] = ':';
    two_digits(offset_text_ + 4, static_cast<unsigned>(offset / 60 % 60));
  }
  if (!have_day_ || s < day_begin_ || s >= day_begin_ + 86400) {
    const date::local_seconds local{t.time_since_epoch() + info_.offset};
    const auto day = std::chrono::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const int year = static_cast<int>(ymd.year());
    two_digits(day_text_, static_cast<unsigned>(year / 100 % 100));
    two_digits(day_text_ + 2, static_cast<unsigned>(year % 100));
    day_text_[4] = '-';
    two_digits(day_text_ + 5, static_cast<unsigned>(ymd.month()));
    day_text_[7] = '-';
    two_digits(day_text_ + 8, static_cast<unsigned>(ymd.day()));
    day_text_[10] = 'T';
    // The instant the local day began, in this offset period.
    day_begin_ = std::chrono::duration_cast<std::chrono::seconds>(day.time_since_epoch()).count() -
                 info_.offset.count();
    have_day_ = true;
  }
  const auto seconds_of_day = static_cast<unsigned>(s - day_begin_);
  std::memcpy(out, day_text_, sizeof day_text_);
  two_digits(out + 11, seconds_of_day / 3600);
  out[13] = ':';
  two_digits(out + 14, seconds_of_day / 60 % 60);
  out[16] = ':';
  two_digits(out + 17, seconds_of_day % 60);
  std::memcpy(out + 19, offset_text_, sizeof offset_text_);
  return out + kLength;
}

std::string IsoFormatter::format(std::chrono::sys_seconds t) {
  std::string out(kLength, '\0');
  format_to(t, out.data());
  return out;
}

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int* value) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *value = v;
  return true;
}

}  // namespace

std::optional<std::chrono::sys_seconds> parse_instant(std::string_view text,
                                                      const tz::Zone& zone,
                                                      std::string* error) {
  const char* expected =
      "expected an ISO-8601 date and time such as 2026-03-08T01:30:00-05:00, "
      "2026-03-08T06:30:00Z or 2026-03-08T01:30 (local time)";
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::size_t pos = 0;
  if (!digits(text, 0, 4, &y) || text.size() < 16 || text[4] != '-' ||
      !digits(text, 5, 2, &mo) || text[7] != '-' || !digits(text, 8, 2, &d) ||
      (text[10] != 'T' && text[10] != ' ') || !digits(text, 11, 2, &h) ||
      text[13] != ':' || !digits(text, 14, 2, &mi)) {
    *error = expected;
    return std::nullopt;
  }
  pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!digits(text, pos + 1, 2, &s)) {
      *error = expected;
      return std::nullopt;
    }
    pos += 3;
  }
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) {
    *error = "no such date or time: " + std::string(text);
    return std::nullopt;
  }
  const auto wall = std::chrono::seconds{h * 3600 + mi * 60 + s};
  std::string_view zone_text = text.substr(pos);
  if (zone_text.empty()) {
    const date::local_seconds local{date::local_days{ymd} + wall};
    const tz::LocalPeriods info = zone.get_info(local);
    if (info.result != tz::LocalPeriods::unique) {
      *error = std::string(text) +
               (info.result == tz::LocalPeriods::nonexistent
                    ? " does not exist in " 
                    : " happens twice in ") +
               zone.name() + " (a daylight-saving change); add the UTC offset you mean";
      return std::nullopt;
    }
    return std::chrono::sys_seconds{local.time_since_epoch() - info.first.offset};
  }
  std::chrono::seconds offset{0};
  if (zone_text != "Z") {
    int oh = 0, om = 0;
    const char sign = zone_text[0];
    bool ok = (sign == '+' || sign == '-') && digits(zone_text, 1, 2, &oh);
    if (ok && zone_text.size() == 6 && zone_text[3] == ':')
      ok = digits(zone_text, 4, 2, &om);
    else if (ok && zone_text.size() == 5)
      ok = digits(zone_text, 3, 2, &om);
    else if (ok)
      ok = zone_text.size() == 3;
    if (!ok || oh > 23 || om > 59) {
      *error = expected;
      return std::nullopt;
    }
    offset = std::chrono::seconds{(oh * 3600 + om * 60) * (sign == '-' ? -1 : 1)};
  }
  return std::chrono::sys_seconds{date::sys_days{ymd}.time_since_epoch() + wall - offset};
}

}  // namespace omnicron
