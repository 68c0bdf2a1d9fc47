/*
 * svc.h - the service table: what the tree defines and what runs.
 *
 * The table is built once by load.c (all allocation happens there) and
 * then only changes state.  Services refer to each other by index.
 */
#ifndef PINIT_SVC_H
#define PINIT_SVC_H

#include <stdint.h>
#include <sys/types.h>

#include "wire.h"

/* svc.flags */
#define SVC_RESPAWN	0x01	/* supervise and restart */
#define SVC_GROUP	0x02	/* no "on": groups others */
#define SVC_HOOK	0x04	/* started by its event, not by the tree */
#define SVC_BROKEN	0x08	/* cannot start until a reload: a cycle, bad files */

/* What the service should be doing. */
enum svc_want {
	WANT_NONE = 0,		/* left alone */
	WANT_UP,		/* start it and keep it started */
	WANT_DOWN		/* stop it and keep it stopped */
};

/* Steps of a stop, in order. */
enum svc_stop {
	STOP_NONE = 0,
	STOP_OFF,		/* the off program runs */
	STOP_TERM,		/* TERM and CONT sent; grace runs */
	STOP_KILL		/* KILL sent; waiting to reap */
};

/* svc.policy: the restart file of a respawn service. */
enum svc_policy {
	SVC_RESTART_ALWAYS = 0,
	SVC_RESTART_ON_FAILURE,		/* after an exit not 0, or a signal */
	SVC_RESTART_NEVER
};

/* The detail text of a service: state, STATUS=, why it failed. */
#define SVC_INFO_SIZE	(WIRE_INFO_MAX + 1)

/* The variable that names a service in its programs' environment. */
#define SVC_ENV_SERVICE	"PINIT_SERVICE"

struct svc_ident;

struct svc_prog {
	char		*path;		/* DIR/on or DIR/off */
	char		**argv;		/* argv[0] is the program as shown */
	char		**envp;		/* the whole environment */
	const struct svc_ident *ident;	/* user, limits (ident.h); or NULL */
};

struct svclog;

struct svc {
	/*
	 * Definition, from load.c.  The fields are grouped by size so that
	 * the struct has no holes: there is one per service.
	 */
	char		*name;		/* path relative to the service dir */
	struct svc_prog	on;
	struct svc_prog	*off;		/* NULL without "off" */
	struct svclog	*log;		/* svclog.h; NULL: the console */
	int		*needs;		/* indices; -1: missing */
	int		*wants;
	int		*rdeps;		/* services that need or want this */
	char		**depname;	/* names of needs then wants */
	int		nneeds, nwants, nrdeps;
	unsigned	flags;
	int64_t		delay_ms, delay_max_ms, window_ms;
	int64_t		stop_ms;	/* stop-timeout; -1: pinit.grace_ms */
	int64_t		*deaths;	/* ring of limit + 1 death times */
	int		limit;		/* deaths allowed in window_ms */
	int		stop_sig;	/* stop-signal; default SIGTERM */
	uint8_t		policy;		/* enum svc_policy */

	/* State. */
	uint8_t		state;		/* enum wire_state */
	uint8_t		why;		/* enum wire_why */
	uint8_t		want;		/* enum svc_want */
	uint8_t		stop;		/* enum svc_stop */
	uint8_t		forced;		/* the last stop needed KILL */
	uint8_t		restart;	/* start again once stopped */
	uint8_t		mark;		/* scratch of deps_isolate(); after a hot
					   update, 1: its state was taken over */
	uint8_t		adopted;	/* its process was adopted after a hot
					   update (adopt.c); until it ends */
	int		detail;
	int		lastdetail;	/* how it last ended: status or signal */
	char		*info;		/* SVC_INFO_SIZE bytes (load.c) */
	pid_t		pid, offpid;
	int		execfd;		/* reports exec failure; -1 */
	int		exec_errno;	/* what execfd said */
	int64_t		since;		/* entered the current state */
	int64_t		started;	/* last start */
	int64_t		deadline;	/* next timer, 0 for none */
	int		quick;		/* quick deaths in a row */
	int		ndeaths, death_head;
	uint32_t	restarts;
	int64_t		lastend;	/* when; 0: it never ended */
	int32_t		stopwait;	/* deps_stop_wait()'s sum in the walk
					   swgen; -1 while it is open */
	uint32_t	swgen;		/* a t->dfsgen: the walk that set it */

	/* Readiness (ready.c). */
	int64_t		ready_ms;	/* ready-timeout; 0: none */
	char		*text;		/* the last STATUS= (load.c) */
	int		notifyfdn;	/* notification-fd: its number */
	int		notifyfd;	/* PID 1's read end of it; -1 */
	pid_t		mainpid;	/* MAINPID= it sent; 0 */
	uint8_t		readyhow;	/* READY_*: how it says it is ready */
	uint8_t		ready;		/* said so since its last start */
	uint8_t		lastwhy;	/* how it last ended: EXIT, SIGNAL */
};

struct svctab {
	struct svc	*v;
	int		n;
	int		*order;		/* dependencies before dependants */
	int		*dfs;		/* 2 * n: scratch of deps_stop_wait() */
	int		*logs;		/* the services with a log (svclog.c) */
	int		nlogs;
	uint32_t	dfsgen;		/* its walks so far */
	int		root;		/* the root service, or -1 */
	char		*svcdir;	/* as given */
	pid_t		*pidkey;	/* open addressing: pid -> index */
	int		*pidval;
	unsigned	pidcap;		/* a power of two */
	int		inflight;	/* svc_inflight(); -1: not counted */
	/*
	 * What the scans of a full turn look at, as bits by place in order:
	 * not the whole table, so that a turn costs what changed, not N
	 * (doc/decisions.md).  A new table has every bit of hot and live
	 * set.
	 */
	int		*pos;		/* index -> place in order */
	uint64_t	*hot;		/* deps_schedule() looks at these */
	uint64_t	*was;		/* its scratch: hot as the turn began */
	uint64_t	*held;		/* ready, held back by SVC_START_MAX */
	uint64_t	*live;		/* may hold an exec pipe, a notification
					   fd or a deadline: svc_live_next() */
	void		*mem;		/* the arena everything lives in */
};

/* Words of a bit map of n places. */
#define SVC_WORDS(n)	(((size_t)(n) + 63) / 64)

static inline void
svc_bit_set(uint64_t *m, int p)
{
	m[p >> 6] |= (uint64_t)1 << (p & 63);
}

static inline void
svc_bit_clear(uint64_t *m, int p)
{
	m[p >> 6] &= ~((uint64_t)1 << (p & 63));
}

static inline int
svc_bit(const uint64_t *m, int p)
{
	return (int)(m[p >> 6] >> (p & 63)) & 1;
}

/* load.c */
/*
 * Load the tree at svcdir with root as its root service.  With early not
 * NULL, early(t, i) is called for each service i the root names as soon
 * as i is loaded, before the rest of the table (see load_build()).
 */
typedef void	 load_early_fn(struct svctab *, int i);
struct svctab	*load_tree(const char *svcdir, const char *root,
		    load_early_fn *early);
void		 load_free(struct svctab *);

/* deps.c */
int	deps_order(struct svctab *);
void	deps_want_up(struct svctab *, int i);
/* After a reload: what a wanted service depends on is wanted too. */
void	deps_want_closure(struct svctab *);
void	deps_want_down(struct svctab *, int i, int restart);
void	deps_schedule(struct svctab *, int64_t now);
/* Start service i while the tree loads, if it depends on nothing. */
void	deps_early(struct svctab *, int i, int64_t now);
/*
 * Make service root the only thing wanted: its closure (needs and wants,
 * transitively) up, everything else down except hooks, which end on their
 * own, and failed services, which keep their state.  Root -1: nothing is
 * wanted (rescue).
 */
void	deps_isolate(struct svctab *, int root);
int	deps_all_down(const struct svctab *);
/*
 * The longest a stop of service i may take from now, in ms: the stops of
 * the services up that need it (they go first), then its own (off, its
 * stop-timeout, the wait after KILL).  0 when it and they are down.
 */
int64_t	deps_stop_wait(struct svctab *, int i);

/* svc.c */
/*
 * Something about s changed (its state, want, pids, fds or deadline):
 * pinit_changed(), and s, its dependants and its dependencies need a look
 * from deps_schedule(), s one from the timer and fd scans.  s of a table
 * not yet in place is left alone: a new table starts with every bit set.
 */
void	svc_changed(struct svc *);
/* Service i needs a look from deps_schedule() (i alone). */
void	svc_hot(struct svctab *, int i);
/* Every service needs a look (a shutdown, a rescue). */
void	svc_hot_all(struct svctab *);
/* The next place at or after p set in map (n places), or -1. */
int	svc_bit_next(const uint64_t *map, int n, int p);
/* The index of the next service at or after place p with a live bit. */
int	svc_live_next(const struct svctab *, int *p);
int	svc_find(const struct svctab *, const char *name, size_t len);
void	svc_set_state(struct svc *, int state, int why, int detail,
	    const char *info, int64_t now);
void	svc_set_info(struct svc *, const char *info);
int	svc_start(struct svctab *, struct svc *, int64_t now);
/* Services started whose exec is not confirmed yet (exec pipe open). */
int	svc_inflight(struct svctab *);
void	svc_stop_begin(struct svctab *, struct svc *, int64_t now);
void	svc_reaped(struct svctab *, pid_t, int status, int64_t now);
void	svc_exec_ready(struct svctab *, struct svc *, int64_t now);
void	svc_timers(struct svctab *, int64_t now);
/* The nearest deadline; drops the live bits of services without any. */
int64_t	svc_deadline(struct svctab *);
#ifdef PINIT_AUDIT
/* Say (as "audit: ...") what has a deadline or an fd but no live bit. */
void	svc_audit(const struct svctab *);
#endif
int	svc_is_down(const struct svc *);
/* Is s up for its dependants (running or done, ready if it says so)? */
int	svc_is_up(const struct svc *);
/* How long a stop step of s may take: stop-timeout, else --grace. */
int64_t	svc_grace(const struct svc *);
void	svc_forget_pid(struct svctab *, pid_t);
/* The service whose main or off process pid is, or -1. */
int	svc_pid_index(const struct svctab *, pid_t);
void	svc_adopt(struct svctab *, struct svc *);
/*
 * Carry the run-time state of service o (of an older table, or read back
 * after a hot update) into n of table nt, and adopt its pids.
 */
void	svc_carry(struct svctab *nt, struct svc *n, const struct svc *o);

/* spawn.c */
/*
 * Start a program of service svc (PINIT_SERVICE=svc in its environment);
 * with execfd, *execfd reads its exec result (see spawn_exec_result);
 * without, an exec failure is exit status 127.
 */
pid_t	spawn_prog(const struct svc_prog *, const char *svc, int *execfd);
/*
 * The same on PID 1's own fds 0, 1 and 2 (the console), which becomes the
 * controlling terminal of the new session when it can: the rescue shell.
 */
pid_t	spawn_console(const struct svc_prog *, int *execfd);
int	spawn_exec_result(int fd, int *err);
/*
 * The standard input and output (and error) of the next program started
 * only: fds of PID 1, -1 for the usual (/dev/null and PID 1's own).
 */
void	spawn_stdio(int in, int out);
/*
 * Open /dev/null for the children's standard input, once /dev is there
 * (after the early mounts); each fork tries again until it is open.
 */
void	spawn_devnull(void);
/*
 * When PID 1 is about to wait: give back the pages of the slots the starts
 * that shared its memory used, once none is in use (spawn.c).
 */
void	spawn_trim(void);
/* Start every program with fork() (--fork): for tools such as valgrind. */
void	spawn_fork_only(void);
/* Run fn(arg) in a child that exits with status 0 when fn returns. */
pid_t	spawn_task(void (*fn)(const char *), const char *arg);
/*
 * The INIT_* variables every program started from now on gets.
 * spawn_setenv() sets "KEY=VALUE" (n bytes): -1 with EINVAL (not INIT_
 * and letters, digits, '_'), E2BIG or ENOSPC (the table is full);
 * spawn_unsetenv() unsets "KEY", 0 also when it was not set.
 */
int		 spawn_setenv(const char *kv, size_t n);
int		 spawn_unsetenv(const char *k, size_t n);
/* The value of KEY, or NULL. */
const char	*spawn_getenv(const char *key);
int		 spawn_envcount(void);
/* The i-th "KEY=VALUE", or NULL. */
const char	*spawn_envat(int i);

#endif /* PINIT_SVC_H */
