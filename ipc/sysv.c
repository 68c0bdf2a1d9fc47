/*
 * sysv.c - the SysV message queue backend of the control protocol.
 *
 * Two queues per rundir (sysv.h): clients put requests in the first and
 * ring a doorbell, a real-time signal, at PID 1, whose pid they read from
 * that queue's msg_lrpid (only PID 1 ever receives from it).  PID 1 drains
 * it with IPC_NOWAIT at every wake-up, and answers in the second queue
 * with mtype = the pid the request carries, never msg_lspid, which another
 * client may have changed meanwhile.  Nothing lives in the file system, so
 * the backend works with a read-only root and no /run at all.
 *
 * Who may talk is the queues' mode: 0600, owned and created by root.  At
 * start a queue that is anything else is removed and made again, said
 * loudly on stderr (the console).  A full queue never blocks anyone: PID 1
 * keeps a reply it cannot queue for a while and then makes room, and a
 * client retries until its deadline.  PID 1 gives both queues 1 MiB of
 * room where it may (the kernel's default, msgmnb, is 16 KiB: about 270
 * requests), so that a burst of clients finds room rather than waiting.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* struct msginfo, IPC_INFO */
#endif

#include <config.h>

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"
#include "serve.h"
#include "sysv.h"
#include "wire.h"

#define SYSV_SENT_MAX		(2 * IPC_CLIENTS_MAX)	/* pids remembered */
#define SYSV_PENDING_MAX	8	/* replies waiting for room */
#define SYSV_RETRY_MS		10	/* full reply queue: try again after */
#define SYSV_PURGE_MAX		64	/* messages taken back per pid */
#define SYSV_STRAY_MAX		64	/* replies a client skips per call */
#define SYSV_YIELDS		64	/* client: looks before the first nap */
#define SYSV_NAP_MIN_NS		20000L	/* client: first nap waiting */
#define SYSV_NAP_MAX_NS		1000000L /* client: longest nap */
#define SYSV_ALIVE_MS		100	/* client: how often it checks PID 1 */
#define SYSV_QBYTES		(1024 * 1024)	/* room wanted in a queue */
#define SYSV_MSGMNB		"/proc/sys/kernel/msgmnb"
#define SYSV_INIT_IPC_INO	0xEFFFFFFFu	/* the first IPC namespace */

/* The last reply sent to a pid. */
struct sent {
	pid_t		pid;
	int64_t		at;
};

/* A reply that found the queue full. */
struct pending {
	struct sysv_msg	msg;
	size_t		len;
	int64_t		since;
};

static struct {
	int		reqq;		/* request queue id, or -1 */
	int		repq;		/* reply queue id, or -1 */
	int		backlog;	/* requests may be waiting */
	int		nsent;
	struct sent	sent[SYSV_SENT_MAX];
	int		npend;
	int64_t		retry;		/* next try of the pending replies */
	struct pending	pend[SYSV_PENDING_MAX];
	struct sysv_msg	in;		/* the request being served */
} srv = { .reqq = -1, .repq = -1 };

static struct {
	int		reqq;
	int		repq;
	pid_t		server;		/* PID 1 (msg_lrpid of reqq) */
	pid_t		self;
	uint32_t	seq;
	struct sysv_msg	buf;
} cli = { .reqq = -1, .repq = -1 };

/* The name of this backend. */
const char *
ipc_name(void)
{
	return "sysv";
}

/* The doorbell a client rings after queueing a request. */
int
ipc_server_signal(void)
{
	return SYSV_DOORBELL;
}

/* Tell whether the queue's owner and creator are uid and its mode 0600. */
static int
sysv_private(const struct msqid_ds *ds, uid_t uid)
{
	return ds->msg_perm.uid == uid && ds->msg_perm.cuid == uid &&
	    (ds->msg_perm.mode & 0777) == SYSV_MODE;
}

/* Remove queue id, saying why on the console. */
static int
sysv_replace(key_t key, int id, const struct msqid_ds *ds)
{
	fprintf(stderr, "pinit: warning: message queue 0x%08x is not private "
	    "(owner %u, creator %u, mode %03o): removed, made again\n",
	    (unsigned)key, (unsigned)ds->msg_perm.uid,
	    (unsigned)ds->msg_perm.cuid, (unsigned)ds->msg_perm.mode & 0777);
	if (msgctl(id, IPC_RMID, NULL) == -1 && errno != EINVAL &&
	    errno != EIDRM)
		return -1;
	return 0;
}

/*
 * The queue with key, private to us: made if missing, kept if it is
 * private already (unless fresh is set), else removed and made again.
 */
static int
sysv_queue(key_t key, int fresh)
{
	struct msqid_ds ds;
	int id, i, r;

	for (i = 0; i < 4; i++) {
		id = msgget(key, IPC_CREAT | IPC_EXCL | SYSV_MODE);
		if (id != -1 || errno != EEXIST)
			return id;
		if ((id = msgget(key, 0)) == -1) {
			if (errno == ENOENT)
				continue;
			return -1;
		}
		if (msgctl(id, IPC_STAT, &ds) == -1)
			return -1;
		if (!sysv_private(&ds, geteuid()))
			r = sysv_replace(key, id, &ds);
		else if (!fresh)
			return id;
		else
			r = msgctl(id, IPC_RMID, NULL);
		if (r == -1)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* Receive a message of our own, so that the queue's msg_lrpid names us. */
static int
sysv_hello(int id)
{
	struct {
		long	mtype;
		char	c;
	} m;

	m.mtype = SYSV_T_HELLO;
	m.c = 0;
	if (msgsnd(id, &m, 1, IPC_NOWAIT) == -1)
		return -1;
	return msgrcv(id, &m, 1, SYSV_T_HELLO, IPC_NOWAIT | MSG_NOERROR) ==
	    -1 ? -1 : 0;
}

/* Fail with EMSGSIZE when the kernel refuses messages of WIRE_MSG_MAX. */
static int
sysv_msgmax(void)
{
	struct msginfo mi;

	if (msgctl(0, IPC_INFO, (struct msqid_ds *)(void *)&mi) == -1)
		return 0;		/* cannot tell: msgsnd() will */
	if (mi.msgmax < WIRE_MSG_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

/*
 * Tell whether our IPC namespace is one of our own, not the machine's
 * first one, whose inode number the kernel fixes (PROC_IPC_INIT_INO).
 */
static int
sysv_own_ipcns(void)
{
	struct stat st;

	return stat("/proc/self/ns/ipc", &st) == 0 &&
	    st.st_ino != SYSV_INIT_IPC_INO;
}

/*
 * Raise msgmnb, the most msg_qbytes one may set without CAP_SYS_RESOURCE,
 * to SYSV_QBYTES; never lower it.  Only in an IPC namespace of our own
 * (Linux 5.19 and later give each one its own msgmnb, which the
 * namespace's root may write): the machine's setting is not PID 1's to
 * change behind the administrator's back.
 */
static int
sysv_raise_msgmnb(void)
{
	char buf[32];
	ssize_t n;
	int fd, len;

	if (!sysv_own_ipcns()) {
		errno = EPERM;
		return -1;
	}
	if ((fd = open(SYSV_MSGMNB, O_RDWR | O_CLOEXEC)) == -1)
		return -1;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		if (strtol(buf, NULL, 10) >= SYSV_QBYTES) {
			close(fd);
			return 0;
		}
	}
	/* At offset 0: the kernel ignores a later one (sysctl_writes_strict). */
	len = snprintf(buf, sizeof(buf), "%d\n", SYSV_QBYTES);
	n = pwrite(fd, buf, (size_t)len, 0);
	if (close(fd) == -1 || n != len) {
		errno = n == -1 ? errno : EIO;
		return -1;
	}
	return 0;
}

/*
 * Give queue id room for SYSV_QBYTES, so that a burst of clients (1000 at
 * once) finds room instead of waiting for it to its deadline.  Past
 * msgmnb that needs CAP_SYS_RESOURCE, which a real PID 1 has; in a
 * namespace it needs msgmnb raised first.  Said once when neither works:
 * the queue works as it is, only with less room.
 */
static void
sysv_room(int id)
{
	static int said;
	struct msqid_ds ds;
	msglen_t had;

	if (msgctl(id, IPC_STAT, &ds) == -1 || ds.msg_qbytes >= SYSV_QBYTES)
		return;
	had = ds.msg_qbytes;
	ds.msg_qbytes = SYSV_QBYTES;
	if (msgctl(id, IPC_SET, &ds) == 0)
		return;
	if (errno == EPERM && sysv_raise_msgmnb() == 0 &&
	    msgctl(id, IPC_SET, &ds) == 0)
		return;
	if (!said) {
		said = 1;
		fprintf(stderr, "pinit: warning: unable to give the message "
		    "queues %d bytes of room (%s); they keep %lu\n",
		    SYSV_QBYTES, strerror(errno), (unsigned long)had);
	}
}

/*
 * Open both queues of rundir: requests still waiting are kept, and replies
 * too unless fresh (an earlier instance's are stale; after a hot update a
 * client may still be waiting for one).  A request queue too full to say
 * hello is made again.
 */
static int
sysv_open(const char *rundir, int fresh)
{
	key_t kreq, krep;
	int r, e;

	ipc_server_close();
	if (sysv_keys(rundir, &kreq, &krep) == -1 || sysv_msgmax() == -1)
		return -1;
	srv.reqq = sysv_queue(kreq, 0);
	r = srv.reqq == -1 ? -1 : sysv_hello(srv.reqq);
	if (r == -1 && srv.reqq != -1 && errno == EAGAIN) {
		srv.reqq = sysv_queue(kreq, 1);
		r = srv.reqq == -1 ? -1 : sysv_hello(srv.reqq);
	}
	if (r == -1 || (srv.repq = sysv_queue(krep, fresh)) == -1) {
		e = errno;
		ipc_server_close();
		errno = e;
		return -1;
	}
	sysv_room(srv.reqq);
	sysv_room(srv.repq);
	srv.backlog = 1;
	return 0;
}

int
ipc_server_open(const char *rundir)
{
	return sysv_open(rundir, 1);
}

/* The queues outlive any process: nothing to carry. */
int
ipc_server_export(int *fds, int max)
{
	(void)fds;
	(void)max;
	return 0;
}

/* After a hot update: the same queues, the replies on the way kept. */
int
ipc_server_adopt(const char *rundir, const int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		close(fds[i]);
	return sysv_open(rundir, 0);
}

/* Tell whether the queues are open. */
int
ipc_server_is_open(void)
{
	return srv.reqq != -1;
}

/* Forget the queues and what was pending; the queues stay. */
void
ipc_server_close(void)
{
	srv.reqq = -1;
	srv.repq = -1;
	srv.backlog = 0;
	srv.nsent = 0;
	srv.npend = 0;
	srv.retry = 0;
}

/* A queue has no fd: PID 1 learns of requests by the doorbell. */
int
ipc_server_fds(struct pollfd *pfd, int max)
{
	(void)pfd;
	(void)max;
	return 0;
}

/* Now when requests wait, else the next retry or expiry, or -1. */
int64_t
ipc_server_deadline(void)
{
	int64_t d;
	int i;

	if (srv.reqq == -1)
		return -1;
	if (srv.backlog)
		return 0;
	d = srv.npend > 0 ? srv.retry : -1;
	for (i = 0; i < srv.nsent; i++) {
		if (d == -1 || srv.sent[i].at + IPC_CLIENT_TIMEOUT_MS < d)
			d = srv.sent[i].at + IPC_CLIENT_TIMEOUT_MS;
	}
	return d;
}

/* Remember that a reply went to pid now: one entry per pid, the latest. */
static void
server_sent(pid_t pid, int64_t now)
{
	int i, old;

	old = 0;
	for (i = 0; i < srv.nsent; i++) {
		if (srv.sent[i].pid == pid) {
			srv.sent[i].at = now;
			return;
		}
		if (srv.sent[i].at < srv.sent[old].at)
			old = i;
	}
	/* NB: with the table full the oldest is forgotten, not taken back. */
	i = srv.nsent < SYSV_SENT_MAX ? srv.nsent++ : old;
	srv.sent[i].pid = pid;
	srv.sent[i].at = now;
}

/* Take back every reply still queued for pid. */
static void
server_purge(pid_t pid)
{
	int i;

	for (i = 0; i < SYSV_PURGE_MAX; i++) {
		if (msgrcv(srv.repq, &srv.in, sizeof(srv.in.m), pid,
		    IPC_NOWAIT | MSG_NOERROR) == -1 && errno != EINTR)
			return;
	}
}

/*
 * Take back the replies nobody read within IPC_CLIENT_TIMEOUT_MS of the
 * last one sent to their pid: a client reads at once, so such a reply is
 * for a client that is gone or gave up, and would fill the queue.
 */
static void
server_expire(int64_t now)
{
	int i;

	for (i = 0; i < srv.nsent; ) {
		if (now - srv.sent[i].at < IPC_CLIENT_TIMEOUT_MS) {
			i++;
			continue;
		}
		server_purge(srv.sent[i].pid);
		srv.sent[i] = srv.sent[--srv.nsent];
	}
}

/* Forget the queues after an error that says they are gone. */
static void
server_lost(void)
{
	if (errno == EIDRM || errno == EINVAL || errno == EACCES ||
	    errno == EPERM)
		ipc_server_close();
}

/* Queue one reply without waiting: 0 sent, 1 full, -1 error. */
static int
server_post(const struct sysv_msg *m, size_t len, int64_t now)
{
	for (;;) {
		if (msgsnd(srv.repq, m, len, IPC_NOWAIT) == 0) {
			server_sent((pid_t)m->mtype, now);
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN)
			return 1;
		server_lost();
		return -1;
	}
}

/* Keep a reply that found the queue full; the oldest kept one gives way. */
static void
server_keep(const struct wire_msg *rep, size_t len, int64_t now)
{
	struct pending *p;

	if (srv.npend == SYSV_PENDING_MAX) {
		memmove(&srv.pend[0], &srv.pend[1],
		    (SYSV_PENDING_MAX - 1) * sizeof(srv.pend[0]));
		srv.npend--;
	}
	p = &srv.pend[srv.npend++];
	p->msg.mtype = rep->h.pid;
	memcpy(&p->msg.m, rep, len);
	p->len = len;
	p->since = now;
	srv.retry = now + SYSV_RETRY_MS;
}

/*
 * Send the kept replies in order.  One that has waited for room longer
 * than IPC_CLIENT_TIMEOUT_MS makes room: the oldest message in the queue
 * has then been there at least as long, and nobody is reading it.
 */
static void
server_flush(int64_t now)
{
	struct pending *p;
	int r;

	while (srv.npend > 0 && srv.repq != -1) {
		p = &srv.pend[0];
		r = server_post(&p->msg, p->len, now);
		if (r == 1 && now - p->since >= IPC_CLIENT_TIMEOUT_MS &&
		    msgrcv(srv.repq, &srv.in, sizeof(srv.in.m), 0,
		    IPC_NOWAIT | MSG_NOERROR) != -1)
			continue;
		if (r == 1) {
			srv.retry = now + SYSV_RETRY_MS;
			return;
		}
		if (r == -1 && srv.repq == -1)
			return;		/* the queues are gone: all forgotten */
		memmove(&srv.pend[0], &srv.pend[1],
		    (size_t)(srv.npend - 1) * sizeof(srv.pend[0]));
		srv.npend--;
	}
}

/* Send a reply, or keep it when the queue is full. */
static void
server_reply(const struct wire_msg *rep, int64_t now)
{
	static struct sysv_msg out;
	size_t len;

	if (rep->h.pid <= 0)
		return;
	len = WIRE_HDR_SIZE + (size_t)rep->h.len;
	if (srv.npend > 0) {
		server_keep(rep, len, now);
		return;
	}
	out.mtype = rep->h.pid;
	memcpy(&out.m, rep, len);
	if (server_post(&out, len, now) == 1)
		server_keep(rep, len, now);
}

/* Answer the n bytes of one request in srv.in. */
static void
server_serve(size_t n, int64_t now, ipc_dispatch_fn *fn)
{
	struct wire_msg req, rep;
	struct ipc_peer peer;
	int32_t code;

	code = serve_check(&req, &srv.in.m, n, 1);
	if (code != WIRE_OK) {
		serve_refusal(&rep, &srv.in.m, n, code);
		server_reply(&rep, now);
		return;
	}
	peer.pid = req.h.pid;
	peer.uid = 0;
	peer.uid_known = 0;
	serve_request(&peer, &req, &rep, fn);
	server_reply(&rep, now);
}

/* Serve at most IPC_BATCH_MAX requests; note whether more may wait. */
static void
server_drain(int64_t now, ipc_dispatch_fn *fn)
{
	ssize_t r;
	int i;

	srv.backlog = 0;
	for (i = 0; i < IPC_BATCH_MAX && srv.reqq != -1; i++) {
		r = msgrcv(srv.reqq, &srv.in, sizeof(srv.in) - sizeof(long),
		    0, IPC_NOWAIT | MSG_NOERROR);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			if (errno != ENOMSG)
				server_lost();
			return;
		}
		if (srv.in.mtype == SYSV_T_REQUEST)
			server_serve((size_t)r, now, fn);
	}
	srv.backlog = srv.reqq != -1;
}

/*
 * Do the work of a wake-up, whatever woke PID 1: send the replies that
 * waited for room, serve what the queue holds, take back stale replies.
 */
void
ipc_server_run(struct pollfd *pfd, int n, int64_t now, ipc_dispatch_fn *fn)
{
	(void)pfd;
	(void)n;
	if (srv.reqq == -1)
		return;
	if (srv.npend > 0 && now >= srv.retry)
		server_flush(now);
	server_drain(now, fn);
	if (srv.reqq != -1)
		server_expire(now);
}

/*
 * The queue with key, if it is private to its owner and that owner is
 * root or us: anyone else's queue could answer in PID 1's name.
 */
static int
client_queue(key_t key, struct msqid_ds *ds)
{
	int id;

	if ((id = msgget(key, 0)) == -1)
		return -1;
	if (msgctl(id, IPC_STAT, ds) == -1)
		return -1;
	if (!sysv_private(ds, ds->msg_perm.uid) ||
	    (ds->msg_perm.uid != 0 && ds->msg_perm.uid != geteuid())) {
		errno = ECONNREFUSED;
		return -1;
	}
	return id;
}

/* Tell whether PID 1 lives: 0 yes, -1 with errno (ECONNRESET: gone). */
static int
client_alive(void)
{
	if (kill(cli.server, 0) == 0)
		return 0;
	if (errno == ESRCH)
		errno = ECONNRESET;
	return -1;
}

/* Drop replies left for an earlier process that had our pid. */
static void
client_purge(void)
{
	int i;

	for (i = 0; i < SYSV_PURGE_MAX; i++) {
		if (msgrcv(cli.repq, &cli.buf, sizeof(cli.buf.m), cli.self,
		    IPC_NOWAIT | MSG_NOERROR) == -1 && errno != EINTR)
			return;
	}
}

/* Find the queues of rundir and the pid of the PID 1 that reads them. */
int
ipc_client_open(const char *rundir, int64_t deadline)
{
	struct msqid_ds ds;
	key_t kreq, krep;
	int e;

	(void)deadline;
	ipc_client_close();
	if (sysv_keys(rundir, &kreq, &krep) == -1)
		return -1;
	if ((cli.reqq = client_queue(kreq, &ds)) == -1)
		goto fail;
	cli.server = ds.msg_lrpid;
	if ((cli.repq = client_queue(krep, &ds)) == -1)
		goto fail;
	if (cli.server <= 0) {
		errno = ECONNREFUSED;
		goto fail;
	}
	if (client_alive() == -1) {
		if (errno == ECONNRESET)
			errno = ECONNREFUSED;
		goto fail;
	}
	cli.self = getpid();
	cli.seq = (uint32_t)ipc_now() * 2654435761u ^ (uint32_t)cli.self;
	client_purge();
	return 0;
fail:
	e = errno;
	ipc_client_close();
	errno = e;
	return -1;
}

/* Sleep ns nanoseconds, but not past the deadline. */
static void
client_nap(long ns, int64_t deadline)
{
	struct timespec ts;
	int64_t left;

	left = deadline - ipc_now();
	if (deadline >= 0 && left * 1000000 < ns)
		ns = left > 0 ? (long)left * 1000000 : 0;
	ts.tv_sec = 0;
	ts.tv_nsec = ns;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/* Tell whether the deadline has passed, with errno ETIMEDOUT if so. */
static int
client_late(int64_t deadline)
{
	if (deadline < 0 || ipc_now() < deadline)
		return 0;
	errno = ETIMEDOUT;
	return 1;
}

/* Ring the doorbell; a full signal queue means PID 1 will wake anyway. */
static int
client_ring(void)
{
	if (kill(cli.server, SYSV_DOORBELL) == 0 || errno == EAGAIN)
		return 0;
	if (errno == ESRCH)
		errno = ECONNRESET;
	return -1;
}

/* Queue one request and ring; a full queue is retried until the deadline. */
static int
client_send(const struct wire_msg *req, int64_t deadline)
{
	size_t len;

	len = WIRE_HDR_SIZE + (size_t)req->h.len;
	cli.buf.mtype = SYSV_T_REQUEST;
	memcpy(&cli.buf.m, req, len);
	for (;;) {
		if (msgsnd(cli.reqq, &cli.buf, len, IPC_NOWAIT) == 0)
			return client_ring();
		if (errno == EIDRM || errno == EINVAL)
			errno = ECONNRESET;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || client_ring() == -1)
			return -1;
		if (client_late(deadline))
			return -1;
		client_nap(SYSV_NAP_MAX_NS, deadline);
	}
}

/*
 * Take one message for us into rep without waiting: 1 the reply to seq
 * (or a notice), 0 another or none yet, -1 an error.
 */
static int
client_take(uint32_t seq, struct wire_msg *rep, int *strays)
{
	ssize_t r;

	r = msgrcv(cli.repq, &cli.buf, sizeof(cli.buf) - sizeof(long),
	    cli.self, IPC_NOWAIT | MSG_NOERROR);
	if (r == -1) {
		if (errno == ENOMSG || errno == EINTR)
			return 0;
		if (errno == EIDRM || errno == EINVAL)
			errno = ECONNRESET;
		return -1;
	}
	if (wire_check(&cli.buf.m, (size_t)r, rep) == -1)
		return -1;
	if ((rep->h.flags & WIRE_F_REPLY) != 0 &&
	    (rep->h.seq == seq || rep->h.seq == 0))
		return 1;
	if (++*strays >= SYSV_STRAY_MAX) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/*
 * Wait for the reply to seq.  A queue has no fd to poll, so the client
 * looks again at once, giving the CPU away between looks (sched_yield():
 * PID 1 may need it), SYSV_YIELDS times, which is how long PID 1 takes to
 * answer when it is not busy; then it naps between looks, 20 us at first
 * and at most 1 ms.  It checks now and then that PID 1 still lives.  A
 * nap is never as short as asked: the first alone made a round trip
 * take 6 times the raw one of two processes blocked in msgrcv().
 */
static int
client_recv(uint32_t seq, struct wire_msg *rep, int64_t deadline)
{
	int64_t check;
	long nap;
	int r, strays, looks;

	strays = 0;
	nap = SYSV_NAP_MIN_NS;
	check = ipc_now() + SYSV_ALIVE_MS;
	for (looks = 0;; looks++) {
		if ((r = client_take(seq, rep, &strays)) != 0)
			return r == 1 ? 0 : -1;
		if (client_late(deadline))
			return -1;
		if (looks < SYSV_YIELDS) {
			(void)sched_yield();
			continue;
		}
		if (ipc_now() >= check) {
			if (client_alive() == -1)
				return -1;
			check = ipc_now() + SYSV_ALIVE_MS;
		}
		client_nap(nap, deadline);
		if (nap < SYSV_NAP_MAX_NS)
			nap *= 2;
	}
}

/* Send a request and wait for its reply before the deadline. */
int
ipc_client_call(struct wire_msg *req, struct wire_msg *rep, int64_t deadline)
{
	if (cli.reqq == -1) {
		errno = ENOTCONN;
		return -1;
	}
	if (wire_stamp(req, rep, &cli.seq, cli.self) == -1)
		return -1;
	if (client_send(req, deadline) == -1)
		return -1;
	return client_recv(req->h.seq, rep, deadline);
}

/* Forget the queues; they belong to PID 1. */
void
ipc_client_close(void)
{
	cli.reqq = -1;
	cli.repq = -1;
	cli.server = 0;
}
