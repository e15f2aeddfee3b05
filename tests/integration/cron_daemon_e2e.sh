#!/bin/bash
# End-to-end: the REAL Debian cron daemon runs what `omnicron sync` installed.
#
#   cron_daemon_e2e.sh /path/to/omnicron
#
# The daemon runs in its own mount namespace with libfaketime at x60 (see
# lib/cron_daemon.sh); everything that writes a table (crontab, omnicron
# sync/remove) runs inside that namespace, so the machine's real spool,
# root's table and real users' tables are never touched.
# A throw-away user owns the table; the test removes it and everything else it
# made at exit, also on failure.
#
# Checks: the argv the job receives equals the manifest's argv byte for byte
# (spaces, quotes, %, $HOME, backslashes, non-ASCII, an empty string, shell
# metacharacters); env and working_dir arrive; foreign lines put into the table
# before the sync survive it byte for byte; `omnicron remove` leaves exactly
# the foreign lines. Needs root, the `cron` and `faketime` packages,
# util-linux (unshare, nsenter). Exit 0 only when everything held.
set -u -o pipefail
export LC_ALL=C

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
log() { printf '== %s\n' "$*"; }
# shellcheck source=lib/cron_daemon.sh
. "$(dirname -- "$(readlink -f -- "$0")")/lib/cron_daemon.sh"

[[ $# -eq 1 ]] || fail "usage: $0 /path/to/omnicron"
OMNICRON=$(readlink -f -- "$1") || fail "no omnicron at '$1'"
[[ -x $OMNICRON ]] || fail "omnicron '$OMNICRON' is not executable"
cron_daemon_check_tools

U="omnicron-e2e-$$"
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- set-up
W=$(mktemp -d /tmp/omnicron-e2e.XXXXXX) || fail "mktemp"
E2E_WORK=$W
chmod 755 "$W"
cron_daemon_prepare "$W"
mkdir "$W/bin" "$W/out" "$W/state"
export OMNICRON_STATE_DIR="$W/state"                      # backups stay here

useradd -m "$U" || fail "useradd $U"
E2E_USER=$U
chown "$U" "$W/out"
# The working directory has a space and non-ASCII in its name, so the `cd`
# of the installed line is exercised too.
WD="$W/work dir ü"
mkdir "$WD" && chown "$U" "$WD"
OUT="$W/out/records.bin"

# The recorder appends one record per run: NUL-terminated fields
#   argv0=…  arg=… (one per argument)  GREETING=…|GREETING-unset  PWD=…  END
# built in a private file first and appended with one write, so records of
# overlapping runs never interleave.
REC="$W/bin/recorder"
cat >"$REC" <<EOF
#!/bin/bash
out='$OUT'
tmp=\$(mktemp "\$out.part.XXXXXX") || exit 1
{
  printf 'argv0=%s\0' "\$0"
  for a in "\$@"; do printf 'arg=%s\0' "\$a"; done
  if [ "\${GREETING+set}" = set ]; then printf 'GREETING=%s\0' "\$GREETING"; else printf 'GREETING-unset\0'; fi
  printf 'PWD=%s\0' "\$(pwd -P)"
  printf 'END\0'
} >"\$tmp"
cat "\$tmp" >>"\$out"
rm -f "\$tmp"
EOF
chmod 755 "$REC"

# The job's argv, exactly as the manifest gives it.
ARGV=(
  "$REC"
  'two  spaces'
  "it's"
  'say "hi"'
  "mixed 'single' and \"double\""
  '100%'
  '%d %s %% %'
  '$HOME'
  '${HOME}/x'
  'a\b'
  '\\'
  'trail\'
  '\%'
  'grüße 東京'
  ''
  '`id` $(id) ; echo x | cat & true'
  '*'
  '-n'
  '  lead and trail  '
)
GREETING_VALUE='hello world %s'

yq() { local s=${1//\'/\'\'}; printf "'%s'" "$s"; }   # YAML single-quoted scalar

M="$W/jobs.yaml"
{
  printf 'version: 1\nnamespace: e2e\njobs:\n  record:\n'
  printf '    description: Records its argv, GREETING and cwd\n'
  printf "    schedule: '* * * * *'\n"
  printf '    command:\n'
  for a in "${ARGV[@]}"; do printf '      - %s\n' "$(yq "$a")"; done
  printf '    env:\n      GREETING: %s\n' "$(yq "$GREETING_VALUE")"
  printf '    working_dir: %s\n' "$(yq "$WD")"
} >"$M"
log "manifest $M"
cat "$M"

log "omnicron validate"
"$OMNICRON" validate "$M" || fail "omnicron validate rejected the manifest"
log "omnicron render --format crontab (for the log)"
"$OMNICRON" render --format crontab -f "$M" || fail "omnicron render failed"

# ---------------------------------------------------------------- the daemon
cron_daemon_start "$W"

# Foreign lines in the user's table before the sync.
FOREIGN=$'# foreign line, not omnicron\'s: 100% \\ "kept" \'as is\'\nMAILTO=""\n'
printf '%s' "$FOREIGN" | in_ns crontab -u "$U" - || fail "installing the foreign lines failed"
sleep 1.1

list_table() {   # the user's table inside the namespace, byte for byte
  local t
  t=$(in_ns crontab -u "$U" -l; rc=$?; printf x; exit $rc) || return 1
  printf '%s' "${t%x}"
}

# ---------------------------------------------------------------- sync
# cron is paused during the write: crontab writes a temporary file and renames
# it, and a scan between the two in the same second (the spool mtime has
# one-second precision) would miss the rename. Resumed, its next scan sees the
# new mtime for certain.
log "omnicron sync (inside the namespace, cron paused for the write)"
kill -STOP "$CRON_PID"
in_ns "$OMNICRON" sync -f "$M" --target crontab --user "$U"
sync_rc=$?
kill -CONT "$CRON_PID"
[[ $sync_rc -eq 0 ]] || fail "omnicron sync exited $sync_rc"

log "crontab -u $U -l after sync"
AFTER_SYNC=$(list_table; printf x) || fail "crontab -l failed"
AFTER_SYNC=${AFTER_SYNC%x}
printf '%s' "$AFTER_SYNC"
log "(end of table)"
[[ $AFTER_SYNC == *"$FOREIGN"* ]] ||
  fail "the foreign lines did not survive the sync byte for byte; wanted: $(printf '%q' "$FOREIGN")"
[[ $AFTER_SYNC == "$FOREIGN"* || $AFTER_SYNC == *$'\n'"$FOREIGN"* ]] ||
  fail "the foreign lines are no longer whole lines after the sync"

# ---------------------------------------------------------------- wait
log "waiting for the job (at most 90 s real time)"
start=$SECONDS
rec_found=0
while ((SECONDS - start < 90)); do
  kill -0 "$CRON_PID" 2>/dev/null || fail "cron died while waiting"
  if [[ -s $OUT ]]; then
    mapfile -d '' -t FIELDS <"$OUT"
    for f in "${FIELDS[@]}"; do [[ $f == END ]] && rec_found=1 && break; done
    ((rec_found)) && break
  fi
  sleep 0.2
done
((rec_found)) || fail "no complete record in $OUT after 90 s; the job never ran (or the recorder failed)"
log "first record after $((SECONDS - start)) s"

# ---------------------------------------------------------------- compare
EXPECTED=("argv0=${ARGV[0]}")
for a in "${ARGV[@]:1}"; do EXPECTED+=("arg=$a"); done
EXPECTED+=("GREETING=$GREETING_VALUE" "PWD=$WD" "END")
GOT=()
for f in "${FIELDS[@]}"; do GOT+=("$f"); [[ $f == END ]] && break; done

ok=1
if ((${#GOT[@]} != ${#EXPECTED[@]})); then ok=0; fi
for i in "${!EXPECTED[@]}"; do
  [[ ${GOT[i]-<missing>} == "${EXPECTED[i]}" ]] || ok=0
done
if ((ok)); then
  log "the job received exactly the manifest's argv, GREETING and working_dir"
else
  echo "MISMATCH between the manifest and what cron ran (field: expected | got):" >&2
  n=$(( ${#GOT[@]} > ${#EXPECTED[@]} ? ${#GOT[@]} : ${#EXPECTED[@]} ))
  for ((i = 0; i < n; i++)); do
    e=${EXPECTED[i]-<none>} g=${GOT[i]-<none>}
    mark='  '; [[ $e == "$g" ]] || mark='!!'
    printf '%s [%2d] %q | %q\n' "$mark" "$i" "$e" "$g" >&2
  done
  echo "installed table:" >&2
  printf '%s' "$AFTER_SYNC" >&2
  exit 1
fi

# ---------------------------------------------------------------- remove
log "omnicron remove --namespace e2e"
in_ns "$OMNICRON" remove --namespace e2e --target crontab --user "$U" ||
  fail "omnicron remove failed"
AFTER_REMOVE=$(list_table; printf x) || fail "crontab -l failed after remove"
AFTER_REMOVE=${AFTER_REMOVE%x}
if [[ $AFTER_REMOVE != "$FOREIGN" ]]; then
  printf 'after remove: %q\nwanted:       %q\n' "$AFTER_REMOVE" "$FOREIGN" >&2
  fail "omnicron remove did not leave exactly the foreign lines"
fi

# The real spool never got a table for the user.
[[ -e /var/spool/cron/crontabs/$U ]] && fail "a table for $U appeared in the REAL spool"
log "PASS"
exit 0
