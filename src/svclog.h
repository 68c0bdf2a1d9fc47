/*
 * svclog.h - where a service's standard output and error go.
 *
 * The "log" file of a service says: console (the default: PID 1's own
 * stdout and stderr, as before), none (/dev/null), or file PATH [SIZE
 * [COUNT]]; a "log/" directory makes NAME/log the service's log service.
 * For a file and a log service PID 1 reads the output through a pipe in
 * its loop, keeps the newest lines for "pinitctl log" and passes them on
 * without ever blocking: what does not fit is dropped and counted.
 */
#ifndef PINIT_SVCLOG_H
#define PINIT_SVCLOG_H

#include <limits.h>
#include <poll.h>
#include <stdint.h>

#include "wire.h"

struct svc;
struct svctab;

enum svclog_mode {
	SVCLOG_CONSOLE = 0,	/* PID 1's stdout and stderr */
	SVCLOG_NONE,		/* /dev/null */
	SVCLOG_FILE,		/* a file, rotated by size */
	SVCLOG_PIPE		/* the log service NAME/log */
};

#define SVCLOG_SIZE		(1024 * 1024)	/* file: rotate at, default */
#define SVCLOG_SIZE_MIN		1024
#define SVCLOG_SIZE_MAX		(1024L * 1024 * 1024)
#define SVCLOG_COUNT		3		/* file: old files kept */
#define SVCLOG_COUNT_MAX	99
#define SVCLOG_LINE_MAX		1024		/* a longer line is cut */
#define SVCLOG_READ		2048		/* bytes read per turn */
#define SVCLOG_RING		(WIRE_PAYLOAD_MAX - 8)	/* newest lines kept */
#define SVCLOG_REPORT_MS	1000		/* drops said at most this often */
#define SVCLOG_RETRY_MS		1000		/* reopen a file after failure */

struct svclog {
	int		mode;		/* enum svclog_mode */
	int		count;		/* file: old files kept */
	int64_t		size;		/* file: rotate beyond this */
	char		path[PATH_MAX];	/* file: where */
	int		rfd, wfd;	/* the pipe from the service */
	int		ofd;		/* the file; the pipe to NAME/log */
	int		lfd;		/* NAME/log's standard input */
	int64_t		fsize;		/* bytes in the file */
	int64_t		retry;		/* file: do not reopen before */
	int		operr;		/* file: why it did not open */
	uint64_t	total;		/* bytes that ever entered the ring */
	uint32_t	dropped;	/* lines lost, not yet said */
	int		err;		/* why the last one was lost */
	int64_t		report;		/* when to say so; 0: nothing to say */
	size_t		plen, rlen;
	char		part[SVCLOG_LINE_MAX];	/* a line being read */
	char		ring[SVCLOG_RING];	/* the newest whole lines */
};

/*
 * Read the log setting of service name from its directory dirfd into l;
 * returns its mode.  A bad "log" file is reported and means console.
 */
int	svclog_parse(int dirfd, const char *svcdir, const char *name,
	    struct svclog *l);
/*
 * The standard input and output (and error) of service s's next start:
 * -1 for PID 1's own.  Opens the pipes the first time.
 */
void	svclog_fds(struct svctab *, struct svc *s, int *in, int *out);
/* Fill p with the pipes to read; owner gets the service indices. */
int	svclog_pollfds(const struct svctab *, struct pollfd *p, int *owner,
	    int max);
/* Read what service s wrote (bounded), keep it and pass it on. */
void	svclog_read(struct svc *s, int64_t now);
/* Say the lines dropped whose time has come. */
void	svclog_step(struct svctab *, int64_t now);
int64_t	svclog_deadline(const struct svctab *);
/* Take over the pipes and lines of o (reload) into n; close o's else. */
void	svclog_carry(struct svc *n, const struct svc *o);
void	svclog_close(const struct svc *);
/*
 * Hot update: on 1, keep the fds of every service's log open across the
 * exec (the state names them); on 0, close them on exec again.
 */
void	svclog_inherit(const struct svctab *, int on);
/*
 * The new image: check the fds the state put into the log of s, take
 * them over, close and forget those that are not what they say (the
 * service then gets new pipes at its next start).
 */
void	svclog_adopt(struct svc *s);
/*
 * Reply to "pinitctl log": uint64 bytes ever kept, then the newest lines;
 * -1 when PID 1 keeps no lines of s (console or none).
 */
int	svclog_reply(const struct svc *s, struct wire_msg *rep);
/*
 * The newest `lines` lines kept of s into buf (at most cap bytes), each
 * cut at linemax bytes and ended by a newline: their length, or -1 when
 * PID 1 keeps no lines of s (console or none).
 */
int	svclog_tail(const struct svc *s, char *buf, size_t cap, int lines,
	    size_t linemax);

#endif /* PINIT_SVCLOG_H */
