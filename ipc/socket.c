/*
 * socket.c - the AF_UNIX SOCK_SEQPACKET backend of the control protocol.
 *
 * The server half lives in PID 1 at RUNDIR/control: every fd is
 * non-blocking, the client table is a fixed array, and a peer that
 * misbehaves loses its connection, nothing more.  A sequenced-packet
 * socket keeps message boundaries, so one recv() is one request and the
 * peer's credentials come from the kernel (SO_PEERCRED).
 *
 * The client half, in pinitctl and services, waits with poll() against an
 * absolute deadline at every step.  A reply with seq 0 is a notice not tied
 * to a request: the server sends one ("try again") to a connection it has
 * no room for, just before closing it, and the client returns it as the
 * answer to whatever it asked.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* accept4(), struct ucred */
#endif

#include <config.h>

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "serve.h"
#include "wire.h"

#define SOCKET_NAME		"control"
#define SOCKET_BACKLOG		32
#define SOCKET_ACCEPT_MAX	16	/* connections accepted per loop turn */
#define SOCKET_PAUSE_MS		100	/* listener rest when out of fds */
#define SOCKET_STRAY_MAX	64	/* replies a client skips per call */
#define SOCKET_RETRY_MS		10	/* client: nap on a full backlog */

struct client {
	int		used;
	int		fd;
	struct ipc_peer	peer;
	int64_t		deadline;
};

static struct {
	int		lfd;		/* listening socket, or -1 */
	int		spare;		/* /dev/null, given up on EMFILE */
	int64_t		pause_until;	/* listener resting until; 0: not */
} srv = { .lfd = -1, .spare = -1 };
/* Apart from srv: zeroed, it takes no room in the binary. */
static struct client	clients[IPC_CLIENTS_MAX];

static int		cfd = -1;	/* the client's connection */
static uint32_t		cseq;		/* the client's last sequence number */

/* The name of this backend. */
const char *
ipc_name(void)
{
	return "socket";
}

/* Fill *sa with RUNDIR/control; -1 (ENAMETOOLONG) when it does not fit. */
static int
socket_addr(const char *rundir, struct sockaddr_un *sa)
{
	size_t n;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (rundir == NULL || rundir[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	n = strnlen(rundir, sizeof(sa->sun_path));
	if (n + 1 + sizeof(SOCKET_NAME) > sizeof(sa->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa->sun_path, rundir, n);
	sa->sun_path[n] = '/';
	memcpy(sa->sun_path + n + 1, SOCKET_NAME, sizeof(SOCKET_NAME));
	return 0;
}

/* Create one directory with mode 0755 whatever the umask; it may exist. */
static int
socket_mkdir(const char *path)
{
	struct stat st;
	int e;

	if (mkdir(path, 0755) == 0)
		return chmod(path, 0755);
	e = errno;
	if (e == EEXIST || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		return 0;
	errno = e;
	return -1;
}

/*
 * Copy rundir without trailing slashes into path (so that lstat() looks
 * at the last component itself) and create it and its missing parents.
 */
static int
socket_mkdirs(const char *rundir, char *path, size_t size)
{
	size_t n, i;

	n = strnlen(rundir, size);
	if (n == size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	while (n > 1 && rundir[n - 1] == '/')
		n--;
	memcpy(path, rundir, n);
	path[n] = '\0';
	for (i = 1; i <= n; i++) {
		if ((path[i] != '/' && path[i] != '\0') || path[i - 1] == '/')
			continue;
		path[i] = '\0';
		if (socket_mkdir(path) == -1)
			return -1;
		if (i < n)
			path[i] = '/';
	}
	return 0;
}

/*
 * Make sure rundir is a real directory of ours that only we may write,
 * creating it if needed.
 */
static int
socket_rundir(const char *rundir)
{
	char path[PATH_MAX];
	struct stat st;

	if (rundir == NULL || rundir[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (socket_mkdirs(rundir, path, sizeof(path)) == -1)
		return -1;
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
	/* Nobody else may write here, or they could replace the socket. */
	if ((st.st_mode & 022) != 0 && chmod(path, st.st_mode & 0755) == -1)
		return -1;
	return 0;
}

/* Tell whether a server answers at sa: 1 yes, 0 no, -1 cannot tell. */
static int
socket_alive(const struct sockaddr_un *sa)
{
	int fd, r;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	if (r == 0 || errno == EINPROGRESS || errno == EAGAIN)
		r = 1;
	else
		r = 0;
	close(fd);
	return r;
}

/*
 * Clear the way for a new socket at sa: a dead socket or anything else
 * there is removed (never followed); a live server there is EADDRINUSE.
 */
static int
socket_clear(const struct sockaddr_un *sa)
{
	struct stat st;
	int alive;

	if (lstat(sa->sun_path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (S_ISSOCK(st.st_mode)) {
		alive = socket_alive(sa);
		if (alive == -1)
			return -1;
		if (alive == 1) {
			errno = EADDRINUSE;
			return -1;
		}
	}
	if (unlink(sa->sun_path) == -1 && errno != ENOENT)
		return -1;
	return 0;
}

/* Bind fd to sa with mode 0666 and listen; the umask plays no part. */
static int
socket_listen(int fd, const struct sockaddr_un *sa)
{
	mode_t old;
	int r, e;

	old = umask(0);
	r = bind(fd, (const struct sockaddr *)sa, sizeof(*sa));
	e = errno;
	umask(old);
	if (r == -1) {
		errno = e;
		return -1;
	}
	if (chmod(sa->sun_path, 0666) == -1)
		return -1;
	return listen(fd, SOCKET_BACKLOG);
}

/* The socket wakes PID 1 through poll(): no doorbell signal. */
int
ipc_server_signal(void)
{
	return 0;
}

/* Create the control socket under rundir, replacing a stale one. */
int
ipc_server_open(const char *rundir)
{
	struct sockaddr_un sa;
	int fd, e;

	ipc_server_close();
	if (socket_addr(rundir, &sa) == -1 || socket_rundir(rundir) == -1)
		return -1;
	if (socket_clear(&sa) == -1)
		return -1;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (socket_listen(fd, &sa) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	srv.lfd = fd;
	srv.spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	srv.pause_until = 0;
	return 0;
}

/* Tell whether the control socket is open. */
int
ipc_server_is_open(void)
{
	return srv.lfd != -1;
}

/* Close the listener, every client and the spare fd; leave the path. */
void
ipc_server_close(void)
{
	int i;

	for (i = 0; i < IPC_CLIENTS_MAX; i++) {
		if (clients[i].used)
			close(clients[i].fd);
		clients[i].used = 0;
	}
	if (srv.lfd != -1)
		close(srv.lfd);
	if (srv.spare != -1)
		close(srv.spare);
	srv.lfd = -1;
	srv.spare = -1;
	srv.pause_until = 0;
}

int
ipc_server_export(int *fds, int max)
{
	int i;

	for (i = 0; i < IPC_CLIENTS_MAX; i++) {
		if (clients[i].used)
			close(clients[i].fd);
		clients[i].used = 0;
	}
	if (srv.lfd == -1 || max < 1 || fcntl(srv.lfd, F_SETFD, 0) == -1)
		return 0;
	fds[0] = srv.lfd;
	return 1;
}

/* Is fd a listening SEQPACKET socket bound to sa? */
static int
socket_is(int fd, const struct sockaddr_un *sa)
{
	struct sockaddr_un got;
	socklen_t len = sizeof(got);
	int v = 0;
	socklen_t vlen = sizeof(v);

	memset(&got, 0, sizeof(got));
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &vlen) == -1 ||
	    v != SOCK_SEQPACKET)
		return 0;
	vlen = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &vlen) == -1 ||
	    v != 1)
		return 0;
	if (getsockname(fd, (struct sockaddr *)&got, &len) == -1 ||
	    got.sun_family != AF_UNIX)
		return 0;
	return strncmp(got.sun_path, sa->sun_path, sizeof(got.sun_path)) == 0;
}

int
ipc_server_adopt(const char *rundir, const int *fds, int n)
{
	struct sockaddr_un sa;
	int i, ok;

	ipc_server_close();
	ok = n == 1 && socket_addr(rundir, &sa) == 0 && socket_is(fds[0], &sa);
	if (ok && (fcntl(fds[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(fds[0], F_SETFL, O_NONBLOCK) == -1))
		ok = 0;
	if (!ok) {
		for (i = 0; i < n; i++)
			close(fds[i]);
		errno = EBADF;
		return -1;
	}
	srv.lfd = fds[0];
	srv.spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return 0;
}

/* Append the listener and every client to pfd, at most max entries. */
int
ipc_server_fds(struct pollfd *pfd, int max)
{
	int i, n;

	n = 0;
	if (pfd == NULL)
		return 0;
	if (srv.lfd != -1 && srv.pause_until == 0 && n < max) {
		pfd[n].fd = srv.lfd;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	for (i = 0; i < IPC_CLIENTS_MAX && n < max; i++) {
		if (!clients[i].used)
			continue;
		pfd[n].fd = clients[i].fd;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	return n;
}

/* The nearest client deadline or listener wake-up, or -1. */
int64_t
ipc_server_deadline(void)
{
	int64_t d;
	int i;

	d = srv.pause_until != 0 ? srv.pause_until : -1;
	for (i = 0; i < IPC_CLIENTS_MAX; i++) {
		if (clients[i].used && (d == -1 || clients[i].deadline < d))
			d = clients[i].deadline;
	}
	return d;
}

/* Send exactly one message without waiting; -1 when it did not go. */
static int
server_send(int fd, const struct wire_msg *m)
{
	size_t n;
	ssize_t r;

	n = WIRE_HDR_SIZE + (size_t)m->h.len;
	do
		r = send(fd, m, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (r == -1 && errno == EINTR);
	return r == (ssize_t)n ? 0 : -1;
}

/* Close a client and free its slot. */
static void
server_drop(struct client *c)
{
	close(c->fd);
	c->used = 0;
}

/* The client that owns fd, or NULL. */
static struct client *
server_find(int fd)
{
	int i;

	for (i = 0; i < IPC_CLIENTS_MAX; i++) {
		if (clients[i].used && clients[i].fd == fd)
			return &clients[i];
	}
	return NULL;
}

/* Answer the n bytes at buf, which are not a valid request, with code. */
static void
server_refuse(int fd, const void *buf, size_t n, int32_t code)
{
	struct wire_msg rep;

	serve_refusal(&rep, buf, n, code);
	(void)server_send(fd, &rep);
}

/* Read one request from a ready client, dispatch it and answer. */
static void
server_serve(struct client *c, int64_t now, ipc_dispatch_fn *fn)
{
	unsigned char buf[WIRE_MSG_MAX];
	struct wire_msg req, rep;
	int32_t code;
	ssize_t r;

	do
		r = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	while (r == -1 && errno == EINTR);
	if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (r <= 0) {
		server_drop(c);
		return;
	}
	if ((code = serve_check(&req, buf, (size_t)r, 0)) != WIRE_OK) {
		server_refuse(c->fd, buf, (size_t)r > sizeof(buf) ?
		    sizeof(buf) : (size_t)r, code);
		server_drop(c);
		return;
	}
	c->deadline = now + IPC_CLIENT_TIMEOUT_MS;
	serve_request(&c->peer, &req, &rep, fn);
	if (server_send(c->fd, &rep) == -1)
		server_drop(c);
}

/* Give a new connection a slot, or tell it to try again and close it. */
static void
server_adopt(int fd, int64_t now)
{
	struct ucred cred;
	socklen_t len;
	int i;

	len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
	    len != sizeof(cred)) {
		close(fd);
		return;
	}
	for (i = 0; i < IPC_CLIENTS_MAX; i++) {
		if (!clients[i].used)
			break;
	}
	if (i == IPC_CLIENTS_MAX) {
		server_refuse(fd, NULL, 0, WIRE_E_AGAIN);
		close(fd);
		return;
	}
	clients[i].used = 1;
	clients[i].fd = fd;
	clients[i].peer.pid = cred.pid;
	clients[i].peer.uid = cred.uid;
	clients[i].peer.uid_known = 1;
	clients[i].deadline = now + IPC_CLIENT_TIMEOUT_MS;
}

/*
 * Out of fds: give up the spare fd to accept and close one pending
 * connection, so that the listener stops being ready; without a spare,
 * stop polling the listener for a while instead of spinning.
 */
static void
server_shed(int64_t now)
{
	int fd;

	if (srv.spare != -1) {
		close(srv.spare);
		fd = accept4(srv.lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd != -1)
			close(fd);
		srv.spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	if (srv.spare == -1)
		srv.pause_until = now + SOCKET_PAUSE_MS;
}

/* Accept a bounded number of pending connections. */
static void
server_accept(int64_t now)
{
	int i, fd;

	for (i = 0; i < SOCKET_ACCEPT_MAX; i++) {
		fd = accept4(srv.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd != -1) {
			server_adopt(fd, now);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EMFILE || errno == ENFILE)
			server_shed(now);
		return;
	}
}

/* Close the clients whose deadline has passed. */
static void
server_expire(int64_t now)
{
	int i;

	for (i = 0; i < IPC_CLIENTS_MAX; i++) {
		if (clients[i].used && clients[i].deadline <= now)
			server_drop(&clients[i]);
	}
}

/*
 * Do the work after a poll(): serve ready clients (at most IPC_BATCH_MAX
 * requests), then accept new ones, then expire the stalled.  Clients come
 * before the listener so that an fd closed and reused by accept4() in the
 * same turn is never mistaken for the old client.
 */
void
ipc_server_run(struct pollfd *pfd, int n, int64_t now, ipc_dispatch_fn *fn)
{
	struct client *c;
	short lrev;
	int i, budget;

	lrev = 0;
	budget = IPC_BATCH_MAX;
	for (i = 0; pfd != NULL && i < n; i++) {
		if (pfd[i].fd < 0 || pfd[i].revents == 0)
			continue;
		if (pfd[i].fd == srv.lfd) {
			lrev = pfd[i].revents;
			continue;
		}
		if ((c = server_find(pfd[i].fd)) == NULL)
			continue;
		if ((pfd[i].revents & POLLNVAL) != 0)
			c->used = 0;
		else if (budget > 0) {
			budget--;
			server_serve(c, now, fn);
		}
	}
	if ((lrev & POLLNVAL) != 0)
		srv.lfd = -1;
	else if (srv.lfd != -1 && (lrev & (POLLIN | POLLERR | POLLHUP)) != 0)
		server_accept(now);
	if (srv.pause_until != 0 && now >= srv.pause_until)
		srv.pause_until = 0;
	server_expire(now);
}

/*
 * Wait until fd is ready for ev or the deadline (-1: none) passes: 1
 * ready, 0 timed out, -1 error.  fd -1 just sleeps until the deadline.
 */
static int
client_poll(int fd, short ev, int64_t deadline)
{
	struct pollfd p;
	int64_t left;
	int r;

	p.fd = fd;
	p.events = ev;
	for (;;) {
		left = deadline < 0 ? -1 : deadline - ipc_now();
		if (deadline >= 0 && left < 0)
			left = 0;
		if (left > INT_MAX)
			left = INT_MAX;
		p.revents = 0;
		r = poll(&p, 1, (int)left);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == 0 && left == INT_MAX)
			continue;
		return r > 0 ? 1 : r;
	}
}

/* Connect the client's socket, retrying while the server's backlog is full. */
static int
client_connect(const struct sockaddr_un *sa, int64_t deadline)
{
	int64_t nap;
	socklen_t len;
	int e;

	for (;;) {
		if (connect(cfd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == EINPROGRESS)
			break;
		if (errno != EAGAIN)
			return -1;
		if (deadline >= 0 && ipc_now() >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		nap = ipc_now() + SOCKET_RETRY_MS;
		(void)client_poll(-1, 0, deadline >= 0 && deadline < nap ?
		    deadline : nap);
	}
	if ((e = client_poll(cfd, POLLOUT, deadline)) != 1) {
		if (e == 0)
			errno = ETIMEDOUT;
		return -1;
	}
	len = sizeof(e);
	if (getsockopt(cfd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		return -1;
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}

/* Connect to the control socket under rundir before the deadline. */
int
ipc_client_open(const char *rundir, int64_t deadline)
{
	struct sockaddr_un sa;
	int e;

	ipc_client_close();
	if (socket_addr(rundir, &sa) == -1)
		return -1;
	cfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (cfd == -1)
		return -1;
	if (client_connect(&sa, deadline) == -1) {
		e = errno;
		ipc_client_close();
		errno = e;
		return -1;
	}
	return 0;
}

/* Send one request whole before the deadline. */
static int
client_send(const struct wire_msg *req, int64_t deadline)
{
	size_t n;
	ssize_t r;
	int w;

	n = WIRE_HDR_SIZE + (size_t)req->h.len;
	for (;;) {
		r = send(cfd, req, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r == (ssize_t)n)
			return 0;
		if (r >= 0) {
			errno = EMSGSIZE;
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if ((w = client_poll(cfd, POLLOUT, deadline)) != 1) {
			if (w == 0)
				errno = ETIMEDOUT;
			return -1;
		}
	}
}

/* Receive one message into rep without waiting. */
static ssize_t
client_read(struct wire_msg *rep)
{
	ssize_t r;

	do
		r = recv(cfd, rep, sizeof(*rep), MSG_DONTWAIT | MSG_TRUNC);
	while (r == -1 && errno == EINTR);
	return r;
}

/*
 * Receive one message into rep: 1 a reply to seq (or a notice), 0 another
 * or none yet, -1 an error.  NB: when the server closes with our request
 * still unread, Linux reports ECONNRESET once before the messages that are
 * queued for us, so a second read can still find the server's answer.
 */
static int
client_take(uint32_t seq, struct wire_msg *rep)
{
	ssize_t r;

	r = client_read(rep);
	if (r == -1 && errno == ECONNRESET) {
		if ((r = client_read(rep)) == -1)
			errno = ECONNRESET;
	}
	if (r == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	if (r == 0) {
		errno = ECONNRESET;
		return -1;
	}
	if ((size_t)r > sizeof(*rep)) {
		errno = EBADMSG;
		return -1;
	}
	if (wire_check(rep, (size_t)r, rep) == -1)
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

	for (i = 0; i < SOCKET_STRAY_MAX; i++) {
		r = client_poll(cfd, POLLIN, deadline);
		if (r == 0)
			errno = ETIMEDOUT;
		if (r != 1)
			return -1;
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
	int e;

	if (cfd == -1) {
		errno = ENOTCONN;
		return -1;
	}
	if (wire_stamp(req, rep, &cseq, getpid()) == -1)
		return -1;
	if (client_send(req, deadline) == -1) {
		e = errno;
		if ((e != EPIPE && e != ECONNRESET) ||
		    client_take(req->h.seq, rep) != 1) {
			errno = e;
			return -1;
		}
		return 0;
	}
	return client_recv(req->h.seq, rep, deadline);
}

/* Close the client's connection. */
void
ipc_client_close(void)
{
	if (cfd != -1)
		close(cfd);
	cfd = -1;
}
