#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "posix/crontab_block.h"

namespace omnicron::posix {

// Everything a crontab compile reads. Two compiles with equal inputs give
// equal blocks, so a block compiled once can stand in for the next compile
// of the same inputs.
struct CompileInputs {
  std::string binary;         // the omnicron binary: path, size, change time
  std::string manifest_path;  // absolute, as the block's header names it
  std::string manifest_text;
  std::string table;          // the table's description
  std::string options;        // runner path, user column, --strict, system zone
  friend bool operator==(const CompileInputs&, const CompileInputs&) = default;
};

// A compiled block remembered between syncs.
//
// Re-running `omnicron sync` on a manifest that has not changed is the
// common case (a deploy script or configuration management does it every
// time), and parsing the YAML and compiling it were nearly all of its cost:
// a no-op sync of 100 jobs took six times as long as the `crontab -l` it
// needs. The memo holds the inputs, the manifest's text and the block, and
// is used only when every input is equal, byte for byte; the sync then
// plans, writes and checks exactly as after a compile. A compile that
// warned is not remembered, so its warnings are printed every time.

// The memo's file name for these inputs: one per table and manifest path, so
// a later compile of the same pair replaces it.
std::string memo_file_name(const CompileInputs& inputs);

// The memo's text: a header line, then every input and every field of the
// block as a netstring ("LENGTH:BYTES\n"). Written by hand rather than as
// JSON: it holds the manifest byte for byte (which need not be UTF-8), and
// reading it must cost far less than the compile it saves; nlohmann's
// parser, going character by character, took half of a no-op sync.
std::string memo_text(const CompileInputs& inputs, const CrontabBlock& block);

// The remembered block when TEXT is a memo of exactly these inputs; nothing
// for a memo of other inputs, of another format, or one that cannot be read
// (a torn write), so the caller compiles instead.
std::optional<CrontabBlock> remembered_block(std::string_view text, const CompileInputs& inputs);

}  // namespace omnicron::posix
