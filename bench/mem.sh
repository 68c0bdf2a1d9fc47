#!/bin/sh
# bench/mem.sh - the memory of an idle init, run inside its namespaces.
#
# Prints "mem RSS PSS ALLPSS PROCS": PID 1's Rss and Pss in KiB (from
# /proc/1/smaps_rollup), then the Pss summed over every process of the
# init itself (PID 1 and any per-service supervisor, e.g. s6-supervise)
# and how many they are.  The services (named on, bench-svc or run) and
# this script's own processes are left out.  awk reads every comm file
# first (the glob lists them first), then every smaps_rollup.
set -u
exec awk '
function pid(f,    a) {
	split(f, a, "/")
	return a[3]
}
FILENAME ~ /comm$/ {
	if ($0 ~ /^(on|bench-svc|run|awk|sh|mem\.sh)$/)
		skip[pid(FILENAME)] = 1
	else
		procs++
	next
}
FNR == 1 { p = pid(FILENAME) }
$1 == "Rss:" && p == 1 { rss = $2 }
$1 == "Pss:" {
	if (p == 1)
		pss = $2
	if (!(p in skip))
		all += $2
}
END { print "mem", rss, pss, all, procs }' /proc/[0-9]*/comm /proc/[0-9]*/smaps_rollup 2>/dev/null
