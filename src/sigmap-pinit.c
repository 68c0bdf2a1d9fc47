/*
 * sigmap-pinit.c - the default signal map, safe for sysvinit's tools,
 * container runtimes and systemd-style tools at once (DESIGN.md, Signals):
 * sysvinit's meaning for the classic signals, systemd's RT signals for
 * rescue, halt, poweroff and reboot, and TERM as an orderly poweroff.
 */
#include <config.h>

#include <signal.h>

#include "pinit.h"
#include "sigmap.h"

const char sigmap_name[] = "pinit";

const struct sigmap sigmap[] = {
	{ SIGCHLD,	0, EV_CHILD },
	{ SIGTERM,	0, EV_POWEROFF },
	{ SIGINT,	0, EV_CTRLALTDEL },
	{ SIGHUP,	0, EV_RELOAD },
	{ SIGUSR1,	0, EV_INITCTL_OPEN },
	{ SIGUSR2,	0, EV_INITCTL_CLOSE },
	{ SIGPWR,	0, EV_POWERFAIL },
	{ SIGWINCH,	0, EV_KBREQUEST },
	{ SIGTSTP,	0, EV_PAUSE },
	{ SIGCONT,	0, EV_RESUME },
	{ 1,		1, EV_RESCUE },
	{ 3,		1, EV_HALT },
	{ 4,		1, EV_POWEROFF },
	{ 5,		1, EV_REBOOT },
	{ 0,		0, EV_NONE }
};
