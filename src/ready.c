/*
 * ready.c - readiness: a service tells pinit when it is up.
 *
 * Three ways, chosen by files of the service directory (doc/decisions.md,
 * "Readiness"): notification-fd N (the child gets a pipe's write end as
 * fd N and writes a newline), notify "socket" (NOTIFY_SOCKET names one
 * datagram socket of PID 1, in the abstract namespace, autobound; the
 * kernel's credentials say who sent), notify "pinitctl" ("pinitctl notify
 * ready": a NOTIFY request over the control endpoint).  Every message is
 * bounded, every sender is checked against the service's process tree,
 * and nothing here ever waits.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "ready.h"
#include "svc.h"
#include "util.h"

#define READY_ENV	"NOTIFY_SOCKET="
#define READY_FDS_MAX	16		/* fds taken with one datagram */

static int	ready_sock = -1;	/* the shared datagram socket */
static char	ready_envbuf[64] = READY_ENV;	/* + "@xxxxx" */
static int	ready_w = -1;		/* the child's pipe, while forking */
static int	ready_n = -1;		/* the number it gets there */
static int	ready_owner[SVC_MAX];	/* service of each polled fd */
static unsigned long ready_dropped;	/* datagrams dropped */

/* Take one "KEY=VALUE" line (n bytes) into m. */
static void
ready_line(const char *l, size_t n, struct ready_msg *m)
{
	unsigned long v;
	const char *end;
	char num[16];

	if (n == 7 && memcmp(l, "READY=1", 7) == 0)
		m->ready = 1;
	else if (n == 10 && memcmp(l, "STOPPING=1", 10) == 0)
		m->stopping = 1;
	else if (n >= 7 && memcmp(l, "STATUS=", 7) == 0) {
		m->status = l + 7;
		m->statuslen = n - 7;
	} else if (n > 8 && n - 8 < sizeof(num) &&
	    memcmp(l, "MAINPID=", 8) == 0) {
		memcpy(num, l + 8, n - 8);
		num[n - 8] = '\0';
		m->mainpid = util_parse_ulong(num, 0x7fffffff, &v, &end) == 0 &&
		    *end == '\0' && v > 1 ? (pid_t)v : -1;
	} else if (n > 0)
		m->unknown++;
}

int
ready_parse(const char *buf, size_t n, struct ready_msg *m)
{
	const char *p = buf, *e;

	memset(m, 0, sizeof(*m));
	if (n > READY_MSG_MAX || memchr(buf, '\0', n) != NULL) {
		errno = EBADMSG;
		return -1;
	}
	while (p < buf + n) {
		e = memchr(p, '\n', buf + n - p);
		if (e == NULL)
			e = buf + n;
		ready_line(p, e - p, m);
		p = e + 1;
	}
	return 0;
}

/* Read a small file of s; 0 with its text, -1 when absent or bad. */
static int
ready_file(int dirfd, const struct svc *s, const char *file, char *buf,
    size_t cap)
{
	if (util_read_file(dirfd, file, buf, cap) >= 0)
		return 0;
	if (errno != ENOENT)
		log_warn("unable to read %s/%s: %s", s->name, file,
		    strerror(errno));
	return -1;
}

/* notification-fd: a number from READY_FD_MIN to READY_FD_MAX. */
static void
ready_load_fd(int dirfd, struct svc *s)
{
	unsigned long v;
	const char *end;
	char buf[64];

	if (ready_file(dirfd, s, "notification-fd", buf, sizeof(buf)) < 0)
		return;
	if (util_parse_ulong(buf, READY_FD_MAX, &v, &end) < 0 ||
	    v < READY_FD_MIN || (*end != '\0' && *end != '\n')) {
		log_warn("unable to parse %s/notification-fd: want a number "
		    "from %d to %d", s->name, READY_FD_MIN, READY_FD_MAX);
		return;
	}
	s->readyhow |= READY_FD;
	s->notifyfdn = (int)v;
}

/* notify: empty or "socket" (NOTIFY_SOCKET), or "pinitctl". */
static void
ready_load_notify(int dirfd, struct svc *s)
{
	char buf[64];
	size_t n;

	if (ready_file(dirfd, s, "notify", buf, sizeof(buf)) < 0)
		return;
	n = strcspn(buf, "\n");
	if (n == 0 || (n == 6 && memcmp(buf, "socket", 6) == 0))
		s->readyhow |= READY_SOCKET;
	else if (n == 8 && memcmp(buf, "pinitctl", 8) == 0)
		s->readyhow |= READY_IPC;
	else
		log_warn("unable to parse %s/notify: want \"socket\" or "
		    "\"pinitctl\"", s->name);
}

void
ready_load(int dirfd, struct svc *s)
{
	char buf[64];
	int64_t ms;

	s->notifyfd = -1;
	ready_load_fd(dirfd, s);
	ready_load_notify(dirfd, s);
	if (ready_file(dirfd, s, "ready-timeout", buf, sizeof(buf)) < 0)
		return;
	if (util_parse_ms(buf, READY_TIMEOUT_MAX_MS, &ms) < 0)
		log_warn("unable to parse %s/ready-timeout: %s (want seconds, "
		    "e.g. 5)", s->name, strerror(errno));
	else
		s->ready_ms = ms;
}

const char *
ready_env(void)
{
	return ready_envbuf;
}

/*
 * Name fd, a bound datagram socket that passes credentials, in
 * ready_envbuf and make it the notification socket; -1 when it is not
 * one (an abstract address of at most 31 bytes).
 */
static int
ready_name(int fd)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa), tlen;
	int one = 1, type = 0;

	tlen = sizeof(type);
	memset(&sa, 0, sizeof(sa));
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 ||
	    type != SOCK_DGRAM ||
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0 ||
	    sa.sun_family != AF_UNIX || sa.sun_path[0] != '\0' ||
	    len <= offsetof(struct sockaddr_un, sun_path) + 1 ||
	    len - offsetof(struct sockaddr_un, sun_path) > 32) {
		errno = EINVAL;
		return -1;
	}
	len -= offsetof(struct sockaddr_un, sun_path);
	snprintf(ready_envbuf, sizeof(ready_envbuf), "%s@%.*s", READY_ENV,
	    (int)len - 1, sa.sun_path + 1);
	ready_sock = fd;
	return 0;
}

/* Open the notification socket and name it in ready_envbuf. */
static int
ready_open(void)
{
	struct sockaddr_un sa;
	int fd;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	/* An address of the family alone: the kernel picks a free name. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa_family_t)) < 0 ||
	    ready_name(fd) < 0) {
		close(fd);
		return -1;
	}
	return 0;
}

int
ready_prepare(struct svc *s)
{
	int fds[2];

	ready_down(s);
	if (s->text[0] != '\0')	/* the STATUS= of an earlier run is stale */
		s->text[0] = '\0';	/* (reading an untouched page is free) */
	if ((s->readyhow & READY_SOCKET) && ready_sock < 0 && ready_open() < 0)
		log_warn_rl("unable to open the notification socket: %s",
		    strerror(errno));
	if (!(s->readyhow & READY_FD))
		return 0;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	s->notifyfd = fds[0];
	ready_w = fds[1];
	ready_n = s->notifyfdn;
	return 0;
}

void
ready_spawned(struct svc *s, pid_t pid)
{
	/* Only when set: see log_flush(). */
	if (ready_w >= 0) {
		close(ready_w);
		ready_w = ready_n = -1;
	}
	if (pid < 0 && s->notifyfd >= 0) {
		close(s->notifyfd);
		s->notifyfd = -1;
	}
}

int
ready_forking(void)
{
	return ready_w >= 0;
}

int
ready_child(int *execw)
{
	if (ready_w < 0)
		return -1;
	if (*execw == ready_n)
		*execw = fcntl(ready_n, F_DUPFD_CLOEXEC, READY_FD_MIN);
	if (ready_w == ready_n)
		return fcntl(ready_n, F_SETFD, 0) < 0 ? -1 : ready_n;
	return dup2(ready_w, ready_n) < 0 ? -1 : ready_n;
}

int
ready_waiting(const struct svc *s)
{
	return s->readyhow != 0 && !s->ready && s->state == WIRE_S_STARTING &&
	    s->execfd < 0;
}

int
ready_wait(struct svc *s, int64_t now)
{
	if (s->readyhow == 0 || s->ready)
		return 0;
	svc_set_state(s, WIRE_S_STARTING, WIRE_W_NONE, 0,
	    "waiting for readiness", now);
	s->since = s->started;
	s->deadline = s->ready_ms > 0 ? s->started + s->ready_ms : 0;
	if (s->deadline != 0 && s->deadline <= now)
		s->deadline = now;
	return 1;
}

void
ready_expired(struct svc *s, int64_t now)
{
	char info[WIRE_INFO_MAX + 1];

	snprintf(info, sizeof(info), "not ready after %g s",
	    (double)s->ready_ms / 1000);
	s->deadline = 0;
	svc_set_state(s, WIRE_S_FAILED, WIRE_W_NONE, 0, info, now);
	if (s->pid > 0 && kill(-s->pid, SIGKILL) < 0 && errno == ESRCH)
		kill(s->pid, SIGKILL);
	ready_down(s);
}

void
ready_down(struct svc *s)
{
	if (s->notifyfd >= 0)
		close(s->notifyfd);
	s->notifyfd = -1;
	s->ready = 0;
	s->mainpid = 0;
}

void
ready_carry(struct svc *n, const struct svc *o)
{
	n->notifyfd = o->notifyfd;
	n->ready = o->ready;
	n->mainpid = o->mainpid;
	/* A service read from an update's state has no text. */
	if (o->text != NULL && o->text[0] != '\0')
		util_strlcpy(n->text, o->text, SVC_INFO_SIZE);
}

int
ready_socket(void)
{
	return ready_sock;
}

void
ready_inherit(const struct svctab *t, int on)
{
	int i;

	util_fd_inherit(ready_sock, on);
	for (i = 0; t != NULL && i < t->n; i++)
		util_fd_inherit(t->v[i].notifyfd, on);
}

/* Take over the socket handed on as the notification socket. */
static void
ready_adopt_socket(int fd)
{
	struct stat st;
	int taken = 1;

	if (fd <= STDERR_FILENO)
		return;
	if (util_fd_take(fd, S_IFSOCK, O_RDWR, &st) < 0)
		taken = 0;
	else if (ready_name(fd) == 0)
		return;
	log_warn("update: unable to take over the notification socket: %s; "
	    "services started before the update cannot notify",
	    strerror(errno));
	if (taken)
		close(fd);
}

/* Can s, waiting, still say it is ready? */
static int
ready_can_tell(const struct svc *s)
{
	return s->notifyfd >= 0 || (s->readyhow & READY_IPC) ||
	    ((s->readyhow & READY_SOCKET) && ready_sock >= 0);
}

void
ready_adopt(struct svctab *t, int sock, int64_t now)
{
	struct stat st;
	struct svc *s;
	int i;

	ready_adopt_socket(sock);
	for (i = 0; t != NULL && i < t->n; i++) {
		s = &t->v[i];
		if (s->notifyfd >= 0 && util_fd_take(s->notifyfd, S_IFIFO,
		    O_RDONLY, &st) < 0) {
			log_warn("update: unable to take over the notification "
			    "fd of %s: %s", s->name, strerror(errno));
			s->notifyfd = -1;
		}
		if (!ready_waiting(s) || ready_can_tell(s))
			continue;
		log_warn("update: %s can no longer say it is ready; taken as "
		    "ready", s->name);
		s->ready = 1;
		s->deadline = 0;
		svc_set_state(s, WIRE_S_RUNNING, WIRE_W_NONE, 0, NULL, now);
	}
}

/* s said it is ready. */
static void
ready_set(struct svc *s, int64_t now)
{
	if (s->notifyfd >= 0) {
		close(s->notifyfd);
		s->notifyfd = -1;
	}
	if (s->ready || s->pid <= 0)
		return;
	if (!ready_waiting(s)) {
		s->ready = 1;
		return;
	}
	s->ready = 1;
	s->deadline = 0;
	svc_set_state(s, WIRE_S_RUNNING, WIRE_W_NONE, 0, NULL, now);
}

/*
 * Keep STATUS= text for status, and show it in the info of a starting or
 * running service.
 */
static void
ready_status(struct svc *s, const char *t, size_t n)
{
	char *p = s->info;
	size_t i, k = 0, cap = SVC_INFO_SIZE - 1;

	for (i = 0; i < n && i < SVC_INFO_SIZE - 1; i++)
		s->text[i] = isprint((unsigned char)t[i]) ? t[i] : '?';
	s->text[i] = '\0';
	if (s->state != WIRE_S_RUNNING && s->state != WIRE_S_STARTING)
		return;
	if (ready_waiting(s)) {
		k = snprintf(p, cap + 1, "waiting for readiness%s",
		    n > 0 ? ": " : "");
		if (k > cap)
			k = cap;
	}
	for (i = 0; i < n && k < cap; i++)
		p[k++] = isprint((unsigned char)t[i]) ? t[i] : '?';
	p[k] = '\0';
}

/* Act on what service s said. */
static void
ready_apply(struct svc *s, const struct ready_msg *m, int64_t now)
{
	if (m->mainpid > 0)
		s->mainpid = m->mainpid;
	if (m->status != NULL)
		ready_status(s, m->status, m->statuslen);
	if (m->stopping)
		log_info("%s: says it is stopping", s->name);
	if (m->ready)
		ready_set(s, now);
}

/* The parent of pid from /proc/PID/stat, or -1. */
static pid_t
ready_ppid(pid_t pid)
{
	struct util_proc p;

	return util_proc_stat(pid, &p) == 0 ? p.ppid : -1;
}

/* Is pid the main process (or MAINPID) of s, or below it? */
static int
ready_owns(const struct svc *s, pid_t pid)
{
	int k;

	for (k = 0; k < READY_PPID_DEPTH && pid > 1; k++) {
		if (pid == s->pid || (s->mainpid > 0 && pid == s->mainpid))
			return s->pid > 0;
		pid = ready_ppid(pid);
	}
	return 0;
}

/* The service whose process (or a descendant) pid is; -1. */
static int
ready_whose(struct svctab *t, pid_t pid)
{
	int k, i, j;

	for (k = 0; k < READY_PPID_DEPTH && pid > 1; k++) {
		i = svc_pid_index(t, pid);
		if (i >= 0 && t->v[i].pid == pid)
			return i;
		for (j = 0; j < t->n; j++)
			if (t->v[j].mainpid == pid && t->v[j].pid > 0)
				return j;
		pid = ready_ppid(pid);
	}
	return -1;
}

/*
 * The sender's pid from a datagram's credentials (0: none), and the fds
 * it brought (SCM_RIGHTS, at most READY_FDS_MAX): closed only once the
 * message was handled, so that a sender waiting for that (BARRIER=1, as
 * sd_notify_barrier(3) does) is still alive to be checked.
 */
static pid_t
ready_cmsg(struct msghdr *mh, int *fds, int *nfds)
{
	struct cmsghdr *c;
	struct ucred uc;
	pid_t pid = 0;
	size_t k, nfd;
	int fd;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(uc))) {
			memcpy(&uc, CMSG_DATA(c), sizeof(uc));
			pid = uc.pid;
		} else if (c->cmsg_type == SCM_RIGHTS) {
			nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (k = 0; k < nfd; k++) {
				memcpy(&fd, CMSG_DATA(c) + k * sizeof(int),
				    sizeof(fd));
				if (*nfds < READY_FDS_MAX)
					fds[(*nfds)++] = fd;
				else
					close(fd);
			}
		}
	}
	return pid;
}

/* A datagram that is not taken: count it, say so (rate-limited). */
static void
ready_drop(const char *why, long n, pid_t pid)
{
	ready_dropped++;
	log_warn_rl("notify: dropped a datagram of %ld bytes from pid %d: %s "
	    "(%lu dropped so far)", n, (int)pid, why, ready_dropped);
}

/* Read one datagram; 0 when there was one, -1 when none is left. */
static int
ready_recv(struct svctab *t, int64_t now)
{
	static char buf[READY_MSG_MAX + 1];
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(struct ucred)) +
				    CMSG_SPACE(READY_FDS_MAX * sizeof(int))];
	} cm;
	int fds[READY_FDS_MAX], nfds = 0;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh;
	struct ready_msg m;
	ssize_t n;
	pid_t pid;
	int i;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.b;
	mh.msg_controllen = sizeof(cm.b);
	n = recvmsg(ready_sock, &mh, MSG_DONTWAIT | MSG_TRUNC |
	    MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	pid = ready_cmsg(&mh, fds, &nfds);
	if (n > READY_MSG_MAX || (mh.msg_flags & MSG_TRUNC))
		ready_drop("too long", (long)n, pid);
	else if (pid <= 0 || (i = ready_whose(t, pid)) < 0)
		ready_drop("not from a service", (long)n, pid);
	else if (ready_parse(buf, n, &m) < 0)
		ready_drop("not text", (long)n, pid);
	else
		ready_apply(&t->v[i], &m, now);
	while (nfds > 0)
		close(fds[--nfds]);
	return 0;
}

int
ready_fds(struct svctab *t, struct pollfd *pfd, int max)
{
	int n = 0, p = 0, i;

	if (ready_sock >= 0 && n < max) {
		pfd[n].fd = ready_sock;
		pfd[n].events = POLLIN;
		ready_owner[n++] = -1;
	}
	while (t != NULL && n < max && n < SVC_MAX &&
	    (i = svc_live_next(t, &p)) >= 0) {
		if (t->v[i].notifyfd < 0)
			continue;
		pfd[n].fd = t->v[i].notifyfd;
		pfd[n].events = POLLIN;
		ready_owner[n++] = i;
	}
	return n;
}

/* Read what s wrote to its notification fd: a newline makes it ready. */
static void
ready_read_fd(struct svc *s, int64_t now)
{
	char buf[256];
	ssize_t n;

	n = read(s->notifyfd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0 && memchr(buf, '\n', n) != NULL) {
		ready_set(s, now);
		return;
	}
	if (n > 0)
		return;
	log_warn("%s: closed its notification fd without saying it is ready",
	    s->name);
	close(s->notifyfd);
	s->notifyfd = -1;
}

void
ready_run(struct svctab *t, struct pollfd *pfd, int n, int64_t now)
{
	int k, i;

	for (k = 0; k < n && t != NULL; k++) {
		if (pfd[k].revents == 0)
			continue;
		if (ready_owner[k] < 0) {
			for (i = 0; i < READY_BATCH; i++)
				if (ready_recv(t, now) < 0)
					break;
		} else if (ready_owner[k] < t->n &&
		    t->v[ready_owner[k]].notifyfd == pfd[k].fd)
			ready_read_fd(&t->v[ready_owner[k]], now);
	}
}

void
ready_request(const struct ipc_peer *p, const struct wire_msg *req,
    struct wire_msg *rep)
{
	const char *b = (const char *)req->payload, *nl;
	struct ready_msg m;
	struct svc *s;
	int i;

	nl = memchr(b, '\n', req->h.len);
	if (nl == NULL || !wire_name_ok(b, nl - b) ||
	    ready_parse(nl + 1, req->h.len - (nl + 1 - b), &m) < 0) {
		rep->h.code = WIRE_E_BADREQ;
		return;
	}
	i = pinit.tab != NULL ? svc_find(pinit.tab, b, nl - b) : -1;
	if (i < 0) {
		rep->h.code = WIRE_E_NOSVC;
		return;
	}
	s = &pinit.tab->v[i];
	if (!ready_owns(s, p->pid)) {
		log_warn_rl("notify: pid %d is not a process of %s; refused",
		    (int)p->pid, s->name);
		rep->h.code = WIRE_E_PERM;
		return;
	}
	ready_apply(s, &m, ipc_now());
}
