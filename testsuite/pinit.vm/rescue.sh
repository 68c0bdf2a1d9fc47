#!/bin/sh
# rescue.sh - the rescue "shell" of the pinit.vm boots.  The harness has
# no console input, so instead of an interactive shell this prints what a
# user at the console would look at, marks that it ran, and exits.

echo "VMTEST: rescue shell: pid $$, session $(cut -d' ' -f6 /proc/$$/stat)"
echo "VMTEST: rescue shell: $(/sbin/pinitctl runlevel 2>&1)"
/sbin/pinitctl list 2>&1 | sed 's/^/VMTEST: rescue list: /'
: >/run/vmtest.rescued
echo "VMTEST: rescue shell: exit"
exit 0
