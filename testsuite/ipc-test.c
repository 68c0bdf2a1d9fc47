/*
 * ipc-test.c - unit test of the message codec and the socket backend.
 *
 * Prints one DejaGnu-style line per case ("PASS: name" or "FAIL: name")
 * and a summary; exits 0 when every case passed.  Servers run in forked
 * children on temporary directories under /tmp, and every wait is
 * bounded, so a broken backend fails a case instead of hanging the run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <config.h>

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"
#include "wire.h"

#define TEST_WAIT_MS	5000	/* longest wait for anything expected */
#define TEST_SERVER_MS	60000	/* a server child gives up after this */
#define TEST_RAW_MAX	70	/* raw connections one case may hold */

static int	npass, nfail;
static char	basedir[64];
static int	dircount;

/* Record and print the result of one case. */
static void
test_report(const char *name, int ok)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", name);
	fflush(stdout);
	if (ok)
		npass++;
	else
		nfail++;
}

/* Make a new empty directory under the test's base directory. */
static void
test_dir(char *buf, size_t size)
{
	snprintf(buf, size, "%s/d%d", basedir, dircount++);
	if (mkdir(buf, 0700) == -1) {
		perror("ipc-test: unable to create a directory");
		exit(1);
	}
}

/* Fill *sa with DIR/control. */
static void
test_addr(const char *dir, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if ((size_t)snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/control",
	    dir) >= sizeof(sa->sun_path)) {
		fprintf(stderr, "ipc-test: %s: path too long\n", dir);
		exit(1);
	}
}

/* Sleep for ms milliseconds. */
static void
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

/* Serve dir until the parent goes away or the time is up. */
static void
test_serve(pid_t parent)
{
	struct pollfd pfd[IPC_CLIENTS_MAX + 1];
	int64_t end, d, now;
	int n, t;

	end = ipc_now() + TEST_SERVER_MS;
	for (;;) {
		n = ipc_server_fds(pfd, IPC_CLIENTS_MAX + 1);
		now = ipc_now();
		d = ipc_server_deadline();
		t = 100;
		if (d != -1 && d - now < t)
			t = d - now < 0 ? 0 : (int)(d - now);
		(void)poll(pfd, (nfds_t)n, t);
		ipc_server_run(pfd, n, ipc_now(), test_dispatch);
		if (getppid() != parent || ipc_now() > end)
			_exit(0);
	}
}

/* Fork a server on dir, its fds limited to nofile when > 0; -1 on failure. */
static pid_t
server_start(const char *dir, int nofile)
{
	struct rlimit rl;
	struct pollfd p;
	pid_t pid, parent;
	char c;
	int pp[2];

	if (pipe(pp) == -1)
		return -1;
	parent = getpid();
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		close(pp[0]);
		rl.rlim_cur = rl.rlim_max = (rlim_t)nofile;
		if (nofile > 0 && setrlimit(RLIMIT_NOFILE, &rl) == -1)
			_exit(1);
		c = ipc_server_open(dir) == 0 ? '1' : '0';
		(void)write(pp[1], &c, 1);
		close(pp[1]);
		test_serve(parent);
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
static int
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
		test_nap(5);
	}
	kill(pid, SIGKILL);
	(void)wait4(pid, &st, 0, ru);
	return -1;
}

/* Stop a server child. */
static void
server_stop(pid_t pid, struct rusage *ru)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	(void)test_reap(pid, TEST_WAIT_MS, ru);
}

/* Open a raw non-blocking connection to DIR/control, or -1. */
static int
raw_connect(const char *dir)
{
	struct sockaddr_un sa;
	int fd;

	test_addr(dir, &sa);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Receive one message within ms: its size, 0 at EOF, -1 error, -2 timeout. */
static ssize_t
raw_recv(int fd, void *buf, size_t size, int ms)
{
	struct pollfd p;
	ssize_t r;

	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, ms) != 1)
		return -2;
	r = recv(fd, buf, size, MSG_DONTWAIT);
	if (r == -1 && errno == ECONNRESET)
		return 0;
	return r;
}

/* Send a request of type with payload text on fd and check the echo. */
static int
raw_echo(int fd, uint32_t seq, const char *text)
{
	struct wire_msg m, r;
	ssize_t n;

	wire_init(&m, WIRE_T_VERSION, seq);
	(void)wire_put(&m, text, strlen(text));
	if (send(fd, &m, WIRE_HDR_SIZE + m.h.len, MSG_NOSIGNAL) == -1)
		return 0;
	n = raw_recv(fd, &r, sizeof(r), TEST_WAIT_MS);
	if (n <= 0 || wire_check(&r, (size_t)n, &r) == -1)
		return 0;
	return r.h.seq == seq && r.h.code == WIRE_OK &&
	    r.h.len == strlen(text) && memcmp(r.payload, text, r.h.len) == 0;
}

/* Send n raw bytes and tell whether the answer is code, then EOF. */
static int
raw_refused(int fd, const void *buf, size_t n, int32_t code, uint32_t seq)
{
	struct wire_msg r;
	ssize_t got;

	if (buf != NULL && send(fd, buf, n, MSG_NOSIGNAL) == -1)
		return 0;
	got = raw_recv(fd, &r, sizeof(r), TEST_WAIT_MS);
	if (got <= 0 || wire_check(&r, (size_t)got, &r) == -1)
		return 0;
	if (r.h.code != code || r.h.seq != seq ||
	    (r.h.flags & WIRE_F_REPLY) == 0)
		return 0;
	return raw_recv(fd, &r, sizeof(r), TEST_WAIT_MS) == 0;
}

/* Make a valid request with a payload of text. */
static void
test_request(struct wire_msg *m, uint16_t type, const char *text)
{
	wire_init(m, type, 0);
	(void)wire_put(m, text, strlen(text));
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

/* Open a server in this process on a fresh directory path with umask 077. */
static void
socket_test_modes(void)
{
	struct pollfd pfd[4];
	struct stat st;
	char dir[128], sub[192], path[256];
	mode_t old;
	int ok;

	test_dir(dir, sizeof(dir));
	snprintf(sub, sizeof(sub), "%s/a/b//c/", dir);
	old = umask(077);
	ok = ipc_server_open(sub) == 0;
	umask(old);
	snprintf(path, sizeof(path), "%s/a/b/c/control", dir);
	ok = ok && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    (st.st_mode & 07777) == 0666;
	snprintf(path, sizeof(path), "%s/a", dir);
	ok = ok && stat(path, &st) == 0 && (st.st_mode & 07777) == 0755;
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	ok = ok && stat(path, &st) == 0 && (st.st_mode & 07777) == 0755;
	test_report("socket: server makes the rundir 0755 and the socket 0666",
	    ok);
	ok = ipc_server_is_open() && ipc_server_fds(pfd, 4) == 1 &&
	    ipc_server_deadline() == -1 && ipc_server_fds(pfd, 0) == 0;
	test_report("socket: an idle server watches one fd and has no deadline",
	    ok);
	ipc_server_close();
	test_report("socket: close leaves the path", !ipc_server_is_open() &&
	    lstat(path, &st) == 0);
}

/* The rundir must be a real directory and the path must fit. */
static void
socket_test_rundir(void)
{
	char dir[128], path[256], lng[200];
	struct stat st;
	int fd, ok;

	test_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/link", dir);
	ok = symlink(dir, path) == 0 && ipc_server_open(path) == -1 &&
	    errno == ENOTDIR;
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd != -1)
		close(fd);
	ok = ok && fd != -1 && ipc_server_open(path) == -1 && errno == ENOTDIR;
	test_report("socket: a rundir that is a symlink or a file is refused",
	    ok);
	memset(lng, 'x', sizeof(lng));
	lng[0] = '/';
	snprintf(path, sizeof(path), "%s/%.*s", dir, 110, lng + 1);
	ok = ipc_server_open(path) == -1 && errno == ENAMETOOLONG &&
	    !ipc_server_is_open();
	test_report("socket: a path too long for sun_path is ENAMETOOLONG", ok);
	snprintf(path, sizeof(path), "%s/open", dir);
	ok = mkdir(path, 0700) == 0 && chmod(path, 0777) == 0 &&
	    ipc_server_open(path) == 0;
	ipc_server_close();
	ok = ok && stat(path, &st) == 0 && (st.st_mode & 07777) == 0755;
	test_report("socket: a rundir others may write is made 0755", ok);
}

/* Put a dead socket at DIR/control. */
static int
socket_make_stale(const char *dir)
{
	struct sockaddr_un sa;
	int fd, r;

	test_addr(dir, &sa);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd == -1)
		return -1;
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return r;
}

/* Tell whether DIR/control answers a connection now. */
static int
socket_answers(const char *dir)
{
	int fd;

	if ((fd = raw_connect(dir)) == -1)
		return 0;
	close(fd);
	return 1;
}

/* A stale socket, a file or a symlink at the path is replaced. */
static void
socket_test_replace(void)
{
	struct sockaddr_un sa;
	struct stat st;
	char dir[128], target[192];
	int fd, ok;

	test_dir(dir, sizeof(dir));
	test_addr(dir, &sa);
	ok = socket_make_stale(dir) == 0 && !socket_answers(dir) &&
	    ipc_server_open(dir) == 0 && socket_answers(dir);
	ipc_server_close();
	test_report("socket: a stale socket file is replaced at open", ok);
	unlink(sa.sun_path);
	fd = open(sa.sun_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd != -1)
		close(fd);
	ok = fd != -1 && ipc_server_open(dir) == 0 && socket_answers(dir);
	ipc_server_close();
	test_report("socket: a regular file at the path is replaced", ok);
	unlink(sa.sun_path);
	snprintf(target, sizeof(target), "%s/target", dir);
	fd = open(target, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd != -1)
		close(fd);
	ok = fd != -1 && symlink(target, sa.sun_path) == 0 &&
	    ipc_server_open(dir) == 0 && lstat(sa.sun_path, &st) == 0 &&
	    S_ISSOCK(st.st_mode) && lstat(target, &st) == 0 &&
	    S_ISREG(st.st_mode);
	ipc_server_close();
	test_report("socket: a symlink at the path is removed, not followed",
	    ok);
}

/* A call with payload text and the check of its echo. */
static int
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

/* Round trips through the client API: echo, credentials, a record. */
static void
socket_test_calls(const char *dir)
{
	struct wire_msg req, rep;
	struct wire_svc_view v;
	int32_t who[3];
	size_t off;
	int ok;

	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0;
	ok = ok && client_echo("hello", ipc_now() + TEST_WAIT_MS) &&
	    client_echo("", ipc_now() + TEST_WAIT_MS);
	test_report("socket: a client call gets its reply", ok);
	test_request(&req, WIRE_T_NOTIFY, "whoami");
	ok = ok && ipc_client_call(&req, &rep, ipc_now() + TEST_WAIT_MS) == 0 &&
	    rep.h.len == sizeof(who);
	if (ok)
		memcpy(who, rep.payload, sizeof(who));
	test_report("socket: the server knows the peer's pid and uid", ok &&
	    who[0] == getpid() && who[1] == (int32_t)getuid() && who[2] == 1);
	test_request(&req, WIRE_T_STATUS, "getty/1");
	off = 0;
	ok = ipc_client_call(&req, &rep, ipc_now() + TEST_WAIT_MS) == 0 &&
	    wire_get_svc(&rep, &off, &v) == 1 && v.s.pid == 42 &&
	    v.s.namelen == 7 && memcmp(v.name, "getty/1", 7) == 0 &&
	    wire_get_svc(&rep, &off, &v) == 0;
	test_report("socket: a service record crosses the socket", ok);
	ipc_client_close();
	test_report("socket: a call without a connection is ENOTCONN",
	    ipc_client_call(&req, &rep, ipc_now() + 100) == -1 &&
	    errno == ENOTCONN);
}

/* Three forked clients call at the same time, 200 times each. */
static void
socket_test_concurrent(const char *dir)
{
	pid_t pid[3];
	char text[64];
	int i, j, ok, st;

	for (i = 0; i < 3; i++) {
		if ((pid[i] = fork()) != 0)
			continue;
		ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0;
		for (j = 0; ok && j < 200; j++) {
			snprintf(text, sizeof(text), "client %d call %d", i, j);
			ok = client_echo(text, ipc_now() + TEST_WAIT_MS);
		}
		_exit(ok ? 0 : 1);
	}
	ok = 1;
	for (i = 0; i < 3; i++) {
		st = -1;
		if (pid[i] != -1)
			st = test_reap(pid[i], 2 * TEST_WAIT_MS, NULL);
		ok = ok && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	test_report("socket: three concurrent clients are all served", ok);
}

/* A silent connection and a live server leave others served. */
static void
socket_test_idle(const char *dir)
{
	int fd, ok;

	fd = raw_connect(dir);
	ok = fd != -1 && ipc_client_open(dir, ipc_now() + 1000) == 0 &&
	    client_echo("still here", ipc_now() + 1000);
	ipc_client_close();
	test_report("socket: a client that sends nothing does not block others",
	    ok);
	if (fd != -1)
		close(fd);
	test_report("socket: a live server at the path is EADDRINUSE",
	    ipc_server_open(dir) == -1 && errno == EADDRINUSE &&
	    socket_answers(dir));
}

/* Malformed requests get an error reply and lose their connection. */
static void
socket_test_malformed(const char *dir)
{
	static char big[5000];
	struct wire_msg m;
	int fd;

	fd = raw_connect(dir);
	test_report("socket: a malformed message is refused, then closed",
	    fd != -1 && raw_refused(fd, "garbage!!", 9, WIRE_E_BADREQ, 0));
	if (fd != -1)
		close(fd);
	test_request(&m, WIRE_T_STATUS, "net");
	m.h.seq = 77;
	m.h.version = WIRE_VERSION + 1;
	fd = raw_connect(dir);
	test_report("socket: another version is refused with its seq",
	    fd != -1 && raw_refused(fd, &m, WIRE_HDR_SIZE + m.h.len,
	    WIRE_E_VERSION, 77));
	if (fd != -1)
		close(fd);
	test_request(&m, WIRE_T_STATUS, "net");
	memcpy(big, &m, WIRE_HDR_SIZE);
	fd = raw_connect(dir);
	test_report("socket: a message over 4096 bytes is refused",
	    fd != -1 && raw_refused(fd, big, sizeof(big), WIRE_E_BADREQ, 0));
	if (fd != -1)
		close(fd);
	test_request(&m, WIRE_T_STATUS, "net");
	m.h.flags = WIRE_F_REPLY;
	m.h.seq = 5;
	fd = raw_connect(dir);
	test_report("socket: a request flagged as a reply is refused",
	    fd != -1 && raw_refused(fd, &m, WIRE_HDR_SIZE + m.h.len,
	    WIRE_E_BADREQ, 5));
	if (fd != -1)
		close(fd);
}

/* Bind and listen a raw server at DIR/control that this process controls. */
static int
fake_listen(const char *dir)
{
	struct sockaddr_un sa;
	int fd;

	test_addr(dir, &sa);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(fd, 8) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* In a child: accept one client; answer with a stray seq first, or hang up. */
static void
fake_serve(int lfd, int stray)
{
	struct wire_msg m;
	struct pollfd p;
	ssize_t n;
	int fd;

	alarm(10);
	p.fd = lfd;
	p.events = POLLIN;
	if (poll(&p, 1, TEST_WAIT_MS) != 1)
		_exit(1);
	if ((fd = accept(lfd, NULL, NULL)) == -1)
		_exit(1);
	n = raw_recv(fd, &m, sizeof(m), TEST_WAIT_MS);
	if (n <= 0 || wire_check(&m, (size_t)n, &m) == -1)
		_exit(1);
	if (!stray)
		_exit(0);
	m.h.flags = WIRE_F_REPLY;
	m.h.seq += 1000;
	(void)send(fd, &m, WIRE_HDR_SIZE + m.h.len, MSG_NOSIGNAL);
	m.h.seq -= 1000;
	(void)send(fd, &m, WIRE_HDR_SIZE + m.h.len, MSG_NOSIGNAL);
	test_nap(200);
	_exit(0);
}

/* Run one fake server in a child and one call against it; errno on failure. */
static int
fake_call(int stray, int64_t wait, struct wire_msg *rep)
{
	struct wire_msg req;
	char dir[128];
	pid_t pid;
	int lfd, r, e;

	test_dir(dir, sizeof(dir));
	if ((lfd = fake_listen(dir)) == -1)
		return -1;
	if ((pid = fork()) == 0)
		fake_serve(lfd, stray);
	close(lfd);
	r = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS);
	test_request(&req, WIRE_T_VERSION, "stray?");
	if (r == 0)
		r = ipc_client_call(&req, rep, ipc_now() + wait);
	e = errno;
	ipc_client_close();
	if (pid > 0)
		(void)test_reap(pid, TEST_WAIT_MS, NULL);
	errno = e;
	return r;
}

/* The client's deadline, its skipping of strays and its view of a hang-up. */
static void
socket_test_client(void)
{
	struct wire_msg req, rep;
	char dir[128];
	int64_t t0, dt;
	int lfd, ok;

	test_dir(dir, sizeof(dir));
	lfd = fake_listen(dir);
	t0 = ipc_now();
	ok = lfd != -1 && ipc_client_open(dir, t0 + 1000) == 0;
	test_request(&req, WIRE_T_VERSION, "anyone?");
	ok = ok && ipc_client_call(&req, &rep, ipc_now() + 300) == -1 &&
	    errno == ETIMEDOUT;
	dt = ipc_now() - t0;
	test_report("socket: a call times out at its deadline",
	    ok && dt >= 290 && dt < 2000);
	ipc_client_close();
	if (lfd != -1)
		close(lfd);
	ok = fake_call(1, TEST_WAIT_MS, &rep) == 0 && rep.h.len == 6 &&
	    memcmp(rep.payload, "stray?", 6) == 0;
	test_report("socket: a reply with another seq is skipped", ok);
	ok = fake_call(0, TEST_WAIT_MS, &rep) == -1 &&
	    (errno == ECONNRESET || errno == EPIPE);
	test_report("socket: a server that hangs up gives ECONNRESET", ok);
	test_dir(dir, sizeof(dir));
	ok = ipc_client_open(dir, ipc_now() + 1000) == -1 && errno == ENOENT;
	ok = ok && socket_make_stale(dir) == 0 &&
	    ipc_client_open(dir, ipc_now() + 1000) == -1 &&
	    errno == ECONNREFUSED;
	test_report("socket: no server gives ENOENT or ECONNREFUSED", ok);
}

/* Close every fd in fds[0..n). */
static void
raw_close_all(int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (fds[i] != -1)
			close(fds[i]);
	}
}

/* Sixty-four clients are served; the sixty-fifth gets "try again". */
static void
socket_test_full(void)
{
	struct wire_msg req, rep;
	int fds[IPC_CLIENTS_MAX + 1];
	char dir[128], text[32];
	pid_t srvpid;
	int i, ok;

	test_dir(dir, sizeof(dir));
	srvpid = server_start(dir, 0);
	ok = srvpid != -1;
	for (i = 0; i < IPC_CLIENTS_MAX; i++) {
		fds[i] = raw_connect(dir);
		snprintf(text, sizeof(text), "client %d", i);
		ok = ok && fds[i] != -1 &&
		    raw_echo(fds[i], (uint32_t)i + 1, text);
	}
	test_report("socket: 64 clients are served at once", ok);
	fds[i] = raw_connect(dir);
	ok = ok && fds[i] != -1 &&
	    raw_refused(fds[i], NULL, 0, WIRE_E_AGAIN, 0);
	test_report("socket: the 65th client gets try again and is closed", ok);
	test_request(&req, WIRE_T_VERSION, "full?");
	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    ipc_client_call(&req, &rep, ipc_now() + TEST_WAIT_MS) == 0 &&
	    rep.h.code == WIRE_E_AGAIN;
	ipc_client_close();
	test_report("socket: a refused client call returns try again", ok);
	ok = raw_echo(fds[0], 1000, "still served");
	raw_close_all(fds, IPC_CLIENTS_MAX + 1);
	test_nap(100);
	ok = ok && ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("room again", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	test_report("socket: slots free up when clients leave", ok);
	server_stop(srvpid, NULL);
}

/* A client silent for IPC_CLIENT_TIMEOUT_MS is dropped. */
static void
socket_test_expire(const char *dir)
{
	struct wire_msg r;
	int64_t t0, dt;
	int fd, ok;

	t0 = ipc_now();
	fd = raw_connect(dir);
	ok = fd != -1 &&
	    raw_recv(fd, &r, sizeof(r), IPC_CLIENT_TIMEOUT_MS + 2000) == 0;
	dt = ipc_now() - t0;
	test_report("socket: a silent client is dropped after 5 s",
	    ok && dt >= IPC_CLIENT_TIMEOUT_MS - 100 &&
	    dt < IPC_CLIENT_TIMEOUT_MS + 2000);
	if (fd != -1)
		close(fd);
}

/* Count how many of n raw connections are served and how many are closed. */
static void
raw_census(int *fds, int n, int *served, int *closed)
{
	struct wire_msg r;
	ssize_t got;
	int i;

	*served = *closed = 0;
	for (i = 0; i < n; i++) {
		if (fds[i] == -1) {
			(*closed)++;
			continue;
		}
		if (raw_echo(fds[i], (uint32_t)i + 1, "census")) {
			(*served)++;
			continue;
		}
		got = raw_recv(fds[i], &r, sizeof(r), 500);
		if (got == 0 || got == -1)
			(*closed)++;
	}
}

/* Out of fds, the server sheds connections without spinning and recovers. */
static void
socket_test_emfile(void)
{
	struct rusage ru;
	int fds[40];
	char dir[128];
	pid_t srvpid;
	long cpu;
	int i, ok, served, closed;

	test_dir(dir, sizeof(dir));
	srvpid = server_start(dir, 16);
	ok = srvpid != -1;
	for (i = 0; i < 40; i++)
		fds[i] = ok ? raw_connect(dir) : -1;
	test_nap(1000);
	raw_census(fds, 40, &served, &closed);
	ok = ok && served >= 1 && served < 40 && served + closed == 40;
	raw_close_all(fds, 40);
	test_nap(100);
	ok = ok && ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("after EMFILE", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	server_stop(srvpid, &ru);
	cpu = ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000 +
	    ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000;
	test_report("socket: out of fds the server sheds clients and recovers",
	    ok);
	test_report("socket: out of fds the server does not spin", cpu < 500);
}

/* Run the cases that share one server. */
static void
socket_test_server(void)
{
	char dir[128];
	pid_t srvpid;

	test_dir(dir, sizeof(dir));
	srvpid = server_start(dir, 0);
	test_report("socket: a server starts in a fresh rundir", srvpid != -1);
	if (srvpid == -1)
		return;
	socket_test_calls(dir);
	socket_test_concurrent(dir);
	socket_test_idle(dir);
	socket_test_malformed(dir);
	socket_test_expire(dir);
	server_stop(srvpid, NULL);
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

/* Remove the test's directories. */
static void
test_cleanup(void)
{
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
	wire_test_put();
	wire_test_check();
	wire_test_names();
	test_report("socket: the backend is called socket",
	    strcmp(ipc_name(), "socket") == 0);
	socket_test_modes();
	socket_test_rundir();
	socket_test_replace();
	socket_test_server();
	socket_test_client();
	socket_test_full();
	socket_test_emfile();
	test_cleanup();
	printf("ipc-test: %d passed, %d failed\n", npass, nfail);
	return nfail == 0 ? 0 : 1;
}
