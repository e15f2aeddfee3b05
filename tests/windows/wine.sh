#!/usr/bin/env bash
# Starts and stops the throw-away Wine prefix the Windows tests run in.
#   wine.sh start PREFIX   make PREFIX afresh and leave its wineserver running
#   wine.sh stop PREFIX    stop that wineserver (the prefix stays, to look at)
set -euo pipefail
export WINEPREFIX=$2 WINEDEBUG=-all
case $1 in
  start)
    wineserver -k </dev/null >/dev/null 2>&1 || true
    rm -rf "$WINEPREFIX"
    mkdir -p "$WINEPREFIX"
    # Made with its own short-lived server: with a persistent server already
    # running, wineboot -i starts services.exe twice and the second holds the
    # service database locked.
    wine wineboot -i </dev/null >/dev/null 2>&1
    wineserver -w
    # Then a persistent server, with Wine's services started detached from
    # ctest's pipes: otherwise every test's Wine waits about 3 s for the
    # services to let go of its pipe, and ctest waits for the services.
    wineserver -p </dev/null >/dev/null 2>&1
    wine cmd /c exit </dev/null >/dev/null 2>&1
    # Task Scheduler's service, always running on Windows. Left to start on
    # demand, Wine's ITaskService::Connect gives up waiting for it and answers
    # SCHED_E_SERVICE_NOT_RUNNING (0x80041315).
    wine net start schedule </dev/null >/dev/null 2>&1
    echo "Wine prefix ready: $WINEPREFIX ($(wine --version 2>/dev/null))"
    ;;
  stop)
    wineserver -k </dev/null >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: wine.sh start|stop PREFIX" >&2
    exit 2
    ;;
esac
