#!/usr/bin/env bash
# Starts a package test in the background and returns at once, so that it runs alongside the rest of the build
# (./mvnw verify starts the emulated Pi test as soon as the package is built, before the unit tests; it takes most of
# the build's time, nearly all of it waiting on emulated JVMs). LOG.started says it was started, its output goes to
# LOG, and its exit status to LOG.rc when it ends: DebPackageIT waits for that. Stopped, with everything it started,
# when the process that started it (the build) ends first.
#
# Usage: alongside.sh LOG COMMAND [ARGUMENTS...]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 LOG COMMAND [ARGUMENTS...]" >&2; exit 2; }
LOG=$(realpath -m "$1")
shift
mkdir -p "$(dirname "$LOG")"
rm -f "$LOG" "$LOG.rc" "$LOG.started"
export LOG BUILD=$PPID
# setsid: a process group of its own, which the watch below stops as a whole (the emulated JVMs in the root too)
setsid bash -c '
    "$@" >"$LOG" 2>&1 &
    job=$!
    (
        while kill -0 "$job" 2>/dev/null; do
            if ! kill -0 "$BUILD" 2>/dev/null; then
                echo "alongside: the build that started this ended first: stopped" >>"$LOG"
                kill -TERM -- "-$(ps -o pgid= $$ | tr -d " ")" 2>/dev/null
                exit 0
            fi
            sleep 5
        done
    ) &
    rc=0
    wait "$job" || rc=$?
    echo "$rc" >"$LOG.rc.tmp"
    mv "$LOG.rc.tmp" "$LOG.rc"
' alongside "$@" </dev/null >/dev/null 2>&1 &
echo "$*" >"$LOG.started"
echo "alongside: started in the background: $*; output in $LOG"
