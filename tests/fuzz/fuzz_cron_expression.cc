// Fuzz target: the cron expression parser, and for what it accepts, the
// description and a few fire times (which must never hang or crash).
#include <cstdint>
#include <string_view>

#include "cron/cron_expression.h"
#include "cron/describe.h"
#include "cron/fire_times.h"
#include "tz/zone.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace omnicron;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = cron::CronExpression::try_parse(text);
  if (auto* expr = std::get_if<cron::CronExpression>(&parsed)) {
    (void)cron::describe(*expr);
    (void)expr->canonical();
    cron::FireTimes times(*expr, tz::Zone::utc(), cron::Instant{std::chrono::seconds{1'800'000'000}});
    for (int i = 0; i < 3; ++i) (void)times.next();
  } else {
    const auto& error = std::get<cron::SyntaxError>(parsed);
    // The caret must point into the text.
    if (error.offset > text.size()) __builtin_trap();
  }
  return 0;
}
