#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace omnicron {

// Parses a duration as written in a manifest: a whole number followed by one
// unit, s, m, h or d ("90s", "5m", "2h", "1d"), or a sum of such parts in
// decreasing units ("1h30m"). Returns nothing for anything else (no
// sign, no fraction, no spaces, no zero-length text).
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// The shortest spelling parse_duration() reads back: "30m", "1h30m", "1d".
std::string format_duration(std::chrono::seconds d);

}  // namespace omnicron
