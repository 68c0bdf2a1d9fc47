#!/bin/sh
# rescue.sh - the rescue "shell" of the pinit.vm boots.  The harness has
# no console input, so instead of an interactive shell this prints what a
# user at the console would look at, adds a line to /run/vmtest.rescued
# (one per run), and exits.

echo "VMTEST: rescue shell: pid $$, session $(cut -d' ' -f6 /proc/$$/stat)"
echo "VMTEST: rescue shell: $(/sbin/pinitctl runlevel 2>&1)"
/sbin/pinitctl list 2>&1 | sed 's/^/VMTEST: rescue list: /'
echo ran >>/run/vmtest.rescued
echo "VMTEST: rescue shell: exit"
exit 0
