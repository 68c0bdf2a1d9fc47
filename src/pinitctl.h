/*
 * pinitctl.h - what the control client shares with its sysvinit front
 * ends (src/frontend.c): the connection state, the exit codes and the
 * one call that sends a request.
 */
#ifndef PINITCTL_H
#define PINITCTL_H

#include <stdint.h>

/* Exit codes (doc/decisions.md, pinitctl(8)). */
#define EXIT_OK			0
#define EXIT_FAIL		1
#define EXIT_USAGE		2
#define EXIT_NOSYS		3
#define EXIT_PERM		4
#define EXIT_NOSVC		5
#define EXIT_UNREACH		7

#define CTL_TIMEOUT_S		10	/* default --timeout */

struct ctl {
	const char	*rundir;
	double		 timeout;	/* seconds */
	int		 timeout_given;	/* --timeout: it bounds every wait */
	int64_t		 deadline;	/* ipc_now() + timeout */
	int		 json;
	int		 nowait;
	long		 lines;		/* log: -n */
	int		 follow;	/* log: -f */
	int		 color;
	int		 columns;	/* terminal width; 0: not a terminal */
	int		 help;		/* --help was given */
	int		 lsb;		/* status: LSB exit codes */
	int		 connected;
	int		 retried;	/* a question asked again once */
	const char	*verb;
};

/* Set ctl up for one run of verb: default rundir, timeout, deadline. */
void		ctl_setup(struct ctl *, const char *);
/* Send one request with an optional payload; 0 or an exit code. */
int		ctl_request(struct ctl *, uint16_t, const void *, size_t);
/* Close the connection, flush standard output; the final exit code. */
int		ctl_finish(int);

/* The front end called name (a basename), or NULL when there is none. */
const char	*frontend_find(const char *);
/* Run the front end name as sysvinit's command of that name would. */
int		 frontend_main(const char *, int, char **);

#endif
