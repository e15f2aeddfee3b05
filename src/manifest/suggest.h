#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace omnicron::detail {

// The number of single-character insertions, deletions, substitutions and
// swaps of neighbours that turn `a` into `b` (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate the user most likely meant by `word`, or "" when none is
// close enough to be worth suggesting. Case and '-' versus '_' do not count
// as differences, so "Working-Dir" finds "working_dir".
std::string closest(std::string_view word, const std::vector<std::string_view>& candidates);

// Joins words as "a, b, c" for "allowed: ..." lists.
std::string join(const std::vector<std::string_view>& words);

}  // namespace omnicron::detail
