/*
 * paths.h - every path and tunable of pinit in one place.
 *
 * The directories come from configure (--sysconfdir, --runstatedir) through
 * the compiler's command line (src/local.mk); the rest are fixed here.
 */
#ifndef PINIT_PATHS_H
#define PINIT_PATHS_H

#ifndef PINIT_SVCDIR
#define PINIT_SVCDIR		"/etc/pinit/svc"
#endif
#ifndef PINIT_RUNDIR
#define PINIT_RUNDIR		"/run/pinit"
#endif
#ifndef PINIT_INITCTL_PATH
#define PINIT_INITCTL_PATH	"/run/initctl"
#endif
#ifndef PINIT_SBIN_PATH
#define PINIT_SBIN_PATH		"/sbin/pinit"	/* an update's default binary */
#endif
#ifndef PINIT_IPC_NAME
#define PINIT_IPC_NAME		"socket"
#endif

#define PINIT_UTMP		"/var/run/utmp"	/* as glibc's _PATH_UTMP */
#define PINIT_WTMP		"/var/log/wtmp"	/* as glibc's _PATH_WTMP */
#define PINIT_SHUTDOWN_PID	"/run/shutdown.pid" /* a waiting shutdown, as sysvinit's */
#define PINIT_NOLOGIN		"/run/nologin"	/* pam_nologin; a shutdown writes it */
#define PINIT_ROOT_SERVICE	"init"		/* root of the default profile */
#define PINIT_RESCUE_SHELL	"/bin/sh"	/* the rescue shell */
#define PINIT_CRASH_PROGRAM	PINIT_RESCUE_SHELL /* PID 1 faulted: exec'd */
#ifndef PINIT_CRASH_SLEEP_S
#define PINIT_CRASH_SLEEP_S	30		/* no crash program: reboot after */
#endif
#define PINIT_CMDLINE_MAX	4096		/* bytes of /proc/cmdline read */
#define PINIT_PASSWD		"/etc/passwd"	/* user names, read by ident.c */
#define PINIT_GROUP		"/etc/group"	/* group names and members */
#define PINIT_DEFAULT_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#define PINIT_GRACE_MS		3000		/* TERM to KILL, default */
#define PINIT_GRACE_MAX_MS	300000		/* longest grace accepted */
#define PINIT_EXIT_IDENT	125		/* a child's identity step failed */
#define PINIT_KILL_WAIT_MS	2000		/* after KILL, before giving up */
#define PINIT_SYNC_MS		10000		/* longest sync(2) waited for */
#define PINIT_UMOUNT_MS		5000		/* longest unmount waited for */
#define PINIT_STOP_ALL_MS	120000		/* longest service stop phase */
#define PINIT_STOP_WAIT_MAX_MS	86400000	/* a stop's bound, reported */
#define PINIT_RETRY_MS		1000		/* fork/pipe failure: retry after */
#define PINIT_IPC_RETRY_MS	5000		/* control endpoint: retry after */
#define PINIT_INITCTL_CHECK_MS	5000		/* look at /run/initctl */
#define PINIT_INITCTL_BATCH	16		/* initctl reads per turn */
#define PINIT_TELINIT_MS	5000		/* pinit as telinit: time */
#define PINIT_UPDATE_TEST_MS	5000		/* an update's --selftest */
#define PINIT_EXIT_POWEROFF	0		/* container mode: exit statuses */
#define PINIT_EXIT_REBOOT	129		/* 128 + SIGHUP, as the kernel */
#define PINIT_EXIT_HALT		130		/* 128 + SIGINT */
#define PINIT_ENV_MAX		16		/* INIT_* set at run time */
#define PINIT_ENV_LEN		367		/* longest of those */
#define PINIT_SPAWN_ENV_MAX	1024		/* entries of a child's env */

#define SVC_MAX			65536		/* services in one tree */
#define SVC_DEPTH_MAX		16		/* nesting of service directories */
#define SVC_DEPS_MAX		SVC_MAX		/* entries of needs/ or wants/ */
#define SVC_ARGS_MAX		255		/* lines of on.params */
#define SVC_FILE_MAX		65536		/* bytes of a service file */
#define SVC_START_MAX		128		/* started, exec not confirmed */
#define EARLY_BATCH		32		/* started at once while loading */
#define SVC_QUICK_MS		10000		/* a death before this is quick */
#define SVC_DELAY_MS		1000		/* restart-delay default */
#define SVC_DELAY_MAX_MS	30000		/* restart-delay-max default */
#define SVC_LIMIT_N		10		/* restart-limit default count */
#define SVC_LIMIT_MS		300000		/* restart-limit default window */
#define SVC_LIMIT_N_MAX		1000		/* largest count accepted */

#endif /* PINIT_PATHS_H */
