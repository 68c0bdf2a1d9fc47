/*
 * pinit.h - the state of PID 1 that every module shares.
 */
#ifndef PINIT_PINIT_H
#define PINIT_PINIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipc.h"
#include "svc.h"

/* What the loop was asked to do, recorded first and acted on in order. */
enum pinit_cmd {
	CMD_NONE = 0,
	CMD_HALT,
	CMD_POWEROFF,
	CMD_REBOOT
};

/* Events a signal can stand for (the signal map is sigmap-*.c). */
enum pinit_event {
	EV_NONE = 0,
	EV_CHILD,
	EV_HALT,
	EV_POWEROFF,
	EV_REBOOT,
	EV_CTRLALTDEL,
	EV_RELOAD,
	EV_INITCTL_OPEN,
	EV_INITCTL_CLOSE,
	EV_POWERFAIL,
	EV_KBREQUEST,
	EV_PAUSE,
	EV_RESUME,
	EV_RESCUE,
	EV_UPDATE
};

struct pinit {
	const char	*svcdir;
	const char	*rundir;
	const char	*profile;	/* root service name */
	const char	*boot_profile;	/* the profile booted: the default */
	char		runlevel;	/* sysvinit's letter, 'N' for none */
	char		prevlevel;	/* the one before, 'N' for none */
	int		grace_ms;
	int		pid1;		/* running as PID 1 */
	int		container;	/* $container is set */
	int		sigfd;
	struct svctab	*tab;
	int		shutdown;	/* enum pinit_cmd under way */
	int		reload;		/* a reload is asked for */
	int		paused;		/* TSTP: no respawning */
	int		root_told;	/* "all services started" was said */
	int64_t		ipc_retry;	/* next try to open the IPC, or 0 */
};

extern struct pinit	pinit;

/* loop.c */
void	loop_run(void);

/* sig.c */
int	sig_setup(void);
void	sig_read(int64_t now);
void	sig_event(int ev, const char *by);
void	sig_crash_handlers(void);
/* Start hook service NAME (again); -1 when the tree does not define it. */
int	sig_hook(const char *name);

/* mount.c */
void	mount_early(void);
int	mount_list(char ***paths, int max);

/* shutdown.c */
void	shutdown_request(int cmd, const char *by);
void	shutdown_step(int64_t now);
int64_t	shutdown_deadline(void);
int	shutdown_reaped(pid_t, int status);
void	shutdown_no_children(void);

/* control.c */
void	control_dispatch(const struct ipc_peer *, const struct wire_msg *,
	    struct wire_msg *);
/* Dispatch a request from inside PID 1 (the initctl shim) as root. */
void	control_dispatch_by(const char *by, const struct wire_msg *,
	    struct wire_msg *);

/* utmp.c: write the RUN_LVL record of a runlevel change (when utmp exists). */
void	utmp_runlevel(char prev, char cur);

/* main.c */
void	pinit_reload(int64_t now);
/* Record runlevel letter c as the current one (utmp too). */
void	pinit_level(char c);
const char	*pinit_cmd_name(int cmd);
/*
 * Make service NAME (len bytes) the root: start what it needs and wants,
 * stop what it does not (doc/decisions.md); level is the runlevel letter
 * it stands for, or 'N'.  -1 (ENOENT) when there is no such service.
 */
int	pinit_switch(const char *name, size_t len, char level, const char *by);

#endif /* PINIT_PINIT_H */
