# rescue.tcl - procedures the pinit.rescue tests share (sourced, not run).
#
# Rescue (doc/decisions.md, Rescue) stops every service and runs one shell
# on PID 1's own console, which here is the pty the tests read pinit's log
# from: the tests type into it with send and read the shell's answers in
# pinit_log.

# A tree: init wants web, a respawn service that says web-up, and web-down
# when it is stopped; the rescue hook says rescue-hook-ran.
proc rescue_tree {name} {
	set svc [pinit_tmpdir $name]/svc
	pinit_svc $svc web -respawn \
		-sh {echo "web-up"; trap 'echo web-down; exit 0' TERM; sleep 1000 & wait}
	pinit_svc $svc rescue -sh {echo "rescue-hook-ran"}
	pinit_svc $svc init -wants {web}
	return $svc
}

# Boot the tree and wait until it has started; 1 when it did.
proc rescue_boot {svc args} {
	return [expr {[pinit_boot $svc {*}$args] && [pinit_wait {all services started}]}]
}

# The pid of service NAME when it runs, else "".
proc rescue_pid {name} {
	set r [pinit_ctl status $name]
	if {[lindex $r 0] == 0 && [regexp {running \(pid ([0-9]+)} [lindex $r 1] - pid]} {
		return $pid
	}
	return ""
}

# Wait at most `wait` seconds until service NAME runs with a pid other
# than OLD; that pid, or "".
proc rescue_new_pid {name old {wait 15}} {
	set deadline [expr {[clock seconds] + $wait}]
	while {[clock seconds] < $deadline} {
		set pid [rescue_pid $name]
		if {$pid ne "" && $pid ne $old} {
			return $pid
		}
		after 100
	}
	return ""
}

# What `pinitctl runlevel` prints, or "" when it fails.
proc rescue_level {} {
	set r [pinit_ctl runlevel]
	return [expr {[lindex $r 0] == 0 ? [lindex $r 1] : ""}]
}

# Wait at most `wait` seconds until the shell's prompt "(rescue) # " shows
# in pinit's output after offset `from` of pinit_log.  A prompt is not a
# whole line, so it is read here rather than by pinit_read.
proc rescue_prompt {from {wait 15}} {
	global pinit_spawn pinit_log
	set deadline [expr {[clock seconds] + $wait}]
	while {[string first "(rescue) # " $pinit_log $from] < 0} {
		if {$pinit_spawn eq "" || [clock seconds] >= $deadline} {
			verbose "rescue_prompt: no prompt in:\n[string range $pinit_log $from end]" 1
			return 0
		}
		set timeout 1
		expect {
			-i $pinit_spawn -re {\(rescue\) # } {
				append pinit_log [string map {"\r" ""} $expect_out(buffer)]
			}
			-i $pinit_spawn -re {[^\n]*\n} {
				append pinit_log [string map {"\r" ""} $expect_out(buffer)]
			}
			-i $pinit_spawn eof {
				append pinit_log [string map {"\r" ""} $expect_out(buffer)]
				catch {close -i $pinit_spawn}
				catch {wait -i $pinit_spawn}
				set pinit_spawn ""
			}
			timeout { }
		}
	}
	return 1
}

# Type a line on the console; 0 when pinit is gone.
proc rescue_type {line} {
	global pinit_spawn
	if {$pinit_spawn eq ""} {
		return 0
	}
	send -i $pinit_spawn -- "$line\r"
	return 1
}

# After a request for rescue made by BYRE (a regular expression), check
# the round trip, each step a test named "WHAT: ...": the services stop
# before the shell starts, runlevel S, the shell talks on the console, and
# its exit brings the services back (web with a pid other than OLDPID) in
# runlevel N.
proc rescue_round {what byre oldpid} {
	global pinit_cursor
	set steps [pinit_expect "rescue: entering rescue \\($byre\\); stopping services"]
	# The prompt comes after that line (perhaps read while the request ran).
	set from $pinit_cursor
	lappend steps [pinit_expect {web-down}] \
		[pinit_expect "rescue: starting /bin/sh on the console \\($byre\\)"] \
		[rescue_prompt $from] [pinit_wait {rescue-hook-ran}]]
	pinit_check "$what: the services stop, then one shell runs on the console" \
		[expr {[lsearch $steps 0] < 0}] \
		"entering, web-down, starting, prompt, hook: $steps"
	set level [rescue_level]
	set st [pinit_ctl status web]
	pinit_check "$what: runlevel S while the shell runs; the services stay stopped" \
		[expr {$level eq "N S (profile init)" && [lindex $st 0] == 3}] \
		"runlevel: $level; status: $st"
	rescue_type {echo RESCUE-$((6*7)) PINIT_RESCUE=$PINIT_RESCUE}
	pinit_check "$what: the shell reads the console and writes to it" \
		[pinit_wait {RESCUE-42 PINIT_RESCUE=1}]
	rescue_type "exit"
	set ok [expr {[pinit_expect {rescue: shell \(pid [0-9]+\) ended \(exit status 0\); returning to profile init}] &&
		      [pinit_expect {switching to profile init \(after rescue\)}] &&
		      [pinit_expect {all services started}]}]
	set pid [rescue_new_pid web $oldpid]
	set level [rescue_level]
	pinit_check "$what: exit from the shell starts the services again, in runlevel N" \
		[expr {$ok && $pid ne "" && $level eq "S N (profile init)"}] \
		"old pid $oldpid, new pid $pid, runlevel $level"
}

# Fail every test of a round that could not begin.
proc rescue_fail_round {what} {
	fail "$what: the services stop, then one shell runs on the console"
	fail "$what: runlevel S while the shell runs; the services stay stopped"
	fail "$what: the shell reads the console and writes to it"
	fail "$what: exit from the shell starts the services again, in runlevel N"
}
