#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace omnicron::detail {

// A YAML stream read in one pass: the first document as a yaml-cpp node tree
// and where every document starts, so a caller can tell a manifest from a
// stream of several documents without parsing the text twice.
struct YamlStream {
  struct Document {
    YAML::Mark start;  // where the parser began the document
    YAML::Mark root;   // the root node's mark
    bool null = true;  // the document is empty
  };
  // The first document's root: a null node when the stream has none.
  YAML::Node first;
  std::vector<Document> documents;
  // Set when the parser stopped moving at this place: yaml-cpp 0.7 hands out
  // the same empty document for ever when a stray ',' stands where a
  // document should start (jbeder/yaml-cpp#1040, fixed upstream by #1319),
  // which is why its LoadAll() never returns on such text.
  std::optional<YAML::Mark> stuck;
};

// Parses TEXT. Throws YAML::Exception (with its mark) for text that is not
// YAML; a stream whose parser stops moving is returned with `stuck` set.
YamlStream parse_yaml_stream(std::string_view text);

}  // namespace omnicron::detail
