// How fast the engine computes fire times. The CLI prints up to 100,000
// consecutive instants of one expression through FireTimes, so the number
// that matters is the cost of one FireTimes::next() in a zone with DST.

#include <benchmark/benchmark.h>


#include "cron/cron_expression.h"
#include "cron/describe.h"
#include "cron/fire_times.h"
#include "test_zones.h"

namespace {

using omnicron::cron::CronExpression;
using omnicron::cron::FireTimes;
using omnicron::cron::Instant;

const Instant kStart{std::chrono::seconds{1767225600}};  // 2026-01-01T00:00:00Z

// Runs the cursor across many months (and DST changes), starting over when a
// batch is done so each iteration measures one next().
void next_fire_times(benchmark::State& state, const char* text) {
  const auto expr = CronExpression::parse(text);
  const omnicron::tz::Zone& zone = omnicron::testing::load_zone("America/New_York");
  constexpr int kBatch = 100'000;
  FireTimes times(expr, zone, kStart);
  int in_batch = 0;
  for (auto _ : state) {
    if (in_batch == kBatch) {
      state.PauseTiming();
      times = FireTimes(expr, zone, kStart);
      in_batch = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(times.next());
    ++in_batch;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(next_fire_times, every_5_minutes, "*/5 * * * *");
BENCHMARK_CAPTURE(next_fire_times, sunday_0200, "0 2 * * 0");
BENCHMARK_CAPTURE(next_fire_times, office_hours, "*/15 9-17 * * 1-5");
BENCHMARK_CAPTURE(next_fire_times, leap_day, "0 0 29 2 *");

// The whole CLI job: 100,000 consecutive fire times from a fresh cursor.
void hundred_thousand(benchmark::State& state, const char* text) {
  const auto expr = CronExpression::parse(text);
  const omnicron::tz::Zone& zone = omnicron::testing::load_zone("America/New_York");
  for (auto _ : state) {
    FireTimes times(expr, zone, kStart);
    for (int i = 0; i < 100'000; ++i) benchmark::DoNotOptimize(times.next());
  }
  state.SetItemsProcessed(state.iterations() * 100'000);
}
BENCHMARK_CAPTURE(hundred_thousand, every_5_minutes, "*/5 * * * *")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(hundred_thousand, office_hours, "*/15 9-17 * * 1-5")
    ->Unit(benchmark::kMillisecond);

// A one-off next_fire() pays for the zone lookups a cursor caches.
void one_off_next_fire(benchmark::State& state) {
  const auto expr = CronExpression::parse("0 2 * * 0");
  const omnicron::tz::Zone& zone = omnicron::testing::load_zone("America/New_York");
  Instant t = kStart;
  for (auto _ : state) {
    auto next = omnicron::cron::next_fire(expr, t, zone);
    benchmark::DoNotOptimize(next);
    t = *next;
  }
}
BENCHMARK(one_off_next_fire);

void parse(benchmark::State& state, const char* text) {
  for (auto _ : state) benchmark::DoNotOptimize(CronExpression::try_parse(text));
}
BENCHMARK_CAPTURE(parse, every_5_minutes, "*/5 * * * *");
BENCHMARK_CAPTURE(parse, office_hours, "*/15 9-17 * * 1-5");
BENCHMARK_CAPTURE(parse, names_and_lists, "0,15,30,45 6-9,18 1,15 jan-mar,jul mon-fri");

void describe(benchmark::State& state) {
  const auto expr = CronExpression::parse("*/15 9-17 * * 1-5");
  for (auto _ : state) benchmark::DoNotOptimize(omnicron::cron::describe(expr));
}
BENCHMARK(describe);

}  // namespace
