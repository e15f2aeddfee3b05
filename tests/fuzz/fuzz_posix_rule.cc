// Fuzz target: the POSIX TZ rule parser and the changes it computes.
#include <cstdint>
#include <string_view>

#include "tz/posix_rule.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto rule = omnicron::tz::parse_posix_rule(text)) {
    for (int year : {1970, 2038, 2100}) (void)rule->changes_in(year);
  }
  return 0;
}
