#include "manifest/yaml_stream.h"

#include <istream>
#include <streambuf>
#include <utility>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace omnicron::detail {
namespace {

// Reads a string_view as a stream without copying it.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view text) {
    // streambuf's get area is mutable in type only; nothing writes to it.
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

// Builds the first document's tree from yaml-cpp's parser events, and of
// every document records where it starts and its root. yaml-cpp's own
// NodeBuilder is private to its sources, and only YAML::Load() and LoadAll()
// use it: Load() cannot say whether more documents follow, and LoadAll()
// never returns on the stray ',' of jbeder/yaml-cpp#1040.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(YamlStream& out) : out_(out) {
    // Anchors are numbered from 1.
    anchors_.push_back(nullptr);
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    out_.documents.push_back({mark, mark, true});
    depth_ = 0;
    seen_root_ = false;
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    note_root(mark, true);
    if (!building()) return;
    add(make(YamlNode::Type::null, mark, anchor));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    note_root(mark, false);
    if (!building()) return;
    // The parser refuses an alias to an anchor it has not seen. The alias
    // shares the anchored node, as in yaml-cpp's own trees.
    add(anchors_.at(anchor));
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    note_root(mark, false);
    if (!building()) return;
    YamlNode* node = make(YamlNode::Type::scalar, mark, anchor);
    node->tag = tag;
    node->scalar = value;
    add(node);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(YamlNode::Type::sequence, mark, tag, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(YamlNode::Type::map, mark, tag, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  // A collection being built; a map also holds the key that waits for its
  // value.
  struct Open {
    YamlNode* node;
    const YamlNode* key = nullptr;
  };

  // Only the first document is built; later ones are only counted.
  bool building() const { return out_.documents.size() == 1; }

  void note_root(const YAML::Mark& mark, bool null) {
    if (depth_ != 0 || seen_root_ || out_.documents.empty()) return;
    seen_root_ = true;
    out_.documents.back().root = mark;
    out_.documents.back().null = null;
  }

  YamlNode* make(YamlNode::Type type, const YAML::Mark& mark, YAML::anchor_t anchor) {
    YamlNode& node = out_.nodes->emplace_back();
    node.type = type;
    node.mark = mark;
    if (anchor != YAML::NullAnchor) {
      // yaml-cpp numbers anchors in the order it meets them.
      if (anchor != anchors_.size()) anchors_.resize(anchor);
      anchors_.push_back(&node);
    }
    return &node;
  }

  void open(YamlNode::Type type, const YAML::Mark& mark, const std::string& tag,
            YAML::anchor_t anchor) {
    note_root(mark, false);
    ++depth_;
    if (!building()) return;
    YamlNode* node = make(type, mark, anchor);
    node->tag = tag;
    stack_.push_back({node});
  }

  void close() {
    --depth_;
    if (!building()) return;
    const YamlNode* node = stack_.back().node;
    stack_.pop_back();
    add(node);
  }

  // Places a finished node in the collection that is open, or makes it the
  // root. Inside a map, a node is the key when no key waits for its value.
  void add(const YamlNode* node) {
    if (stack_.empty()) {
      if (out_.first == nullptr) out_.first = node;
      return;
    }
    Open& parent = stack_.back();
    if (parent.node->is_sequence()) {
      parent.node->items.push_back(node);
    } else if (parent.key == nullptr) {
      parent.key = node;
    } else {
      parent.node->pairs.emplace_back(parent.key, node);
      parent.key = nullptr;
    }
  }

  YamlStream& out_;
  std::vector<Open> stack_;
  std::vector<const YamlNode*> anchors_;
  int depth_ = 0;
  bool seen_root_ = false;
};

}  // namespace

YamlStream parse_yaml_stream(std::string_view text) {
  YamlStream out;
  ViewBuffer buffer(text);
  std::istream in(&buffer);
  YAML::Parser parser(in);
  TreeBuilder builder(out);
  while (parser.HandleNextDocument(builder)) {
    const auto& d = out.documents;
    if (d.size() >= 2 && d[d.size() - 1].start.pos == d[d.size() - 2].start.pos) {
      out.stuck = d.back().start;
      break;
    }
  }
  if (out.first == nullptr) out.first = &out.nodes->emplace_back();
  return out;
}

}  // namespace omnicron::detail
