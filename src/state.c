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
 * length that does not match refuse the whole state.
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
#include "state.h"
#include "svc.h"

#define STATE_MAGIC	"pinit-st"	/* 8 bytes, no NUL */
#define STATE_HDR	16		/* magic, version, body length */
#define STATE_REC_HDR	6		/* type, payload length */

enum {
	REC_END = 0,
	REC_GLOBAL = 1,
	REC_ENV = 2,
	REC_FD = 3,
	REC_SVC = 4
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
	for (i = 0; t != NULL && i < t->n; i++)
		save_svc(&o, &t->v[i]);
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

/* A service the state names: take over its state, or let it go. */
static void
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
		return;
	}
	n = &t->v[i];
	o->execfd = -1;
	o->notifyfd = -1;	/* not handed on: taken as ready */
	o->ready = 1;
	if (o->deadline == 0 && o->state == WIRE_S_STARTING)
		o->deadline = now;
	svc_carry(t, n, o);
}

static void
load_svc(struct in *c, struct state_in *si, struct svctab *t, int64_t now)
{
	static int64_t d[SVC_LIMIT_N_MAX + 1];
	char name[WIRE_NAME_MAX + 1];
	struct svc o;

	memset(&o, 0, sizeof(o));
	parse_svc(c, &o, name, o.info, d, now);
	if (c->bad)
		return;
	if (o.state == WIRE_S_STARTING)
		o.state = WIRE_S_RUNNING;	/* its exec pipe is gone */
	si->nsvc++;
	if (si->apply)
		apply_svc(t, &o, name, now);
}

/* One record of type at c; a bad one is dropped. */
static void
load_record(struct in *c, int type, struct state_in *si, struct svctab *t,
    int64_t now)
{
	char kv[PINIT_ENV_LEN + 1];

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
	case REC_SVC:
		load_svc(c, si, t, now);
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
