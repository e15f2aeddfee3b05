#!/usr/bin/env bash
# The two things a newcomer (and CI) does with a fresh clone, as root on
# Debian 12:
#   bash cmake/dev.sh demo   set up, build, and run omnicron on the bundled example
#   bash cmake/dev.sh test   set up, build, and run every test and benchmark
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

bash cmake/setup-debian.sh

case "${1:-}" in
  demo)
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$jobs" --target omnicron
    bin=build/release/src/cli/omnicron
    set -x
    "$bin" validate examples/crm.yaml
    "$bin" next -f examples/crm.yaml weekly-report --count 3
    "$bin" next "30 2 * * *" --tz America/New_York --from 2026-03-06T12:00:00-05:00 --count 3
    "$bin" render --format crontab -f examples/crm.yaml
    ;;
  test)
    # Benchmarks are timed on an optimised build; then the Windows build's
    # tests run under Wine; then every test runs under AddressSanitizer and
    # UBSan with warnings as errors, last, so the run ends on ctest's summary.
    cmake --preset ci-release >/dev/null
    cmake --build --preset ci-release -j "$jobs" --target omnicron omnicron_benchmarks yaml_cpp_load
    echo "== benchmarks (figures are reported, not asserted; ${SECONDS} s so far)"
    build/ci-release/tests/bench/omnicron_benchmarks --benchmark_min_time=0.05
    /usr/bin/python3 tests/bench/next_vs_peers.py build/ci-release/src/cli/omnicron build/peers
    /usr/bin/python3 tests/bench/sync_vs_whenever.py build/ci-release/src/cli/omnicron \
      build/ci-release/tests/bench/yaml_cpp_load
    /usr/bin/python3 tests/bench/exec_vs_true.py build/ci-release/src/cli/omnicron
    echo "== tests (${SECONDS} s so far)"
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j "$jobs"
    # The Windows build (mingw-w64): omnicron.exe, the unit tests, the Task
    # Scheduler COM layer and backend, run under Wine in a throw-away prefix.
    echo "== windows build (${SECONDS} s so far)"
    cmake --preset windows >/dev/null
    cmake --build --preset windows -j "$jobs"
    # Both test runs spend most of their time waiting (on Wine's services, on
    # cron, on timeouts), so they run side by side; Wine's output is printed
    # once it is done, and either one failing fails the run.
    echo "== windows ctest under Wine, and ctest (${SECONDS} s so far)"
    ctest --preset windows >build/windows-ctest.log 2>&1 &
    windows_ctest=$!
    status=0
    ctest --preset asan -j "$jobs" || status=$?
    wine_status=0
    wait "$windows_ctest" || wine_status=$?
    echo "== windows ctest under Wine (exit ${wine_status}):"
    cat build/windows-ctest.log
    echo "== done in ${SECONDS} s"
    if ((status != 0 || wine_status != 0)); then
      echo "FAILED: ctest exit ${status}, windows ctest exit ${wine_status}" >&2
      exit 1
    fi
    ;;
  *)
    echo "usage: bash cmake/dev.sh demo|test" >&2
    exit 2
    ;;
esac
