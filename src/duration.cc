#include "duration.h"

#include <array>
#include <cstdint>

namespace omnicron {

namespace {

struct Unit {
  char letter;
  std::int64_t seconds;
};

// Largest first: a sum must be written in strictly decreasing units, so the
// index of the last unit read tells which units may still follow.
constexpr std::array<Unit, 4> kUnits{{{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};

// Nine digits per part keep the largest sum (999999999d plus the rest) far
// inside a 64-bit count of seconds, so no overflow check is needed below.
constexpr std::size_t kMaxDigits = 9;

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // the first unit still allowed
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    std::int64_t number = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      number = number * 10 + (text[i] - '0');
      ++i;
    }
    std::size_t digits = i - start;
    if (digits == 0 || digits > kMaxDigits || i == text.size()) return std::nullopt;
    char letter = text[i++];
    std::size_t u = next_unit;
    while (u < kUnits.size() && kUnits[u].letter != letter) ++u;
    if (u == kUnits.size()) return std::nullopt;  // unknown, repeated or out of order
    total += number * kUnits[u].seconds;
    next_unit = u + 1;
  }
  return std::chrono::seconds{total};
}

std::string format_duration(std::chrono::seconds d) {
  std::int64_t left = d.count();
  if (left <= 0) return "0s";
  // The canonical spelling: each unit from the largest down takes what it
  // can, so 5400s reads "1h30m" and every value has exactly one spelling.
  std::string out;
  for (const Unit& unit : kUnits) {
    if (left >= unit.seconds) {
      out += std::to_string(left / unit.seconds);
      out += unit.letter;
      left %= unit.seconds;
    }
  }
  return out;
}

}  // namespace omnicron
