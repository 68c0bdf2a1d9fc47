/*
 * sigmap-cinit.c - cinit's own signal map (DESIGN.md, Signals), for
 * machines whose scripts send cinit's signals: HUP reboots, USR1 halts,
 * USR2 enters rescue, TERM powers off and CONT updates pinit in place
 * (cinit's "update" kept no state; pinit keeps every service running).
 *
 * What the default map gives HUP, USR1, USR2, TSTP and CONT (reload,
 * /run/initctl reopen and close, pause and resume of respawning) is then
 * reached through pinitctl only.  INT, PWR, WINCH and the RT signals mean
 * what they mean in the default map: the kernel sends INT for
 * ctrl-alt-del and PWR for a power failure whatever init runs.
 */
#include <config.h>

#include <signal.h>

#include "pinit.h"
#include "sigmap.h"

const char sigmap_name[] = "cinit";

const struct sigmap sigmap[] = {
	{ SIGCHLD,	0, EV_CHILD },
	{ SIGTERM,	0, EV_POWEROFF },
	{ SIGHUP,	0, EV_REBOOT },
	{ SIGUSR1,	0, EV_HALT },
	{ SIGUSR2,	0, EV_RESCUE },
	{ SIGCONT,	0, EV_UPDATE },
	{ SIGINT,	0, EV_CTRLALTDEL },
	{ SIGPWR,	0, EV_POWERFAIL },
	{ SIGWINCH,	0, EV_KBREQUEST },
	{ 1,		1, EV_RESCUE },
	{ 3,		1, EV_HALT },
	{ 4,		1, EV_POWEROFF },
	{ 5,		1, EV_REBOOT },
	{ 0,		0, EV_NONE }
};
