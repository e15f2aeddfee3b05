// Fuzz target: the crontab text layer. Whatever the bytes, parsing keeps
// every one of them, and adding then removing a block gives the table back.
#include <cstdint>
#include <string>
#include <string_view>

#include "error.h"
#include "posix/crontab_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace omnicron::posix;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const ParsedCrontab parsed = parse_crontab(text);
  if (parsed.text() != text) __builtin_trap();
  std::vector<UnexpressibleLine> unexpressible;
  (void)parse_foreign_jobs(parsed, false, unexpressible);
  (void)parse_foreign_jobs(parsed, true, unexpressible);
  try {
    const std::string block =
        "# >>> omnicron fz — generated from f.yaml; edits inside are overwritten\n"
        "# omnicron job=a digest=00000000\n@daily /bin/true\n# <<< omnicron fz\n";
    const std::string with = replace_block(parsed, "fz", block);
    const std::string without = replace_block(parse_crontab(with), "fz", std::nullopt);
    // Only when the input had no "fz" block of its own must removal give the
    // input back exactly.
    if (!parsed.find_block("fz") && without != text) __builtin_trap();
  } catch (const omnicron::Error&) {
    // A broken block of this namespace refuses writes: expected.
  }
  return 0;
}
