#!/usr/bin/env bash
# Installs everything omnicron needs to build, test and benchmark, from
# Debian 12's packages (and the npm registry for one benchmark peer), on a
# fresh machine as root. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # Build
  cmake g++ make pkg-config
  # Libraries
  libyaml-cpp-dev libfmt-dev libboost1.81-dev libcli11-dev nlohmann-json3-dev
  libhowardhinnant-date-dev tzdata libexpat1-dev
  # Tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-jsonschema python3-yaml
  # GNU time measures the runner's peak memory in its benchmark
  time
  # The real crontab and cron daemon, and what the tests run it with
  cron util-linux faketime man-db
  # Benchmark peers: croniter here, croner from npm below
  python3-croniter ruby-whenever
  # The Windows build (mingw-w64, -posix threads for std::mutex) and Wine 8 to
  # run its tests; dpkg-dev lets apt-get source unpack the Windows-only deps
  g++-mingw-w64-x86-64-posix wine wine64 dpkg-dev
)
# Node.js may already come from elsewhere (the machine image ships it); only
# ask Debian for it when it is missing, so the two never fight.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# croner, the JavaScript cron library the next-fire benchmark compares with.
# It lives in the build tree, never in the sources.
if [ ! -f build/peers/node_modules/croner/package.json ]; then
  echo "setup: installing croner (npm) into build/peers"
  mkdir -p build/peers
  npm install --silent --no-audit --no-fund --prefix build/peers croner@9 >/dev/null
fi
# yaml-cpp, Expat and GoogleTest cross-built for Windows into build/ (Debian
# ships none of them for mingw-w64).
bash cmake/windows-deps.sh
echo "setup: all dependencies present"
