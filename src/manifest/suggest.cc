#include "manifest/suggest.h"

#include <algorithm>
#include <cctype>

namespace omnicron::detail {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows suffice for the swap of neighbours, which "timeuot" needs.
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    before.swap(prev);
    prev.swap(cur);
  }
  return prev[b.size()];
}

namespace {

std::string normalise(std::string_view word) {
  std::string out;
  for (char c : word) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += lower == '-' ? '_' : lower;
  }
  return out;
}

}  // namespace

std::string closest(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::string w = normalise(word);
  if (w.empty()) return {};
  for (std::string_view c : candidates)
    if (normalise(c) == w) return std::string(c);
  // Short words tolerate fewer edits: "on" is one edit from "log", but a
  // suggestion that far off reads like noise.
  const std::size_t limit = w.size() <= 3 ? 1 : w.size() <= 6 ? 2 : 3;
  std::string best;
  std::size_t best_distance = limit + 1;
  for (std::string_view c : candidates) {
    std::size_t d = edit_distance(w, normalise(c));
    if (d < best_distance) {
      best_distance = d;
      best = std::string(c);
    }
  }
  if (!best.empty()) return best;
  // An abbreviation such as "desc" is far from "description" by edits but
  // plainly meant it.
  if (w.size() >= 3) {
    for (std::string_view c : candidates)
      if (normalise(c).starts_with(w)) return std::string(c);
  }
  return {};
}

std::string join(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

}  // namespace omnicron::detail
