#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <yaml-cpp/mark.h>

#include "manifest/yaml_node.h"

namespace omnicron::detail {

// A YAML stream read in one pass: the first document as a tree of YamlNodes
// and where every document starts, so a caller can tell a manifest from a
// stream of several documents without parsing the text twice.
struct YamlStream {
  struct Document {
    YAML::Mark start;  // where the parser began the document
    YAML::Mark root;   // the root node's mark
    bool null = true;  // the document is empty
  };
  // Every node of the first document. The loader keeps this alive until the
  // process ends, when freeing it node by node would only cost time.
  std::shared_ptr<std::deque<YamlNode>> nodes = std::make_shared<std::deque<YamlNode>>();
  // The first document's root, in `nodes`: a null node when the stream has
  // none.
  const YamlNode* first = nullptr;
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
