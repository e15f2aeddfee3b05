// Fuzz target: the TZif reader, and lookups in whatever it accepts.
#include <chrono>
#include <cstdint>
#include <string_view>

#include "error.h"
#include "tz/zone.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace omnicron;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const tz::Zone zone = tz::Zone::from_tzif("Fuzz/Zone", bytes);
    for (std::int64_t t : {-5'000'000'000LL, 0LL, 1'800'000'000LL, 4'000'000'000LL}) {
      (void)zone.get_info(std::chrono::sys_seconds{std::chrono::seconds{t}});
      (void)zone.get_info(date::local_seconds{std::chrono::seconds{t}});
    }
  } catch (const Error&) {
    // Refusing bad bytes with omnicron's error is the expected outcome.
  }
  return 0;
}
