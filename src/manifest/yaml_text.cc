#include "manifest/yaml_text.h"

#include <initializer_list>
#include <string_view>

#include <fmt/format.h>

namespace omnicron::detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Skips a run of characters that satisfy `ok`; returns how many.
template <typename Ok>
std::size_t skip(std::string_view s, std::size_t& i, Ok ok) {
  const std::size_t from = i;
  while (i < s.size() && ok(s[i])) ++i;
  return i - from;
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (s == w) return true;
  return false;
}

// YAML 1.2's core schema integer: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+.
bool is_integer(std::string_view s) {
  std::size_t i = 0;
  if (s.starts_with("0o")) {
    i = 2;
    return skip(s, i, [](char c) { return c >= '0' && c <= '7'; }) > 0 && i == s.size();
  }
  if (s.starts_with("0x")) {
    i = 2;
    return skip(s, i, [](char c) {
             return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           }) > 0 &&
           i == s.size();
  }
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  return skip(s, i, is_digit) > 0 && i == s.size();
}

// YAML 1.2's core schema float:
// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? | [-+]?\.(inf|Inf|INF) |
// \.(nan|NaN|NAN).
bool is_float(std::string_view s) {
  if (one_of(s, {".nan", ".NaN", ".NAN"})) return true;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (one_of(s.substr(i), {".inf", ".Inf", ".INF"})) return true;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (skip(s, i, is_digit) == 0) return false;
  } else {
    if (skip(s, i, is_digit) == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      skip(s, i, is_digit);
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (skip(s, i, is_digit) == 0) return false;
  }
  return i == s.size();
}

}  // namespace

// Matched by hand rather than with <regex>: every plain scalar of a manifest
// comes through here, and std::regex made this a tenth of a big load.
ScalarKind scalar_kind(const YamlNode& node) {
  if (node.is_null()) return ScalarKind::null;
  const std::string& tag = node.tag;
  // yaml-cpp tags quoted and block scalars "!" and plain ones "?".
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return ScalarKind::string;
  const std::string_view s = node.scalar;
  if (s.empty() || one_of(s, {"~", "null", "Null", "NULL"})) return ScalarKind::null;
  if (one_of(s, {"true", "True", "TRUE", "false", "False", "FALSE"})) return ScalarKind::boolean;
  if (is_integer(s)) return ScalarKind::integer;
  if (is_float(s)) return ScalarKind::floating;
  return ScalarKind::string;
}

std::string describe(const YamlNode& node) {
  if (node.is_sequence()) return "a list";
  if (node.is_map()) return "a map";
  switch (scalar_kind(node)) {
    case ScalarKind::null: return "nothing";
    case ScalarKind::boolean: return fmt::format("the boolean {}", node.scalar);
    case ScalarKind::integer:
    case ScalarKind::floating: return fmt::format("the number {}", node.scalar);
    case ScalarKind::string: break;
  }
  return fmt::format("the string '{}'", node.scalar);
}

int column_in_scalar(std::string_view source, const YAML::Mark& mark, std::size_t offset) {
  const int own = mark.column + 1;
  if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= source.size()) return own;
  const std::size_t start = static_cast<std::size_t>(mark.pos);
  const char quote = source[start];
  auto ends_line = [&](std::size_t i) {
    return i >= source.size() || source[i] == '\n' || source[i] == '\r';
  };
  // A block scalar's text starts on the next line; the caret stays on the
  // indicator rather than guessing.
  if (quote == '|' || quote == '>') return own;
  if (quote != '"' && quote != '\'') {
    for (std::size_t i = start; i < start + offset; ++i)
      if (ends_line(i)) return own;  // a plain scalar folded over lines
    return own + static_cast<int>(offset);
  }
  std::size_t i = start + 1;
  for (std::size_t decoded = 0; decoded < offset; ++decoded) {
    if (ends_line(i) || (source[i] == quote && quote == '"')) return own;
    if (quote == '\'') {
      if (source[i] == '\'') {
        if (i + 1 < source.size() && source[i + 1] == '\'')
          i += 2;  // '' stands for one quote
        else
          return own;
      } else {
        ++i;
      }
    } else if (source[i] == '\\') {
      // \x, \u and \U yield a number of UTF-8 bytes that depends on the
      // code point; rather than decode them, point at the whole string.
      if (i + 1 >= source.size()) return own;
      char e = source[i + 1];
      if (e == 'x' || e == 'u' || e == 'U' || e == 'N' || e == '_' || e == 'L' ||
          e == 'P' || e == '\n' || e == '\r')
        return own;
      i += 2;
    } else {
      ++i;
    }
  }
  return own + static_cast<int>(i - start);
}

}  // namespace omnicron::detail
