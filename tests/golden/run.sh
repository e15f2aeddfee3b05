#!/usr/bin/env bash
# Runs one golden case: a folder holding `cmd` (the arguments to omnicron,
# written as shell words, run from inside the folder) and the exact expected
# `stdout`, `stderr` and `status` (a missing file means empty output or 0).
# UPDATE_GOLDEN=1 rewrites the expected files from what omnicron printed;
# review the diff before committing it.
set -u
omnicron=$1
case_dir=$2
cd "$case_dir" || exit 2

# Fixed surroundings so the output cannot depend on the machine.
export TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1
eval "set -- $(cat cmd)"

actual=$(mktemp -d)
trap 'rm -rf "$actual"' EXIT
"$omnicron" "$@" >"$actual/stdout" 2>"$actual/stderr"
echo $? >"$actual/status"

if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
  for f in stdout stderr; do
    if [ -s "$actual/$f" ]; then cp "$actual/$f" "$f"; else rm -f "$f"; fi
  done
  if [ "$(cat "$actual/status")" = 0 ]; then rm -f status; else cp "$actual/status" status; fi
  exit 0
fi

failed=0
for f in stdout stderr status; do
  expected=$f
  if [ ! -f "$expected" ]; then
    expected=$actual/empty.$f
    if [ $f = status ]; then echo 0 >"$expected"; else : >"$expected"; fi
  fi
  if ! diff -u --label "expected $f" --label "actual $f" "$expected" "$actual/$f"; then
    failed=1
  fi
done
exit $failed
