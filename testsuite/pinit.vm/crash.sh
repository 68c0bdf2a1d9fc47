#!/bin/sh
# crash.sh - the crash program of the pinit.vm crash boots: what PID 1
# becomes when it faults (pinit --crash-program).  It is PID 1 now, so it
# must not exit: it powers the guest off.
echo "VMTEST: crash program running as pid $$ after $PINIT_CRASH"
/sbin/pinitctl status daemon-a >/dev/null 2>&1 &&
    echo "VMTEST: crash program: pinit still answers (it should not)"
sync
poweroff -f
