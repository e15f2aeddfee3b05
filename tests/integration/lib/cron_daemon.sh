# Sourced, not run: the REAL Debian cron daemon for end-to-end tests, shared
# by cron_daemon_e2e.sh and tests/runner/runner_cron_e2e.sh.
#
# The daemon runs in its own mount namespace (tmpfs /run, its own spool,
# cron.d and /etc/crontab bind-mounted over the real ones), with libfaketime
# at x60 so a cron minute passes in one real second. Everything that writes a
# table must run inside that namespace (in_ns), so the machine's real spool,
# root's table and real users' tables are never touched.
#
#   cron_daemon_check_tools         fails unless cron, faketime and util-linux are there
#   cron_daemon_prepare DIR         makes DIR/spool, DIR/cron.d and an empty DIR/crontab
#   cron_daemon_start DIR           starts the daemon on them; sets CRON_PID
#   in_ns COMMAND...                runs COMMAND in the daemon's mount namespace
#   cron_daemon_stop                stops it and removes libfaketime's files (for cleanup)
#   e2e_cleanup                     the EXIT trap: stops the daemon, removes the throw-away
#                                   user $E2E_USER and the folder $E2E_WORK once they are set
#
# The caller defines fail MESSAGE (print and exit non-zero) and log MESSAGE.

CRON_PID=""
FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1

cron_daemon_check_tools() {
  local tool
  [[ $(id -u) -eq 0 ]] || fail "must run as root (it starts cron and makes a throw-away user)"
  for tool in /usr/sbin/cron /usr/bin/crontab unshare nsenter useradd userdel runuser; do
    command -v "$tool" >/dev/null || fail "missing $tool (install cron / passwd / util-linux)"
  done
  [[ -r $FAKETIME_LIB ]] || fail "missing $FAKETIME_LIB (install the faketime package)"
}

cron_daemon_prepare() {
  local dir=$1
  mkdir "$dir/spool" "$dir/cron.d" || fail "cannot make the daemon's folders in $dir"
  # crontab(1) refuses a spool that is not root:crontab 1730, as Debian sets it.
  chown root:crontab "$dir/spool" && chmod 1730 "$dir/spool" || fail "cannot set up $dir/spool"
  printf 'SHELL=/bin/sh\nPATH=/usr/bin:/bin\n' >"$dir/crontab"   # no system jobs
}

in_ns() { nsenter --target "$CRON_PID" --mount -- "$@"; }

cron_daemon_start() {
  local dir=$1 i
  log "starting cron (own mount namespace, faketime x60)"
  unshare --mount --propagation private sh -c '
    mount -t tmpfs tmpfs /run && touch /run/crond.reboot &&
    mount --bind "$1/spool" /var/spool/cron/crontabs &&
    mount --bind "$1/cron.d" /etc/cron.d && mount --bind "$1/crontab" /etc/crontab &&
    exec env TZ=UTC LD_PRELOAD="$2" FAKETIME="@2026-03-08 01:40:00 x60" FAKETIME_DONT_RESET=1 \
      /usr/sbin/cron -f -L 15' sh "$dir" "$FAKETIME_LIB" &
  CRON_PID=$!
  for i in $(seq 100); do
    kill -0 "$CRON_PID" 2>/dev/null || fail "cron exited at start"
    in_ns test -s /run/crond.pid 2>/dev/null && break
    sleep 0.1
  done
  in_ns test -s /run/crond.pid || fail "cron wrote no /run/crond.pid within 10 s"
  # Make sure the namespace really hides the real spool before writing tables.
  in_ns test -e /var/spool/cron/crontabs/.e2e-probe && fail "a probe file is already in the spool"
  touch "$dir/spool/.e2e-probe"
  in_ns test -e /var/spool/cron/crontabs/.e2e-probe || fail "spool bind mount is not in place"
  rm -f "$dir/spool/.e2e-probe"
  # cron reloads a table when the spool's mtime changes, with one-second
  # precision: never change a table in the same second as its first scan.
  sleep 1.1
}

cron_daemon_stop() {
  [[ -n $CRON_PID ]] || return 0
  kill -CONT "$CRON_PID" 2>/dev/null
  kill -TERM "$CRON_PID" 2>/dev/null
  wait "$CRON_PID" 2>/dev/null
  # libfaketime names them faketime_*_PID and sem.faketime_*_PID.
  rm -f /dev/shm/faketime_*_"$CRON_PID" /dev/shm/sem.faketime_*_"$CRON_PID"
  CRON_PID=""
}

# Set by the test once it has made them, so cleanup removes only what exists.
E2E_USER=""
E2E_WORK=""

e2e_cleanup() {
  local rc=$?
  set +e
  cron_daemon_stop
  if [[ -n $E2E_USER ]]; then
    # A run started just before cron stopped may still be going as the
    # user; userdel refuses while one is, so stop them and retry briefly.
    pkill -KILL -u "$E2E_USER" 2>/dev/null
    local i
    for i in $(seq 50); do
      userdel -r "$E2E_USER" 2>/dev/null && break
      sleep 0.1
    done
    id "$E2E_USER" >/dev/null 2>&1 && { echo "cleanup: could not remove user $E2E_USER" >&2; rc=1; }
  fi
  [[ -n $E2E_WORK ]] && rm -rf -- "$E2E_WORK"
  exit "$rc"
}
