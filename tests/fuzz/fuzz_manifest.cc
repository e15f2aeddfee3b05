// Fuzz target: the manifest loader must turn any bytes into a manifest or
// diagnostics, never crash, hang or throw.
#include <cstdint>
#include <string_view>

#include "manifest/load.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  omnicron::LoadResult result = omnicron::load_manifest(text, "fuzz.yaml");
  for (const auto& d : result.diagnostics.items()) (void)omnicron::render(d, text);
  return 0;
}
