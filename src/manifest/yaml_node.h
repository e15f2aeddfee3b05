#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/mark.h>

namespace omnicron::detail {

// One node of a parsed YAML document, as the manifest loader reads it.
//
// yaml-cpp's own YAML::Node is built of reference-counted parts registered
// in a shared set, which made building the tree cost as much as parsing the
// text: a 4,000-job manifest spent more time in malloc and shared_ptr than in
// the scanner. These nodes are plain values that live in one arena (see
// YamlStream) and point at each other, and they keep what the loader needs
// and nothing more: the kind, where it starts, its tag and its text.
struct YamlNode {
  enum class Type : unsigned char { null, scalar, sequence, map };

  Type type = Type::null;
  YAML::Mark mark;
  // yaml-cpp's tag: "?" for a plain scalar without a tag, "!" for a quoted or
  // block one, or the tag as written (resolved, e.g. "tag:yaml.org,2002:str").
  std::string tag;
  std::string scalar;                          // a scalar's text; empty otherwise
  std::vector<const YamlNode*> items;          // a sequence's items
  std::vector<std::pair<const YamlNode*, const YamlNode*>> pairs;  // a map's keys and values

  bool is_null() const { return type == Type::null; }
  bool is_scalar() const { return type == Type::scalar; }
  bool is_sequence() const { return type == Type::sequence; }
  bool is_map() const { return type == Type::map; }

  // The number of items or pairs; 0 for a scalar or null.
  std::size_t size() const { return is_map() ? pairs.size() : items.size(); }

  // The value of the first pair whose key is the scalar KEY, or nullptr.
  const YamlNode* find(std::string_view key) const {
    for (const auto& [k, v] : pairs)
      if (k->is_scalar() && k->scalar == key) return v;
    return nullptr;
  }
};

}  // namespace omnicron::detail
