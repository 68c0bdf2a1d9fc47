/*
 * ipc-test-sysv.c - the unit cases only the sysv backend has: the keys,
 * the queues' owner and mode, squatted queues, msg_lrpid, raw messages,
 * full queues and replies nobody takes.
 *
 * Linked with ipc-test.c (the shared driver) and ipc/sysv.c alone.  Every
 * rundir here is a fresh directory under /tmp, so its keys are a hash of
 * that path (sysv.h) and never the configured key of a real pinit; the
 * queues are removed at the end.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <config.h>

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipc-test.h"
#include "ipc.h"
#include "sysv.h"
#include "wire.h"

#define SYSV_JUNK	4000	/* bytes of a junk message */
#define SYSV_FILL_MAX	4096	/* messages one fill may send */
#define SYSV_NOBODY	65534	/* another owner for a squatted queue */

const char	backend_name[] = "sysv";
const int	backend_uid_known = 0;

static struct sysv_msg	qbuf;

/* The id of queue 0 (requests) or 1 (replies) of dir, or -1. */
static int
q_id(const char *dir, int which)
{
	key_t k[2];

	if (sysv_keys(dir, &k[0], &k[1]) == -1)
		return -1;
	return msgget(k[which], 0);
}

/* Make queue which of dir with mode; -1 on failure. */
static int
q_make(const char *dir, int which, int mode)
{
	key_t k[2];

	if (sysv_keys(dir, &k[0], &k[1]) == -1)
		return -1;
	return msgget(k[which], IPC_CREAT | IPC_EXCL | mode);
}

/* The number of messages in queue id, or -1. */
static long
q_count(int id)
{
	struct msqid_ds ds;

	if (id == -1 || msgctl(id, IPC_STAT, &ds) == -1)
		return -1;
	return (long)ds.msg_qnum;
}

/* Tell whether queue id is owned and made by us with mode 0600. */
static int
q_private(int id)
{
	struct msqid_ds ds;

	if (id == -1 || msgctl(id, IPC_STAT, &ds) == -1)
		return 0;
	return ds.msg_perm.uid == geteuid() && ds.msg_perm.cuid == geteuid() &&
	    (ds.msg_perm.mode & 0777) == 0600;
}

/* Put n bytes of m into queue id as mtype, without waiting. */
static int
q_put(int id, long mtype, const void *m, size_t n)
{
	qbuf.mtype = mtype;
	memcpy(&qbuf.m, m, n);
	return msgsnd(id, &qbuf, n, IPC_NOWAIT);
}

/*
 * Fill queue id with junk of mtype until not even one byte fits: big
 * messages first, then smaller ones.  0 on success.
 */
static int
q_fill(int id, long mtype)
{
	static const char junk[SYSV_JUNK];
	static const size_t size[] = { SYSV_JUNK, 1000, 100, 10, 1 };
	size_t k;
	int i;

	for (k = 0; k < sizeof(size) / sizeof(size[0]); k++) {
		for (i = 0; i < SYSV_FILL_MAX; i++) {
			if (q_put(id, mtype, junk, size[k]) == -1)
				break;
		}
		if (i == SYSV_FILL_MAX || errno != EAGAIN)
			return -1;
	}
	return 0;
}

/* Take one message of mtype from queue id within ms; its size or -1. */
static ssize_t
q_take(int id, long mtype, int ms)
{
	int64_t end;
	ssize_t r;

	end = ipc_now() + ms;
	for (;;) {
		r = msgrcv(id, &qbuf, sizeof(qbuf.m), mtype,
		    IPC_NOWAIT | MSG_NOERROR);
		if (r >= 0 || errno != ENOMSG || ipc_now() >= end)
			return r;
		test_nap(5);
	}
}

/* Wait at most ms until queue id holds n messages. */
static int
q_wait_count(int id, long n, int ms)
{
	int64_t end;

	end = ipc_now() + ms;
	while (q_count(id) != n && ipc_now() < end)
		test_nap(20);
	return q_count(id) == n;
}

/* The pid of a child that has already ended. */
static pid_t
sysv_dead_pid(void)
{
	pid_t pid;

	if ((pid = fork()) == 0)
		_exit(0);
	(void)test_reap(pid, TEST_WAIT_MS, NULL);
	return pid;
}

/*
 * Send m raw to dir's server as from pid, ring, and tell whether the
 * answer taken for pid has code and seq.
 */
static int
raw_refused(const char *dir, pid_t srv, struct wire_msg *m, int32_t code,
    uint32_t seq)
{
	struct wire_msg r;
	ssize_t n;

	m->h.pid = getpid();
	if (q_put(q_id(dir, 0), SYSV_T_REQUEST, m,
	    WIRE_HDR_SIZE + (size_t)m->h.len) == -1 ||
	    kill(srv, SYSV_DOORBELL) == -1)
		return 0;
	n = q_take(q_id(dir, 1), getpid(), TEST_WAIT_MS);
	if (n < 0 || wire_check(&qbuf.m, (size_t)n, &r) == -1)
		return 0;
	return r.h.code == code && r.h.seq == seq &&
	    (r.h.flags & WIRE_F_REPLY) != 0;
}

/* The keys: the configured one for the default rundir, a hash elsewhere. */
static void
sysv_test_keys(void)
{
	char slash[256];
	key_t a, b, c, d;
	int ok;

	snprintf(slash, sizeof(slash), "%s//", PINIT_RUNDIR);
	ok = sysv_keys(PINIT_RUNDIR, &a, &b) == 0 && a == PINIT_MSGQ_KEY &&
	    b == PINIT_MSGQ_KEY + 1 && sysv_keys(slash, &c, &d) == 0 &&
	    c == a && d == b;
	test_report("the default rundir has the configured key, replies "
	    "key + 1", ok);
	ok = sysv_keys("/run/inner", &c, &d) == 0 && c != a && c != b &&
	    d == c + 1 && c != IPC_PRIVATE && d != IPC_PRIVATE &&
	    sysv_keys("", &c, &d) == -1 && errno == ENOENT;
	test_report("another rundir has keys of its own", ok);
	test_report("the doorbell is SIGRTMIN+10",
	    ipc_server_signal() == SIGRTMIN + 10);
}

/* The server's queues: private, and msg_lrpid names the server. */
static void
sysv_test_queues(const char *dir, pid_t srv)
{
	struct msqid_ds ds;
	int ok;

	ok = q_private(q_id(dir, 0)) && q_private(q_id(dir, 1));
	test_report("the server makes both queues 0600, owned and made by it",
	    ok);
	ok = msgctl(q_id(dir, 0), IPC_STAT, &ds) == 0 && ds.msg_lrpid == srv;
	test_report("the request queue's msg_lrpid names the server", ok);
}

/* An open server watches no fd, wants a run at once, then waits. */
static void
sysv_test_inproc(void)
{
	struct pollfd pfd[2];
	char dir[128];
	int ok;

	test_dir(dir, sizeof(dir));
	ok = ipc_server_open(dir) == 0 && ipc_server_is_open() &&
	    ipc_server_fds(pfd, 2) == 0 && ipc_server_deadline() == 0;
	ipc_server_run(NULL, 0, ipc_now(), NULL);
	ok = ok && ipc_server_deadline() == -1;
	ipc_server_close();
	test_report("an open server watches no fd and runs at once, then "
	    "waits", ok && !ipc_server_is_open() && q_id(dir, 0) != -1);
}

/*
 * Squatted queues are removed and made again; a client never uses a
 * queue that is not private.
 */
static void
sysv_test_squat(void)
{
	struct msqid_ds ds;
	char dir[128];
	int old[2], ok, i;
	pid_t srv;

	test_dir(dir, sizeof(dir));
	old[0] = q_make(dir, 0, 0666);
	old[1] = q_make(dir, 1, 0666);
	ok = old[0] != -1 && old[1] != -1;
	/* Another owner too, when we may give it away (as root). */
	if (ok && geteuid() == 0 && msgctl(old[0], IPC_STAT, &ds) == 0) {
		ds.msg_perm.uid = SYSV_NOBODY;
		(void)msgctl(old[0], IPC_SET, &ds);
	}
	test_report("a client refuses a queue that is not private", ok &&
	    ipc_client_open(dir, ipc_now() + 100) == -1 &&
	    errno == ECONNREFUSED);
	srv = ok ? server_start(dir, 0) : -1;
	for (i = 0; i < 2; i++) {
		ok = ok && msgctl(old[i], IPC_STAT, &ds) == -1 &&
		    q_id(dir, i) != old[i] && q_private(q_id(dir, i));
	}
	test_report("squatted queues with mode 0666 are removed and made "
	    "again", ok && srv != -1);
	ok = srv != -1 && ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("unsquatted", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	test_report("the remade queues serve", ok);
	server_stop(srv, NULL);
}

/* A request queued before the server opened is answered; old replies go. */
static void
sysv_test_reopen(void)
{
	struct wire_msg m, r;
	char dir[128];
	ssize_t n;
	pid_t srv;
	int req, rep, ok;

	test_dir(dir, sizeof(dir));
	req = q_make(dir, 0, 0600);
	rep = q_make(dir, 1, 0600);
	test_request(&m, WIRE_T_VERSION, "early");
	m.h.seq = 9;
	m.h.pid = getpid();
	ok = req != -1 && rep != -1 &&
	    q_put(req, SYSV_T_REQUEST, &m, WIRE_HDR_SIZE + m.h.len) == 0 &&
	    q_put(rep, 424242, &m, WIRE_HDR_SIZE + m.h.len) == 0;
	srv = ok ? server_start(dir, 0) : -1;
	ok = srv != -1 && q_id(dir, 0) == req;
	n = ok ? q_take(q_id(dir, 1), getpid(), TEST_WAIT_MS) : -1;
	ok = n > 0 && wire_check(&qbuf.m, (size_t)n, &r) == 0 &&
	    r.h.seq == 9 && r.h.len == 5;
	test_report("a request queued before the server opened is answered",
	    ok);
	test_report("replies left by an earlier server are dropped at open",
	    srv != -1 && q_id(dir, 1) != rep && q_count(q_id(dir, 1)) == 0);
	server_stop(srv, NULL);
}

/* Raw messages that are not requests, or bad ones. */
static void
sysv_test_malformed(const char *dir, pid_t srv)
{
	struct wire_msg m;
	int ok;

	ok = q_put(q_id(dir, 0), SYSV_T_REQUEST, "garbage!!", 9) == 0 &&
	    q_put(q_id(dir, 0), 77, "other", 5) == 0 &&
	    kill(srv, SYSV_DOORBELL) == 0 && q_wait_count(q_id(dir, 0), 0,
	    TEST_WAIT_MS);
	ok = ok && ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("after garbage", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	test_report("garbage and other types are drained; the next call is "
	    "answered", ok);
	test_request(&m, WIRE_T_STATUS, "net");
	m.h.seq = 77;
	m.h.version = WIRE_VERSION + 1;
	test_report("another version is refused with its seq",
	    raw_refused(dir, srv, &m, WIRE_E_VERSION, 77));
	test_request(&m, WIRE_T_STATUS, "net");
	m.h.flags = WIRE_F_REPLY;
	m.h.seq = 5;
	test_report("a request flagged as a reply is refused",
	    raw_refused(dir, srv, &m, WIRE_E_BADREQ, 5));
}

/* A reply for a client that is gone is taken back after 5 s. */
static void
sysv_test_unread(const char *dir, pid_t srv)
{
	struct wire_msg m;
	int ok;

	test_request(&m, WIRE_T_VERSION, "for the dead");
	m.h.pid = sysv_dead_pid();
	ok = q_put(q_id(dir, 0), SYSV_T_REQUEST, &m,
	    WIRE_HDR_SIZE + m.h.len) == 0 && kill(srv, SYSV_DOORBELL) == 0 &&
	    q_wait_count(q_id(dir, 1), 1, TEST_WAIT_MS);
	ok = ok && q_count(q_id(dir, 1)) == 1 && q_wait_count(q_id(dir, 1), 0,
	    IPC_CLIENT_TIMEOUT_MS + 2000);
	test_report("a reply nobody takes is taken back after 5 s", ok);
}

/* A client drops replies left for an earlier process with its pid. */
static void
sysv_test_leftover(const char *dir)
{
	struct wire_msg m;
	int ok;

	test_request(&m, WIRE_T_VERSION, "stale");
	m.h.flags = WIRE_F_REPLY;
	m.h.seq = 12345;
	ok = q_put(q_id(dir, 1), getpid(), &m, WIRE_HDR_SIZE + m.h.len) == 0 &&
	    ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    q_count(q_id(dir, 1)) == 0 &&
	    client_echo("fresh", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	test_report("a client drops replies left for an earlier holder of "
	    "its pid", ok);
}

/* A full request queue times a call out; then it is drained. */
static void
sysv_test_full_requests(const char *dir, pid_t srv)
{
	struct wire_msg req, rep;
	int64_t t0, dt;
	int ok;

	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    kill(srv, SIGSTOP) == 0 &&
	    q_fill(q_id(dir, 0), SYSV_T_REQUEST) == 0;
	test_request(&req, WIRE_T_VERSION, "room?");
	t0 = ipc_now();
	ok = ok && ipc_client_call(&req, &rep, t0 + 300) == -1 &&
	    errno == ETIMEDOUT;
	dt = ipc_now() - t0;
	test_report("a full request queue makes a call time out, not hang",
	    ok && dt >= 290 && dt < 2000);
	kill(srv, SIGCONT);
	ok = client_echo("drained", ipc_now() + TEST_WAIT_MS) &&
	    q_wait_count(q_id(dir, 0), 0, TEST_WAIT_MS);
	ipc_client_close();
	test_report("the server drains a full request queue and answers", ok);
}

/* A reply that finds the reply queue full waits, then makes room. */
static void
sysv_test_full_replies(const char *dir)
{
	int64_t t0, dt;
	int ok;

	ok = q_fill(q_id(dir, 1), 424242) == 0 &&
	    ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0;
	t0 = ipc_now();
	ok = ok && client_echo("room at last", t0 + 3 * TEST_WAIT_MS);
	dt = ipc_now() - t0;
	ipc_client_close();
	test_report("a reply that finds the queue full is sent once it makes "
	    "room", ok && dt < IPC_CLIENT_TIMEOUT_MS + 3000);
	while (q_take(q_id(dir, 1), 424242, 0) > 0)
		continue;
}

/* Run the cases that share one server. */
static void
sysv_test_server(void)
{
	char dir[128];
	pid_t srv;

	test_dir(dir, sizeof(dir));
	srv = server_start(dir, 0);
	if (srv == -1) {
		test_report("a server for the sysv cases starts", 0);
		return;
	}
	sysv_test_queues(dir, srv);
	sysv_test_malformed(dir, srv);
	sysv_test_leftover(dir);
	sysv_test_unread(dir, srv);
	sysv_test_full_requests(dir, srv);
	sysv_test_full_replies(dir);
	server_stop(srv, NULL);
}

/* The cases only the sysv backend has. */
void
backend_test(void)
{
	sysv_test_keys();
	sysv_test_inproc();
	sysv_test_squat();
	sysv_test_reopen();
	sysv_test_server();
}

/* Remove the queues of every directory the run made. */
void
backend_cleanup(void)
{
	char dir[128];
	int i, w, id;

	for (i = 0; i < test_dirs(); i++) {
		test_dir_name(i, dir, sizeof(dir));
		for (w = 0; w < 2; w++) {
			if ((id = q_id(dir, w)) != -1)
				(void)msgctl(id, IPC_RMID, NULL);
		}
	}
}
