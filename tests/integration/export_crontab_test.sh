#!/usr/bin/env bash
# omnicron export against the real `crontab` for a throw-away user the test
# creates and removes, and against an /etc/cron.d-style file in a temporary
# directory: for every example, sync it, export it, and check that
#  - syncing the export writes nothing (the table is byte for byte the same),
#  - exporting again gives the same manifest byte for byte,
#  - the export compiles to the same lines as the example (render),
#  - `export --all` adopts the hand-written lines and lists the one it cannot,
#  - asking for a namespace that is not there is a usage error (exit 2).
# The field-by-field comparison after normalisation is in the unit tests
# (CrontabExport.EveryExampleComesBackEqualAfterNormalisation).
set -euo pipefail
omnicron=$1
examples=$2
user=omnicron-export-$$
work=$(mktemp -d)
export OMNICRON_STATE_DIR=$work/state
cleanup() {
  crontab -u "$user" -r 2>/dev/null || true
  userdel -r "$user" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
useradd -m "$user"

# Hand-written lines the export must leave alone and, with --all, adopt.
printf 'MAILTO=ops@example.com\n# Rotate the logs\n0 0 * * * /usr/sbin/logrotate /etc/logrotate.conf\n5 4 * * * echo 50%% done\n' > "$work/foreign"
crontab -u "$user" "$work/foreign"

# Everything but the "generated from" line: the export names another file.
lines() { "$omnicron" render --format crontab "$@" 2>/dev/null | grep -v '^# >>> omnicron '; }

check_example() {  # NAME TARGET-OPTIONS...
  local name=$1; shift
  local example=$examples/$name.yaml
  "$omnicron" sync -f "$example" "$@" > /dev/null 2>&1 || fail "$name: sync failed"
  "$omnicron" export "$@" --namespace "$(sed -n 's/^namespace: //p' "$example" | grep . || echo "$name")" \
      -o "$work/$name.exported.yaml" 2> "$work/$name.export.err" || fail "$name: export: $(cat "$work/$name.export.err")"
  grep -q '^warning' "$work/$name.export.err" && fail "$name: export warned: $(cat "$work/$name.export.err")"
  "$omnicron" validate "$work/$name.exported.yaml" > /dev/null || fail "$name: the export does not validate"

  "$omnicron" sync -f "$work/$name.exported.yaml" "$@" > "$work/$name.resync" 2>&1 ||
    fail "$name: sync of the export failed: $(cat "$work/$name.resync")"
  grep -q 'is up to date; nothing written' "$work/$name.resync" ||
    fail "$name: syncing the export wrote: $(cat "$work/$name.resync")"

  "$omnicron" export "$@" -o "$work/$name.again.yaml" --namespace "$(sed -n 's/^namespace: //p' "$work/$name.exported.yaml")" 2> /dev/null
  cmp "$work/$name.exported.yaml" "$work/$name.again.yaml" || fail "$name: a second export differs"
}

crontab_target=(--target crontab --user "$user")
crondir=$work/cron.d
mkdir -p "$crondir"
crond_target=(--target "cron.d:$crondir/omnicron-export")

check_example crm "${crontab_target[@]}"
diff <(lines -f "$examples/crm.yaml") <(lines -f "$work/crm.exported.yaml") || fail "crm: the export renders other lines"
check_example windows-desktop "${crontab_target[@]}"
diff <(lines -f "$examples/windows-desktop.yaml") <(lines -f "$work/windows-desktop.exported.yaml") ||
  fail "windows-desktop: the export renders other lines"
# server.yaml runs jobs as other users, which only a file with a user column can say.
check_example server "${crond_target[@]}"
diff <(lines -f "$examples/server.yaml" --user-column root) <(lines -f "$work/server.exported.yaml" --user-column root) ||
  fail "server: the export renders other lines"

# The hand-written lines are still there, byte for byte, at the top.
crontab -u "$user" -l > "$work/table"
head -c "$(wc -c < "$work/foreign")" "$work/table" | cmp - "$work/foreign" || fail "foreign lines changed"

# Two namespaces installed: export needs to be told which, or --all.
set +e; "$omnicron" export "${crontab_target[@]}" > /dev/null 2> "$work/err"; rc=$?; set -e
[ $rc = 2 ] || fail "export with two namespaces exited $rc, expected 2"
grep -q 'holds several namespaces (crm, desktop)' "$work/err" || fail "export: $(cat "$work/err")"
set +e; "$omnicron" export "${crontab_target[@]}" --namespace nope > /dev/null 2> "$work/err"; rc=$?; set -e
[ $rc = 2 ] || fail "export of a missing namespace exited $rc, expected 2"
grep -q "has no namespace 'nope'; it has: crm, desktop" "$work/err" || fail "export: $(cat "$work/err")"

"$omnicron" export "${crontab_target[@]}" --all -o "$work/all.yaml" 2> "$work/all.err"
"$omnicron" validate "$work/all.yaml" > /dev/null || fail "export --all does not validate"
grep -q '^  logrotate:$' "$work/all.yaml" || fail "export --all did not adopt logrotate: $(cat "$work/all.yaml")"
grep -q '^    description: Rotate the logs$' "$work/all.yaml" || fail "the comment above is not the description"
grep -q "^warning: line 4: not adopted: the command has an unescaped '%'" "$work/all.err" ||
  fail "the unexpressible line is not listed: $(cat "$work/all.err")"
grep -q '(1 adopted from other lines)' "$work/all.err" || fail "export --all: $(cat "$work/all.err")"
[ "$(grep -c '^  [a-z].*:$' "$work/all.yaml")" = 8 ] || fail "export --all should hold 5 + 2 + 1 jobs"
echo "export round trips: ok"
