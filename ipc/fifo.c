/*
 * fifo.c - the FIFO-pair backend of the control protocol.
 *
 * PID 1 reads requests from RUNDIR/control.fifo (mode 0600, opened
 * O_RDWR|O_NONBLOCK, so it never sees end of file); every client writes
 * each request with one write() of at most PIPE_BUF bytes, which the
 * kernel never interleaves with another writer's.  A client makes its own
 * reply FIFO, RUNDIR/reply/PID, before it asks, and removes it when done;
 * PID 1 opens it non-blocking to answer, so a client that vanished costs
 * one failed open() and its FIFO is removed, and keeps the last one open
 * for that connection's next request (server_reply()).  A FIFO cannot tell
 * who wrote, so the mode decides who may talk: root only.
 *
 * Nothing is followed through a symbolic link: paths are opened with
 * O_NOFOLLOW and the fd is checked with fstat() for type and owner.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <config.h>

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"
#include "serve.h"
#include "wire.h"

#define FIFO_NAME		"control.fifo"
#define FIFO_REPLY_DIR		"reply"
#define FIFO_FLUSH_MAX		32	/* reads that drop a broken stream */
#define FIFO_STRAY_MAX		64	/* replies a client skips per call */

_Static_assert(WIRE_MSG_MAX <= PIPE_BUF, "a message is one atomic write");

static struct {
	int		fd;		/* control.fifo, O_RDWR, or -1 */
	int		rfd;		/* the last client's reply FIFO, or -1 */
	pid_t		rpid;		/* that client */
	uint32_t	rseq;		/* the seq of its last request */
} srv = { .fd = -1, .rfd = -1 };
/* Apart from srv and cli: zeroed, they take no room in the binary. */
static char	replydir[PATH_MAX];
/*
 * What the server read and has not handled: whole requests, then at most
 * the start of one whose rest is still in the FIFO.  Twice PIPE_BUF, so
 * that one read() always has room for the rest of a request.
 */
static unsigned char	srvbuf[2 * PIPE_BUF];
static size_t		srvlen;
static unsigned		srvgen;		/* ipc_server_close()s so far */
/* What the client read from its reply FIFO and has not taken: the same. */
static unsigned char	clibuf[2 * PIPE_BUF];
static size_t		clilen;

static struct {
	int		wfd;		/* control.fifo, write only */
	int		rfd;		/* our reply FIFO, O_RDWR */
	pid_t		self;
	uint32_t	seq;
	char		path[PATH_MAX];	/* our reply FIFO */
} cli = { .wfd = -1, .rfd = -1 };

/* The name of this backend. */
const char *
ipc_name(void)
{
	return "fifo";
}

/* A FIFO wakes PID 1 through poll(): no doorbell signal. */
int
ipc_server_signal(void)
{
	return 0;
}

/* Write rundir/name into buf; -1 with ENAMETOOLONG or ENOENT. */
static int
fifo_path(char *buf, size_t size, const char *rundir, const char *name)
{
	int n;

	if (rundir == NULL || rundir[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	n = snprintf(buf, size, "%s/%s", rundir, name);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Write the reply FIFO's path of pid under dir into buf. */
static int
fifo_reply_path(char *buf, size_t size, const char *dir, pid_t pid)
{
	int n;

	n = snprintf(buf, size, "%s/%ld", dir, (long)pid);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Create one directory with mode whatever the umask; it may exist. */
static int
fifo_mkdir(const char *path, mode_t mode)
{
	struct stat st;
	int e;

	if (mkdir(path, mode) == 0)
		return chmod(path, mode);
	e = errno;
	if (e == EEXIST || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		return 0;
	errno = e;
	return -1;
}

/* Create path and its missing parents with mode 0755 (path is changed). */
static int
fifo_mkdirs(char *path)
{
	size_t n, i;

	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	for (i = 1; i <= n; i++) {
		if ((path[i] != '/' && path[i] != '\0') || path[i - 1] == '/')
			continue;
		path[i] = '\0';
		if (fifo_mkdir(path, 0755) == -1)
			return -1;
		if (i < n)
			path[i] = '/';
	}
	return 0;
}

/*
 * Make sure path is a real directory of ours that nobody else may write,
 * with exactly mode when mode is not 0.
 */
static int
fifo_owndir(const char *path, mode_t mode)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if (st.st_uid != geteuid()) {
		errno = EPERM;
		return -1;
	}
	if (mode == 0)
		mode = st.st_mode & 0755;
	if ((st.st_mode & 07777) != mode && chmod(path, mode) == -1)
		return -1;
	return 0;
}

/* Create rundir (0755) and rundir/reply (0700), both ours alone. */
static int
fifo_dirs(const char *rundir)
{
	char path[PATH_MAX];

	if (fifo_path(path, sizeof(path), rundir, "") == -1)
		return -1;
	if (fifo_mkdirs(path) == -1 || fifo_owndir(path, 0) == -1)
		return -1;
	if (fifo_path(path, sizeof(path), rundir, FIFO_REPLY_DIR) == -1)
		return -1;
	if (fifo_mkdir(path, 0700) == -1 || fifo_owndir(path, 0700) == -1)
		return -1;
	return 0;
}

/* Tell whether a process reads the FIFO at path: 1 yes, 0 no, -1 error. */
static int
fifo_read_by_anyone(const char *path)
{
	int fd;

	fd = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd != -1) {
		close(fd);
		return 1;
	}
	return errno == ENXIO ? 0 : -1;
}

/*
 * Clear the way for a new request FIFO at path: a FIFO nobody reads, or
 * anything else there, is removed (never followed); a FIFO that a live
 * server reads is EADDRINUSE.
 */
static int
fifo_clear(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (S_ISFIFO(st.st_mode) && fifo_read_by_anyone(path) == 1) {
		errno = EADDRINUSE;
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT)
		return -1;
	return 0;
}

/* Open the FIFO at path (never through a link) and check it is ours. */
static int
fifo_open(const char *path, int flags)
{
	struct stat st;
	int fd;

	fd = open(path, flags | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode) ||
	    (st.st_uid != geteuid() && st.st_uid != 0)) {
		close(fd);
		errno = ELOOP;
		return -1;
	}
	return fd;
}

/* The pid a name spells (digits only, no leading zero), or 0. */
static pid_t
fifo_pid_of(const char *name)
{
	char *end;
	long v;

	if (name[0] < '1' || name[0] > '9')
		return 0;
	errno = 0;
	v = strtol(name, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > INT32_MAX)
		return 0;
	return (pid_t)v;
}

/*
 * Remove the reply FIFOs left behind: those of pids that are gone and
 * that nobody reads, and anything else in the directory.  NB: opendir()
 * allocates; this runs when the server opens, not in every loop turn.
 */
static void
fifo_sweep(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	pid_t pid;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (fifo_path(path, sizeof(path), dir, de->d_name) == -1 ||
		    lstat(path, &st) == -1)
			continue;
		pid = fifo_pid_of(de->d_name);
		if (S_ISFIFO(st.st_mode) && pid > 0 &&
		    (kill(pid, 0) == 0 || errno != ESRCH ||
		    fifo_read_by_anyone(path) != 0))
			continue;
		(void)unlink(path);
	}
	closedir(d);
}

/* Create the request FIFO under rundir, replacing a stale one. */
int
ipc_server_open(const char *rundir)
{
	char path[PATH_MAX];
	int fd;

	ipc_server_close();
	if (fifo_path(path, sizeof(path), rundir, FIFO_NAME) == -1 ||
	    fifo_path(replydir, sizeof(replydir), rundir,
	    FIFO_REPLY_DIR) == -1)
		return -1;
	if (fifo_dirs(rundir) == -1 || fifo_clear(path) == -1)
		return -1;
	if (mkfifo(path, 0600) == -1)
		return -1;
	if ((fd = fifo_open(path, O_RDWR)) == -1)
		return -1;
	if (fchmod(fd, 0600) == -1) {
		close(fd);
		return -1;
	}
	srv.fd = fd;
	fifo_sweep(replydir);
	return 0;
}

int
ipc_server_export(int *fds, int max)
{
	if (srv.fd == -1 || max < 1 || fcntl(srv.fd, F_SETFD, 0) == -1)
		return 0;
	fds[0] = srv.fd;
	return 1;
}

int
ipc_server_adopt(const char *rundir, const int *fds, int n)
{
	char path[PATH_MAX];
	struct stat a, b;
	int i, ok;

	ipc_server_close();
	ok = n == 1 && fifo_path(path, sizeof(path), rundir, FIFO_NAME) == 0 &&
	    fifo_path(replydir, sizeof(replydir), rundir,
	    FIFO_REPLY_DIR) == 0 && fstat(fds[0], &a) == 0 &&
	    lstat(path, &b) == 0 && S_ISFIFO(a.st_mode) &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
	    b.st_uid == geteuid() && (b.st_mode & 0777) == 0600 &&
	    fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0 &&
	    fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0;
	if (!ok) {
		for (i = 0; i < n; i++)
			close(fds[i]);
		errno = EBADF;
		return -1;
	}
	srv.fd = fds[0];
	return 0;
}

/* Tell whether the request FIFO is open. */
int
ipc_server_is_open(void)
{
	return srv.fd != -1;
}

/* Forget the reply FIFO kept open. */
static void
server_forget_reply(void)
{
	if (srv.rfd != -1)
		close(srv.rfd);
	srv.rfd = -1;
}

/* Close the request FIFO; leave the path. */
void
ipc_server_close(void)
{
	if (srv.fd != -1)
		close(srv.fd);
	srv.fd = -1;
	srvlen = 0;
	srvgen++;
	server_forget_reply();
}

/* Append the request FIFO to pfd. */
int
ipc_server_fds(struct pollfd *pfd, int max)
{
	if (pfd == NULL || max < 1 || srv.fd == -1)
		return 0;
	pfd[0].fd = srv.fd;
	pfd[0].events = POLLIN;
	pfd[0].revents = 0;
	return 1;
}

/* Nothing is timed: a request is read and answered in one go. */
int64_t
ipc_server_deadline(void)
{
	return -1;
}

/* Read exactly n bytes without waiting: n, or what came (-1: none). */
static ssize_t
fifo_read(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r == -1 && errno == EINTR);
	return r;
}

/*
 * The stream lost its framing (a short or malformed header): drop what
 * is there now, a bounded amount per turn.  Only root can write here, so
 * this costs at most the requests that came with the garbage.
 */
static void
server_flush(void)
{
	char junk[PIPE_BUF];
	int i;

	for (i = 0; i < FIFO_FLUSH_MAX; i++) {
		if (fifo_read(srv.fd, junk, sizeof(junk)) <= 0)
			return;
	}
}

/*
 * Write rep to the reply FIFO of its client; a client that is gone loses
 * it.  The FIFO stays open for the client's next request: a request
 * from the same pid whose seq follows the last one comes from the same
 * connection (a new client, or a new connection, starts from a seq of
 * its own), so its answer costs one write().  Any other request opens the
 * path afresh, checks it is a FIFO, and only then lets the old one go: at
 * its fd limit PID 1 refuses a new client as it did without the cache.
 */
static void
server_reply(const struct wire_msg *rep)
{
	char path[PATH_MAX];
	struct stat st, fst;
	size_t n = WIRE_HDR_SIZE + (size_t)rep->h.len;
	int fd;

	if (rep->h.pid <= 0)
		return;
	if (srv.rfd != -1 && srv.rpid == rep->h.pid &&
	    rep->h.seq == srv.rseq + 1 && rep->h.seq != 0) {
		srv.rseq = rep->h.seq;
		if (write(srv.rfd, rep, n) != -1 || errno != EPIPE)
			return;
		server_forget_reply();	/* nobody reads it: look again */
	}
	if (fifo_reply_path(path, sizeof(path), replydir, rep->h.pid) == -1 ||
	    lstat(path, &st) == -1)
		return;
	if (!S_ISFIFO(st.st_mode)) {
		(void)unlink(path);
		return;
	}
	fd = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC |
	    O_NOCTTY);
	if (fd == -1) {
		/* Nobody reads it: the client is gone. */
		if (errno == ENXIO)
			(void)unlink(path);
		return;
	}
	if (fstat(fd, &fst) != 0 || fst.st_dev != st.st_dev ||
	    fst.st_ino != st.st_ino) {
		close(fd);
		return;
	}
	(void)write(fd, rep, n);
	server_forget_reply();
	srv.rfd = fd;
	srv.rpid = rep->h.pid;
	srv.rseq = rep->h.seq;
}

/*
 * The length of the message at the start of the have bytes at p (a
 * stream read from a FIFO): 0 when it is not all there, -1 when its
 * header is bad (the stream lost its framing).
 */
static ssize_t
fifo_msglen(const unsigned char *p, size_t have)
{
	struct wire_hdr h;
	size_t len;

	if (have < WIRE_HDR_SIZE)
		return 0;
	memcpy(&h, p, WIRE_HDR_SIZE);
	if (h.magic != WIRE_MAGIC || h.len > WIRE_PAYLOAD_MAX)
		return -1;
	len = WIRE_HDR_SIZE + (size_t)h.len;
	return have < len ? 0 : (ssize_t)len;
}

/*
 * Answer the request at the start of the have bytes at p when it is
 * whole: what fifo_msglen() says.
 */
static ssize_t
server_one(const unsigned char *p, size_t have, ipc_dispatch_fn *fn)
{
	struct wire_msg buf, req, rep;
	struct ipc_peer peer;
	ssize_t k = fifo_msglen(p, have);
	size_t len;
	int32_t code;

	if (k <= 0)
		return k;
	len = (size_t)k;
	memcpy(&buf, p, len);
	code = serve_check(&req, &buf, len, 1);
	if (code != WIRE_OK)
		serve_refusal(&rep, &buf, len, code);
	else {
		peer.pid = req.h.pid;
		peer.uid = 0;
		peer.uid_known = 0;
		serve_request(&peer, &req, &rep, fn);
	}
	server_reply(&rep);
	return (ssize_t)len;
}

/*
 * Read what the FIFO holds and answer every whole request in it, with at
 * most IPC_BATCH_MAX reads a turn.  Every client writes a request with
 * one write() of at most PIPE_BUF bytes, so a read that leaves room
 * emptied the FIFO: a request still cut short then is garbage, and is
 * dropped with the rest of the stream's framing (server_flush()).
 */
void
ipc_server_run(struct pollfd *pfd, int n, int64_t now, ipc_dispatch_fn *fn)
{
	size_t room, off;
	ssize_t r, k;
	unsigned gen;
	short rev;
	int i;

	(void)now;
	rev = 0;
	for (i = 0; pfd != NULL && i < n; i++) {
		if (srv.fd != -1 && pfd[i].fd == srv.fd)
			rev = pfd[i].revents;
	}
	if ((rev & POLLNVAL) != 0) {
		srv.fd = -1;
		srvlen = 0;
		return;
	}
	if ((rev & POLLIN) == 0)
		return;
	gen = srvgen;
	for (i = 0; i < IPC_BATCH_MAX && srv.fd != -1; i++) {
		room = sizeof(srvbuf) - srvlen;
		r = fifo_read(srv.fd, srvbuf + srvlen, room);
		if (r <= 0)
			return;
		srvlen += (size_t)r;
		off = 0;
		while ((k = server_one(srvbuf + off, srvlen - off, fn)) > 0) {
			if (srvgen != gen)
				return;		/* closed: the rest is gone */
			off += (size_t)k;
		}
		srvlen -= off;
		memmove(srvbuf, srvbuf + off, srvlen);
		if (k < 0 || ((size_t)r < room && srvlen > 0)) {
			srvlen = 0;
			server_flush();
			return;
		}
		if ((size_t)r < room)
			return;
	}
}

/* Make and open our reply FIFO under rundir, replacing a stale one. */
static int
client_reply_fifo(const char *rundir)
{
	char dir[PATH_MAX];
	int e;

	if (fifo_path(dir, sizeof(dir), rundir, FIFO_REPLY_DIR) == -1 ||
	    fifo_reply_path(cli.path, sizeof(cli.path), dir, cli.self) == -1)
		return -1;
	if (unlink(cli.path) == -1 && errno != ENOENT)
		return -1;
	if (mkfifo(cli.path, 0600) == -1)
		return -1;
	if ((cli.rfd = fifo_open(cli.path, O_RDWR)) == -1) {
		e = errno;
		(void)unlink(cli.path);
		errno = e;
		return -1;
	}
	return 0;
}

/* Open the request FIFO under rundir and make our reply FIFO. */
int
ipc_client_open(const char *rundir, int64_t deadline)
{
	char path[PATH_MAX];
	int e;

	(void)deadline;
	ipc_client_close();
	if (fifo_path(path, sizeof(path), rundir, FIFO_NAME) == -1)
		return -1;
	cli.wfd = fifo_open(path, O_WRONLY);
	if (cli.wfd == -1) {
		if (errno == ENXIO || errno == ELOOP)
			errno = ECONNREFUSED;	/* nobody serves there */
		return -1;
	}
	cli.self = getpid();
	cli.seq = (uint32_t)ipc_now() * 2654435761u ^ (uint32_t)cli.self;
	if (client_reply_fifo(rundir) == -1) {
		e = errno;
		ipc_client_close();
		errno = e;
		return -1;
	}
	return 0;
}

/*
 * Wait until fd is ready for ev, or until PID 1 closes the request FIFO
 * (POLLERR on our write end), or until the deadline: 1 ready, 0 timed
 * out, -1 error (ECONNRESET when PID 1 went away).
 */
static int
client_poll(int fd, short ev, int64_t deadline)
{
	struct pollfd p[2];
	int64_t left;
	int r;

	for (;;) {
		left = deadline < 0 ? -1 : deadline - ipc_now();
		if (deadline >= 0 && left < 0)
			left = 0;
		if (left > INT_MAX)
			left = INT_MAX;
		p[0].fd = fd;
		p[0].events = ev;
		p[1].fd = cli.wfd;
		p[1].events = 0;
		p[0].revents = p[1].revents = 0;
		r = poll(p, fd == cli.wfd ? 1 : 2, (int)left);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == 0 && left == INT_MAX)
			continue;
		if (r <= 0)
			return r;
		if ((p[0].revents & ev) != 0)
			return 1;
		errno = ECONNRESET;
		return -1;
	}
}

/* Write one message to the request FIFO; EPIPE raises no SIGPIPE. */
static ssize_t
client_write(const void *buf, size_t n)
{
	struct timespec zero = { 0, 0 };
	sigset_t pipeset, old, pend;
	ssize_t r;
	int e, was;

	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipeset, &old);
	/* Only a blocked SIGPIPE can be pending: else it was delivered. */
	was = sigismember(&old, SIGPIPE) == 1 && sigpending(&pend) == 0 &&
	    sigismember(&pend, SIGPIPE) == 1;
	r = write(cli.wfd, buf, n);
	e = errno;
	if (r == -1 && e == EPIPE && !was)
		(void)sigtimedwait(&pipeset, NULL, &zero);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return r;
}

/* Send one request whole before the deadline; a full FIFO is waited on. */
static int
client_send(const struct wire_msg *req, int64_t deadline)
{
	size_t n;
	ssize_t r;
	int w;

	n = WIRE_HDR_SIZE + (size_t)req->h.len;
	for (;;) {
		r = client_write(req, n);
		if (r == (ssize_t)n)
			return 0;
		if (r >= 0) {
			errno = EMSGSIZE;	/* cannot be: n <= PIPE_BUF */
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EPIPE)
			errno = ECONNRESET;
		if (errno != EAGAIN)
			return -1;
		if ((w = client_poll(cli.wfd, POLLOUT, deadline)) != 1) {
			if (w == 0)
				errno = ETIMEDOUT;
			return -1;
		}
	}
}

/*
 * Move the whole message at the start of clibuf, if there is one, into
 * rep: 1 there was, 0 not (yet), -1 a bad header (EBADMSG).
 */
static int
client_next(struct wire_msg *rep)
{
	ssize_t k = fifo_msglen(clibuf, clilen);
	size_t len;

	if (k < 0)
		errno = EBADMSG;
	if (k <= 0)
		return (int)k;
	len = (size_t)k;
	memcpy(rep, clibuf, len);
	clilen -= len;
	memmove(clibuf, clibuf + len, clilen);
	return 1;
}

/*
 * Take one message from what our reply FIFO gave into rep, reading it
 * when none is whole yet: 1 the reply to seq (or a notice), 0 another or
 * none yet, -1 an error.  PID 1 writes every message with one write() of
 * at most PIPE_BUF bytes, so a read that leaves room emptied the FIFO and
 * a message still cut short is garbage.
 */
static int
client_take(uint32_t seq, struct wire_msg *rep)
{
	size_t room;
	ssize_t r;
	int k;

	if ((k = client_next(rep)) == 0) {
		room = sizeof(clibuf) - clilen;
		r = fifo_read(cli.rfd, clibuf + clilen, room);
		if (r == -1)
			return errno == EAGAIN ? 0 : -1;
		clilen += (size_t)r;
		if ((k = client_next(rep)) == 0) {
			if ((size_t)r == room)
				return 0;
			errno = EBADMSG;
			k = -1;
		}
	}
	if (k < 0) {
		clilen = 0;
		return -1;
	}
	if (wire_check(rep, WIRE_HDR_SIZE + (size_t)rep->h.len, rep) == -1)
		return -1;
	if ((rep->h.flags & WIRE_F_REPLY) == 0)
		return 0;
	return rep->h.seq == seq || rep->h.seq == 0;
}

/* Wait for the reply to seq, skipping a bounded number of others. */
static int
client_recv(uint32_t seq, struct wire_msg *rep, int64_t deadline)
{
	int i, r;

	for (i = 0; i < FIFO_STRAY_MAX; i++) {
		if (fifo_msglen(clibuf, clilen) == 0) {
			r = client_poll(cli.rfd, POLLIN, deadline);
			if (r == 0)
				errno = ETIMEDOUT;
			if (r != 1)
				return -1;
		}
		r = client_take(seq, rep);
		if (r != 0)
			return r == 1 ? 0 : -1;
	}
	errno = EBADMSG;
	return -1;
}

/* Send a request and wait for its reply before the deadline. */
int
ipc_client_call(struct wire_msg *req, struct wire_msg *rep, int64_t deadline)
{
	if (cli.wfd == -1) {
		errno = ENOTCONN;
		return -1;
	}
	if (wire_stamp(req, rep, &cli.seq, cli.self) == -1)
		return -1;
	if (client_send(req, deadline) == -1)
		return -1;
	return client_recv(req->h.seq, rep, deadline);
}

/* Close both FIFOs and remove our reply FIFO. */
void
ipc_client_close(void)
{
	if (cli.rfd != -1) {
		close(cli.rfd);
		(void)unlink(cli.path);
	}
	if (cli.wfd != -1)
		close(cli.wfd);
	cli.rfd = -1;
	cli.wfd = -1;
	clilen = 0;
}
