#include "posix/compile_memo.h"

#include <charconv>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace omnicron::posix {

namespace {

// Bump when the layout changes; memos of another layout are then ignored.
constexpr std::string_view kHeader = "omnicron compile memo 1\n";

void put(std::string& out, std::string_view field) {
  fmt::format_to(std::back_inserter(out), "{}:", field.size());
  out.append(field);
  out.push_back('\n');
}

void put(std::string& out, std::size_t number) { put(out, std::to_string(number)); }

// Reads the netstrings back; any malformed field makes the whole memo
// unreadable.
class Reader {
 public:
  explicit Reader(std::string_view text) : rest_(text) {}

  std::optional<std::string_view> field() {
    std::size_t size = 0;
    const auto [end, ec] = std::from_chars(rest_.data(), rest_.data() + rest_.size(), size);
    const std::size_t digits = static_cast<std::size_t>(end - rest_.data());
    if (ec != std::errc() || digits == 0 || digits >= rest_.size() || rest_[digits] != ':')
      return std::nullopt;
    rest_.remove_prefix(digits + 1);
    if (rest_.size() < size + 1 || rest_[size] != '\n') return std::nullopt;
    std::string_view value = rest_.substr(0, size);
    rest_.remove_prefix(size + 1);
    return value;
  }

  std::optional<std::size_t> number() {
    auto text = field();
    std::size_t n = 0;
    if (!text || text->empty() ||
        std::from_chars(text->data(), text->data() + text->size(), n).ec != std::errc())
      return std::nullopt;
    return n;
  }

  bool equals(std::string_view expected) {
    auto text = field();
    return text && *text == expected;
  }

  bool at_end() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace

std::string memo_file_name(const CompileInputs& inputs) {
  // FNV-1a: a name only has to spread pairs apart; the memo itself holds
  // the inputs it is compared on, so two pairs that share a name only take
  // turns in it.
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&](std::string_view s) {
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  mix(inputs.table);
  mix(inputs.manifest_path);
  return fmt::format("{:016x}.memo", h);
}

std::string memo_text(const CompileInputs& inputs, const CrontabBlock& block) {
  std::string out(kHeader);
  put(out, inputs.binary);
  put(out, inputs.manifest_path);
  put(out, inputs.table);
  put(out, inputs.options);
  put(out, inputs.manifest_text);
  put(out, block.namespace_);
  put(out, block.source);
  put(out, block.entries.size());
  for (const CrontabEntry& e : block.entries) {
    put(out, e.job);
    put(out, e.digest);
    put(out, e.enabled ? "1" : "0");
    put(out, e.shell ? "1" : "0");
    put(out, e.description);
    put(out, e.lines.size());
    for (const std::string& line : e.lines) put(out, line);
  }
  return out;
}

std::optional<CrontabBlock> remembered_block(std::string_view text, const CompileInputs& inputs) {
  if (!text.starts_with(kHeader)) return std::nullopt;
  Reader in(text.substr(kHeader.size()));
  // The manifest's text last: it is the longest, and the rest differ first
  // when anything but the manifest changed.
  if (!in.equals(inputs.binary) || !in.equals(inputs.manifest_path) || !in.equals(inputs.table) ||
      !in.equals(inputs.options) || !in.equals(inputs.manifest_text))
    return std::nullopt;
  auto flag = [&](bool& out) {
    auto f = in.field();
    if (!f || (*f != "0" && *f != "1")) return false;
    out = *f == "1";
    return true;
  };
  auto string = [&](std::string& out) {
    auto f = in.field();
    if (!f) return false;
    out = *f;
    return true;
  };
  CrontabBlock block;
  if (!string(block.namespace_) || !string(block.source)) return std::nullopt;
  auto count = in.number();
  if (!count) return std::nullopt;
  // No reserve from the count: a damaged memo could claim any number.
  for (std::size_t i = 0; i < *count; ++i) {
    CrontabEntry e;
    if (!string(e.job) || !string(e.digest) || !flag(e.enabled) || !flag(e.shell) ||
        !string(e.description))
      return std::nullopt;
    auto lines = in.number();
    if (!lines) return std::nullopt;
    for (std::size_t j = 0; j < *lines; ++j) {
      if (!string(e.lines.emplace_back())) return std::nullopt;
    }
    block.entries.push_back(std::move(e));
  }
  if (!in.at_end()) return std::nullopt;
  return block;
}

}  // namespace omnicron::posix
