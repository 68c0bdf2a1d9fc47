/*
 * svclog.c - a service's output: to the console, nowhere, a rotated
 * file, or its log service.
 *
 * For a file and a log service, the service writes into a pipe whose
 * ends PID 1 keeps for the service's whole life in the table (so that a
 * restart, and the orphans of an earlier run, write into the same pipe).
 * PID 1 reads at most SVCLOG_READ bytes a turn from it, cuts the bytes
 * into lines of at most SVCLOG_LINE_MAX, keeps the newest in a ring of
 * SVCLOG_RING bytes and writes them on: to the file with one write per
 * batch, or to the log service through a second pipe whose PID 1 end is
 * non-blocking.  A batch the log service has no room for, or the disk
 * refuses, is dropped; its lines are counted and said at most once a
 * SVCLOG_REPORT_MS: "pinit: NAME: N log lines dropped (REASON)".  A
 * service that writes faster than PID 1 reads blocks on its own pipe:
 * PID 1 never does.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "svc.h"
#include "svclog.h"
#include "util.h"

static int	devnull = -1;		/* for log "none", opened once */
static char	batch[SVCLOG_READ + SVCLOG_LINE_MAX + 16];

/* A batch always fits the ring, and a pipe takes it whole or not at all. */
_Static_assert(sizeof(batch) < SVCLOG_RING && sizeof(batch) <= 4096,
    "a batch fits the ring and PIPE_BUF");

/* Parse "SIZE" (bytes, or with k or M) into *out; -1 if bad. */
static int
parse_size(const char *s, const char **end, int64_t *out)
{
	unsigned long n;
	int64_t m = 1;

	if (util_parse_ulong(s, SVCLOG_SIZE_MAX, &n, end) < 0)
		return -1;
	if (**end == 'k' || **end == 'K')
		m = 1024;
	else if (**end == 'M')
		m = 1024 * 1024;
	if (m > 1)
		(*end)++;
	if ((int64_t)n * m < SVCLOG_SIZE_MIN || (int64_t)n * m >
	    SVCLOG_SIZE_MAX)
		return -1;
	*out = (int64_t)n * m;
	return 0;
}

/* Parse "file PATH [SIZE [COUNT]]" after the word; -1 if bad. */
static int
parse_file(const char *p, const char *svcdir, const char *name,
    struct svclog *l)
{
	unsigned long n;
	size_t len;

	p += strspn(p, " \t");
	len = strcspn(p, " \t\n");
	if (len == 0)
		return -1;
	if (p[0] == '/')
		snprintf(l->path, sizeof(l->path), "%.*s", (int)len, p);
	else if (snprintf(l->path, sizeof(l->path), "%s/%s/%.*s", svcdir,
	    name, (int)len, p) >= (int)sizeof(l->path))
		return -1;
	p += len;
	p += strspn(p, " \t\n");
	if (*p != '\0' && parse_size(p, &p, &l->size) < 0)
		return -1;
	p += strspn(p, " \t\n");
	if (*p != '\0') {
		if (util_parse_ulong(p, SVCLOG_COUNT_MAX, &n, NULL) < 0)
			return -1;
		l->count = (int)n;
	}
	return 0;
}

int
svclog_parse(int dirfd, const char *svcdir, const char *name,
    struct svclog *l)
{
	char buf[PATH_MAX + 64], *p;
	struct stat st;

	memset(l, 0, sizeof(*l));
	l->rfd = l->wfd = l->ofd = l->lfd = -1;
	l->size = SVCLOG_SIZE;
	l->count = SVCLOG_COUNT;
	if (util_dir_lacks(dirfd, "log") ||
	    fstatat(dirfd, "log", &st, AT_SYMLINK_NOFOLLOW) < 0)
		return l->mode = SVCLOG_CONSOLE;
	if (S_ISDIR(st.st_mode))
		return l->mode = SVCLOG_PIPE;
	if (util_read_file(dirfd, "log", buf, sizeof(buf)) < 0) {
		log_warn("unable to read %s/log: %s; using the console", name,
		    strerror(errno));
		return l->mode = SVCLOG_CONSOLE;
	}
	p = buf + strspn(buf, " \t\n");
	if (strncmp(p, "console", 7) == 0 && p[7 + strspn(p + 7, " \t\n")] ==
	    '\0')
		return l->mode = SVCLOG_CONSOLE;
	if (strncmp(p, "none", 4) == 0 && p[4 + strspn(p + 4, " \t\n")] ==
	    '\0')
		return l->mode = SVCLOG_NONE;
	if (strncmp(p, "file", 4) == 0 && (p[4] == ' ' || p[4] == '\t') &&
	    parse_file(p + 4, svcdir, name, l) == 0)
		return l->mode = SVCLOG_FILE;
	log_warn("unable to parse %s/log: want console, none or \"file PATH "
	    "[SIZE [COUNT]]\" (%d <= SIZE <= %ld, COUNT <= %d); using the "
	    "console", name, SVCLOG_SIZE_MIN, SVCLOG_SIZE_MAX,
	    SVCLOG_COUNT_MAX);
	return l->mode = SVCLOG_CONSOLE;
}

/* A pipe; PID 1's end (nb: 0 read end, 1 write end) non-blocking. */
static int
open_pipe(int fds[2], int nb)
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	if (util_fd_cloexec_nonblock(fds[nb]) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	return 0;
}

/* Open the pipes of l that are not open yet; -1 when one fails. */
static int
open_pipes(struct svclog *l, const char *name)
{
	int fds[2];

	if (l->rfd < 0 && l->mode >= SVCLOG_FILE) {
		if (open_pipe(fds, 0) < 0)
			goto fail;
		l->rfd = fds[0];
		l->wfd = fds[1];
	}
	if (l->ofd < 0 && l->mode == SVCLOG_PIPE) {
		if (open_pipe(fds, 1) < 0)
			goto fail;
		l->lfd = fds[0];
		l->ofd = fds[1];
	}
	return 0;
fail:
	log_warn_rl("%s: unable to open its log pipe: %s; using the console",
	    name, strerror(errno));
	return -1;
}

void
svclog_fds(struct svctab *t, struct svc *s, int *in, int *out)
{
	size_t n = strlen(s->name);
	struct svc *p;
	int i;

	*in = *out = -1;
	if (n > 4 && strcmp(s->name + n - 4, "/log") == 0 &&
	    (i = svc_find(t, s->name, n - 4)) >= 0) {
		p = &t->v[i];
		if (p->log != NULL && p->log->mode == SVCLOG_PIPE &&
		    open_pipes(p->log, p->name) == 0)
			*in = p->log->lfd;
	}
	if (s->log == NULL)
		return;
	if (s->log->mode == SVCLOG_NONE) {
		if (devnull < 0)
			devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		*out = devnull;
	} else if (open_pipes(s->log, s->name) == 0)
		*out = s->log->wfd;
}

int
svclog_pollfds(const struct svctab *t, struct pollfd *p, int *owner, int max)
{
	int i, k, n = 0;

	for (k = 0; k < t->nlogs && n < max; k++) {
		i = t->logs[k];
		if (t->v[i].log == NULL || t->v[i].log->rfd < 0)
			continue;
		p[n].fd = t->v[i].log->rfd;
		p[n].events = POLLIN;
		p[n].revents = 0;
		owner[n++] = i;
	}
	return n;
}

/* Keep the n bytes of whole lines b (n < SVCLOG_RING) in the ring. */
static void
ring_put(struct svclog *l, const char *b, size_t n)
{
	const char *nl;
	size_t cut;

	l->total += n;
	if (l->rlen + n > sizeof(l->ring)) {
		cut = l->rlen + n - sizeof(l->ring);
		nl = memchr(l->ring + cut, '\n', l->rlen - cut);
		cut = nl != NULL ? (size_t)(nl - l->ring) + 1 : l->rlen;
		memmove(l->ring, l->ring + cut, l->rlen - cut);
		l->rlen -= cut;
	}
	memcpy(l->ring + l->rlen, b, n);
	l->rlen += n;
}

/* Count the lines of b (n bytes, each ending in a newline). */
static uint32_t
count_lines(const char *b, size_t n)
{
	uint32_t c = 0;

	while (n > 0) {
		const char *nl = memchr(b, '\n', n);

		if (nl == NULL)
			break;
		c++;
		n -= (size_t)(nl - b) + 1;
		b = nl + 1;
	}
	return c;
}

/* Lines were lost for reason err: count them, say so within a second. */
static void
drop(struct svclog *l, uint32_t lines, int err, int64_t now)
{
	if (lines == 0)
		return;
	l->dropped += lines;
	l->err = err;
	if (l->report == 0)
		l->report = now + SVCLOG_REPORT_MS;
}

/* Move PATH.k-1 to PATH.k, ..., PATH to PATH.1 (or remove PATH). */
static void
file_rotate(struct svclog *l)
{
	char from[PATH_MAX + 8], to[PATH_MAX + 8];
	int k;

	close(l->ofd);
	l->ofd = -1;
	if (l->count == 0) {
		unlink(l->path);
		return;
	}
	for (k = l->count; k > 1; k--) {
		if (snprintf(from, sizeof(from), "%s.%d", l->path, k - 1) <
		    (int)sizeof(from) && snprintf(to, sizeof(to), "%s.%d",
		    l->path, k) < (int)sizeof(to))
			rename(from, to);
	}
	if (snprintf(to, sizeof(to), "%s.1", l->path) < (int)sizeof(to))
		rename(l->path, to);
}

/* Open the file for appending when it is closed; -1 when it cannot. */
static int
file_open(struct svclog *l, int64_t now)
{
	struct stat st;

	if (l->ofd >= 0)
		return 0;
	if (now < l->retry) {
		errno = l->operr;
		return -1;
	}
	l->ofd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY |
	    O_NONBLOCK | O_CLOEXEC, 0640);
	if (l->ofd < 0) {
		l->operr = errno;
		l->retry = now + SVCLOG_RETRY_MS;
		return -1;
	}
	l->fsize = fstat(l->ofd, &st) == 0 ? st.st_size : 0;
	return 0;
}

/* Bytes of the whole lines of b (n bytes) within room; 0 if none. */
static size_t
file_fit(const char *b, size_t n, int64_t room)
{
	size_t k;

	if ((int64_t)n <= room)
		return n;
	for (k = (size_t)room; k > 0; k--)
		if (b[k - 1] == '\n')
			return k;
	return 0;
}

/*
 * Write batch b (n bytes of whole lines) to the file, rotating it before
 * a line that would take it past its size; a line longer than the size
 * goes into a file of its own.
 */
static void
file_write(struct svclog *l, const char *b, size_t n, int64_t now)
{
	ssize_t w;
	size_t k;
	int rotated = 0;

	while (n > 0) {
		if (file_open(l, now) < 0) {
			drop(l, count_lines(b, n), errno, now);
			return;
		}
		k = file_fit(b, n, l->size > l->fsize ? l->size - l->fsize :
		    0);
		if (k == 0 && l->fsize > 0 && !rotated) {
			file_rotate(l);
			rotated = 1;
			continue;
		}
		if (k == 0)
			k = (size_t)((const char *)memchr(b, '\n', n) - b) + 1;
		errno = 0;
		do
			w = write(l->ofd, b, k);
		while (w < 0 && errno == EINTR);
		l->fsize += w > 0 ? w : 0;
		if (w < (ssize_t)k) {
			w = w > 0 ? w : 0;
			drop(l, count_lines(b + w, n - w), errno != 0 ? errno :
			    ENOSPC, now);
			return;
		}
		b += k;
		n -= k;
		rotated = 0;
	}
}

/* Pass batch b on: n <= PIPE_BUF bytes go into a pipe whole or not at all. */
static void
pass_on(struct svclog *l, const char *b, size_t n, int64_t now)
{
	ssize_t w;

	ring_put(l, b, n);
	if (l->mode == SVCLOG_FILE) {
		file_write(l, b, n, now);
		return;
	}
	if (l->ofd < 0) {
		drop(l, count_lines(b, n), EPIPE, now);
		return;
	}
	do
		w = write(l->ofd, b, n);
	while (w < 0 && errno == EINTR);
	if (w < (ssize_t)n)
		drop(l, count_lines(b, n), w < 0 ? errno : EAGAIN, now);
}

/*
 * Cut the n bytes read (in) into lines: append to the partial line; each
 * newline, or a full partial line, ends one in the batch.  Returns the
 * batch's length.
 */
static size_t
cut_lines(struct svclog *l, const char *in, size_t n)
{
	size_t out = 0, i;

	for (i = 0; i < n; i++) {
		if (in[i] != '\n')
			l->part[l->plen++] = in[i];
		if (in[i] == '\n' || l->plen == sizeof(l->part) - 1) {
			memcpy(batch + out, l->part, l->plen);
			out += l->plen;
			batch[out++] = '\n';
			l->plen = 0;
		}
	}
	return out;
}

void
svclog_read(struct svc *s, int64_t now)
{
	struct svclog *l = s->log;
	char in[SVCLOG_READ];
	ssize_t n;
	size_t b;

	if (l == NULL || l->rfd < 0)
		return;
	do
		n = read(l->rfd, in, sizeof(in));
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return;
	b = cut_lines(l, in, (size_t)n);
	if (b > 0)
		pass_on(l, batch, b, now);
}

void
svclog_step(struct svctab *t, int64_t now)
{
	struct svclog *l;
	int i, k;

	for (k = 0; k < t->nlogs; k++) {
		i = t->logs[k];
		l = t->v[i].log;
		if (l == NULL || l->report == 0 || l->report > now)
			continue;
		if (l->err == EAGAIN)
			log_warn("%s: %u log lines dropped (its log service "
			    "does not read)", t->v[i].name, l->dropped);
		else
			log_warn("%s: %u log lines dropped (%s%s%s)",
			    t->v[i].name, l->dropped, l->mode == SVCLOG_FILE ?
			    l->path : "", l->mode == SVCLOG_FILE ? ": " : "",
			    strerror(l->err));
		l->dropped = 0;
		l->report = 0;
	}
}

int64_t
svclog_deadline(const struct svctab *t)
{
	int64_t d = -1;
	int i, k;

	for (k = 0; k < t->nlogs; k++) {
		i = t->logs[k];
		if (t->v[i].log != NULL && t->v[i].log->report != 0 &&
		    (d < 0 || t->v[i].log->report < d))
			d = t->v[i].log->report;
	}
	return d;
}

void
svclog_close(const struct svc *s)
{
	struct svclog *l = s->log;

	if (l == NULL)
		return;
	if (l->rfd >= 0)
		close(l->rfd);
	if (l->wfd >= 0)
		close(l->wfd);
	if (l->ofd >= 0)
		close(l->ofd);
	if (l->lfd >= 0)
		close(l->lfd);
	l->rfd = l->wfd = l->ofd = l->lfd = -1;
}

void
svclog_inherit(const struct svctab *t, int on)
{
	const struct svclog *l;
	int k;

	for (k = 0; k < t->nlogs; k++) {
		if ((l = t->v[t->logs[k]].log) == NULL || l->mode < SVCLOG_FILE)
			continue;
		util_fd_inherit(l->rfd, on);
		util_fd_inherit(l->wfd, on);
		util_fd_inherit(l->ofd, on);
		util_fd_inherit(l->lfd, on);
	}
}

/*
 * Take over the pipe whose ends the state says are *rd and *wr; both
 * ends go when one is not what it says.
 */
static void
adopt_pipe(int *rd, int *wr, const char *name)
{
	struct stat r, w;
	int okr, okw, err, e;

	if (*rd < 0 && *wr < 0)
		return;
	okr = util_fd_take(*rd, S_IFIFO, O_RDONLY, &r) == 0;
	err = errno;
	okw = util_fd_take(*wr, S_IFIFO, O_WRONLY, &w) == 0;
	if (okr && okw && r.st_dev == w.st_dev && r.st_ino == w.st_ino)
		return;
	e = !okr ? err : !okw ? errno : EINVAL;	/* two pipes: not a pair */
	log_warn("update: unable to take over the log pipe of %s: %s; it "
	    "gets a new one at its next start", name, strerror(e));
	if (okr)
		close(*rd);
	if (okw)
		close(*wr);
	*rd = *wr = -1;
}

/* Take over the log file handed on, if it is still the file at path. */
static void
adopt_file(struct svclog *l, const char *name)
{
	struct stat st, at;

	if (l->ofd < 0)
		return;
	if (util_fd_take(l->ofd, S_IFREG, O_WRONLY, &st) < 0) {
		log_warn("update: unable to take over the log file of %s: "
		    "%s; opening %s again", name, strerror(errno), l->path);
		l->ofd = -1;
		return;
	}
	if (stat(l->path, &at) < 0 || at.st_dev != st.st_dev ||
	    at.st_ino != st.st_ino ||
	    !(fcntl(l->ofd, F_GETFL) & O_APPEND)) {
		close(l->ofd);		/* moved away meanwhile: reopen */
		l->ofd = -1;
		return;
	}
	l->fsize = st.st_size;
}

void
svclog_adopt(struct svc *s)
{
	struct svclog *l = s->log;

	if (l == NULL)
		return;
	adopt_pipe(&l->rfd, &l->wfd, s->name);
	if (l->mode == SVCLOG_PIPE)
		adopt_pipe(&l->lfd, &l->ofd, s->name);
	else
		adopt_file(l, s->name);
}

void
svclog_carry(struct svc *n, const struct svc *o)
{
	struct svclog *a = n->log, *b = o->log;

	if (b == NULL)
		return;
	if (a == NULL || a->mode != b->mode) {
		/* NB: the pipe goes; the new setting holds from the next start. */
		svclog_close(o);
		return;
	}
	if (a->mode == SVCLOG_FILE && strcmp(a->path, b->path) != 0 &&
	    b->ofd >= 0) {
		close(b->ofd);
		b->ofd = -1;
	}
	a->rfd = b->rfd;
	a->wfd = b->wfd;
	a->ofd = b->ofd;
	a->lfd = b->lfd;
	a->fsize = b->fsize;
	a->total = b->total;
	a->dropped = b->dropped;
	a->err = b->err;
	a->report = b->report;
	a->plen = b->plen;
	a->rlen = b->rlen;
	memcpy(a->part, b->part, b->plen);
	memcpy(a->ring, b->ring, b->rlen);
	b->rfd = b->wfd = b->ofd = b->lfd = -1;
}

int
svclog_reply(const struct svc *s, struct wire_msg *rep)
{
	uint64_t total;

	if (s->log == NULL || s->log->mode < SVCLOG_FILE)
		return -1;
	total = s->log->total;
	if (wire_put(rep, &total, sizeof(total)) < 0 ||
	    wire_put(rep, s->log->ring, s->log->rlen) < 0)
		return -1;
	return 0;
}

int
svclog_tail(const struct svc *s, char *buf, size_t cap, int lines,
    size_t linemax)
{
	const struct svclog *l = s->log;
	const char *nl;
	size_t i, k, out = 0;
	int n = 0;

	if (l == NULL || l->mode < SVCLOG_FILE)
		return -1;
	/* Back from the end to the start of the last `lines` lines. */
	for (i = l->rlen; i > 0; i--)
		if (l->ring[i - 1] == '\n' && i != l->rlen && ++n == lines)
			break;
	while (i < l->rlen) {
		nl = memchr(l->ring + i, '\n', l->rlen - i);
		k = nl != NULL ? (size_t)(nl - (l->ring + i)) : l->rlen - i;
		if (out + (k < linemax ? k : linemax) + 1 > cap)
			break;
		memcpy(buf + out, l->ring + i, k < linemax ? k : linemax);
		out += k < linemax ? k : linemax;
		buf[out++] = '\n';
		i += k + 1;
	}
	return (int)out;
}
