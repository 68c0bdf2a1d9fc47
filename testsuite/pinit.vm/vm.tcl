# vm.tcl - procedures the pinit.vm tests share (sourced, not run).
#
# Each test boots a real kernel in QEMU with the static pinit of this
# build as /sbin/init, through the team's harness (DESIGN.md, Tests):
# ../shared/vmtest/boot-initramfs beside the checkout, or the program
# $PINIT_VMTEST names.  The guest is an initramfs holding busybox, the
# service tree testsuite/pinit.vm/tree at /etc/pinit/svc, case.sh (what the
# boot does, chosen by the kernel word vmtest.case=NAME), a static
# pinitctl, and sysvinit's own telinit with its libraries when they can be
# had.  The harness's exit code says how the guest ended: 0 power-off,
# 2 reboot, 3 kernel panic, 4 PID 1 died, 5 timeout, 8 halt.
#
# Without the harness, QEMU, a kernel or a static pinit, every test is
# UNSUPPORTED with the reason.

set vm_dir [file join $srcdir $subdir]
set vm_why ""

# The harness, or "" with the reason in vm_why.
proc vm_harness {} {
	global env PINIT_SRCDIR vm_why
	if {[info exists env(PINIT_VMTEST)] && $env(PINIT_VMTEST) ne ""} {
		set h $env(PINIT_VMTEST)
	} else {
		set h [file normalize [file join $PINIT_SRCDIR .. shared vmtest \
		    boot-initramfs]]
	}
	if {![file executable $h]} {
		set vm_why "no VM harness at $h (set PINIT_VMTEST)"
		return ""
	}
	return $h
}

# 1 when a boot can run: harness, QEMU, busybox, a cached or downloadable
# kernel and a static pinit.  Else 0, with the reason in vm_why.
proc vm_usable {} {
	global PINIT PINIT_BUILDDIR vm_why vm_ok vm_kernel
	if {[info exists vm_ok]} {
		return $vm_ok
	}
	set vm_ok 0
	set h [vm_harness]
	if {$h eq ""} {
		return 0
	}
	if {[catch {exec sh -c "command -v qemu-system-x86_64"}]} {
		set vm_why "qemu-system-x86_64 is not installed (package qemu-system-x86)"
		return 0
	}
	if {[catch {exec file -L $PINIT} out] ||
	    ![string match "*statically linked*" $out]} {
		set vm_why "this build's pinit is not linked statically (an ASan build, or --disable-static-init)"
		return 0
	}
	set ctl [file join $PINIT_BUILDDIR testsuite pinitctl-static]
	if {![file executable $ctl]} {
		set vm_why "no static pinitctl ($ctl)"
		return 0
	}
	if {[catch {exec $h --prepare 2>@1} out]} {
		set vm_why "no kernel to boot: [lindex [split [string trim $out] \n] end]"
		return 0
	}
	# The kernel's image, in the harness's cache directory of that kernel.
	set vm_kernel [lindex [split [string trim $out] \n] end]
	set vm_ok 1
	return 1
}

# --add arguments for sysvinit's telinit (its init, run as telinit) and
# the libraries it loads, from the compat tests' cache; an empty list, with
# the reason in vm_sv_why, when the package cannot be had.
proc vm_sysvinit_adds {} {
	global objdir vm_dir vm_sv_adds vm_sv_why
	if {[info exists vm_sv_adds]} {
		return $vm_sv_adds
	}
	set vm_sv_adds {}
	set fetch [file join $vm_dir .. pinit.compat fetch-sysvinit]
	if {[catch {exec /bin/sh $fetch [file join $objdir cache sysvinit] \
	    2>@1} out]} {
		set vm_sv_why [lindex [split [string trim $out] \n] end]
		return {}
	}
	set root [lindex [split [string trim $out] \n] end]
	set init [file join $root sbin init]
	if {[catch {exec ldd $init} libs]} {
		set vm_sv_why "ldd $init failed: $libs"
		return {}
	}
	lappend vm_sv_adds [file join $root sbin]:/opt/sysvinit/sbin
	foreach lib [regexp -all -inline {/[^ \t\n()]+} $libs] {
		lappend vm_sv_adds [exec readlink -f $lib]:$lib
	}
	return $vm_sv_adds
}

# The directory of the kernel modules for a disk (virtio, ext4 and what
# they depend on, with "order", the order to load them in), fetched by
# fetch-modules into the harness's cache of the kernel it boots; "" with
# the reason in vm_mod_why when they cannot be had.  Only after
# vm_usable said 1.
proc vm_disk_modules {} {
	global vm_dir vm_kernel vm_mods vm_mod_why
	if {[info exists vm_mods]} {
		return $vm_mods
	}
	set vm_mods ""
	set kdir [file dirname $vm_kernel]
	if {![file exists [file join $kdir package]]} {
		set vm_mod_why "the harness's kernel $vm_kernel has no package file beside it"
		return ""
	}
	if {[catch {exec /bin/sh [file join $vm_dir fetch-modules] $kdir \
	    2>@1} out]} {
		# Its reason, without the line exec adds on a failure.
		regsub {\n?child process exited abnormally$} $out "" out
		set vm_mod_why [lindex [split [string trim $out] \n] end]
		return ""
	}
	set vm_mods [lindex [split [string trim $out] \n] end]
	return $vm_mods
}

# Boot once.  Options:
#   -case NAME     the kernel word vmtest.case=NAME (case.sh)
#   -init PATH     the program at /sbin/init (default this build's pinit)
#   -initdest P    where it goes (default /sbin/init)
#   -args LIST     pinit's arguments after the kernel's " -- "
#   -words LIST    more kernel command-line words
#   -add LIST      more SRC:DEST for the initramfs
#   -timeout S     the harness's time limit (default 90)
#   -disk IMG      a raw disk image, the guest's /dev/vda
#   -type {RE TEXT} each time a new console line matches the grep -E
#                  pattern RE, type TEXT (printf %b: \n is Enter) at the
#                  console
# The harness has no option for -disk and -type, so for them its QEMU is
# shim/'s stand-in (first in PATH for this run), which adds them.
# Returns {exit-code console-log}.
proc vm_boot {args} {
	global PINIT PINIT_BUILDDIR vm_dir vm_boots objdir env
	array set o [list -case "" -init $PINIT -initdest /sbin/init -args {} \
	    -words {} -add {} -timeout 90 -disk "" -type {}]
	array set o $args
	if {![info exists vm_boots]} {
		set vm_boots 0
	}
	incr vm_boots
	set log [file join $objdir tmp vm-[pid]-$vm_boots.log]
	file mkdir [file dirname $log]
	set cmd [list [vm_harness] -q --log $log --timeout $o(-timeout) \
	    --init $o(-init) --init-dest $o(-initdest) \
	    --add [file join $vm_dir tree]:/etc/pinit/svc \
	    --add [file join $vm_dir case.sh]:/etc/vmtest/case.sh \
	    --add [file join $vm_dir rescue.sh]:/etc/vmtest/rescue.sh \
	    --add [file join $PINIT_BUILDDIR testsuite pinitctl-static]:/sbin/pinitctl]
	foreach a [concat [vm_sysvinit_adds] $o(-add)] {
		lappend cmd --add $a
	}
	set words [concat [list vmtest.case=$o(-case)] $o(-words)]
	set pargs [concat [list --svcdir=/etc/pinit/svc] $o(-args)]
	lappend cmd --append "[join $words] -- [join $pargs]"
	verbose "vm: $cmd" 1
	set path $env(PATH)
	if {$o(-disk) ne "" || $o(-type) ne {}} {
		set env(PINIT_VM_QEMU) [exec sh -c "command -v qemu-system-x86_64"]
		set env(PATH) [file normalize [file join $vm_dir shim]]:$path
		verbose "vm: QEMU through $env(PATH)" 1
	}
	if {$o(-disk) ne ""} {
		set env(PINIT_VM_DISK) [file normalize $o(-disk)]
		verbose "vm: disk $env(PINIT_VM_DISK)" 1
	}
	if {$o(-type) ne {}} {
		lassign $o(-type) env(PINIT_VM_WAIT) env(PINIT_VM_TYPE)
		verbose "vm: after /$env(PINIT_VM_WAIT)/ type $env(PINIT_VM_TYPE)" 1
	}
	set rc 0
	if {[catch {exec {*}$cmd 2>@1} out opts]} {
		set ec [dict get $opts -errorcode]
		if {[lindex $ec 0] eq "CHILDSTATUS"} {
			set rc [lindex $ec 2]
		} else {
			set rc -1
		}
	}
	set env(PATH) $path
	unset -nocomplain env(PINIT_VM_QEMU)
	unset -nocomplain env(PINIT_VM_DISK)
	unset -nocomplain env(PINIT_VM_WAIT)
	unset -nocomplain env(PINIT_VM_TYPE)
	verbose "vm: harness exit $rc: $out" 1
	set text ""
	if {[file readable $log]} {
		set f [open $log r]
		set text [read $f]
		close $f
	}
	verbose "vm: console:\n$text" 2
	return [list $rc $text]
}

# Do the regular expressions come in this order in text?  Returns "" when
# they do, else the first one missing (after the ones before it).
proc vm_in_order {text res} {
	set at 0
	foreach re $res {
		if {![regexp -indices -start $at -line -- $re $text m]} {
			return $re
		}
		set at [expr {[lindex $m 1] + 1}]
	}
	return ""
}

# PASS name when the boot ended with exit code want and the console shows
# res in order; FAIL with the reason (and the console in the log) if not.
proc vm_check {name boot want res} {
	lassign $boot rc text
	set missing [vm_in_order $text $res]
	if {$rc == $want && $missing eq ""} {
		pass $name
		return
	}
	if {$rc != $want} {
		verbose "$name: the harness exited $rc, not $want" 0
	}
	if {$missing ne ""} {
		verbose "$name: missing (in order): $missing" 0
	}
	verbose "$name: console:\n$text" 0
	fail $name
}

# UNSUPPORTED for every name when no boot can run; 1 when one can.
proc vm_need {names} {
	global vm_why
	if {[vm_usable]} {
		return 1
	}
	note "no VM boot: $vm_why"
	foreach n $names {
		unsupported $n
	}
	return 0
}
