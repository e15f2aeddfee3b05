#!/usr/bin/env bash
# Installs the build into a throw-away prefix, the way a packager would, and
# checks that the binary, its man page and the schema land where users look.
set -euo pipefail
build_dir=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
for f in bin/omnicron share/man/man1/omnicron.1 share/omnicron/schemas/manifest.schema.json; do
  [ -f "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
"$prefix/bin/omnicron" --version | grep -q '^omnicron [0-9]' || { echo "omnicron --version failed"; exit 1; }
/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
  "$prefix/share/omnicron/schemas/manifest.schema.json"
man -l "$prefix/share/man/man1/omnicron.1" 2>/dev/null | grep -q 'omnicron validate' \
  || { echo "man page does not render"; exit 1; }
echo "installed: bin/omnicron, man1/omnicron.1, schemas/manifest.schema.json"
