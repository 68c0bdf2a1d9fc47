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
	const char	*rescue_shell;	/* the shell rescue runs */
	char		runlevel;	/* sysvinit's letter, 'N' for none */
	char		prevlevel;	/* the one before, 'N' for none */
	char		boot_level;	/* the runlevel booted: the default */
	int		grace_ms;
	int		pid1;		/* running as PID 1 */
	int		container;	/* PID 1 in a container (main.c) */
	int		sigfd;
	struct svctab	*tab;
	int		shutdown;	/* enum pinit_cmd under way */
	int		reload;		/* a reload is asked for */
	int		paused;		/* TSTP: no respawning */
	int		root_told;	/* "all services started" was said */
	int64_t		ipc_retry;	/* next try to open the IPC, or 0 */
	int		sigchld;	/* a SIGCHLD came: reap */
	uint32_t	update_gen;	/* images that took over by a hot update
					   since boot (update.c) */
	uint32_t	update_tries;	/* hot update execs tried since boot */
};

extern struct pinit	pinit;

/*
 * The count of changes of services, which the loop watches (loop.c).
 * PID 1 keeps it in memory it shares with its children (changes_share()
 * in main.c): it is bumped after every start, and a private page written
 * after a fork is copied on that write.  Until then, and outside PID 1,
 * it is a plain variable (svc.c).
 */
extern unsigned long	*pinit_changes;
#define pinit_changed()	((void)++*pinit_changes)

/* loop.c */
void	loop_run(void);
/* Open the control endpoint if it is closed and its retry is due. */
void	loop_ipc(int64_t now);

/* sig.c */
int	sig_setup(void);
/*
 * Read the signals that came: 1 when one was an event or SIGCHLD, 0 when
 * there were only others (the IPC's doorbell), which change nothing.
 */
int	sig_read(int64_t now);
void	sig_event(int ev, const char *by);
/* Handlers for PID 1's own faults: exec prog (NULL: the default). */
void	sig_crash_handlers(const char *prog);
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

/* rescue.c: single-user mode (doc/decisions.md, Rescue). */
/*
 * At boot, once the runlevel is chosen: remember it as the one rescue
 * returns to; with single (the kernel said so), enter rescue.
 */
void	rescue_boot(int single);
/* Enter rescue: stop every service, then run the shell; -1 (EBUSY). */
int	rescue_request(const char *by);
/*
 * A switch to a profile (level: its runlevel, or 'N' for one by name,
 * which goes back to the runlevel booted) leaves rescue: the shell gets HUP
 * and TERM, KILL after the grace.
 */
void	rescue_leave(char level, const char *by);
void	rescue_step(int64_t now);
int64_t	rescue_deadline(void);
/* 1 when pid was the rescue shell (its end is handled). */
int	rescue_reaped(pid_t, int status);
/* Stopping services for rescue, or its shell runs. */
int	rescue_active(void);

/* update.c: hot update (doc/decisions.md, Hot update). */
/* Remember pinit's command line and binary, for the new image. */
void	update_init(int argc, char **argv);
/*
 * Test the binary at path (len bytes; 0: pinit's own) with --selftest and,
 * when it passes, have the loop exec it; 0, or -1 with why filled in.
 */
int	update_request(const char *path, size_t len, const char *by,
	    char *why, size_t n);
/* In the loop, after the replies: exec the binary when one is due. */
void	update_step(void);
/*
 * Fill u with the update generation and the outcome of the last attempt
 * (the fields of a VERSION reply); the text of its failure, or "".
 */
const char	*update_report(struct wire_upd *u);
/* The new image: take over the state in fd (services, fds, globals). */
void	update_resume(int fd, int64_t now, const char *initctl_path);
/* pinit --selftest: check the state in fd; the exit status. */
int	update_selftest_main(int fd);

/*
 * adopt.c: after a hot update, adopt each child of PID 1 that no service
 * claims and whose PINIT_SERVICE names a service of t with no process
 * and no state taken over (svc.mark 0); leave the others to be reaped.
 */
void	adopt_children(struct svctab *t, int64_t now);

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
