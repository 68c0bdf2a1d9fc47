/*
 * ipc-test.c - the driver of the IPC unit tests: main(), the message
 * codec's cases, and the cases every backend passes through ipc.h alone.
 *
 * It is linked three times, with ipc-test-socket.c, ipc-test-fifo.c and
 * ipc-test-sysv.c and their backend, whatever --with-ipc chose, so that
 * no backend can rot.  Prints one DejaGnu-style line per case ("PASS:
 * BACKEND: name" or "FAIL: BACKEND: name") and a summary; exits 0 when
 * every case passed.  Servers run in forked children on temporary
 * directories under /tmp, and every wait is bounded, so a broken backend
 * fails a case instead of hanging the run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <config.h>

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc-test.h"
#include "ipc.h"
#include "wire.h"

#define TEST_CLIENTS	20	/* concurrent clients */
#define TEST_CALLS	200	/* calls each */

static int	npass, nfail;
static char	basedir[64];
static int	dircount;

/* Record and print the result of one case. */
void
test_report(const char *name, int ok)
{
	printf("%s: %s: %s\n", ok ? "PASS" : "FAIL", backend_name, name);
	fflush(stdout);
	if (ok)
		npass++;
	else
		nfail++;
}

/* Make a new empty directory under the run's base directory. */
void
test_dir(char *buf, size_t size)
{
	test_dir_name(dircount++, buf, size);
	if (mkdir(buf, 0700) == -1) {
		perror("ipc-test: unable to create a directory");
		exit(1);
	}
}

/* The number of directories made so far. */
int
test_dirs(void)
{
	return dircount;
}

/* The name of the n-th directory. */
void
test_dir_name(int n, char *buf, size_t size)
{
	snprintf(buf, size, "%s/d%d", basedir, n);
}

/* Sleep for ms milliseconds. */
void
test_nap(int ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/* The handler of the test servers: echo, with two special requests. */
static void
test_dispatch(const struct ipc_peer *peer, const struct wire_msg *req,
    struct wire_msg *rep)
{
	struct wire_svc s;
	int32_t who[3];

	if (req->h.type == WIRE_T_NOTIFY && req->h.len == 6 &&
	    memcmp(req->payload, "whoami", 6) == 0) {
		who[0] = peer->pid;
		who[1] = (int32_t)peer->uid;
		who[2] = peer->uid_known;
		(void)wire_put(rep, who, sizeof(who));
		return;
	}
	if (req->h.type == WIRE_T_STATUS) {
		memset(&s, 0, sizeof(s));
		s.state = WIRE_S_RUNNING;
		s.pid = 42;
		s.age = 7;
		if (wire_put_svc(rep, &s, (const char *)req->payload,
		    req->h.len, "hello", 5) == -1)
			rep->h.code = WIRE_E_BADREQ;
		return;
	}
	(void)wire_put(rep, req->payload, req->h.len);
}

/*
 * Block the backend's doorbell and read it from a signalfd, as PID 1
 * does; -1 when the backend has none.
 */
static int
test_doorbell(void)
{
	sigset_t set;

	if (ipc_server_signal() <= 0)
		return -1;
	sigemptyset(&set);
	sigaddset(&set, ipc_server_signal());
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Serve until the parent goes away or the time is up, as PID 1's loop. */
static void
test_serve(pid_t parent, int sfd)
{
	struct pollfd pfd[IPC_CLIENTS_MAX + 2];
	struct signalfd_siginfo si;
	int64_t end, d, now;
	int n, t;

	end = ipc_now() + TEST_SERVER_MS;
	for (;;) {
		n = ipc_server_fds(pfd + 1, IPC_CLIENTS_MAX + 1);
		pfd[0].fd = sfd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		now = ipc_now();
		d = ipc_server_deadline();
		t = 100;
		if (d != -1 && d - now < t)
			t = d - now < 0 ? 0 : (int)(d - now);
		(void)poll(pfd, (nfds_t)n + 1, t);
		while (sfd != -1 && read(sfd, &si, sizeof(si)) > 0)
			continue;
		ipc_server_run(pfd + 1, n, ipc_now(), test_dispatch);
		if (getppid() != parent || ipc_now() > end)
			_exit(0);
	}
}

/* Fork a server on dir, its fds limited to nofile when > 0; -1 on failure. */
pid_t
server_start(const char *dir, int nofile)
{
	struct rlimit rl;
	struct pollfd p;
	pid_t pid, parent;
	char c;
	int pp[2], sfd;

	if (pipe(pp) == -1)
		return -1;
	parent = getpid();
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		close(pp[0]);
		sfd = test_doorbell();
		rl.rlim_cur = rl.rlim_max = (rlim_t)nofile;
		if (nofile > 0 && setrlimit(RLIMIT_NOFILE, &rl) == -1)
			_exit(1);
		c = ipc_server_open(dir) == 0 ? '1' : '0';
		(void)write(pp[1], &c, 1);
		close(pp[1]);
		test_serve(parent, sfd);
	}
	close(pp[1]);
	p.fd = pp[0];
	p.events = POLLIN;
	c = '0';
	if (poll(&p, 1, TEST_WAIT_MS) != 1 || read(pp[0], &c, 1) != 1)
		c = '0';
	close(pp[0]);
	if (c != '1') {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* Wait for pid at most ms; kill it when it overstays.  Returns its status. */
int
test_reap(pid_t pid, int ms, struct rusage *ru)
{
	struct rusage dummy;
	int64_t end;
	int st;

	if (ru == NULL)
		ru = &dummy;
	end = ipc_now() + ms;
	while (ipc_now() < end) {
		if (wait4(pid, &st, WNOHANG, ru) == pid)
			return st;
		if (errno == ECHILD)
			return 0;	/* reaped already (SIGCHLD ignored) */
		test_nap(5);
	}
	kill(pid, SIGKILL);
	(void)wait4(pid, &st, 0, ru);
	return -1;
}

/* Stop a server child, stopped or not. */
void
server_stop(pid_t pid, struct rusage *ru)
{
	if (pid <= 0)
		return;
	kill(pid, SIGCONT);
	kill(pid, SIGTERM);
	(void)test_reap(pid, TEST_WAIT_MS, ru);
}

/* Make a valid request with a payload of text. */
void
test_request(struct wire_msg *m, uint16_t type, const char *text)
{
	wire_init(m, type, 0);
	(void)wire_put(m, text, strlen(text));
}

/* A call with payload text and the check of its echo. */
int
client_echo(const char *text, int64_t deadline)
{
	struct wire_msg req, rep;

	test_request(&req, WIRE_T_VERSION, text);
	if (ipc_client_call(&req, &rep, deadline) == -1)
		return 0;
	return rep.h.code == WIRE_OK && rep.h.seq == req.h.seq &&
	    rep.h.type == WIRE_T_VERSION && (rep.h.flags & WIRE_F_REPLY) &&
	    rep.h.len == strlen(text) && rep.h.pid == getpid() &&
	    memcmp(rep.payload, text, rep.h.len) == 0;
}

/* Ask for the status of name and tell whether the record names it. */
static int
client_status(const char *name, int64_t deadline)
{
	struct wire_msg req, rep;
	struct wire_svc_view v;
	size_t off;

	test_request(&req, WIRE_T_STATUS, name);
	if (ipc_client_call(&req, &rep, deadline) == -1)
		return 0;
	off = 0;
	return rep.h.code == WIRE_OK && wire_get_svc(&rep, &off, &v) == 1 &&
	    v.s.pid == 42 && v.s.namelen == strlen(name) &&
	    memcmp(v.name, name, v.s.namelen) == 0 &&
	    wire_get_svc(&rep, &off, &v) == 0;
}

/* Round trips through the client API: echo, the peer, a record. */
static void
common_test_calls(const char *dir)
{
	struct wire_msg req, rep;
	int32_t who[3];
	int ok;

	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0;
	ok = ok && client_echo("hello", ipc_now() + TEST_WAIT_MS) &&
	    client_echo("", ipc_now() + TEST_WAIT_MS);
	test_report("a client call gets its reply", ok);
	test_request(&req, WIRE_T_NOTIFY, "whoami");
	ok = ok && ipc_client_call(&req, &rep, ipc_now() + TEST_WAIT_MS) == 0 &&
	    rep.h.len == sizeof(who);
	if (ok)
		memcpy(who, rep.payload, sizeof(who));
	test_report(backend_uid_known ?
	    "the server knows the peer's pid and uid" :
	    "the server knows the peer's pid, and that it cannot know its uid",
	    ok && who[0] == getpid() && who[2] == backend_uid_known &&
	    (!backend_uid_known || who[1] == (int32_t)getuid()));
	test_report("a service record crosses the channel",
	    client_status("getty/1", ipc_now() + TEST_WAIT_MS));
	ipc_client_close();
	test_report("a call without a connection is ENOTCONN",
	    ipc_client_call(&req, &rep, ipc_now() + 100) == -1 &&
	    errno == ENOTCONN);
}

/* Calls from one forked client; it exits 0 when every answer was its own. */
static void
common_client(const char *dir, int i)
{
	char name[64];
	int j, ok;

	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0;
	for (j = 0; ok && j < TEST_CALLS; j++) {
		snprintf(name, sizeof(name), "client%d/call%d", i, j);
		ok = client_status(name, ipc_now() + TEST_WAIT_MS);
	}
	ipc_client_close();
	_exit(ok ? 0 : 1);
}

/* Many clients call at the same time; each answer names its question. */
static void
common_test_concurrent(const char *dir)
{
	pid_t pid[TEST_CLIENTS];
	int i, ok, st;

	for (i = 0; i < TEST_CLIENTS; i++) {
		if ((pid[i] = fork()) == 0)
			common_client(dir, i);
	}
	ok = 1;
	for (i = 0; i < TEST_CLIENTS; i++) {
		st = -1;
		if (pid[i] != -1)
			st = test_reap(pid[i], 6 * TEST_WAIT_MS, NULL);
		ok = ok && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	test_report("20 concurrent clients, 200 calls each, get their own "
	    "answers", ok);
}

/*
 * A stopped server makes a call time out at its deadline; once it runs
 * again, the late answer to that call is skipped and the next is right.
 */
static void
common_test_stopped(const char *dir, pid_t srv)
{
	struct wire_msg req, rep;
	int64_t t0, dt;
	int ok;

	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    kill(srv, SIGSTOP) == 0;
	test_nap(50);
	test_request(&req, WIRE_T_VERSION, "anyone?");
	t0 = ipc_now();
	ok = ok && ipc_client_call(&req, &rep, t0 + 300) == -1 &&
	    errno == ETIMEDOUT;
	dt = ipc_now() - t0;
	test_report("a stopped server makes a call time out at its deadline",
	    ok && dt >= 290 && dt < 2000);
	kill(srv, SIGCONT);
	ok = client_echo("awake", ipc_now() + TEST_WAIT_MS) &&
	    client_echo("again", ipc_now() + TEST_WAIT_MS);
	test_report("a late reply is skipped and the next call is answered",
	    ok);
	ipc_client_close();
}

/* Kill pid after ms, from a child; returns the child. */
static pid_t
test_kill_later(pid_t pid, int ms)
{
	pid_t k;

	if ((k = fork()) == 0) {
		test_nap(ms);
		kill(pid, SIGKILL);
		_exit(0);
	}
	return k;
}

/* A server that dies under a waiting client, then no server at all. */
static void
common_test_gone(void)
{
	struct wire_msg req, rep;
	char dir[128];
	int64_t t0, dt;
	pid_t srv, k;
	int ok, e;

	test_dir(dir, sizeof(dir));
	srv = server_start(dir, 0);
	ok = srv != -1 && ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    kill(srv, SIGSTOP) == 0;
	/* A dead server must not linger as our zombie: a pid that lives. */
	signal(SIGCHLD, SIG_IGN);
	k = ok ? test_kill_later(srv, 200) : -1;
	test_request(&req, WIRE_T_VERSION, "still there?");
	t0 = ipc_now();
	ok = ok && ipc_client_call(&req, &rep, t0 + 3000) == -1;
	e = errno;
	dt = ipc_now() - t0;
	signal(SIGCHLD, SIG_DFL);
	test_report("a server that dies under a waiting client gives "
	    "ECONNRESET", ok && (e == ECONNRESET || e == EPIPE) && dt < 2000);
	ipc_client_close();
	if (k > 0)
		(void)test_reap(k, TEST_WAIT_MS, NULL);
	if (srv > 0)
		(void)test_reap(srv, TEST_WAIT_MS, NULL);
	test_report("with its server gone, open is ECONNREFUSED",
	    ipc_client_open(dir, ipc_now() + 1000) == -1 &&
	    errno == ECONNREFUSED);
	test_dir(dir, sizeof(dir));
	test_report("with no server ever, open is ENOENT",
	    ipc_client_open(dir, ipc_now() + 1000) == -1 && errno == ENOENT);
}

/* The cases every backend passes, through ipc.h alone. */
static void
common_test(void)
{
	char dir[128];
	pid_t srv;

	test_report("the backend is called by its name",
	    strcmp(ipc_name(), backend_name) == 0);
	test_dir(dir, sizeof(dir));
	srv = server_start(dir, 0);
	test_report("a server starts in a fresh rundir", srv != -1);
	if (srv != -1) {
		common_test_calls(dir);
		common_test_concurrent(dir);
		common_test_stopped(dir, srv);
		server_stop(srv, NULL);
	}
	common_test_gone();
}

/* Round trip of two records through put_svc and get_svc. */
static void
wire_test_roundtrip(void)
{
	struct wire_msg m;
	struct wire_svc s;
	struct wire_svc_view v;
	size_t off;
	int ok;

	wire_init(&m, WIRE_T_LIST, 9);
	memset(&s, 0, sizeof(s));
	s.state = WIRE_S_FAILED;
	s.why = WIRE_W_DEPFAIL;
	s.pid = 0;
	s.detail = -3;
	s.restarts = 5;
	s.age = 77;
	ok = wire_put(&m, "\0\0\0\0", 4) == 0 &&
	    wire_put_svc(&m, &s, "web", 3, "db", 2) == 0;
	s.state = WIRE_S_RUNNING;
	s.why = WIRE_W_NONE;
	s.pid = 1234;
	ok = ok && wire_put_svc(&m, &s, "getty/2", 7, NULL, 0) == 0;
	off = 4;
	ok = ok && wire_get_svc(&m, &off, &v) == 1 && off % 4 == 0 &&
	    v.s.state == WIRE_S_FAILED && v.s.why == WIRE_W_DEPFAIL &&
	    v.s.detail == -3 && v.s.restarts == 5 && v.s.age == 77 &&
	    v.s.namelen == 3 && memcmp(v.name, "web", 3) == 0 &&
	    v.s.infolen == 2 && memcmp(v.info, "db", 2) == 0;
	ok = ok && wire_get_svc(&m, &off, &v) == 1 && v.s.pid == 1234 &&
	    v.s.namelen == 7 && memcmp(v.name, "getty/2", 7) == 0 &&
	    v.s.infolen == 0 && off == m.h.len;
	ok = ok && wire_get_svc(&m, &off, &v) == 0;
	ok = ok && wire_check(&m, WIRE_HDR_SIZE + m.h.len, NULL) == 0;
	test_report("wire: put_svc and get_svc round trip", ok);
}

/* Build a message holding one record named "svc" for the bounds cases. */
static void
wire_one_record(struct wire_msg *m)
{
	struct wire_svc s;

	memset(&s, 0, sizeof(s));
	s.state = WIRE_S_DONE;
	wire_init(m, WIRE_T_STATUS, 1);
	(void)wire_put_svc(m, &s, "svc", 3, "some text", 9);
}

/* get_svc refuses records that do not fit or carry bad values. */
static void
wire_test_bounds(void)
{
	struct wire_msg m;
	struct wire_svc_view v;
	size_t off;
	uint16_t full;

	wire_one_record(&m);
	full = m.h.len;
	m.h.len = 20;
	off = 0;
	test_report("wire: get_svc rejects a truncated fixed part",
	    wire_get_svc(&m, &off, &v) == -1 && errno == EBADMSG && off == 0);
	m.h.len = full - 4;
	off = 0;
	test_report("wire: get_svc rejects a truncated record",
	    wire_get_svc(&m, &off, &v) == -1 && errno == EBADMSG);
	m.h.len = full;
	m.payload[3] = 200;
	off = 0;
	test_report("wire: get_svc rejects namelen beyond the payload",
	    wire_get_svc(&m, &off, &v) == -1 && errno == EBADMSG);
	m.payload[3] = 0;
	off = 0;
	test_report("wire: get_svc rejects an empty name",
	    wire_get_svc(&m, &off, &v) == -1 && errno == EBADMSG);
	wire_one_record(&m);
	m.payload[0] = WIRE_S_MAX + 1;
	off = 0;
	test_report("wire: get_svc rejects a bad state",
	    wire_get_svc(&m, &off, &v) == -1 && errno == EBADMSG);
	wire_one_record(&m);
	m.payload[1] = WIRE_W_MAX + 1;
	off = 0;
	test_report("wire: get_svc rejects a bad reason",
	    wire_get_svc(&m, &off, &v) == -1 && errno == EBADMSG);
	wire_one_record(&m);
	off = (size_t)m.h.len + 4;
	test_report("wire: get_svc rejects an offset past the end",
	    wire_get_svc(&m, &off, &v) == -1 && errno == EBADMSG);
}

/* A STATUS reply: a record, then a wire_svcx; bad ones are refused. */
static void
wire_test_svcx(void)
{
	struct wire_svcx_view xv;
	struct wire_svc_view v;
	struct wire_svcx x;
	struct wire_msg m;
	size_t off, at;
	int ok;

	wire_one_record(&m);
	off = 0;
	ok = wire_get_svc(&m, &off, &v) == 1 &&
	    wire_get_svcx(&m, &off, &xv) == 0;
	test_report("wire: get_svcx finds none after the record of an older "
	    "pinit", ok);
	at = m.h.len;
	memset(&x, 0, sizeof(x));
	x.stop_ms = 15000;
	x.lastwhy = WIRE_W_SIGNAL;
	x.lastdetail = 9;
	x.logmode = WIRE_LOG_FILE;
	ok = wire_put_svcx(&m, &x, "up", 2, "a\nbb\n", 5) == 0 &&
	    m.h.len % 4 == 0;
	off = 0;
	ok = ok && wire_get_svc(&m, &off, &v) == 1 && off == at &&
	    wire_get_svcx(&m, &off, &xv) == 1 && off == m.h.len &&
	    xv.x.stop_ms == 15000 && xv.x.lastwhy == WIRE_W_SIGNAL &&
	    xv.x.lastdetail == 9 && xv.x.textlen == 2 &&
	    memcmp(xv.text, "up", 2) == 0 && xv.x.loglen == 5 &&
	    memcmp(xv.log, "a\nbb\n", 5) == 0;
	test_report("wire: put_svcx and get_svcx round trip", ok);
	m.h.len -= 4;
	off = at;
	test_report("wire: get_svcx rejects a truncated one",
	    wire_get_svcx(&m, &off, &xv) == -1 && errno == EBADMSG);
	m.h.len += 4;
	m.payload[at + offsetof(struct wire_svcx, logmode)] = WIRE_LOG_MAX + 1;
	off = at;
	test_report("wire: get_svcx rejects a bad log mode",
	    wire_get_svcx(&m, &off, &xv) == -1 && errno == EBADMSG);
	m.payload[at + offsetof(struct wire_svcx, logmode)] = WIRE_LOG_FILE;
	m.payload[at + offsetof(struct wire_svcx, textlen)] = 250;
	off = at;
	test_report("wire: get_svcx rejects a text beyond the payload",
	    wire_get_svcx(&m, &off, &xv) == -1 && errno == EBADMSG);
	test_report("wire: put_svcx refuses more log than its lines hold",
	    wire_put_svcx(&m, &x, NULL, 0, (const char *)m.payload,
	    WIRE_LOG_LINES * (WIRE_LOG_LINE_MAX + 1) + 1) == -1 &&
	    errno == EINVAL);
}

/*
 * The hot updates: after VERSION's text and a NUL (padded), alone after
 * UPDATE; none from an older pinit; bad ones are refused.
 */
static void
wire_test_upd(void)
{
	static const char why[] = "unable to execute /x: Permission denied";
	struct wire_upd_view uv;
	struct wire_upd u;
	struct wire_msg m;
	size_t off;
	int ok;

	wire_init(&m, WIRE_T_VERSION, 1);
	(void)wire_put(&m, "pinit 1 socket", 15);
	off = 15;
	ok = wire_get_upd(&m, &off, &uv) == 0;
	memset(&u, 0, sizeof(u));
	u.gen = 2;
	u.attempt = 3;
	u.failed = 3;
	u.err = 13;
	ok = ok && wire_put_upd(&m, &u, why, strlen(why)) == 0 &&
	    m.h.len % 4 == 0;
	off = 15;
	ok = ok && wire_get_upd(&m, &off, &uv) == 1 && off == m.h.len &&
	    uv.u.gen == 2 && uv.u.attempt == 3 && uv.u.failed == 3 &&
	    uv.u.err == 13 && uv.u.whylen == strlen(why) &&
	    memcmp(uv.why, why, strlen(why)) == 0;
	test_report("wire: put_upd and get_upd round trip after a text", ok);
	m.h.len = 15;
	off = 15;
	test_report("wire: get_upd finds none in a VERSION reply of an older "
	    "pinit", wire_get_upd(&m, &off, &uv) == 0);
	wire_init(&m, WIRE_T_UPDATE, 1);
	ok = wire_put_upd(&m, &u, why, strlen(why)) == 0;
	m.payload[offsetof(struct wire_upd, whylen)] = 250;
	off = 0;
	test_report("wire: get_upd rejects a text beyond the payload",
	    ok && wire_get_upd(&m, &off, &uv) == -1 && errno == EBADMSG);
	m.h.len = sizeof(u) - 4;
	off = 0;
	test_report("wire: get_upd rejects a truncated one",
	    wire_get_upd(&m, &off, &uv) == -1 && errno == EBADMSG);
}

/* put and put_svc stop exactly at the payload limit. */
static void
wire_test_put(void)
{
	static const char big[WIRE_PAYLOAD_MAX + 1];
	static const char longinfo[300];
	struct wire_msg m;
	struct wire_svc s;
	struct wire_svc_view v;
	size_t off;
	int ok;

	wire_init(&m, WIRE_T_VERSION, 1);
	ok = wire_put(&m, big, WIRE_PAYLOAD_MAX + 1) == -1 &&
	    errno == EMSGSIZE && m.h.len == 0;
	ok = ok && wire_put(&m, big, WIRE_PAYLOAD_MAX - 28) == 0 &&
	    wire_put(&m, big, 1) == 0;
	memset(&s, 0, sizeof(s));
	ok = ok && wire_put_svc(&m, &s, "abcd", 4, NULL, 0) == -1 &&
	    errno == EMSGSIZE;
	ok = ok && wire_put(&m, big, 27) == 0 && m.h.len == WIRE_PAYLOAD_MAX &&
	    wire_put(&m, big, 1) == -1 && errno == EMSGSIZE;
	test_report("wire: put refuses what does not fit", ok);
	wire_init(&m, WIRE_T_STATUS, 1);
	ok = wire_put_svc(&m, &s, "x", 0, NULL, 0) == -1 && errno == EINVAL;
	ok = ok && wire_put_svc(&m, &s, big, 256, NULL, 0) == -1 &&
	    errno == EINVAL;
	ok = ok && wire_put_svc(&m, &s, "x", 1, longinfo, 300) == 0;
	off = 0;
	ok = ok && wire_get_svc(&m, &off, &v) == 1 &&
	    v.s.infolen == WIRE_INFO_MAX;
	test_report("wire: put_svc checks the name and cuts long text", ok);
}

/* Run wire_check on a copy of m sent as n bytes; expect errno e. */
static int
wire_rejects(const struct wire_msg *m, size_t n, int e)
{
	struct wire_msg out;

	errno = 0;
	return wire_check(m, n, &out) == -1 && errno == e;
}

/* wire_check refuses every kind of malformed header. */
static void
wire_test_check(void)
{
	struct wire_msg m;
	size_t n;

	test_request(&m, WIRE_T_STATUS, "net");
	n = WIRE_HDR_SIZE + m.h.len;
	test_report("wire: check accepts a valid request",
	    wire_check(&m, n, NULL) == 0);
	test_report("wire: check rejects a short message",
	    wire_rejects(&m, WIRE_HDR_SIZE - 1, EBADMSG) &&
	    wire_rejects(&m, 0, EBADMSG));
	m.h.magic ^= 1;
	test_report("wire: check rejects a bad magic",
	    wire_rejects(&m, n, EBADMSG));
	m.h.magic ^= 1;
	test_report("wire: check rejects a length mismatch",
	    wire_rejects(&m, n - 1, EBADMSG) &&
	    wire_rejects(&m, n + 1, EBADMSG));
	m.h.len = WIRE_PAYLOAD_MAX + 1;
	test_report("wire: check rejects an oversized message",
	    wire_rejects(&m, WIRE_HDR_SIZE + m.h.len, EBADMSG) &&
	    wire_rejects(&m, WIRE_MSG_MAX, EBADMSG));
	m.h.len = 3;
	m.h.type = 0;
	test_report("wire: check rejects an unknown type",
	    wire_rejects(&m, n, EBADMSG) &&
	    (m.h.type = WIRE_T_MAX + 1, wire_rejects(&m, n, EBADMSG)));
	m.h.type = WIRE_T_STATUS;
	m.h.flags = 0x0100;
	test_report("wire: check rejects an unknown flag",
	    wire_rejects(&m, n, EBADMSG));
	m.h.flags = 0;
	m.h.version = WIRE_VERSION + 1;
	test_report("wire: check reports another version as EPROTO",
	    wire_rejects(&m, n, EPROTO));
	m.h.version = WIRE_VERSION;
	m.h.code = 1;
	test_report("wire: check rejects a request with a code",
	    wire_rejects(&m, n, EBADMSG));
	m.h.flags = WIRE_F_REPLY;
	m.h.code = WIRE_E_MAX + 1;
	test_report("wire: check rejects an unknown reply code",
	    wire_rejects(&m, n, EBADMSG) &&
	    (m.h.code = -1, wire_rejects(&m, n, EBADMSG)));
}

/* wire_name_ok accepts paths and refuses what could escape or confuse. */
static void
wire_test_names(void)
{
	static const char *const good[] = { "net", "getty/2", "a.b", "..x",
	    "x..", "a/.b/c" };
	static const char *const bad[] = { "", "/net", "net/", "a//b", ".",
	    "..", "a/../b", "a/./b", "../x", "x/..", "a b", "a\tb", "a\nb",
	    "\x7f", "caf\xc3\xa9" };
	char longname[WIRE_NAME_MAX + 2];
	size_t i;
	int ok;

	ok = 1;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok = ok && wire_name_ok(good[i], strlen(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok = ok && !wire_name_ok(bad[i], strlen(bad[i]));
	memset(longname, 'a', sizeof(longname));
	ok = ok && wire_name_ok(longname, WIRE_NAME_MAX) &&
	    !wire_name_ok(longname, WIRE_NAME_MAX + 1) &&
	    !wire_name_ok("a\0b", 3);
	test_report("wire: name_ok accepts names and refuses bad ones", ok);
	ok = strcmp(wire_state_name(WIRE_S_EXECFAIL), "exec-failed") == 0 &&
	    strcmp(wire_state_name(WIRE_S_MAX + 1), "unknown") == 0 &&
	    strcmp(wire_code_text(WIRE_E_STATE),
	    "not possible in this state") == 0 &&
	    strcmp(wire_code_text(99), "unknown") == 0 &&
	    strcmp(wire_type_name(WIRE_T_INITCTL), "initctl") == 0 &&
	    strcmp(wire_type_name(WIRE_T_VERSION), "version") == 0 &&
	    strcmp(wire_type_name(0), "unknown") == 0;
	test_report("wire: names of states, codes and types", ok);
}


/* Remove one entry of the test's tree; nftw() walks it depth first. */
static int
test_unlink(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

/* Remove the test's directories and what the backend left elsewhere. */
static void
test_cleanup(void)
{
	backend_cleanup();
	if (nftw(basedir, test_unlink, 16, FTW_DEPTH | FTW_PHYS) == -1)
		fprintf(stderr, "ipc-test: unable to remove %s: %s\n",
		    basedir, strerror(errno));
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	snprintf(basedir, sizeof(basedir), "/tmp/ipc-test.XXXXXX");
	if (mkdtemp(basedir) == NULL) {
		perror("ipc-test: unable to create a directory");
		return 1;
	}
	wire_test_roundtrip();
	wire_test_bounds();
	wire_test_svcx();
	wire_test_upd();
	wire_test_put();
	wire_test_check();
	wire_test_names();
	common_test();
	backend_test();
	test_cleanup();
	printf("ipc-test-%s: %d passed, %d failed\n", backend_name, npass,
	    nfail);
	return nfail == 0 ? 0 : 1;
}
