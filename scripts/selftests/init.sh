#!/bin/sh
# /init of the selftests guest (busybox sh; 'set -u' only: a failing test
# must be reported, not end the run).  /selftests/list names the tests,
# one 'SUITE/TEST TIMEOUT' per line; each binary is /selftests/SUITE/TEST.
#
# For each test the console gets '@@ begin SUITE/TEST', the test's own
# output, then '@@ result SUITE/TEST STATUS SECONDS' (STATUS: the exit
# status, 124 for a timeout), and '@@ done' at the end, which the host
# (scripts/lib/selftests_report.py) reads.
set -u
. /guest_setup.sh
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
# POSIX semaphores (sem_open(), hardware_disable_test) live here.
mkdir -p /dev/shm
mount -t tmpfs tmpfs /dev/shm

while read -r test timeout; do
	case "$test" in '' | '#'*) continue ;; esac
	echo "@@ begin $test"
	start=$(date +%s)
	(cd "/selftests/${test%%/*}" && timeout "$timeout" "./${test#*/}" </dev/null 2>&1)
	status=$?
	echo "@@ result $test $status $(($(date +%s) - start))"
	# What a test forked may outlive its timeout: end every user process
	# but this one (kernel threads have no exe).
	for proc in /proc/[0-9]*; do
		pid=${proc#/proc/}
		[ "$pid" -gt 1 ] && readlink "$proc/exe" >/dev/null 2>&1 && kill -9 "$pid" 2>/dev/null
	done
done </selftests/list

echo "@@ done"
poweroff -f
