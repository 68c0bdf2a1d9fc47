#!/bin/sh
# case.sh - the guest's side of a pinit.vm boot (busybox sh, in the VM).
#
# The service "scenario" runs this once every other service it needs is
# up.  The kernel word vmtest.case=NAME says what to do; every line meant
# for the test starts with "VMTEST:" and goes to the console.

say() {
	echo "VMTEST: $*"
}

case=$(sed -n 's/.*vmtest\.case=\([A-Za-z0-9-]*\).*/\1/p' /proc/cmdline)
ctl=/sbin/pinitctl
say "case $case: scenario running as pid $$"

# pinitctl status of a service that must be running, from inside the guest.
status_check() {
	if out=$($ctl status "$1" 2>&1) && echo "$out" | grep -q running; then
		say "status $1: running"
	else
		say "status $1: FAILED: $out"
	fi
}

# Load the modules disk.exp adds (/lib/modules/vmtest, in its order) and
# mount the disk image it gives QEMU, /dev/vda, on /mnt/disk.
disk_mount() {
	mods=/lib/modules/vmtest
	while read -r ko; do
		insmod "$mods/$ko" || { say "insmod $ko failed"; return 1; }
	done <$mods/order
	n=0
	while [ ! -b /dev/vda ]; do
		n=$((n + 1))
		[ $n -le 100 ] || { say "no /dev/vda after 10 s"; return 1; }
		sleep 0.1
	done
	mkdir -p /mnt/disk
	# commit=600: the journal does not commit on its 5 s timer before
	# the reboot, so only a sync or an unmount can put the file on disk.
	mount -t ext4 -o commit=600 /dev/vda /mnt/disk || {
		say "mount /dev/vda failed"
		return 1
	}
	say "disk mounted: $(grep ' /mnt/disk ' /proc/mounts)"
}

# A file with disk.exp's token, written just before the reboot (no sync).
disk_write() {
	token=$(sed -n 's/.*vmtest\.token=\([A-Za-z0-9-]*\).*/\1/p' /proc/cmdline)
	disk_mount && echo "$token" >/mnt/disk/pinit-data &&
	    say "wrote $token to /mnt/disk/pinit-data"
}

case $case in
disk)
	disk_write
	$ctl reboot
	;;
disk-nosync)
	# The control: the same, ended by busybox with no sync (-n) and
	# straight by reboot(2) (-f), not by pinit.
	disk_write
	reboot -n -f
	;;
poweroff)
	status_check daemon-a
	status_check daemon-b
	# The status lines go to the kernel's log too (quiet keeps them off
	# the console).
	dmesg | grep -q 'pinit: started daemon-b (pid' &&
	    say "kmsg: pinit: started daemon-b"
	$ctl poweroff
	;;
cmdline)
	say "runlevel: $($ctl runlevel 2>&1)"
	$ctl poweroff
	;;
reboot)
	status_check daemon-b
	$ctl reboot
	;;
telinit6)
	status_check daemon-b
	/opt/sysvinit/sbin/telinit 6 && say "telinit 6: sent"
	;;
sigterm)
	status_check daemon-b
	kill -TERM 1 && say "TERM sent to pid 1"
	;;
stubborn)
	$ctl start stubborn
	status_check stubborn
	# A process no signal can end: frozen by the v1 freezer cgroup.
	mount -t tmpfs cgroup /sys/fs/cgroup && mkdir /sys/fs/cgroup/freezer &&
	    mount -t cgroup -o freezer freezer /sys/fs/cgroup/freezer &&
	    mkdir /sys/fs/cgroup/freezer/stuck || say "no freezer cgroup"
	sleep 100000 &
	stuck=$!
	echo $stuck >/sys/fs/cgroup/freezer/stuck/tasks
	echo FROZEN >/sys/fs/cgroup/freezer/stuck/freezer.state
	sleep 0.5
	say "pid $stuck is $(cat /sys/fs/cgroup/freezer/stuck/freezer.state)," \
	    "state $(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' /proc/$stuck/status)"
	$ctl poweroff
	;;
roroot)
	if touch /vmtest-write 2>/dev/null; then
		say "root is writable"
	else
		say "root is read-only"
	fi
	status_check daemon-b
	$ctl poweroff
	;;
rescue)
	# Three rounds, one per way to ask: rescue.sh adds a line to
	# /run/vmtest.rescued each time it runs, and the services, this one
	# too, start again after it.
	n=0
	[ -e /run/vmtest.rescued ] && n=$(wc -l </run/vmtest.rescued)
	[ "$n" -eq 0 ] || {
		say "back from rescue $n: $($ctl runlevel 2>&1)"
		status_check daemon-b
	}
	case $n in
	0)
		say "asking for rescue: pinitctl rescue"
		$ctl rescue
		;;
	1)
		say "asking for rescue: pinitctl runlevel S"
		$ctl runlevel S
		;;
	2)
		# SIGRTMIN+1 of a glibc pinit (34 + 1).
		say "asking for rescue: SIGRTMIN+1"
		kill -35 1
		;;
	*)
		$ctl poweroff
		;;
	esac
	;;
single)
	if [ -e /run/vmtest.rescued ]; then
		say "default profile after single: $($ctl runlevel 2>&1)"
		status_check daemon-b
	else
		say "FAILED: no rescue shell ran before the services"
	fi
	$ctl poweroff
	;;
update)
	pid_of() {
		$ctl --json status "$1" 2>/dev/null |
		    sed -n 's/.*"pid": *\([0-9][0-9]*\).*/\1/p'
	}
	pa=$(pid_of daemon-a)
	rm -f /run/upd.*
	( while [ ! -e /run/upd.stop ]; do
		if $ctl status daemon-a >/dev/null 2>&1; then echo >>/run/upd.ok
		else echo >>/run/upd.fail; fi
	done ) &
	asker=$!
	( n=0 last=; while [ ! -e /run/upd.stop ]; do
		p=$(pid_of daemon-b)
		[ -n "$p" ] && [ "$p" != "$last" ] &&
		    kill -9 "$p" 2>/dev/null && n=$((n + 1)) last=$p
		echo $n >/run/upd.kills
		sleep 0.1
	done ) &
	killer=$!
	i=0
	while [ $i -lt 100 ]; do
		$ctl update || break
		i=$((i + 1))
	done
	touch /run/upd.stop
	wait $asker $killer
	say "updates $i, status asked $(cat /run/upd.ok 2>/dev/null | wc -l)" \
	    "times, failed $(cat /run/upd.fail 2>/dev/null | wc -l)," \
	    "daemon-b killed $(cat /run/upd.kills) times"
	say "daemon-a pid $pa then $(pid_of daemon-a)"
	say "zombies: $(cat /proc/[0-9]*/stat 2>/dev/null | awk '$3 == "Z"' | wc -l)"
	$ctl status daemon-b | sed 's/^/VMTEST: /'
	$ctl poweroff
	;;
crash-*)
	sig=${case#crash-}
	say "asking pid 1 for a $sig fault"
	# SIGRTMIN+8 of a glibc pinit (34 + 8): testsuite/pinit-crashy's
	# debug-only trigger; the fault is the kernel word pinit.crash=SIG.
	kill -42 1
	;;
*)
	say "unknown case '$case'"
	poweroff -f
	;;
esac
