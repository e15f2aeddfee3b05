#!/usr/bin/env bash
# omnicron logs and status over histories the runner wrote: `logs --lines`
# prints the end of the log its newest run named, `logs --follow` keeps
# printing what later runs append and follows the log across a rotation, and
# `status --namespace --json` reports the last result and the failure streak.
set -euo pipefail
omnicron=$1
work=$(mktemp -d)
follower=
cleanup() {
  [ -n "$follower" ] && kill "$follower" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
state=(--state-dir "$work/state")
log=$work/logs/t-f.log

run() { "$omnicron" exec --job t/f --log "$log" --log-max-size 1k --log-keep 2 "${state[@]}" -- "$@"; }

run /bin/echo first-run
run /bin/echo second-run
"$omnicron" logs t/f --lines 2 "${state[@]}" > "$work/tail"
# The last two lines are the second run's output and its end banner.
[ "$(wc -l < "$work/tail")" = 2 ] || fail "logs --lines 2 printed: $(cat "$work/tail")"
grep -q '^second-run$' "$work/tail" || fail "logs --lines 2 lacks the last output: $(cat "$work/tail")"

"$omnicron" logs t/f --follow --lines 0 "${state[@]}" > "$work/followed" &
follower=$!
sleep 0.5
run /bin/echo third-run
# A run big enough to rotate the log first: the follower must pick up the new file.
run /bin/sh -c 'head -c 2000 /dev/zero | tr "\0" x; echo; echo after-rotation'
run /bin/echo fourth-run
for _ in $(seq 50); do
  grep -q '^fourth-run$' "$work/followed" && break
  sleep 0.1
done
kill "$follower"; wait "$follower" 2>/dev/null || true; follower=
grep -q '^third-run$' "$work/followed" || fail "logs --follow missed a run: $(cat "$work/followed")"
grep -q '^fourth-run$' "$work/followed" || fail "logs --follow lost the log after rotation: $(cat "$work/followed")"
grep -q 'first-run' "$work/followed" && fail "logs --follow --lines 0 printed old output"
[ -f "$log.1" ] || fail "the log was not rotated"

# Two failures in a row: status reports the last result and the streak.
set +e
"$omnicron" exec --job t/g "${state[@]}" -- /bin/sh -c 'exit 3'; rc1=$?
"$omnicron" exec --job t/g "${state[@]}" -- /bin/sh -c 'exit 4'; rc2=$?
set -e
[ "$rc1" = 3 ] && [ "$rc2" = 4 ] || fail "exec exit codes were $rc1 and $rc2, expected 3 and 4"
"$omnicron" status --namespace t --json "${state[@]}" > "$work/status.json"
/usr/bin/python3 - "$work/status.json" <<'PY'
import json, sys
jobs = {j["job"]: j for j in json.load(open(sys.argv[1]))}
g, f = jobs["t/g"], jobs["t/f"]
assert g["failure_streak"] == 2, g
assert g["last_run"]["exit_code"] == 4 and g["last_run"]["outcome"] == "exited", g
assert g["runs"] == 2, g
assert f["failure_streak"] == 0 and f["runs"] == 5, f
PY
echo "logs and status: ok"
