#!/usr/bin/env bash
# Cross-builds, with cmake/mingw-w64.cmake, the libraries omnicron's Windows
# build links statically and Debian ships no mingw-w64 build of: yaml-cpp and
# Expat from Debian's own source packages, GoogleTest from /usr/src/googletest.
# They go to build/windows-deps/prefix (lib/*.a, include/), the place the
# `windows` preset looks. Only the static libraries are built (no tests,
# tools or docs). Each library is built once: a stamp file naming its version
# marks it done, so running this again costs nothing.
#
# Runs as root (it adds and removes an apt source). Called by setup-debian.sh;
# OMNICRON_DEPS_JOBS overrides the build parallelism (default: every core).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD/build/windows-deps
prefix=$root/prefix
toolchain=$PWD/cmake/mingw-w64.cmake
jobs=${OMNICRON_DEPS_JOBS:-$(nproc)}
# The versions Debian 12 ships; the stamps name them, so a new one rebuilds.
yaml_cpp_version=$(dpkg-query -W -f='${source:Upstream-Version}' libyaml-cpp-dev)
expat_version=$(dpkg-query -W -f='${source:Upstream-Version}' libexpat1-dev)
gtest_version=$(dpkg-query -W -f='${source:Upstream-Version}' googletest)

stamp() { echo "$prefix/.built-$1-$2"; }
wanted=()
[ -f "$(stamp yaml-cpp "$yaml_cpp_version")" ] || wanted+=(yaml-cpp)
[ -f "$(stamp expat "$expat_version")" ] || wanted+=(expat)
[ -f "$(stamp googletest "$gtest_version")" ] || wanted+=(googletest)
if [ ${#wanted[@]} -eq 0 ]; then
  echo "windows-deps: yaml-cpp $yaml_cpp_version, Expat $expat_version and GoogleTest $gtest_version present"
  exit 0
fi
mkdir -p "$root" "$prefix"

# One static library with the cross toolchain, installed to $prefix. -O1:
# reading a manifest or a task file is not where omnicron spends time, and
# yaml-cpp builds in 15 s at -O1 instead of 24 s at -O2 or -O3 on 2 cores.
cross_build() {  # name source-dir cmake-options...
  local name=$1 source=$2
  shift 2
  local start=$SECONDS
  rm -rf "$root/build-$name"
  cmake --no-warn-unused-cli -S "$source" -B "$root/build-$name" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DBUILD_SHARED_LIBS=OFF "$@" >"$root/build-$name.log"
  if [ "$name" = expat ]; then
    # Debian's CVE patches test `#if XML_DTD == 1`, which its autotools
    # config.h satisfies; expat's CMake writes a bare `#define XML_DTD`.
    sed -i 's/^#define XML_DTD$/#define XML_DTD 1/' "$root/build-$name/expat_config.h"
  fi
  cmake --build "$root/build-$name" -j "$jobs" >>"$root/build-$name.log"
  cmake --install "$root/build-$name" >>"$root/build-$name.log"
  rm -rf "$root/build-$name"
  echo "windows-deps: built $name in $((SECONDS - start)) s"
}

# Debian's source packages, through a temporary deb-src entry for the same
# archive the machine's binary packages come from (its first entry, the main
# archive: the security archive's mirror here answers 404 for source
# packages); the entry is removed, and apt's lists refreshed, however this
# ends.
need_sources=()
for p in yaml-cpp expat; do
  [[ " ${wanted[*]} " == *" $p "* ]] && need_sources+=("$p")
done
if [ ${#need_sources[@]} -gt 0 ]; then
  start=$SECONDS
  entry=/etc/apt/sources.list.d/omnicron-windows-deps-src.sources
  remove_entry() {
    rm -f "$entry"
    apt-get update -qq || true
  }
  trap remove_entry EXIT
  awk -v RS= 'NR == 1 { sub(/^Types: deb\n/, "Types: deb-src\n"); print; exit }' \
    /etc/apt/sources.list.d/debian.sources >"$entry"
  apt-get update -qq
  rm -rf "$root/src"
  mkdir -p "$root/src"
  if ! (cd "$root/src" && apt-get source -qq "${need_sources[@]}") >"$root/src.log" 2>&1; then
    cat "$root/src.log" >&2
    echo "windows-deps: apt-get source ${need_sources[*]} failed" >&2
    exit 1
  fi
  remove_entry
  trap - EXIT
  echo "windows-deps: fetched ${need_sources[*]} sources in $((SECONDS - start)) s"
fi

for name in "${wanted[@]}"; do
  case $name in
    yaml-cpp)
      cross_build yaml-cpp "$(echo "$root"/src/yaml-cpp-*/)" \
        -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF \
        -DYAML_CPP_BUILD_CONTRIB=OFF -DYAML_BUILD_SHARED_LIBS=OFF
      touch "$(stamp yaml-cpp "$yaml_cpp_version")"
      ;;
    expat)
      # The source package holds upstream's repository: the library is in expat/.
      cross_build expat "$(echo "$root"/src/expat-*/expat)" \
        -DEXPAT_SHARED_LIBS=OFF -DEXPAT_BUILD_TOOLS=OFF -DEXPAT_BUILD_EXAMPLES=OFF \
        -DEXPAT_BUILD_TESTS=OFF -DEXPAT_BUILD_DOCS=OFF -DEXPAT_BUILD_FUZZERS=OFF \
        -DEXPAT_BUILD_PKGCONFIG=OFF
      touch "$(stamp expat "$expat_version")"
      ;;
    googletest)
      cross_build googletest /usr/src/googletest -DBUILD_GMOCK=OFF -DINSTALL_GTEST=ON
      touch "$(stamp googletest "$gtest_version")"
      ;;
  esac
done
rm -rf "$root/src"
