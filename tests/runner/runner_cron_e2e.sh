#!/bin/bash
# End-to-end: the REAL Debian cron daemon starts `omnicron exec` as `omnicron
# sync` installed it, for a job with a timeout, a log and `overlap: skip`.
#
#   runner_cron_e2e.sh /path/to/omnicron
#
# The daemon runs in its own mount namespace with libfaketime at x60, as for
# cron_daemon_e2e.sh (tests/integration/lib/cron_daemon.sh), so the
# `* * * * *` job fires every real second while each run lasts until its 2 s
# timeout: runs time out, and the runs that fire meanwhile are skipped.
# Checks: the history under the user's state directory records a timed-out run
# and a skipped one, every line parses, the log has the banners, the log and
# its folder are private, and `omnicron status` reports the timeout. Needs root, cron, faketime and
# util-linux. Exit 0 only when everything held.
set -u -o pipefail
export LC_ALL=C

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
log() { printf '== %s\n' "$*"; }
# shellcheck source=../integration/lib/cron_daemon.sh
. "$(dirname -- "$(readlink -f -- "$0")")/../integration/lib/cron_daemon.sh"

[[ $# -eq 1 ]] || fail "usage: $0 /path/to/omnicron"
SOURCE_BINARY=$(readlink -f -- "$1") || fail "no omnicron at '$1'"
cron_daemon_check_tools
command -v python3 >/dev/null || fail "missing python3"

U="omnicron-rn-$$"
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

W=$(mktemp -d /tmp/omnicron-runner-e2e.XXXXXX) || fail "mktemp"
E2E_WORK=$W
chmod 755 "$W"
cron_daemon_prepare "$W"
mkdir "$W/bin" "$W/logs" "$W/state"
export OMNICRON_STATE_DIR="$W/state"   # sync's backups stay here
# The user runs the binary, which may sit under a root-only build folder.
cp "$SOURCE_BINARY" "$W/bin/omnicron" && chmod 755 "$W/bin/omnicron"
OMNICRON="$W/bin/omnicron"

useradd -m "$U" || fail "useradd $U"
E2E_USER=$U
chown "$U" "$W/logs"
HOME_U=$(getent passwd "$U" | cut -d: -f6)
USER_STATE="$HOME_U/.local/state/omnicron"
LOG="$W/logs/slow/slow.log"   # the runner creates the slow/ folder itself

M="$W/runner.yaml"
cat >"$M" <<YAML
version: 1
namespace: e2erun
jobs:
  slow:
    description: Runs longer than its timeout, so every run times out
    schedule: '* * * * *'
    command: ['/bin/sh', '-c', 'echo "started as \$(id -un)"; sleep 30']
    timeout: 2s
    log: '$LOG'
    overlap: skip
YAML
"$OMNICRON" validate "$M" || fail "omnicron validate rejected the manifest"

cron_daemon_start "$W"

log "omnicron sync (cron paused for the write)"
kill -STOP "$CRON_PID"
in_ns "$OMNICRON" sync -f "$M" --target crontab --user "$U" --omnicron "$OMNICRON"
sync_rc=$?
kill -CONT "$CRON_PID"
[[ $sync_rc -eq 0 ]] || fail "omnicron sync exited $sync_rc"
TABLE=$(in_ns crontab -u "$U" -l) || fail "crontab -l failed"
printf '%s\n' "$TABLE"
[[ $TABLE == *"$OMNICRON exec --job e2erun/slow"*"--timeout 2s"*"--overlap skip"* ]] ||
  fail "the installed line does not go through the runner with its options"

HISTORY="$USER_STATE/jobs/e2erun/slow/history.jsonl"
log "waiting for a timed-out and a skipped run in $HISTORY (at most 60 s)"
start=$SECONDS
while ((SECONDS - start < 60)); do
  kill -0 "$CRON_PID" 2>/dev/null || fail "cron died while waiting"
  if [[ -s $HISTORY ]] && grep -q '"outcome":"timed_out"' "$HISTORY" &&
     grep -q '"outcome":"skipped"' "$HISTORY"; then
    break
  fi
  sleep 0.2
done
[[ -s $HISTORY ]] || fail "no history after 60 s; the job never ran through the runner"
kill -STOP "$CRON_PID"   # no new runs while the results are read
cat "$HISTORY"
grep -q '"outcome":"timed_out"' "$HISTORY" || fail "no timed-out run recorded"
grep -q '"outcome":"skipped"' "$HISTORY" || fail "no skipped run recorded (overlap: skip)"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$HISTORY" ||
  fail "a history line does not parse as JSON"

log "the log"
cat "$LOG" || fail "no log at $LOG"
grep -q "=== omnicron: e2erun/slow started" "$LOG" || fail "no start banner in the log"
grep -q "started as $U" "$LOG" || fail "the program's output is not in the log"
grep -q "after .*s: timed out, then signal 15 (SIGTERM)" "$LOG" || fail "no timeout banner in the log"
[[ $(stat -c %a "$LOG") == 600 ]] || fail "the log is not mode 0600"
[[ $(stat -c %a "$(dirname "$LOG")") == 700 ]] || fail "the log's folder is not mode 0700"

# runuser keeps root's HOME, so the user's state directory is named.
log "omnicron status"
STATUS=$(runuser -u "$U" -- "$OMNICRON" status -f "$M" --state-dir "$USER_STATE") || fail "omnicron status failed"
printf '%s\n' "$STATUS"
[[ $STATUS == *"e2erun/slow"*"schedule: * * * * *"*"result:   timed out"* ]] ||
  fail "omnicron status does not report the timed-out run"
STATUS_JSON=$(runuser -u "$U" -- "$OMNICRON" status --namespace e2erun --json --state-dir "$USER_STATE") ||
  fail "omnicron status --json failed"
python3 -c 'import json,sys; s=json.loads(sys.argv[1]); assert s[0]["job"]=="e2erun/slow"; assert s[0]["last_run"]["outcome"]=="timed_out", s' "$STATUS_JSON" ||
  fail "omnicron status --json does not report the timed-out run"
log "PASS"
exit 0
