/*
 * state.c - PID 1's run-time state across a hot update (execve).
 *
 * The old image writes the state into a memfd that the new image inherits
 * (--state-fd=N); doc/decisions.md ("Hot update") has the format.  In
 * short: a header (magic, version, length), then records of a type (2
 * bytes), a length (4 bytes) and a payload, all little endian.  The reader
 * trusts nothing: a record of an unknown type is skipped, one that does
 * not parse or is out of bounds is dropped and logged, a service that is
 * no longer in the tree is let go, and a pid that is not a child of PID 1
 * is taken as exited.  Only a wrong magic, a version it does not know or a
 * length that does not match refuse the whole state.  The fds a state
 * names (REC_SVCIO, REC_NOTIFY) are only numbers here: update.c checks
 * them, takes them over or closes them.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "ready.h"
#include "state.h"
#include "svc.h"
#include "svclog.h"

#define STATE_MAGIC	"pinit-st"	/* 8 bytes, no NUL */
#define STATE_HDR	16		/* magic, version, body length */
#define STATE_REC_HDR	6		/* type, payload length */

enum {
	REC_END = 0,
	REC_GLOBAL = 1,
	REC_ENV = 2,
	REC_FD = 3,
	REC_SVC = 4,
	REC_SVCIO = 5,		/* after its REC_SVC: a service's fds, lines */
	REC_NOTIFY = 6,		/* the NOTIFY_SOCKET socket */
	REC_SVCEND = 7,		/* after its REC_SVC (and REC_SVCIO): how
				   a service's main process last ended */
	REC_UPDATE = 8		/* the update generation and tries */
};

/* REC_SVCIO flags. */
#define IO_READY	0x01	/* said it is ready since its start */
#define IO_WAITING	0x02	/* starting, waiting to say so */

/* The log fds of a REC_SVCIO record, in order; -1 for none. */
enum { IO_RFD, IO_WFD, IO_OFD, IO_LFD, IO_NFD };

/* A REC_SVCIO record read; part and ring point into the state. */
struct io {
	char		name[WIRE_NAME_MAX + 1];
	char		path[PATH_MAX];	/* file: where it wrote */
	int		flags, mode, notifyfd, err;
	int		fd[IO_NFD];
	pid_t		mainpid;
	uint64_t	total;
	uint32_t	dropped;
	const uint8_t	*part, *ring;
	size_t		plen, rlen;
};

/* A growing output buffer; len stays 0 and bad 1 after a failure. */
struct out {
	uint8_t	*p;
	size_t	len, cap;
	int	bad;
};

/* A bounded input cursor; bad is set by any read past the end. */
struct in {
	const uint8_t	*p;
	size_t		 len, at;
	int		 bad;
};

static void
put(struct out *o, const void *v, size_t n)
{
	uint8_t *np;
	size_t cap;

	if (o->bad)
		return;
	if (o->len + n > STATE_MAX) {
		o->bad = 1;
		return;
	}
	if (o->len + n > o->cap) {
		cap = o->cap ? o->cap * 2 : 65536;
		while (cap < o->len + n)
			cap *= 2;
		if ((np = realloc(o->p, cap)) == NULL) {
			o->bad = 1;
			return;
		}
		o->p = np;
		o->cap = cap;
	}
	memcpy(o->p + o->len, v, n);
	o->len += n;
}

static void
put_u(struct out *o, uint64_t v, int bytes)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < bytes; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put(o, b, (size_t)bytes);
}

/* A string: 2-byte length, then the bytes (no NUL). */
static void
put_str(struct out *o, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	put_u(o, n, 2);
	put(o, s, n);
}

/* Bytes that may hold anything: 2-byte length, then the bytes. */
static void
put_bytes(struct out *o, const void *b, size_t n)
{
	put_u(o, n, 2);
	put(o, b, n);
}

/* Start a record; rec_end() fills in its length. */
static size_t
rec_begin(struct out *o, int type)
{
	size_t at = o->len;

	put_u(o, (uint64_t)type, 2);
	put_u(o, 0, 4);
	return at;
}

static void
rec_end(struct out *o, size_t at)
{
	uint32_t n = (uint32_t)(o->len - at - STATE_REC_HDR);
	int i;

	if (o->bad)
		return;
	for (i = 0; i < 4; i++)
		o->p[at + 2 + i] = (uint8_t)(n >> (8 * i));
}

static uint64_t
get_u(struct in *c, int bytes)
{
	uint64_t v = 0;
	int i;

	if (c->bad || c->len - c->at < (size_t)bytes) {
		c->bad = 1;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v |= (uint64_t)c->p[c->at + i] << (8 * i);
	c->at += (size_t)bytes;
	return v;
}

/* A string into buf (size > max): "" and bad when longer than max. */
static void
get_str(struct in *c, char *buf, size_t max)
{
	size_t n = (size_t)get_u(c, 2);

	buf[0] = '\0';
	if (c->bad || n > max || c->len - c->at < n) {
		c->bad = 1;
		return;
	}
	memcpy(buf, c->p + c->at, n);
	buf[n] = '\0';
	if (strlen(buf) != n)		/* a NUL inside */
		c->bad = 1;
	c->at += n;
}

/* n bytes (at most max) that may hold anything: *b points at them. */
static void
get_bytes(struct in *c, size_t max, const uint8_t **b, size_t *n)
{
	*n = (size_t)get_u(c, 2);
	*b = c->p + c->at;
	if (c->bad || *n > max || c->len - c->at < *n) {
		c->bad = 1;
		*n = 0;
		return;
	}
	c->at += *n;
}

/* An fd of a service: -1, or from 3 to below STATE_SVCFD_MAX. */
static int
get_fd(struct in *c)
{
	int64_t fd = (int64_t)(int32_t)get_u(c, 4);

	if (fd != -1 && (fd < 3 || fd >= STATE_SVCFD_MAX)) {
		c->bad = 1;
		return -1;
	}
	return (int)fd;
}

/* The k-th newest death time of s (k < s->ndeaths). */
static int64_t
death_at(const struct svc *s, int k)
{
	int size = s->limit + 1;

	return s->deaths[(s->death_head - 1 - k + 2 * size) % size];
}

static void
save_svc(struct out *o, const struct svc *s)
{
	size_t at = rec_begin(o, REC_SVC);
	int k, nd = s->deaths != NULL ? s->ndeaths : 0;

	put_str(o, s->name);
	put_u(o, s->state, 1);
	put_u(o, s->why, 1);
	put_u(o, s->want, 1);
	put_u(o, s->stop, 1);
	put_u(o, s->forced, 1);
	put_u(o, s->restart, 1);
	put_u(o, (uint32_t)s->detail, 4);
	put_str(o, s->info);
	put_u(o, (uint32_t)s->pid, 4);
	put_u(o, (uint32_t)s->offpid, 4);
	put_u(o, (uint32_t)s->exec_errno, 4);
	put_u(o, (uint64_t)s->since, 8);
	put_u(o, (uint64_t)s->started, 8);
	put_u(o, (uint64_t)s->deadline, 8);
	put_u(o, (uint32_t)s->quick, 4);
	put_u(o, s->restarts, 4);
	put_u(o, (uint64_t)nd, 2);
	for (k = 0; k < nd; k++)
		put_u(o, (uint64_t)death_at(s, k), 8);
	rec_end(o, at);
}

/*
 * What PID 1 holds for s besides its state: the fds of its log (a file,
 * or the pipes of its log service) and of its readiness, and the lines it
 * keeps.  Only for a service that has a log or a readiness.
 */
static void
save_io(struct out *o, const struct svc *s)
{
	const struct svclog *l = s->log;
	int logged = l != NULL && l->mode >= SVCLOG_FILE;
	size_t at;

	if (!logged && s->readyhow == 0)
		return;
	at = rec_begin(o, REC_SVCIO);
	put_str(o, s->name);
	put_u(o, (s->ready ? IO_READY : 0) |
	    (ready_waiting(s) ? IO_WAITING : 0), 1);
	put_u(o, (uint32_t)s->mainpid, 4);
	put_u(o, (uint32_t)s->notifyfd, 4);
	put_u(o, logged ? (uint64_t)l->mode : 0, 1);
	put_u(o, (uint32_t)(logged ? l->rfd : -1), 4);
	put_u(o, (uint32_t)(logged ? l->wfd : -1), 4);
	put_u(o, (uint32_t)(logged ? l->ofd : -1), 4);
	put_u(o, (uint32_t)(logged ? l->lfd : -1), 4);
	put_str(o, logged && l->mode == SVCLOG_FILE ? l->path : "");
	put_u(o, logged ? l->total : 0, 8);
	put_u(o, logged ? l->dropped : 0, 4);
	put_u(o, (uint32_t)(logged ? l->err : 0), 4);
	put_bytes(o, logged ? l->part : "", logged ? l->plen : 0);
	put_bytes(o, logged ? l->ring : "", logged ? l->rlen : 0);
	rec_end(o, at);
}

/*
 * How the main process of s last ended, which pinitctl status shows as
 * its last exit (a respawned service's shows why it respawned); only once
 * it ended.  A record of its own: a reader older than this skips it.
 */
static void
save_end(struct out *o, const struct svc *s)
{
	size_t at;

	if (s->lastwhy == WIRE_W_NONE || s->lastend <= 0)
		return;
	at = rec_begin(o, REC_SVCEND);
	put_str(o, s->name);
	put_u(o, s->lastwhy, 1);
	put_u(o, (uint32_t)s->lastdetail, 4);
	put_u(o, (uint64_t)s->lastend, 8);
	rec_end(o, at);
}

static void
save_global(struct out *o, int initctl_open)
{
	size_t at = rec_begin(o, REC_GLOBAL);

	put_u(o, (uint8_t)pinit.runlevel, 1);
	put_u(o, (uint8_t)pinit.prevlevel, 1);
	put_u(o, (uint8_t)pinit.paused, 1);
	put_u(o, (uint8_t)pinit.root_told, 1);
	put_u(o, (uint8_t)(pinit.boot_level ? pinit.boot_level : 'N'), 1);
	put_u(o, (uint32_t)pinit.grace_ms, 4);
	put_u(o, (uint8_t)initctl_open, 1);
	put_str(o, pinit.profile);
	rec_end(o, at);
}

/*
 * The hot updates so far: a record of its own, so that an older reader
 * skips it and an older writer's state reads as generation 0.
 */
static void
save_update(struct out *o)
{
	size_t at = rec_begin(o, REC_UPDATE);

	put_u(o, pinit.update_gen, 4);
	put_u(o, pinit.update_tries, 4);
	rec_end(o, at);
}

int
state_save(const struct svctab *t, const struct state_fds *fds)
{
	struct out o = { NULL, 0, 0, 0 };
	size_t at, len;
	int fd, i;

	put(&o, STATE_MAGIC, 8);
	put_u(&o, STATE_VERSION, 4);
	put_u(&o, 0, 4);		/* body length, below */
	save_global(&o, fds->initctl_open);
	save_update(&o);
	for (i = 0; i < spawn_envcount(); i++) {
		at = rec_begin(&o, REC_ENV);
		put_str(&o, spawn_envat(i));
		rec_end(&o, at);
	}
	for (i = 0; i < fds->n; i++) {
		at = rec_begin(&o, REC_FD);
		put_u(&o, (uint8_t)fds->kind[i], 1);
		put_u(&o, (uint32_t)fds->fd[i], 4);
		rec_end(&o, at);
	}
	if (fds->notify > STDERR_FILENO) {
		at = rec_begin(&o, REC_NOTIFY);
		put_u(&o, (uint32_t)fds->notify, 4);
		rec_end(&o, at);
	}
	for (i = 0; t != NULL && i < t->n; i++) {
		save_svc(&o, &t->v[i]);
		save_io(&o, &t->v[i]);
		save_end(&o, &t->v[i]);
	}
	rec_end(&o, rec_begin(&o, REC_END));
	fd = -1;
	if (!o.bad) {
		len = o.len - STATE_HDR;
		for (i = 0; i < 4; i++)
			o.p[12 + i] = (uint8_t)(len >> (8 * i));
		fd = memfd_create("pinit-state", 0);
	}
	if (fd >= 0 && (write(fd, o.p, o.len) != (ssize_t)o.len)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0 && !o.bad)
		o.bad = errno ? errno : EIO;
	free(o.p);
	if (fd < 0)
		errno = o.bad > 1 ? o.bad : E2BIG;
	return fd;
}

/* The whole file behind fd, at most STATE_MAX bytes; NULL on failure. */
static uint8_t *
read_all(int fd, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	ssize_t r;
	size_t at = 0;

	if (fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISREG(st.st_mode) || st.st_size < STATE_HDR ||
	    st.st_size > STATE_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size)) == NULL)
		return NULL;
	while (at < (size_t)st.st_size) {
		r = pread(fd, buf + at, (size_t)st.st_size - at, (off_t)at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(buf);
			errno = r == 0 ? EINVAL : errno;
			return NULL;
		}
		at += (size_t)r;
	}
	*len = at;
	return buf;
}

/* Is c a runlevel letter pinit may be in? */
static int
level_ok(int c)
{
	return c == 'N' || c == 'S' || (c >= '0' && c <= '6');
}

static void
load_global(struct in *c, struct state_in *si)
{
	si->runlevel = (char)get_u(c, 1);
	si->prevlevel = (char)get_u(c, 1);
	si->paused = (int)get_u(c, 1);
	si->root_told = (int)get_u(c, 1);
	si->boot_level = (char)get_u(c, 1);
	si->grace_ms = (int64_t)get_u(c, 4);
	si->initctl_open = (int)get_u(c, 1);
	get_str(c, si->profile, WIRE_NAME_MAX);
	if (c->bad || !level_ok(si->runlevel) || !level_ok(si->prevlevel) ||
	    !level_ok(si->boot_level) ||
	    si->paused > 1 || si->root_told > 1 || si->initctl_open > 1 ||
	    si->grace_ms > PINIT_GRACE_MAX_MS ||
	    !wire_name_ok(si->profile, strlen(si->profile))) {
		c->bad = 1;
		return;
	}
	si->have_global = 1;
}

/* REC_UPDATE: each exec that took over was a try. */
static void
load_update(struct in *c, struct state_in *si)
{
	uint32_t gen = (uint32_t)get_u(c, 4), tries = (uint32_t)get_u(c, 4);

	if (c->bad || gen > tries) {
		c->bad = 1;
		return;
	}
	si->update_gen = gen;
	si->update_tries = tries;
}

static void
load_fd(struct in *c, struct state_in *si)
{
	int kind = (int)get_u(c, 1);
	int64_t fd = (int64_t)(int32_t)get_u(c, 4);

	if (c->bad || kind < STATE_FD_IPC || kind > STATE_FD_INITCTL ||
	    fd < 3 || fd > 65535 || si->fds.n >= STATE_FDS_MAX) {
		c->bad = 1;
		return;
	}
	si->fds.kind[si->fds.n] = kind;
	si->fds.fd[si->fds.n++] = (int)fd;
}

/*
 * Is pid a child of this process (running or a zombie still to reap)?
 * The new image must never adopt, and later signal, a stranger.
 */
static int
own_child(pid_t pid)
{
	siginfo_t si;

	if (pid <= 1)
		return 0;
	memset(&si, 0, sizeof(si));
	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0;
}

/* Parse one service record into o (deaths into the array d). */
static void
parse_svc(struct in *c, struct svc *o, char *name, char *info, int64_t *d,
    int64_t now)
{
	int k, nd;

	get_str(c, name, WIRE_NAME_MAX);
	o->state = (uint8_t)get_u(c, 1);
	o->why = (uint8_t)get_u(c, 1);
	o->want = (uint8_t)get_u(c, 1);
	o->stop = (uint8_t)get_u(c, 1);
	o->forced = (uint8_t)get_u(c, 1);
	o->restart = (uint8_t)get_u(c, 1);
	o->detail = (int)(int32_t)get_u(c, 4);
	get_str(c, info, WIRE_INFO_MAX);
	o->pid = (pid_t)(int32_t)get_u(c, 4);
	o->offpid = (pid_t)(int32_t)get_u(c, 4);
	o->exec_errno = (int)(int32_t)get_u(c, 4);
	o->since = (int64_t)get_u(c, 8);
	o->started = (int64_t)get_u(c, 8);
	o->deadline = (int64_t)get_u(c, 8);
	o->quick = (int)(int32_t)get_u(c, 4);
	o->restarts = (uint32_t)get_u(c, 4);
	nd = (int)get_u(c, 2);
	if (nd > SVC_LIMIT_N_MAX + 1)
		c->bad = 1;
	for (k = 0; !c->bad && k < nd; k++)
		d[nd - 1 - k] = (int64_t)get_u(c, 8);	/* oldest first */
	if (c->bad || o->state > WIRE_S_MAX || o->why > WIRE_W_MAX ||
	    o->want > WANT_DOWN || o->stop > STOP_KILL || o->forced > 1 ||
	    o->restart > 1 || o->pid < 0 || o->offpid < 0 || o->quick < 0 ||
	    o->since < 0 || o->since > now || o->started < 0 ||
	    o->started > now || o->deadline < 0)
		c->bad = 1;
	for (k = 0; !c->bad && k < nd; k++)
		if (d[k] < 0 || d[k] > now)
			c->bad = 1;
	o->ndeaths = nd;
	o->limit = nd;
	o->death_head = nd;		/* the newest is before the head */
	o->deaths = d;
}

/*
 * A service the state names: take over its state, or let it go.  Its
 * index in t, or -1.
 */
static int
apply_svc(struct svctab *t, struct svc *o, const char *name, int64_t now)
{
	struct svc *n;
	int i;

	if (o->pid > 0 && !own_child(o->pid)) {
		log_warn("update: %s: pid %d is not a child of pid 1; taken as "
		    "exited", name, (int)o->pid);
		o->pid = 0;
		if (!svc_is_down(o) || o->state == WIRE_S_STARTING)
			o->state = WIRE_S_STOPPED;
		o->stop = STOP_NONE;
	}
	if (o->offpid > 0 && !own_child(o->offpid))
		o->offpid = 0;
	i = t != NULL ? svc_find(t, name, strlen(name)) : -1;
	if (i < 0 || (t->v[i].flags & SVC_BROKEN)) {
		if (o->pid > 0) {
			log_info("update: %s is no longer in the tree; sending "
			    "TERM to pid %d", name, (int)o->pid);
			kill(o->pid, SIGTERM);
			kill(o->pid, SIGCONT);
		}
		return -1;
	}
	n = &t->v[i];
	o->execfd = -1;
	o->notifyfd = -1;	/* its REC_SVCIO may say otherwise */
	o->ready = 1;
	if (o->deadline == 0 && o->state == WIRE_S_STARTING)
		o->deadline = now;
	svc_carry(t, n, o);
	n->mark = 1;		/* taken over: adopt.c leaves it be */
	return i;
}

static void
load_svc(struct in *c, struct state_in *si, struct svctab *t, int64_t now)
{
	static int64_t d[SVC_LIMIT_N_MAX + 1];
	char name[WIRE_NAME_MAX + 1], info[SVC_INFO_SIZE];
	struct svc o;
	int i;

	memset(&o, 0, sizeof(o));
	o.info = info;
	info[0] = '\0';
	parse_svc(c, &o, name, info, d, now);
	if (c->bad)
		return;
	if (o.state == WIRE_S_STARTING)
		o.state = WIRE_S_RUNNING;	/* its exec pipe is gone */
	si->nsvc++;
	if (si->apply && (i = apply_svc(t, &o, name, now)) >= 0)
		si->last = i + 1;
}

/* Remember that the state names fd (-1: none). */
static void
name_fd(struct state_in *si, int fd)
{
	if (fd >= 0)
		si->named[fd / 8] |= (uint8_t)(1u << (fd % 8));
}

/* Parse a REC_SVCIO record into io; the fds it names go into si->named. */
static void
parse_io(struct in *c, struct io *io, struct state_in *si)
{
	size_t pathlen;
	int k;

	get_str(c, io->name, WIRE_NAME_MAX);
	io->flags = (int)get_u(c, 1);
	io->mainpid = (pid_t)(int32_t)get_u(c, 4);
	io->notifyfd = get_fd(c);
	io->mode = (int)get_u(c, 1);
	for (k = 0; k < IO_NFD; k++)
		io->fd[k] = get_fd(c);
	get_str(c, io->path, sizeof(io->path) - 1);
	io->total = get_u(c, 8);
	io->dropped = (uint32_t)get_u(c, 4);
	io->err = (int)(int32_t)get_u(c, 4);
	get_bytes(c, SVCLOG_LINE_MAX - 2, &io->part, &io->plen);
	get_bytes(c, SVCLOG_RING, &io->ring, &io->rlen);
	name_fd(si, io->notifyfd);
	for (k = 0; k < IO_NFD; k++)
		name_fd(si, io->fd[k]);
	pathlen = strlen(io->path);
	if (io->flags > (IO_READY | IO_WAITING) || io->mainpid < 0 ||
	    io->mode > SVCLOG_PIPE || io->err < 0 || io->err > 4095 ||
	    io->total < io->rlen ||
	    (io->mode < SVCLOG_FILE && (io->fd[IO_RFD] >= 0 ||
	    io->fd[IO_WFD] >= 0 || io->fd[IO_OFD] >= 0)) ||
	    (io->mode != SVCLOG_PIPE && io->fd[IO_LFD] >= 0) ||
	    (io->mode == SVCLOG_FILE) != (pathlen > 0) ||
	    (pathlen > 0 && io->path[0] != '/'))
		c->bad = 1;
}

/*
 * Take back the readiness of n: a service still waiting goes on waiting
 * (apply_svc() took every other as ready, as IO_READY then says).
 */
static void
apply_ready(struct svc *n, const struct io *io)
{
	if (n->pid <= 0)
		return;
	n->mainpid = io->mainpid;
	if (!(io->flags & IO_WAITING) || n->readyhow == 0 ||
	    n->state != WIRE_S_RUNNING)
		return;
	/* load_svc() took it as running: it is still waiting. */
	n->state = WIRE_S_STARTING;
	n->ready = 0;
	if (n->readyhow & READY_FD)
		n->notifyfd = io->notifyfd;
}

/*
 * Take back the log of n: its fds (checked by update.c, which closes
 * them if they are not what they say) and lines.  A log of another kind
 * now keeps nothing, as a reload does; a file at another path is opened
 * there.
 */
static void
apply_log(struct svc *n, const struct io *io, int64_t now)
{
	struct svclog *l = n->log;

	if (l == NULL || io->mode < SVCLOG_FILE || l->mode != io->mode)
		return;
	l->rfd = io->fd[IO_RFD];
	l->wfd = io->fd[IO_WFD];
	l->lfd = io->fd[IO_LFD];
	l->ofd = io->mode == SVCLOG_PIPE || strcmp(io->path, l->path) == 0 ?
	    io->fd[IO_OFD] : -1;
	l->total = io->total;
	l->dropped = io->dropped;
	l->err = io->err;
	l->report = io->dropped > 0 ? now + SVCLOG_REPORT_MS : 0;
	l->plen = io->plen;
	l->rlen = io->rlen;
	memcpy(l->part, io->part, io->plen);
	memcpy(l->ring, io->ring, io->rlen);
}

/* A REC_SVCIO for the service whose REC_SVC was just applied (last). */
static void
load_io(struct in *c, struct state_in *si, struct svctab *t, int last,
    int64_t now)
{
	struct io io;
	struct svc *n;

	memset(&io, 0, sizeof(io));
	parse_io(c, &io, si);
	if (c->at != c->len)
		c->bad = 1;		/* trailing bytes: not applied */
	if (c->bad || !si->apply || t == NULL || last <= 0 || last > t->n)
		return;
	n = &t->v[last - 1];
	if (strcmp(n->name, io.name) != 0)
		return;
	apply_ready(n, &io);
	apply_log(n, &io, now);
}

/*
 * A REC_SVCEND for the service whose REC_SVC was just applied (last): an
 * exit status from 0 to 255 or a signal from 1 to 64, at a time not in
 * the future.
 */
static void
load_end(struct in *c, struct state_in *si, struct svctab *t, int last,
    int64_t now)
{
	char name[WIRE_NAME_MAX + 1];
	int64_t when, detail;
	int why;
	struct svc *n;

	get_str(c, name, WIRE_NAME_MAX);
	why = (int)get_u(c, 1);
	detail = (int64_t)(int32_t)get_u(c, 4);
	when = (int64_t)get_u(c, 8);
	if (c->at != c->len || (why != WIRE_W_EXIT && why != WIRE_W_SIGNAL) ||
	    detail < (why == WIRE_W_SIGNAL) ||
	    detail > (why == WIRE_W_SIGNAL ? 64 : 255) ||
	    when <= 0 || when > now)
		c->bad = 1;
	if (c->bad || !si->apply || t == NULL || last <= 0 || last > t->n)
		return;
	n = &t->v[last - 1];
	if (strcmp(n->name, name) != 0)
		return;
	n->lastwhy = (uint8_t)why;
	n->lastdetail = (int)detail;
	n->lastend = when;
}

static void
load_notify(struct in *c, struct state_in *si)
{
	int fd = get_fd(c);

	if (c->bad || fd < 0) {
		c->bad = 1;
		return;
	}
	name_fd(si, fd);
	si->fds.notify = fd;
}

/* One record of type at c; a bad one is dropped. */
static void
load_record(struct in *c, int type, struct state_in *si, struct svctab *t,
    int64_t now)
{
	char kv[PINIT_ENV_LEN + 1];
	int last = si->last;

	si->last = 0;
	switch (type) {
	case REC_GLOBAL:
		load_global(c, si);
		break;
	case REC_ENV:
		get_str(c, kv, PINIT_ENV_LEN);
		if (!c->bad && si->apply &&
		    spawn_setenv(kv, strlen(kv)) < 0)
			c->bad = 1;
		break;
	case REC_FD:
		load_fd(c, si);
		break;
	case REC_UPDATE:
		load_update(c, si);
		break;
	case REC_SVC:
		load_svc(c, si, t, now);
		break;
	case REC_SVCIO:
		load_io(c, si, t, last, now);
		si->last = last;	/* its REC_SVCEND may follow */
		break;
	case REC_SVCEND:
		load_end(c, si, t, last, now);
		break;
	case REC_NOTIFY:
		load_notify(c, si);
		break;
	default:
		si->skipped++;		/* a newer writer's: skip it */
		return;
	}
	if (!c->bad && c->at != c->len)
		c->bad = 1;		/* trailing bytes */
	if (c->bad)
		si->dropped++;
}

/* Check the header of buf; the body length, or -1 (errno set). */
static int64_t
check_header(const uint8_t *buf, size_t len)
{
	struct in c = { buf, len, 8, 0 };
	uint64_t version, body;

	if (len < STATE_HDR || memcmp(buf, STATE_MAGIC, 8) != 0) {
		errno = EINVAL;
		return -1;
	}
	version = get_u(&c, 4);
	body = get_u(&c, 4);
	if (version != STATE_VERSION) {
		errno = EPROTO;
		return -1;
	}
	if (body != len - STATE_HDR) {
		errno = EINVAL;
		return -1;
	}
	return (int64_t)body;
}

int
state_parse(const uint8_t *buf, size_t len, struct svctab *t,
    struct state_in *si)
{
	struct in c = { buf, len, STATE_HDR, 0 };
	struct in r;
	uint64_t type, n;
	int64_t now = ipc_now();

	if (check_header(buf, len) < 0)
		return -1;
	while (c.at < c.len) {
		type = get_u(&c, 2);
		n = get_u(&c, 4);
		if (c.bad || n > c.len - c.at) {
			si->dropped++;
			break;			/* the rest cannot be framed */
		}
		if (type == REC_END) {
			si->ended = 1;
			break;
		}
		r.p = c.p + c.at;
		r.len = (size_t)n;
		r.at = 0;
		r.bad = 0;
		load_record(&r, (int)type, si, t, now);
		c.at += (size_t)n;
	}
	return 0;
}

int
state_load(int fd, struct svctab *t, struct state_in *si)
{
	uint8_t *buf;
	size_t len;
	int r;

	if ((buf = read_all(fd, &len)) == NULL)
		return -1;
	r = state_parse(buf, len, t, si);
	free(buf);
	return r;
}
