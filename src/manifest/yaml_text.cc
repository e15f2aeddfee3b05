#include "manifest/yaml_text.h"

#include <regex>

#include <fmt/format.h>

namespace omnicron::detail {

ScalarKind scalar_kind(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return ScalarKind::null;
  const std::string& tag = node.Tag();
  // yaml-cpp tags quoted and block scalars "!" and plain ones "?".
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return ScalarKind::string;
  const std::string& s = node.Scalar();
  static const std::regex null_re("~|null|Null|NULL");
  static const std::regex bool_re("true|True|TRUE|false|False|FALSE");
  static const std::regex int_re("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
  static const std::regex float_re(
      "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|"
      "\\.(nan|NaN|NAN)");
  if (s.empty() || std::regex_match(s, null_re)) return ScalarKind::null;
  if (std::regex_match(s, bool_re)) return ScalarKind::boolean;
  if (std::regex_match(s, int_re)) return ScalarKind::integer;
  if (std::regex_match(s, float_re)) return ScalarKind::floating;
  return ScalarKind::string;
}

std::string describe(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  switch (scalar_kind(node)) {
    case ScalarKind::null: return "nothing";
    case ScalarKind::boolean: return fmt::format("the boolean {}", node.Scalar());
    case ScalarKind::integer:
    case ScalarKind::floating: return fmt::format("the number {}", node.Scalar());
    case ScalarKind::string: break;
  }
  return fmt::format("the string '{}'", node.Scalar());
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
