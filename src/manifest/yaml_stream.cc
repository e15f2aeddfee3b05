#include "manifest/yaml_stream.h"

#include <cassert>
#include <istream>
#include <streambuf>
#include <utility>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/node/detail/memory.h>
#include <yaml-cpp/node/detail/node.h>

namespace omnicron::detail {
namespace {

// Names the one specialisation of YAML::as_if below.
struct TreeRoot {};

}  // namespace
}  // namespace omnicron::detail

namespace YAML {

// yaml-cpp builds node trees with a NodeBuilder that lives in its private
// sources, and only YAML::Load() and LoadAll() use it: Load() cannot say
// whether more documents follow, and LoadAll() never returns on the stray
// ',' of jbeder/yaml-cpp#1040. So omnicron builds the tree itself from the
// parser's events, on the node API that yaml-cpp installs. The constructor
// that wraps a built tree in a YAML::Node is private; Node befriends every
// specialisation of as_if, and this one exists only to call it.
template <>
struct as_if<omnicron::detail::TreeRoot, omnicron::detail::TreeRoot> {
  static Node wrap(detail::node& root, detail::shared_memory_holder memory) {
    return Node(root, std::move(memory));
  }
};

}  // namespace YAML

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

// The events of the first document become a node tree, the way yaml-cpp's
// own NodeBuilder makes them; of every document it records where it starts
// and its root.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(YamlStream& out)
      : out_(out), memory_(std::make_shared<YAML::detail::memory_holder>()) {
    // Anchors are numbered from 1.
    anchors_.push_back(nullptr);
  }

  YAML::Node root() const {
    if (root_ == nullptr) return YAML::Node();
    return YAML::as_if<TreeRoot, TreeRoot>::wrap(*root_, memory_);
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
    push(mark, anchor).set_null();
    pop();
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    note_root(mark, false);
    if (!building()) return;
    // The parser refuses an alias to an anchor it has not seen.
    push(*anchors_.at(anchor));
    pop();
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    note_root(mark, false);
    if (!building()) return;
    YAML::detail::node& node = push(mark, anchor);
    node.set_scalar(value);
    node.set_tag(tag);
    pop();
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    note_root(mark, false);
    ++depth_;
    if (!building()) return;
    YAML::detail::node& node = push(mark, anchor);
    node.set_tag(tag);
    node.set_type(YAML::NodeType::Sequence);
    node.set_style(style);
  }
  void OnSequenceEnd() override {
    --depth_;
    if (building()) pop();
  }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    note_root(mark, false);
    ++depth_;
    if (!building()) return;
    YAML::detail::node& node = push(mark, anchor);
    node.set_type(YAML::NodeType::Map);
    node.set_tag(tag);
    node.set_style(style);
    ++map_depth_;
  }
  void OnMapEnd() override {
    --depth_;
    if (!building()) return;
    --map_depth_;
    pop();
  }

 private:
  // Only the first document is built; later ones are only counted.
  bool building() const { return out_.documents.size() == 1; }

  void note_root(const YAML::Mark& mark, bool null) {
    if (depth_ != 0 || seen_root_ || out_.documents.empty()) return;
    seen_root_ = true;
    out_.documents.back().root = mark;
    out_.documents.back().null = null;
  }

  YAML::detail::node& push(const YAML::Mark& mark, YAML::anchor_t anchor) {
    YAML::detail::node& node = memory_->create_node();
    node.set_mark(mark);
    if (anchor != YAML::NullAnchor) {
      assert(anchor == anchors_.size());
      anchors_.push_back(&node);
    }
    push(node);
    return node;
  }

  // A node inside a map is a key when the map has no key waiting for its
  // value; the pair is inserted when the value is done.
  void push(YAML::detail::node& node) {
    const bool is_key = !stack_.empty() && stack_.back()->type() == YAML::NodeType::Map &&
                        keys_.size() < map_depth_;
    stack_.push_back(&node);
    if (is_key) keys_.emplace_back(&node, false);
  }

  void pop() {
    YAML::detail::node& node = *stack_.back();
    stack_.pop_back();
    if (stack_.empty()) {
      root_ = &node;
      return;
    }
    YAML::detail::node& collection = *stack_.back();
    if (collection.type() == YAML::NodeType::Sequence) {
      collection.push_back(node, memory_);
    } else {
      auto& [key, key_done] = keys_.back();
      if (key_done) {
        collection.insert(*key, node, memory_);
        keys_.pop_back();
      } else {
        key_done = true;
      }
    }
  }

  YamlStream& out_;
  YAML::detail::shared_memory_holder memory_;
  YAML::detail::node* root_ = nullptr;
  std::vector<YAML::detail::node*> stack_;
  std::vector<YAML::detail::node*> anchors_;
  std::vector<std::pair<YAML::detail::node*, bool>> keys_;
  std::size_t map_depth_ = 0;
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
  out.first = builder.root();
  return out;
}

}  // namespace omnicron::detail
