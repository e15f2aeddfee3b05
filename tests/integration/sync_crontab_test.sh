#!/usr/bin/env bash
# omnicron plan / sync / remove / sync --restore against the real `crontab`
# for a throw-away user the test creates and removes. Checks that foreign
# lines come back byte for byte, that a no-op sync writes nothing, that two
# syncs of different namespaces started together both land, that a sync
# waiting for another's lock says so, and that crontab's own refusal reaches
# the user with exit code 1.
set -euo pipefail
omnicron=$1
examples=$2
user=omnicron-sync-$$
work=$(mktemp -d)
export OMNICRON_STATE_DIR=$work/state
deny_backup=
user_state=
cleanup() {
  crontab -u "$user" -r 2>/dev/null || true
  userdel -r "$user" 2>/dev/null || true
  if [ -n "$deny_backup" ]; then
    if [ "$deny_backup" = absent ]; then rm -f /etc/cron.deny; else cp -p "$deny_backup" /etc/cron.deny; fi
  fi
  rm -rf "$work" "${user_state:-}"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
useradd -m "$user"

# A foreign table with awkward bytes: comments, env lines, odd spacing, a
# tab, a percent sign, trailing blanks.
printf '# backups (hand-written)\nMAILTO=""\nSHELL=/bin/bash\n\n15  3 * * *\t/usr/bin/backup --all   \n0 * * * * date +%%s > /tmp/now\n' > "$work/foreign"
crontab -u "$user" "$work/foreign"
crontab -u "$user" -l > "$work/before"

run() { "$omnicron" "$@" --target crontab --user "$user"; }
backups() { find "$work/state" -name '*.crontab' 2>/dev/null | wc -l; }

set +e; run plan -f "$examples/crm.yaml" --detailed-exitcode > "$work/plan"; rc=$?; set -e
[ $rc = 3 ] || fail "plan --detailed-exitcode exited $rc, expected 3 (changes)"
grep -q '^crm: 5 to create, 0 to update, 0 to remove, 0 unchanged$' "$work/plan" || fail "plan: $(cat "$work/plan")"

run sync -f "$examples/crm.yaml" > /dev/null
crontab -u "$user" -l > "$work/after-sync"
head -c "$(wc -c < "$work/before")" "$work/after-sync" | cmp - "$work/before" || fail "foreign lines changed by sync"
grep -q '^# >>> omnicron crm — generated from /' "$work/after-sync" || fail "no crm block"
[ "$(grep -c '^# omnicron job=' "$work/after-sync")" = 5 ] || fail "expected 5 entries"

# A second sync has nothing to do and must not run crontab - at all: no new backup.
n=$(backups)
run sync -f "$examples/crm.yaml" | grep -q 'is up to date; nothing written' || fail "no-op sync wrote"
[ "$(backups)" = "$n" ] || fail "no-op sync made a backup"
run plan -f "$examples/crm.yaml" --detailed-exitcode > /dev/null || fail "plan after sync has changes"

# Two namespaces synced at the same moment both end up installed.
sed 's/^namespace: crm$/namespace: shop/' "$examples/crm.yaml" > "$work/shop.yaml"
run sync -f "$work/shop.yaml" > "$work/s1" & p1=$!
run sync -f "$examples/server.yaml" --strict 2> "$work/s2.err" > /dev/null & p2=$!
wait $p1 || fail "concurrent sync of shop failed"
set +e; wait $p2; rc=$?; set -e
# server.yaml asks for run_as, which a user's table cannot honour: refused, exit 2.
[ $rc = 2 ] || fail "server.yaml into a user table exited $rc, expected 2"
run sync -f "$examples/windows-desktop.yaml" > /dev/null 2> "$work/desk.err" & p3=$!
run sync -f "$work/shop.yaml" > /dev/null & p4=$!
wait $p3 && wait $p4 || fail "concurrent syncs failed"
crontab -u "$user" -l > "$work/three"
for ns in crm shop desktop; do
  grep -q "^# <<< omnicron $ns\$" "$work/three" || fail "namespace $ns missing after concurrent syncs"
done
grep -q "warning: .*'rsync' has no path" "$work/desk.err" || fail "no warning for a program without a path"

# Removing every namespace gives back the foreign table exactly.
for ns in crm shop desktop; do run remove --namespace "$ns" > /dev/null; done
crontab -u "$user" -l | cmp - "$work/before" || fail "foreign table not restored byte for byte"

# --restore puts the table from before the last write back.
run sync --restore > /dev/null
crontab -u "$user" -l | grep -q '^# <<< omnicron desktop$' || fail "restore did not bring back the last block"

# A sync that finds the lock held by another omnicron says that it waits,
# then finishes once the lock is free. The shell holds the lock on fd 9; the
# sync must not inherit that descriptor, or it would share the lock it waits
# for.
exec 9>> "$work/state/lock"
flock 9
run sync -f "$examples/crm.yaml" 9>&- > "$work/wait.out" 2> "$work/wait.err" & waiter=$!
for _ in $(seq 300); do
  grep -q 'waiting for another omnicron' "$work/wait.err" && break
  sleep 0.1
done
grep -qx "omnicron: waiting for another omnicron to finish with the crontab of user $user (lock $work/state/lock)…" "$work/wait.err" \
  || fail "no lock-wait message: $(cat "$work/wait.err")"
kill -0 "$waiter" 2>/dev/null || fail "sync did not wait for the lock"
flock -u 9
exec 9>&-
wait "$waiter" || fail "sync after the lock was released failed: $(cat "$work/wait.err")"
grep -q '^synced ' "$work/wait.out" || fail "sync after the wait: $(cat "$work/wait.out")"
crontab -u "$user" -l | grep -q '^# <<< omnicron crm$' || fail "crm not installed after the wait"
# Without a holder there is no message.
run sync -f "$examples/crm.yaml" 2> "$work/nowait.err" > /dev/null
! grep -q 'waiting for another omnicron' "$work/nowait.err" || fail "lock-wait message without a holder"

# crontab's own refusal: the user is denied by /etc/cron.deny.
if [ -e /etc/cron.deny ]; then deny_backup=$work/cron.deny.orig; cp -p /etc/cron.deny "$deny_backup"; else deny_backup=absent; fi
echo "$user" >> /etc/cron.deny
user_state=$(mktemp -d); chown "$user" "$user_state"
set +e; su -s /bin/sh "$user" -c "OMNICRON_STATE_DIR=$user_state '$omnicron' sync -f '$examples/crm.yaml'" > /dev/null 2> "$work/denied"; rc=$?; set -e
[ $rc = 1 ] || fail "denied user: exit $rc, expected 1 ($(cat "$work/denied"))"
grep -q "not allowed to use this program" "$work/denied" || fail "denied user: crontab's words missing: $(cat "$work/denied")"
echo "sync against the real crontab: all checks held"
