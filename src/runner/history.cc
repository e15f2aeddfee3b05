#include "runner/history.h"

#include <date/date.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <iterator>

namespace omnicron::runner {

namespace {

constexpr std::string_view kOutcomeNames[] = {"exited",  "signalled", "timed_out",
                                              "stopped", "skipped",   "failed_to_start"};

}  // namespace

std::string_view to_string(Outcome outcome) {
  return kOutcomeNames[static_cast<int>(outcome)];
}

std::optional<Outcome> parse_outcome(std::string_view text) {
  for (int i = 0; i < 6; ++i) {
    if (kOutcomeNames[i] == text) return static_cast<Outcome>(i);
  }
  return std::nullopt;
}

bool RunRecord::succeeded() const {
  return outcome == Outcome::skipped || (outcome == Outcome::exited && exit_code == 0);
}

// By hand rather than with date::format, which goes through an
// ostringstream and the locale on every call.
std::string format_utc(Millis t) {
  const auto day = std::chrono::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<std::chrono::milliseconds> time(t - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count(),
                     time.subseconds().count());
}

// Reads exactly what format_utc writes, "YYYY-MM-DDTHH:MM:SS.mmmZ", by hand:
// date::parse works too, but GCC 12 at -O2 warns about an uninitialized
// variable inside it, which our -Werror builds cannot take.
std::optional<Millis> parse_utc(std::string_view text) {
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':' || text[19] != '.' || text[23] != 'Z') {
    return std::nullopt;
  }
  auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    const char* begin = text.data() + at;
    const auto [end, ec] = std::from_chars(begin, begin + length, value);
    if (ec != std::errc() || end != begin + length) return std::nullopt;
    return value;
  };
  const auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
  const auto hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  const auto milli = number(20, 3);
  if (!year || !month || !day || !hour || !minute || !second || !milli) return std::nullopt;
  const date::year_month_day ymd{date::year(*year), date::month(static_cast<unsigned>(*month)),
                                 date::day(static_cast<unsigned>(*day))};
  if (!ymd.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return Millis(date::sys_days(ymd).time_since_epoch() + std::chrono::hours(*hour) +
                std::chrono::minutes(*minute) + std::chrono::seconds(*second) +
                std::chrono::milliseconds(*milli));
}

namespace {

// The length of the well-formed UTF-8 sequence at the start of TEXT (RFC 3629:
// no overlong forms, no surrogates, nothing past U+10FFFF), or 0 when it is
// not one.
std::size_t utf8_sequence(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

// TEXT as a JSON string, written the way nlohmann::json dumps one: only '"',
// '\\' and control characters escaped, other UTF-8 kept as it is, and every
// byte that is not part of valid UTF-8 replaced by U+FFFD, so a reason that
// quotes a strange file name still makes a valid line.
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      if (const std::size_t n = utf8_sequence(text.substr(i))) {
        out.append(text.substr(i, n));
        i += n;
      } else {
        out += "\xEF\xBF\xBD";
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

}  // namespace

// Written by hand rather than through nlohmann::json: the runner writes one
// line per run, and building and dumping an ordered_json object took about
// 2% of the runner's time on a short job (perf). parse_record reads it back
// with nlohmann::json, and the tests check the two agree.
std::string to_json_line(const RunRecord& r) {
  std::string out;
  out.reserve(256);
  auto key = [&](std::string_view name) {
    out += out.empty() ? "{\"" : ",\"";
    out += name;
    out += "\":";
  };
  auto text = [&](std::string_view name, std::string_view value) {
    key(name);
    append_json_string(out, value);
  };
  auto number = [&](std::string_view name, std::int64_t value) {
    key(name);
    fmt::format_to(std::back_inserter(out), "{}", value);
  };
  text("job", r.job);
  text("outcome", to_string(r.outcome));
  text("start", format_utc(r.start));
  text("end", format_utc(r.end));
  number("duration_ms", r.duration().count());
  number("attempt", r.attempt);
  number("attempts", r.attempts);
  if (r.exit_code) number("exit_code", *r.exit_code);
  if (r.signal) number("signal", *r.signal);
  if (!r.reason.empty()) text("reason", r.reason);
  if (r.log) text("log", *r.log);
  if (r.pid != 0) number("pid", r.pid);
  if (r.queued.count() != 0) number("queued_ms", r.queued.count());
  out += "}\n";
  return out;
}

std::optional<RunRecord> parse_record(std::string_view line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    RunRecord r;
    r.job = j.at("job").get<std::string>();
    auto outcome = parse_outcome(j.at("outcome").get<std::string>());
    auto start = parse_utc(j.at("start").get<std::string>());
    auto end = parse_utc(j.at("end").get<std::string>());
    if (!outcome || !start || !end) return std::nullopt;
    r.outcome = *outcome;
    r.start = *start;
    r.end = *end;
    r.attempt = j.value("attempt", 1u);
    r.attempts = j.value("attempts", 1u);
    if (j.contains("exit_code")) r.exit_code = j["exit_code"].get<int>();
    if (j.contains("signal")) r.signal = j["signal"].get<int>();
    r.reason = j.value("reason", std::string());
    if (j.contains("log")) r.log = j["log"].get<std::string>();
    r.pid = j.value("pid", 0L);
    r.queued = std::chrono::milliseconds(j.value("queued_ms", std::int64_t{0}));
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::vector<RunRecord> parse_history(std::string_view text) {
  std::vector<RunRecord> out;
  std::size_t begin = 0;
  while (begin < text.size()) {
    auto end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    if (auto r = parse_record(text.substr(begin, end - begin))) out.push_back(std::move(*r));
    begin = end + 1;
  }
  return out;
}

std::string_view trimmed_history(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t from = text.size() - max_bytes / 2;
  // Start after a newline, so the first kept line is whole.
  const auto newline = text.find('\n', from > 0 ? from - 1 : 0);
  if (newline == std::string_view::npos) return {};
  return text.substr(newline + 1);
}

}  // namespace omnicron::runner
