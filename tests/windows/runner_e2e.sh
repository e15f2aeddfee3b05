#!/usr/bin/env bash
# omnicron.exe exec (the runner) end to end under Wine, in the throw-away
# prefix wine.sh made, starting argv_probe.exe: arguments arrive exactly,
# --env and --cwd apply, --log holds the output between banners, --timeout
# stops the whole process tree, --retries, --overlap skip, a program that
# cannot start, and the history of every run.
#
#   runner_e2e.sh OMNICRON_EXE ARGV_PROBE_EXE
#
# WINEPREFIX and WINEDEBUG come from ctest.
set -uo pipefail
exe=$1
probe=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

skip() {
  echo "SKIP: $*"
}

# The Windows name of a Linux path: Wine shows the Linux root as drive Z:.
win() { local p; p=$(realpath -m "$1"); p=${p//\//\\}; echo "Z:$p"; }

state=$work/state
export OMNICRON_STATE_DIR
OMNICRON_STATE_DIR=$(win "$state")
wprobe=$(win "$probe")

# run NAME EXPECTED_EXIT ARGS...: runs omnicron.exe exec, keeps its output in
# $work/NAME.out and .err, and checks the exit code.
run() {
  local name=$1 want=$2
  shift 2
  wine "$exe" exec "$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null
  local got=$?
  if [[ $got != "$want" ]]; then
    fail "$name: omnicron exec $* exited $got, expected $want"
    sed 's/^/    /' "$work/$name.out" "$work/$name.err" >&2
  fi
}

# has FILE TEXT: FILE holds the line TEXT exactly.
has_line() {
  grep -qxF -- "$2" "$1" || { fail "$1 lacks the line '$2'"; sed 's/^/    /' "$1" >&2; }
}
# has FILE TEXT: FILE holds TEXT somewhere.
has() {
  grep -qF -- "$2" "$1" || { fail "$1 lacks '$2'"; sed 's/^/    /' "$1" >&2; }
}

# The history of job t/NAME.
history() { cat "$state/jobs/t/$1/history.jsonl" 2>/dev/null; }

# 1. Arguments arrive exactly as given: spaces, quotes, backslashes (before
# a quote and at the end), %, an empty one, tabs and non-ASCII.
args=('plain' 'with space' 'quote"inside' 'back\slash' 'trailing\' 'bs before \"quote' \
      '%PATH%' '' $'tab\there' 'grüße ☃ 日本' '--not-an-option' 'a\\"b c')
PROBE_OUT=$(win "$work/argv.txt") run argv 0 --job t/argv -- "$wprobe" "${args[@]}"
has_line "$work/argv.txt" "argc=$(( ${#args[@]} + 1 ))"
for i in "${!args[@]}"; do
  has_line "$work/argv.txt" "argv[$((i + 1))]=${args[$i]}"
done
history argv > "$work/argv.history"
has "$work/argv.history" '"outcome":"exited"'
has "$work/argv.history" '"exit_code":0'

# 2. --env (on top of the inherited environment, whatever a name's case)
# and --cwd.
mkdir -p "$work/cwd dir"
PROBE_OUT=$(win "$work/env.txt") PROBE_SHOW=GREETING,ODD_VALUE,INHERITED,path \
  INHERITED=kept run env 0 --job t/env --cwd "$(win "$work/cwd dir")" \
  --env GREETING=hello --env 'ODD_VALUE=a=b "c" ü' --env PATH='C:\only' -- "$wprobe"
has_line "$work/env.txt" "cwd=$(win "$work/cwd dir")"
has_line "$work/env.txt" "env GREETING=hello"
has_line "$work/env.txt" 'env ODD_VALUE=a=b "c" ü'
has_line "$work/env.txt" "env INHERITED=kept"
has_line "$work/env.txt" 'env path=C:\only'
# PATH is the job's, so the probe is found by its full name only.
run env-path 125 --job t/envpath --env 'PATH=C:\nowhere' -- argv_probe
has "$work/env-path.err" "cannot start 'argv_probe': not found in PATH (C:\\nowhere)"
PROBE_OUT=$(win "$work/envpath.txt") run env-path-found 0 --job t/envpath \
  --env "PATH=C:\\nowhere;$(win "$(dirname "$probe")")" -- argv_probe found
has_line "$work/envpath.txt" "argv[1]=found"
run bad-cwd 125 --job t/badcwd --cwd 'Z:\no\such\folder' -- "$wprobe"
has "$work/bad-cwd.err" "cannot use working directory 'Z:\\no\\such\\folder'"

# 3. --log: stdout and stderr between the banners, appended run after run.
log="$work/logs/job.log"
PROBE_PRINT='to stdout ☃' PROBE_PRINT_ERR='to stderr' PROBE_EXIT=3 \
  run log 3 --job t/log --log "$(win "$log")" -- "$wprobe" one
PROBE_PRINT='second run' run log2 0 --job t/log --log "$(win "$log")" -- "$wprobe" two
has "$log" "=== omnicron: t/log started "
has "$log" ": $wprobe one"
has_line "$log" "argv[1]=one"
has_line "$log" "to stdout ☃"
has_line "$log" "to stderr"
has "$log" ": exit 3"
has_line "$log" "second run"
has "$log" ": exit 0"
if [[ -f $log ]]; then
  [[ $(grep -c '^=== omnicron: t/log' "$log") == 4 ]] || fail "$log lacks 4 banners"
  # The order: banner, output, banner, for each run.
  order=$(grep -E '^(=== omnicron|argv\[1\]|to std|second)' "$log" | cut -c1-19 | tr '\n' '|')
  [[ $order == '=== omnicron: t/log|argv[1]=one|to stdout ☃|to stderr|=== omnicron: t/log|=== omnicron: t/log|argv[1]=two|second run|=== omnicron: t/log|' ]] ||
    fail "$log is out of order: $order"
fi
[[ ! -s $work/log.out ]] || fail "the runner printed the logged output itself"
# Rotation: past --log-max-size the log becomes LOG.1, and so on, keeping
# --log-keep old ones.
small="$work/small/job.log"
for i in 1 2 3 4; do
  PROBE_PRINT="run $i" run "rotate$i" 0 --job t/rotate --log "$(win "$small")" \
    --log-max-size 1 --log-keep 2 -- "$wprobe"
done
has_line "$small" "run 4"
has_line "$small.1" "run 3"
has_line "$small.2" "run 2"
[[ ! -e $small.3 ]] || fail "--log-keep 2 kept $small.3"
# Without --log the program writes to the runner's own stdout and stderr.
PROBE_PRINT='plain out' PROBE_PRINT_ERR='plain err' run nolog 0 --job t/nolog -- "$wprobe"
has "$work/nolog.out" "plain out"
has "$work/nolog.err" "plain err"

# 4. --timeout stops the probe and the child it started (the job object),
# and exits 124.
mark="$work/child.pid"
start=$(date +%s%N)
PROBE_CHILD=$(win "$mark") PROBE_CHILD_SLEEP_MS=2500 PROBE_SLEEP_MS=20000 \
  run timeout 124 --job t/timeout --timeout 1500ms -- "$wprobe"
took=$(( ($(date +%s%N) - start) / 1000000 ))
(( took < 10000 )) || fail "--timeout 1500ms took ${took}ms"
history timeout > "$work/timeout.history"
has "$work/timeout.history" '"outcome":"timed_out"'
if [[ ! -s $mark ]]; then
  fail "the probe did not start its child (no $mark)"
else
  # The child would leave its .alive mark 2.5 s after it started.
  sleep 3
  [[ ! -e $mark.alive ]] || fail "--timeout left the probe's child running (it wrote $mark.alive)"
fi
# The same child outlives a probe that exits by itself: only a stopped run
# takes its tree with it.
PROBE_CHILD=$(win "$work/free.pid") PROBE_CHILD_SLEEP_MS=500 run free 0 --job t/free -- "$wprobe"
sleep 3
[[ -e $work/free.pid.alive ]] || fail "a child left running by a probe that exited was killed"

# 5. --retries: the probe fails twice, then succeeds; one history record per
# attempt.
PROBE_COUNT=$(win "$work/count") PROBE_SUCCEED_AT=3 \
  run retries 0 --job t/retries --retries 3 --retry-delay 100ms -- "$wprobe"
[[ $(tr -d '\r\n' < "$work/count" 2>/dev/null) == 3 ]] || fail "--retries ran the probe $(cat "$work/count" 2>/dev/null) times, expected 3"
history retries > "$work/retries.history"
[[ $(grep -c '"exit_code":1' "$work/retries.history") == 2 ]] || fail "retries: 2 failed attempts not recorded"
has "$work/retries.history" '"attempt":3'
PROBE_COUNT=$(win "$work/count2") PROBE_SUCCEED_AT=9 \
  run retries-fail 1 --job t/retries2 --retries 1 -- "$wprobe"
[[ $(tr -d '\r\n' < "$work/count2" 2>/dev/null) == 2 ]] || fail "--retries 1 did not run the probe twice"

# 6. --overlap skip while another run holds the lock; queue waits for it.
PROBE_SLEEP_MS=4000 wine "$exe" exec --job t/overlap --overlap skip -- "$wprobe" \
  >"$work/holder.out" 2>"$work/holder.err" </dev/null &
holder=$!
# The holder has the lock once its history folder and lock file exist and
# the probe is running; give Wine time to start both.
for _ in $(seq 50); do
  [[ -e $state/jobs/t/overlap/lock ]] && break
  sleep 0.1
done
sleep 1
run skip 0 --job t/overlap --overlap skip -- "$wprobe" skipped-run
start=$(date +%s%N)
PROBE_OUT=$(win "$work/queued.txt") run queue 0 --job t/overlap --overlap queue -- "$wprobe" queued-run
took=$(( ($(date +%s%N) - start) / 1000000 ))
wait "$holder" || fail "the run holding the lock failed: $(cat "$work/holder.err")"
history overlap > "$work/overlap.history"
has "$work/overlap.history" '"outcome":"skipped"'
has "$work/overlap.history" 'the previous run is still going (--overlap skip)'
has_line "$work/queued.txt" "argv[1]=queued-run"
(( took > 1000 )) || fail "--overlap queue did not wait for the running one (${took}ms)"
has "$work/overlap.history" '"queued_ms":'

# 7. replace: the newer run stops the one holding the lock.
PROBE_SLEEP_MS=20000 wine "$exe" exec --job t/replace --overlap replace -- "$wprobe" \
  >"$work/old.out" 2>"$work/old.err" </dev/null &
old=$!
for _ in $(seq 50); do
  [[ -s $state/jobs/t/replace/lock ]] && break
  sleep 0.1
done
sleep 1
start=$(date +%s%N)
run replace 0 --job t/replace --overlap replace -- "$wprobe"
took=$(( ($(date +%s%N) - start) / 1000000 ))
wait "$old"
old_code=$?
[[ $old_code == 143 ]] || fail "the replaced run exited $old_code, expected 143"
(( took < 10000 )) || fail "--overlap replace waited ${took}ms for the old run"
history replace > "$work/replace.history"
has "$work/replace.history" '"outcome":"stopped"'
has "$work/replace.history" 'a newer run replaced it (--overlap replace)'
has "$work/replace.history" 'replaced the run of pid'

# 8. A program that is not there: 125, a clear message, a history record.
run missing 125 --job t/missing -- 'Z:\no\such\program.exe' arg
has "$work/missing.err" "omnicron exec: t/missing: cannot start 'Z:\\no\\such\\program.exe': "
history missing > "$work/missing.history"
has "$work/missing.history" '"outcome":"failed_to_start"'
has "$work/missing.history" "cannot start"
# A bad option of the runner itself is recorded against the job too.
run badopt 125 --job t/badopt --timeout soon -- "$wprobe"
has "$work/badopt.err" "--timeout 'soon' is not a duration"
history badopt > "$work/badopt.history"
has "$work/badopt.history" '"outcome":"failed_to_start"'

# 9. Conditions: what Wine reports decides, so only that the run is either
# done or skipped with the condition named is checked.
run ac 0 --job t/ac --require-ac-power -- "$wprobe"
run net 0 --job t/net --require-network -- "$wprobe"
history net > "$work/net.history"
if grep -q '"outcome":"skipped"' "$work/net.history"; then
  has "$work/net.history" "there is no default route"
fi
# An idle time no session has had: always skipped.
run idle 0 --job t/idle --require-idle 100000d -- "$wprobe"
history idle > "$work/idle.history"
if grep -q '"outcome":"exited"' "$work/idle.history"; then
  skip "Wine reports no input time for --require-idle (GetLastInputInfo); the run went ahead"
else
  has "$work/idle.history" '--require-idle'
fi

# --random-delay sleeps before the run, then runs it.
run random 0 --job t/random --random-delay 300ms -- "$wprobe"
history random > "$work/random.history"
has "$work/random.history" '"outcome":"exited"'

# 10. The line Task Scheduler starts: a job that needs the runner, planned
# by omnicron.exe, its action's Arguments taken from the task XML the plan
# shows and started as Task Scheduler would ("Command" Arguments). Wine's
# Task Scheduler does not keep actions (wine-facts.md), so the line is
# taken from the plan rather than from a registered task.
cat >"$work/jobs.yaml" <<YAML
version: 1
namespace: t
jobs:
  line:
    schedule: "0 3 * * *"
    command: ['$wprobe', 'two words', 'q"uote', 'back\slash\', 'grüße', '50%']
    env: { PROBE_OUT: '$(win "$work/line.txt")', PROBE_COUNT: '$(win "$work/line.count")', PROBE_SUCCEED_AT: '2' }
    retries: 1
YAML
TZDIR='Z:\usr\share\zoneinfo' TZ=UTC wine "$exe" plan -f "$(win "$work/jobs.yaml")" >"$work/plan.out" 2>"$work/plan.err" </dev/null
arguments=$(sed -n 's|.*<Arguments>\(.*\)</Arguments>.*|\1|p' "$work/plan.out" | head -1 |
  sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g')
if [[ -z $arguments ]]; then
  fail "the plan shows no <Arguments> for the job: $(cat "$work/plan.out" "$work/plan.err")"
else
  [[ $arguments == "exec --job t/line "* ]] || fail "the task's Arguments are not a runner line: $arguments"
  PROBE_LAUNCH=$(win "$exe") PROBE_LAUNCH_LINE=$arguments wine "$probe" \
    >"$work/line.out" 2>"$work/line.err" </dev/null
  code=$?
  [[ $code == 0 ]] || fail "the task's line exited $code: $arguments $(cat "$work/line.err")"
  has_line "$work/line.txt" "argv[1]=two words"
  has_line "$work/line.txt" 'argv[2]=q"uote'
  has_line "$work/line.txt" 'argv[3]=back\slash\'
  has_line "$work/line.txt" "argv[4]=grüße"
  has_line "$work/line.txt" "argv[5]=50%"
  [[ $(tr -d '\r\n' < "$work/line.count" 2>/dev/null) == 2 ]] || fail "the task's line did not retry once"
  history line > "$work/line.history"
  has "$work/line.history" '"attempt":2'
fi

# 11. logs and status read what the runs above recorded: logs --lines
# prints the end of the log the newest run named, byte for byte; --follow
# keeps printing across a rotation (the runner renames the log it holds
# open); status --json gives each job's last result and failure streak.
wine "$exe" logs t/log --lines 2 >"$work/logs.out" 2>"$work/logs.err" </dev/null ||
  fail "logs t/log failed: $(cat "$work/logs.err")"
[[ $(wc -l < "$work/logs.out") == 2 ]] || fail "logs --lines 2 printed: $(cat "$work/logs.out")"
has_line "$work/logs.out" "second run"
grep -q $'\r' "$work/logs.out" && fail "logs added carriage returns to the log's lines"
# A log under a folder no ANSI code page can name: the runner writes it
# and logs finds it (both read the path as UTF-8).
ulog="$work/日本-Ωμέγα/job.log"
PROBE_PRINT='unicode log' run ulog 0 --job t/ulog --log "$(win "$ulog")" -- "$wprobe"
has_line "$ulog" "unicode log"
wine "$exe" logs t/ulog --lines 2 >"$work/ulogs.out" 2>"$work/ulogs.err" </dev/null ||
  fail "logs t/ulog failed: $(cat "$work/ulogs.err")"
has_line "$work/ulogs.out" "unicode log"
# --lines 1: the follower has the log open once it has printed that line.
wine "$exe" logs t/rotate --follow --lines 1 >"$work/followed" 2>"$work/follow.err" </dev/null &
follower=$!
# wait_for FILE LINE: up to 10 s for FILE to hold LINE.
wait_for() {
  for _ in $(seq 100); do
    grep -qxF -- "$2" "$1" && return 0
    sleep 0.1
  done
  return 1
}
for _ in $(seq 100); do
  [[ -s $work/followed ]] && break
  sleep 0.1
done
# Each run rotates the log first (--log-max-size 1). The follower polls, so
# it is given the time to see each run's file before the next rotation: a
# file renamed twice between two polls is beyond any polling follower
# (tail -F's too).
for i in 5 6; do
  PROBE_PRINT="run $i" run "rotate$i" 0 --job t/rotate --log "$(win "$small")" \
    --log-max-size 1 --log-keep 2 -- "$wprobe"
  wait_for "$work/followed" "run $i"
done
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
has_line "$work/followed" "run 5"
has_line "$work/followed" "run 6"
grep -q '^run 4$' "$work/followed" && fail "logs --follow --lines 1 printed more than the last line"
has_line "$small.1" "run 5"
wine "$exe" status --namespace t --json >"$work/status.json" 2>"$work/status.err" </dev/null ||
  fail "status failed: $(cat "$work/status.err")"
python3 - "$work/status.json" <<'PY' || fail "status --json: $(cat "$work/status.json")"
import json, sys
jobs = {j["job"]: j for j in json.load(open(sys.argv[1]))}
log, retries2, missing = jobs["t/log"], jobs["t/retries2"], jobs["t/missing"]
assert log["runs"] == 2 and log["failure_streak"] == 0, log
assert log["last_run"]["exit_code"] == 0, log
assert retries2["failure_streak"] >= 1 and retries2["last_run"]["exit_code"] == 1, retries2
assert missing["last_run"]["outcome"] == "failed_to_start", missing
PY

if (( failures > 0 )); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "runner_e2e: all checks passed"
