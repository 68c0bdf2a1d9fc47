# compat.tcl - procedures the pinit.compat tests share (sourced, not run).
#
# sysvinit's own tools come from Debian's sysvinit-core package, unpacked
# once per build tree into $objdir/cache/sysvinit by fetch-sysvinit; when
# the package cannot be had, every test that needs it is UNSUPPORTED under
# the same name, after a NOTE with the reason.

set compat_initreq [file join $PINIT_BUILDDIR testsuite initreq]
if {![file executable $compat_initreq]} {
	perror "$compat_initreq is not built"
}

# 1 when pinit serves /run/initctl; else every name is UNSUPPORTED.
proc compat_enabled {names} {
	global PINIT_INITCTL_ENABLED
	if {$PINIT_INITCTL_ENABLED eq "yes"} {
		return 1
	}
	note "pinit is built with --disable-initctl"
	foreach n $names {
		unsupported $n
	}
	return 0
}

# The root of the unpacked sysvinit-core, or "" with the reason stored.
proc compat_sysvinit {} {
	global objdir srcdir subdir compat_sv compat_sv_why
	if {[info exists compat_sv]} {
		return $compat_sv
	}
	set script [file join $srcdir $subdir fetch-sysvinit]
	set cache [file join $objdir cache sysvinit]
	set compat_sv ""
	if {[catch {exec /bin/sh $script $cache 2>@1} out]} {
		regsub {\n?child process exited abnormally$} $out {} out
		set compat_sv_why [lindex [split [string trim $out] \n] end]
		verbose "fetch-sysvinit: $out" 1
	} else {
		set compat_sv [lindex [split [string trim $out] \n] end]
	}
	return $compat_sv
}

# 1 when sysvinit's tools are at hand; else the names are UNSUPPORTED.
proc compat_need_sysvinit {names} {
	global compat_sv_why
	if {![compat_enabled $names]} {
		return 0
	}
	if {[compat_sysvinit] ne ""} {
		return 1
	}
	note "sysvinit's tools are not available: $compat_sv_why"
	foreach n $names {
		unsupported $n
	}
	return 0
}

# Run sysvinit's TOOL (telinit, shutdown, halt, ...) inside the namespace.
proc compat_sv {tool args} {
	set root [compat_sysvinit]
	return [pinit_enter -timeout 15 [file join $root sbin $tool] {*}$args]
}

# Write a request with testsuite/initreq inside the namespace.
proc compat_req {args} {
	global compat_initreq
	return [pinit_enter -timeout 15 $compat_initreq {*}$args]
}

# A shell command inside the namespace; returns {status output}.
proc compat_sh {script} {
	return [pinit_enter /bin/sh -c $script]
}

# Inside the namespace only: pinit at /sbin/init, where sysvinit's
# shutdown runs it, and sysvinit's shutdown at /sbin/shutdown, where its
# halt runs it (bind mounts in the namespace's own mount table; a tmpfs on
# /sbin with two links when the host has no such files to mount over).
proc compat_bind_sbin {} {
	global PINIT
	set sd [file join [compat_sysvinit] sbin shutdown]
	set r [compat_sh "if test -e /sbin/init && test -e /sbin/shutdown; then
		mount --bind $PINIT /sbin/init && mount --bind $sd /sbin/shutdown
	else
		mount -t tmpfs tmpfs /sbin && ln -s $PINIT /sbin/init &&
		ln -s $sd /sbin/shutdown
	fi"]
	if {[lindex $r 0] != 0} {
		verbose "bind mounts failed: $r" 0
		return 0
	}
	return 1
}

# Wait until PATH in the namespace is a FIFO again (at most wait seconds).
proc compat_wait_fifo {path wait} {
	set deadline [expr {[clock seconds] + $wait}]
	while {[clock seconds] <= $deadline} {
		set r [compat_sh "test -p $path && ! test -L $path"]
		if {[lindex $r 0] == 0} {
			return 1
		}
		after 250
	}
	return 0
}

# A tree with a default profile init (service a) and a profile runlevel3
# (service b); each service says when it starts, with $INIT_FOO.
proc compat_tree {name} {
	set svc [pinit_tmpdir $name]/svc
	pinit_svc $svc a -sh {echo "a-up INIT_FOO=$INIT_FOO"; exec sleep 1000} -respawn
	pinit_svc $svc b -sh {echo "b-up"; exec sleep 1000} -respawn
	pinit_svc $svc show -sh {echo "show INIT_FOO=$INIT_FOO LD_PRELOAD=$LD_PRELOAD"}
	pinit_svc $svc init -wants {a}
	pinit_svc $svc runlevel3 -wants {b}
	return $svc
}

# Boot a tree and wait until it has started; 1 when it did.
proc compat_boot {svc args} {
	return [expr {[pinit_boot $svc {*}$args] && [pinit_wait {all services started}]}]
}

# Did a tool that starts a shutdown end well?  It may be killed by the
# TERM that the shutdown it asked for sends to every process (143), as on
# a real machine.
proc compat_ended_ok {r} {
	return [expr {[lindex $r 0] == 0 || [lindex $r 0] == 143}]
}

# Log a FAIL for every name (the boot did not come up).
proc compat_fail_all {names} {
	foreach n $names {
		fail $n
	}
}
