#!/bin/sh
# rescue.sh - what the pinit.vm rescue boots type at pinit's rescue shell,
# busybox sh on the console (vm_boot -type): ". /etc/vmtest/rescue.sh",
# then "exit".  It prints what a user at the console would look at and
# adds a line to /run/vmtest.rescued (one per rescue).

echo "VMTEST: rescue shell: pid $$, session $(cut -d' ' -f6 /proc/$$/stat)"
echo "VMTEST: rescue shell: $(/sbin/pinitctl runlevel 2>&1)"
/sbin/pinitctl list 2>&1 | sed 's/^/VMTEST: rescue list: /'
echo ran >>/run/vmtest.rescued
