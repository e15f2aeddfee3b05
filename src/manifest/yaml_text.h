#pragma once

#include <cstddef>
#include <string_view>

#include <yaml-cpp/mark.h>

#include "manifest/yaml_node.h"

namespace omnicron::detail {

// What a scalar means under YAML 1.2's core schema, the one editors and the
// JSON Schema check use. yaml-cpp hands back only text, and its own
// conversions follow YAML 1.1 (where `on` and `yes` are booleans), so the
// loader decides types itself to agree with the schema.
enum class ScalarKind { null, boolean, integer, floating, string };

// The kind of a node that is null or a scalar. A quoted or block scalar, or
// one tagged !!str, is always a string.
ScalarKind scalar_kind(const YamlNode& node);

// Describes a node for "found ..." in messages: "a list", "a map",
// "nothing", "the number 30", "the boolean true", "the string 'x'".
std::string describe(const YamlNode& node);

// The 1-based column of the character `offset` bytes into the value of the
// scalar that starts at `mark`, found by reading the source: a quoted scalar
// starts one column after its quote, and escapes before the offset take more
// source characters than they yield. When the scalar spans lines, or an
// escape makes the mapping unclear, the scalar's own column is returned.
int column_in_scalar(std::string_view source, const YAML::Mark& mark, std::size_t offset);

}  // namespace omnicron::detail
