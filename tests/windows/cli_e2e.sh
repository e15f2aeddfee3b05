#!/usr/bin/env bash
# omnicron.exe end to end under Wine, in the throw-away prefix wine.sh made:
# validate, plan, sync, a no-op re-sync, an update, remove, on the examples,
# checking the task files Wine's Task Scheduler writes. What Wine's Task
# Scheduler does not keep (triggers, the action; see wine-facts.md) is not
# checked in those files; the plan's note says so and is checked instead.
#
#   cli_e2e.sh OMNICRON_EXE SOURCE_DIR
#
# WINEPREFIX and WINEDEBUG come from ctest.
set -uo pipefail
exe=$1
src=$2
tasks="$WINEPREFIX/drive_c/windows/system32/tasks/omnicron"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Wine reads the Linux root as drive Z:, so the host's zone database serves.
export TZDIR='Z:\usr\share\zoneinfo'
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run NAME EXPECTED_EXIT ARGS...: runs omnicron.exe, keeps its output in
# $work/NAME.out and .err, and checks the exit code.
run() {
  local name=$1 want=$2
  shift 2
  wine "$exe" "$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null
  local got=$?
  if [[ $got != "$want" ]]; then
    fail "$name: omnicron $* exited $got, expected $want"
    sed 's/^/    /' "$work/$name.out" "$work/$name.err" >&2
  fi
}

# expect NAME.out|NAME.err TEXT: the output holds TEXT.
expect() {
  grep -qF -- "$2" "$work/$1" || fail "$1 lacks '$2'"
}

# The jobs a plan creates, one name a line.
created() { sed -n "s|^+ $1/\([^:]*\): create.*|\1|p" "$work/$2.out"; }

# One example, synced into the prefix's Task Scheduler and removed again.
example() {
  local file=$1 ns=$2 zone=$3
  local tag=$ns
  export TZ=$zone
  run "$tag-validate" 0 validate -f "$file"
  run "$tag-plan" 3 plan -f "$file" --detailed-exitcode
  expect "$tag-plan.err" "not compared: triggers, the program to run"
  local jobs
  jobs=$(created "$ns" "$tag-plan")
  [[ -n $jobs ]] || fail "$tag-plan creates no task"
  # The plan shows each new task whole, as it will be registered.
  expect "$tag-plan.out" "<Source>omnicron</Source>"
  [[ ! -e $tasks/$ns ]] || fail "plan changed Task Scheduler: $tasks/$ns exists"

  run "$tag-sync" 0 sync -f "$file"
  expect "$tag-sync.out" "synced \\omnicron\\$ns\\"
  local job
  for job in $jobs; do
    local task="$tasks/$ns/$job"
    if [[ ! -f $task ]]; then
      fail "sync did not register $job: no $task"
      continue
    fi
    grep -qF "<Source>omnicron</Source>" "$task" || fail "$task has no omnicron Source"
    grep -qF "<URI>\\omnicron\\$ns\\$job</URI>" "$task" || fail "$task has the wrong URI"
    grep -qE "<Version>[0-9a-f]{8}</Version>" "$task" || fail "$task has no digest"
  done
  [[ $(ls "$tasks/$ns" | wc -l) == $(echo "$jobs" | wc -l) ]] ||
    fail "$tasks/$ns holds $(ls "$tasks/$ns" | wc -l) tasks, expected $(echo "$jobs" | wc -l)"

  run "$tag-resync" 0 sync -f "$file"
  expect "$tag-resync.out" "is up to date; nothing registered"
  run "$tag-replan" 0 plan -f "$file" --detailed-exitcode

  # Export reads the tasks back. Wine keeps neither triggers nor actions, so
  # no job can come back here (tests/unit/cli round-trips the XML itself);
  # what is checked is that every task is found and listed, none dropped.
  run "$tag-export" 0 export --namespace "$ns" -o "$work/$tag-export.yaml"
  expect "$tag-export.err" "what it dropped cannot be exported"
  for job in $jobs; do
    grep -qF "\\omnicron\\$ns\\$job: the task has no triggers" "$work/$tag-export.yaml" ||
      fail "export does not list $job"
  done
  run "$tag-validate-export" 0 validate -f "$work/$tag-export.yaml"

  run "$tag-remove" 0 remove --namespace "$ns"
  expect "$tag-remove.out" "removed namespace '$ns'"
  [[ ! -e $tasks/$ns ]] || fail "remove left $tasks/$ns"
  run "$tag-remove-again" 0 remove --namespace "$ns"
  expect "$tag-remove-again.out" "has no tasks of namespace '$ns'; nothing deleted"
}

example "$src/examples/windows-desktop.yaml" desktop Europe/Lisbon
example "$src/examples/crm.yaml" crm UTC
export TZ=UTC
run server-plan 0 plan -f "$src/examples/server.yaml"

# A manifest that changes: one job's description, one job gone. The same
# path both times, as a task's Author (and so its digest) names the file.
export TZ=Europe/Lisbon
desktop=$src/examples/windows-desktop.yaml
cp "$desktop" "$work/desktop.yaml"
run change-sync 0 sync -f "$work/desktop.yaml"
sed -i -e 's/^    description: Optimise the system drive.*/    description: Defragment, now described anew/' \
  -e '/^  backup-settings:/,$d' "$work/desktop.yaml"
grep -q 'described anew' "$work/desktop.yaml" || fail "the test's edit of $desktop did not apply"
run change-plan 3 plan -f "$work/desktop.yaml" --detailed-exitcode
expect change-plan.out "desktop: 0 to create, 1 to update, 1 to remove, 3 unchanged"
run change-sync2 0 sync -f "$work/desktop.yaml"
grep -qF "Defragment, now described anew" "$tasks/desktop/defragment" ||
  fail "the update did not reach $tasks/desktop/defragment"
[[ ! -e $tasks/desktop/backup-settings ]] || fail "the job left out is still registered"
run change-remove 0 remove --namespace desktop
[[ ! -e $tasks ]] || fail "removing the last namespace left $tasks"

# Mistakes: each a clear message and exit 2, nothing registered.
printf 'version: 1\njobs:\n  x:\n    schedule: "61 * * * *"\n    command: [C:\\x.exe]\n' \
  >"$work/bad.yaml"
run bad-sync 2 sync -f "$work/bad.yaml"
expect bad-sync.err "bad.yaml:4:"
[[ ! -e $tasks ]] || fail "a bad manifest registered something"
run bad-namespace 2 remove --namespace 'x\..\y'
expect bad-namespace.err "is not a namespace omnicron writes"
run export-missing 2 export --namespace desktop
expect export-missing.err "Task Scheduler has no tasks of namespace 'desktop'"

# A manifest whose path holds characters no ANSI code page has: main()
# reads the UTF-16 command line, so the file is found and the error names it.
mkdir -p "$work/日本-Ωμέγα"
cp "$work/bad.yaml" "$work/日本-Ωμέγα/jobs.yaml"
run unicode-path 2 validate -f "$work/日本-Ωμέγα/jobs.yaml"
expect unicode-path.err "日本-Ωμέγα/jobs.yaml:4:"
run unknown-subcommand 2 bogus
expect unknown-subcommand.err "'bogus' is not a subcommand"

# The portable commands.
run render 0 render --format task-xml -f "$desktop" defragment
expect render.out "<Command>"
# On Windows a logon trigger waits for the current user's logon.
run render-logon 0 render --format task-xml -f "$desktop" update-apps
expect render-logon.out "<UserId>"
[[ ! -s $work/render-logon.err ]] || fail "render of a logon task on Windows printed: $(cat "$work/render-logon.err")"
run import 0 import --format task-xml "$src/tests/unit/tasksched/data/daily-report-utf16le.xml"
expect import.out "schedule:"

if ((failures)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "omnicron.exe under Wine: every check passed"
