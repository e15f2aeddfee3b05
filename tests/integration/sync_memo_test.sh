#!/usr/bin/env bash
# The compile memo (posix/compile_memo.h): a sync of a manifest that has not
# changed takes the block compiled last time from the state directory. This
# checks that it is used, and that every input of the compile takes it out
# of use: the manifest's bytes, the options, and the binary itself. A memo is
# changed behind omnicron's back to tell whether it was used: its lines are
# what a sync then installs.
set -euo pipefail
omnicron=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export OMNICRON_STATE_DIR=$work/state
table=$work/table
: > "$table"
cat > "$work/jobs.yaml" <<'YAML'
version: 1
namespace: memo
jobs:
  report:
    schedule: "0 6 * * 1"
    command: [/usr/bin/report, --weekly]
YAML
sync() { "$omnicron" sync -f "$work/jobs.yaml" --target "file:$table" "$@"; }
memo() { find "$work/state/compiled" -name '*.memo'; }
# Puts the block of the manifest other.yaml (compiled at the same path) in
# the memo under the inputs of jobs.yaml: a memo that is whole and
# consistent, but says --monthly.
cat > "$work/other.yaml" <<'YAML'
version: 1
namespace: memo
jobs:
  report:
    schedule: "0 6 * * 1"
    command: [/usr/bin/report, --monthly]
YAML
tamper() {
  local saved ours
  saved=$(memo)
  cp "$saved" "$work/ours.memo"
  cp "$work/jobs.yaml" "$work/jobs.keep" && cp "$work/other.yaml" "$work/jobs.yaml"
  rm -rf "$work/scratch" && mkdir "$work/scratch" && : > "$work/scratch/table"
  OMNICRON_STATE_DIR=$work/scratch/state \
    "$omnicron" sync -f "$work/jobs.yaml" --target "file:$work/scratch/table" > /dev/null
  cp "$work/jobs.keep" "$work/jobs.yaml"
  /usr/bin/python3 - "$work/ours.memo" "$work"/scratch/state/compiled/*.memo "$saved" <<'PY'
import sys
def split(data):
    header, rest = data.split(b"\n", 1)
    fields = []
    while rest:
        size, rest = rest.split(b":", 1)
        fields.append(rest[:int(size)])
        rest = rest[int(size) + 1:]
    return header, fields
ours = split(open(sys.argv[1], "rb").read())
theirs = split(open(sys.argv[2], "rb").read())
# Five inputs, then the block, which does not depend on the table's name.
fields = ours[1][:5] + theirs[1][5:]
with open(sys.argv[3], "wb") as f:
    f.write(ours[0] + b"\n" + b"".join(b"%d:%s\n" % (len(x), x) for x in fields))
PY
}

sync > /dev/null
[ "$(memo | wc -l)" = 1 ] || fail "a clean sync left no memo"
grep -q -- '--weekly$' "$table" || fail "first sync: $(cat "$table")"

# Unchanged manifest: the memo is used.
tamper
sync > "$work/out"
grep -q -- '--monthly$' "$table" || fail "the memo was not used: $(cat "$table")"

# Any change to the manifest's bytes, even a comment, compiles again.
echo '# a comment' >> "$work/jobs.yaml"
sync > "$work/out"
grep -q -- '--weekly$' "$table" || fail "an edited manifest was not compiled: $(cat "$table")"

# An option the compile reads compiles again: --omnicron (the runner path)
# and --strict.
tamper
sync --strict > /dev/null
grep -q -- '--weekly$' "$table" || fail "--strict did not compile again"
tamper
sync --omnicron /opt/omnicron/bin/omnicron > /dev/null
grep -q -- '--weekly$' "$table" || fail "--omnicron did not compile again"

# Another binary (a rebuilt or upgraded omnicron) compiles again.
sync > /dev/null
tamper
cp "$omnicron" "$work/omnicron-copy"
"$work/omnicron-copy" sync -f "$work/jobs.yaml" --target "file:$table" > /dev/null
grep -q -- '--weekly$' "$table" || fail "another binary used the memo"

# A torn memo is ignored and written again.
sync > /dev/null
head -c 40 "$(memo)" > "$work/torn" && cp "$work/torn" "$(memo)"
sync > "$work/out"
grep -q 'is up to date; nothing written' "$work/out" || fail "torn memo: $(cat "$work/out")"
[ "$(wc -c < "$(memo)")" -gt 40 ] || fail "the torn memo was not written again"

# A compile that warns is not remembered, so the warning comes every time.
cat > "$work/warn.yaml" <<'YAML'
version: 1
namespace: warn
jobs:
  tidy:
    schedule: "@daily"
    command: [tidy-up]
YAML
for i in 1 2; do
  "$omnicron" sync -f "$work/warn.yaml" --target "file:$table" > /dev/null 2> "$work/err"
  grep -q "tidy-up" "$work/err" || fail "sync $i did not warn: $(cat "$work/err")"
done
[ "$(memo | wc -l)" = 1 ] || fail "a compile with warnings was remembered"
echo "compile memo: used when nothing changed, dropped for every changed input"
