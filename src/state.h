/*
 * state.h - PID 1's run-time state across a hot update (state.c).
 */
#ifndef PINIT_STATE_H
#define PINIT_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "svc.h"
#include "wire.h"

#define STATE_VERSION	1
#define STATE_MAX	(64 << 20)	/* bytes of a state, at most */
#define STATE_FDS_MAX	8		/* endpoints carried */
/* The services' fds carried are below this (raise_fd_limit()'s cap). */
#define STATE_SVCFD_MAX	(65536 + 1024)

/* What an fd carried across the update is. */
enum {
	STATE_FD_IPC = 1,		/* the control endpoint */
	STATE_FD_INITCTL = 2		/* /run/initctl */
};

struct state_fds {
	int	n;
	int	kind[STATE_FDS_MAX];
	int	fd[STATE_FDS_MAX];
	int	initctl_open;		/* serving /run/initctl */
	int	notify;			/* the NOTIFY_SOCKET socket; 0: none */
};

/* What the reader found, besides the services it applied. */
struct state_in {
	int		apply;		/* 0: only check (--selftest) */
	int		have_global, ended;
	char		runlevel, prevlevel, boot_level;
	int		paused, root_told;
	int64_t		grace_ms;
	int		initctl_open;
	char		profile[WIRE_NAME_MAX + 1];
	uint32_t	update_gen;	/* as pinit.update_gen; 0: none said */
	uint32_t	update_tries;
	struct state_fds fds;
	/*
	 * Every fd that the services' records name, taken over or not:
	 * what the new image does not take it closes (update.c).
	 */
	uint8_t		named[STATE_SVCFD_MAX / 8];
	int		last;		/* 1 + the table index of the service
					   record just applied; 0: none */
	int		nsvc;		/* service records taken */
	int		dropped;	/* records that did not check out */
	int		skipped;	/* records of unknown types */
};

/*
 * Write the state of pinit, its environment, fds and table t into a new
 * memfd (without FD_CLOEXEC: the new image inherits it).  The fd, or -1
 * with errno set.
 */
int	state_save(const struct svctab *t, const struct state_fds *fds);
/*
 * Read the state in fd (from its start, whatever its offset) and, when
 * si->apply, carry each service's state into t (freshly loaded) and set
 * the environment.  0, or -1 with errno: EINVAL (not a state, or its
 * length is wrong), EPROTO (a version this pinit does not read).
 */
int	state_load(int fd, struct svctab *t, struct state_in *si);
/* The same on a buffer (the fuzz target). */
int	state_parse(const uint8_t *buf, size_t len, struct svctab *t,
	    struct state_in *si);

#endif /* PINIT_STATE_H */
