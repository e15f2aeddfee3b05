#include "runner/history.h"

#include <date/date.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>

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

std::string format_utc(Millis t) {
  return date::format("%FT%TZ", t);
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

std::string to_json_line(const RunRecord& r) {
  nlohmann::ordered_json j;
  j["job"] = r.job;
  j["outcome"] = to_string(r.outcome);
  j["start"] = format_utc(r.start);
  j["end"] = format_utc(r.end);
  j["duration_ms"] = r.duration().count();
  j["attempt"] = r.attempt;
  j["attempts"] = r.attempts;
  if (r.exit_code) j["exit_code"] = *r.exit_code;
  if (r.signal) j["signal"] = *r.signal;
  if (!r.reason.empty()) j["reason"] = r.reason;
  if (r.log) j["log"] = *r.log;
  if (r.pid != 0) j["pid"] = r.pid;
  if (r.queued.count() != 0) j["queued_ms"] = r.queued.count();
  // Invalid UTF-8 (a reason quoting a strange file name) is replaced rather
  // than thrown on: a history line must always be written.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
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
