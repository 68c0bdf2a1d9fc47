# bench/report.sh - print the tables of bench/run from its raw results.
# Sourced by bench/run; defines report().  bench/README.md explains the
# tables.  Every figure is the median over the rounds with the smallest
# and largest in parentheses; a ratio is taken round by round against the
# baseline measured in the same round, then summarised the same way.
# shellcheck shell=sh
# shellcheck disable=SC2154 # the variables are bench/run's

report() {
	printf '\n== pinit benchmarks, %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf 'machine: %s, %s cores, %s\n' "$(uname -srm)" "$(nproc)" \
		"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
	printf 'pinit: %s; mode %s, %s rounds\n' "$("$pinit" --version)" \
		"$mode" "$rounds"
	awk -v rounds="$rounds" -v backend="$backend" -v chain="$chain" '
	function sortv(a, n,    i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
	}
	# "median (min-max)" of the space-separated numbers in s.
	function summ(s, fmt,    a, n, m) {
		n = split(s, a, " ")
		if (n == 0)
			return "-"
		sortv(a, n)
		m = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		if (n == 1)
			return sprintf(fmt, m)
		return sprintf(fmt " (" fmt "-" fmt ")", m, a[1], a[n])
	}
	function median(s,    a, n) {
		n = split(s, a, " ")
		if (n == 0)
			return ""
		sortv(a, n)
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	# Values of key over the rounds, and their ratios to base round by round.
	function vals(key,    r, s) {
		s = ""
		for (r = 1; r <= maxr; r++)
			if ((key, r) in v)
				s = s " " v[key, r]
		return s
	}
	function ratios(key, base,    r, s) {
		s = ""
		for (r = 1; r <= maxr; r++)
			if ((key, r) in v && (base, r) in v && v[base, r] > 0)
				s = s " " v[key, r] / v[base, r]
		return s
	}
	function val(f,    i) {
		for (i = 5; i <= NF; i++)
			if (index($i, f "=") == 1)
				return substr($i, length(f) + 2)
		return -1
	}
	# The peers that could not be measured at all, under each table.
	function printna(    i) {
		for (i = 1; i <= nall; i++)
			printf "   %6s  %-12s n/a: %s\n", "", naall[i], nawhy[naall[i]]
	}
	function addn(list, n) {
		return index(" " list " ", " " n " ") ? list : list " " n
	}
	{ if ($2 + 0 > maxr) maxr = $2 + 0 }
	$1 == "boot" {
		k = $3 SUBSEP $4
		if (!(k in seen)) { seen[k] = 1; order[++nb] = k }
		bn = addn(bn, $3)
		if (val("up") >= 0) v["up", k, $2] = val("up")
		if (val("ready") >= 0) v["ready", k, $2] = val("ready")
		if (val("gone") >= 0) v["gone", k, $2] = val("gone")
		if (val("end") >= 0) v["end", k, $2] = val("end")
		st[k] = val("status")
	}
	$1 == "mem" {
		k = $3 SUBSEP $4
		if (!(k in mseen)) { mseen[k] = 1; morder[++nm] = k }
		v["rss", k, $2] = $5; v["pss", k, $2] = $6
		v["all", k, $2] = $7; procs[k] = $8
	}
	$1 == "reap" {
		if (!($4 in rseen)) { rseen[$4] = 1; rorder[++nr] = $4 }
		v["reap", $4, $2] = $5; norph = $3
	}
	$1 == "ctl" {
		k = $3 SUBSEP $4
		if (!(k in cseen)) { cseen[k] = 1; corder[++nc] = k }
		cn = addn(cn, $3)
		v["ctl", k, $2] = $5
	}
	# "na STAGE N VARIANT REASON...": no figure, and why (STAGE all: the
	# peer could not be had at all).
	$1 == "na" {
		why = $0
		sub(/^na [^ ]+ [^ ]+ [^ ]+ /, "", why)
		if ($2 == "all") { naall[++nall] = $4; nawhy[$4] = why; next }
		k = $3 SUBSEP $4
		if ($2 == "boot" && !(k in seen)) { seen[k] = 1; order[++nb] = k; bn = addn(bn, $3) }
		if ($2 == "mem" && !(k in mseen)) { mseen[k] = 1; morder[++nm] = k }
		if ($2 == "reap" && !($4 in rseen)) { rseen[$4] = 1; rorder[++nr] = $4 }
		na[$2, k] = why
		next
	}
	$1 == "size" { sz[++ns] = $0 }
	END {
		print ""
		print "1. Start-up: launch of PID 1 in new namespaces to N services up"
		print "   ms; floor = fork+exec loop as PID 1; x = ratio to the floor of the same round"
		printf "   %6s  %-13s %-26s %-22s %s\n", "N", "init", "up ms",
		    "x floor", "ready ms"
		nn = split(bn, ns_, " ")
		for (j = 1; j <= nn; j++) {
			for (i = 1; i <= nb; i++) {
				split(order[i], kk, SUBSEP)
				if (kk[1] != ns_[j]) continue
				k = order[i]
				if (("boot", k) in na && vals("up" SUBSEP k) == "") {
					printf "   %6s  %-13s n/a: %s\n", kk[1], kk[2], na["boot", k]
					continue
				}
				printf "   %6s  %-13s %-26s %-22s %s\n", kk[1], kk[2],
				    summ(vals("up" SUBSEP k), "%.1f"),
				    summ(ratios("up" SUBSEP k, "up" SUBSEP kk[1] SUBSEP "floor"), "%.2f"),
				    summ(vals("ready" SUBSEP k), "%.1f")
			}
			k = ns_[j] SUBSEP "pinit-deps"
			if (("up", k, 1) in v || ratios("up" SUBSEP k, "up" SUBSEP ns_[j] SUBSEP "floor-chain") != "")
				printf "   %6s  %-13s %-26s %-22s\n", "", "", "pinit-deps x floor-chain:",
				    summ(ratios("up" SUBSEP k, "up" SUBSEP ns_[j] SUBSEP "floor-chain"), "%.2f")
			k = ns_[j] SUBSEP "pinit"
			if (ratios("up" SUBSEP k, "up" SUBSEP ns_[j] SUBSEP "floor-session") != "")
				printf "   %6s  %-13s %-26s %-22s\n", "", "", "pinit x floor-session:",
				    summ(ratios("up" SUBSEP k, "up" SUBSEP ns_[j] SUBSEP "floor-session"), "%.2f")
		}
		printna()
		for (j = 2; j <= nn; j++) {
			g1 = median(vals("up" SUBSEP ns_[j] SUBSEP "pinit"))
			g2 = median(vals("up" SUBSEP ns_[j - 1] SUBSEP "pinit"))
			g3 = median(vals("up" SUBSEP ns_[j] SUBSEP "floor"))
			g4 = median(vals("up" SUBSEP ns_[j - 1] SUBSEP "floor"))
			g5 = median(vals("up" SUBSEP ns_[j] SUBSEP "floor-session"))
			g6 = median(vals("up" SUBSEP ns_[j - 1] SUBSEP "floor-session"))
			if (g1 != "" && g2 > 0 && g3 != "" && g4 > 0)
				printf "   growth %s -> %s services: pinit x%.1f, floor x%.1f%s\n",
				    ns_[j - 1], ns_[j], g1 / g2, g3 / g4,
				    (g5 != "" && g6 > 0 ? sprintf(", floor-session x%.1f", g5 / g6) : "")
		}

		print ""
		print "2. Shutdown: from the poweroff signal to all N services gone, and to the end of PID 1"
		printf "   %6s  %-12s %-24s %-20s %-26s %-20s %s\n", "N", "init",
		    "gone ms", "x floor", "end ms", "x floor", "status"
		for (j = 1; j <= nn; j++)
			for (i = 1; i <= nb; i++) {
				split(order[i], kk, SUBSEP)
				# The chain and the sessions change nothing at the power-off.
				if (kk[1] != ns_[j] || kk[2] == "floor-chain" || kk[2] == "floor-session") continue
				k = order[i]
				b = kk[1] SUBSEP "floor"
				if (("boot", k) in na && vals("gone" SUBSEP k) == "" && vals("end" SUBSEP k) == "") {
					printf "   %6s  %-12s n/a: %s\n", kk[1], kk[2], na["boot", k]
					continue
				}
				printf "   %6s  %-12s %-24s %-20s %-26s %-20s %s\n", kk[1], kk[2],
				    summ(vals("gone" SUBSEP k), "%.1f"),
				    summ(ratios("gone" SUBSEP k, "gone" SUBSEP b), "%.2f"),
				    summ(vals("end" SUBSEP k), "%.1f"),
				    summ(ratios("end" SUBSEP k, "end" SUBSEP b), "%.2f"),
				    st[k]
			}
		printna()

		print ""
		print "3. Control round trip (inside the namespaces; us per operation)"
		printf "   %6s  %-22s %-30s %s\n", "N", "what", "us", "ratio (to)"
		ncn = split(cn, cns, " ")
		for (j = 1; j <= ncn; j++) {
			n = cns[j]
			raw = n SUBSEP "raw-" backend
			nop = n SUBSEP "exec-nop"
			for (i = 1; i <= nc; i++) {
				split(corder[i], kk, SUBSEP)
				if (kk[1] != n) continue
				k = corder[i]
				r = ""
				if (kk[2] == "ipc-" backend)
					r = summ(ratios("ctl" SUBSEP k, "ctl" SUBSEP raw), "%.2f") " (raw-" backend ")"
				else if (kk[2] ~ /^exec-pinitctl/) {
					s = ""
					for (rr = 1; rr <= maxr; rr++)
						if (("ctl", k, rr) in v && ("ctl", nop, rr) in v && ("ctl", raw, rr) in v)
							s = s " " v["ctl", k, rr] / (v["ctl", nop, rr] + v["ctl", raw, rr])
					r = summ(s, "%.2f") " (exec-nop + raw-" backend ")"
				}
				printf "   %6s  %-22s %-30s %s\n", n, kk[2],
				    summ(vals("ctl" SUBSEP k), kk[2] == "stopstart" ? "%.0f" : "%.1f"), r
			}
		}

		print ""
		print "4. Memory, idle (KiB, from smaps_rollup inside the namespace): Pss and Rss of PID 1,"
		print "   and the Pss of the whole init (PID 1 and any per-service supervisor; services left out)"
		printf "   %6s  %-14s %-20s %-20s %-22s %s\n", "N", "init", "PID 1 Pss",
		    "PID 1 Rss", "whole init Pss", "processes"
		for (i = 1; i <= nm; i++) {
			split(morder[i], kk, SUBSEP)
			if (("mem", morder[i]) in na && vals("pss" SUBSEP morder[i]) == "") {
				printf "   %6s  %-14s n/a: %s\n", kk[1], kk[2], na["mem", morder[i]]
				continue
			}
			printf "   %6s  %-14s %-20s %-20s %-22s %s\n", kk[1], kk[2],
			    summ(vals("pss" SUBSEP morder[i]), "%d"),
			    summ(vals("rss" SUBSEP morder[i]), "%d"),
			    summ(vals("all" SUBSEP morder[i]), "%d"), procs[morder[i]]
		}
		printna()
		printf "\n   %-18s %-8s %10s %10s %9s %7s %7s\n", "binary", "linked",
		    "file", "stripped", "text", "data", "bss"
		for (i = 1; i <= ns; i++) {
			split(sz[i], a, " ")
			if (a[3] == "n/a")
				printf "   %-18s %-8s %10s\n", a[2], "n/a", ""
			else
				printf "   %-18s %-8s %10d %10d %9d %7d %7d\n", a[2], a[3],
				    a[4], a[5], a[6], a[7], a[8]
		}

		print ""
		printf "5. Reaping: %s orphans released at once, until PID 1 has reaped them all\n", norph
		printf "   %-12s %-26s %s\n", "init", "ms", "x floor"
		for (i = 1; i <= nr; i++) {
			if (vals("reap" SUBSEP rorder[i]) == "" &&
			    ((("reap", 0 SUBSEP rorder[i]) in na) || (("reap", 1 SUBSEP rorder[i]) in na))) {
				printf "   %-12s n/a: %s\n", rorder[i],
				    na["reap", (("reap", 0 SUBSEP rorder[i]) in na ? 0 : 1) SUBSEP rorder[i]]
				continue
			}
			printf "   %-12s %-26s %s\n", rorder[i],
			    summ(vals("reap" SUBSEP rorder[i]), "%.1f"),
			    summ(ratios("reap" SUBSEP rorder[i], "reap" SUBSEP "floor"), "%.2f")
		}
		for (i = 1; i <= nall; i++)
			printf "   %-12s n/a: %s\n", naall[i], nawhy[naall[i]]
	}' "$1"
	if [ -n "$failed" ]; then
		printf '\nfailed (timeout or error; logs kept in %s):%s\n' "$tmp" "$failed"
	fi
}
