/*
 * ipc-test-socket.c - the unit cases only the socket backend has: the
 * socket's path and modes, stale sockets, raw connections that stall or
 * send garbage, the client table's limit and running out of fds.
 *
 * Linked with ipc-test.c (the shared driver) and ipc/socket.c alone.
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
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc-test.h"
#include "ipc.h"
#include "wire.h"

const char	backend_name[] = "socket";
const int	backend_uid_known = 1;

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
	test_report("server makes the rundir 0755 and the socket 0666",
	    ok);
	ok = ipc_server_is_open() && ipc_server_fds(pfd, 4) == 1 &&
	    ipc_server_deadline() == -1 && ipc_server_fds(pfd, 0) == 0;
	test_report("an idle server watches one fd and has no deadline",
	    ok);
	ipc_server_close();
	test_report("close leaves the path", !ipc_server_is_open() &&
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
	test_report("a rundir that is a symlink or a file is refused",
	    ok);
	memset(lng, 'x', sizeof(lng));
	lng[0] = '/';
	snprintf(path, sizeof(path), "%s/%.*s", dir, 110, lng + 1);
	ok = ipc_server_open(path) == -1 && errno == ENAMETOOLONG &&
	    !ipc_server_is_open();
	test_report("a path too long for sun_path is ENAMETOOLONG", ok);
	snprintf(path, sizeof(path), "%s/open", dir);
	ok = mkdir(path, 0700) == 0 && chmod(path, 0777) == 0 &&
	    ipc_server_open(path) == 0;
	ipc_server_close();
	ok = ok && stat(path, &st) == 0 && (st.st_mode & 07777) == 0755;
	test_report("a rundir others may write is made 0755", ok);
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
	test_report("a stale socket file is replaced at open", ok);
	unlink(sa.sun_path);
	fd = open(sa.sun_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd != -1)
		close(fd);
	ok = fd != -1 && ipc_server_open(dir) == 0 && socket_answers(dir);
	ipc_server_close();
	test_report("a regular file at the path is replaced", ok);
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
	test_report("a symlink at the path is removed, not followed",
	    ok);
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
	test_report("a client that sends nothing does not block others",
	    ok);
	if (fd != -1)
		close(fd);
	test_report("a live server at the path is EADDRINUSE",
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
	test_report("a malformed message is refused, then closed",
	    fd != -1 && raw_refused(fd, "garbage!!", 9, WIRE_E_BADREQ, 0));
	if (fd != -1)
		close(fd);
	test_request(&m, WIRE_T_STATUS, "net");
	m.h.seq = 77;
	m.h.version = WIRE_VERSION + 1;
	fd = raw_connect(dir);
	test_report("another version is refused with its seq",
	    fd != -1 && raw_refused(fd, &m, WIRE_HDR_SIZE + m.h.len,
	    WIRE_E_VERSION, 77));
	if (fd != -1)
		close(fd);
	test_request(&m, WIRE_T_STATUS, "net");
	memcpy(big, &m, WIRE_HDR_SIZE);
	fd = raw_connect(dir);
	test_report("a message over 4096 bytes is refused",
	    fd != -1 && raw_refused(fd, big, sizeof(big), WIRE_E_BADREQ, 0));
	if (fd != -1)
		close(fd);
	test_request(&m, WIRE_T_STATUS, "net");
	m.h.flags = WIRE_F_REPLY;
	m.h.seq = 5;
	fd = raw_connect(dir);
	test_report("a request flagged as a reply is refused",
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
	test_report("a call times out at its deadline",
	    ok && dt >= 290 && dt < 2000);
	ipc_client_close();
	if (lfd != -1)
		close(lfd);
	ok = fake_call(1, TEST_WAIT_MS, &rep) == 0 && rep.h.len == 6 &&
	    memcmp(rep.payload, "stray?", 6) == 0;
	test_report("a reply with another seq is skipped", ok);
	ok = fake_call(0, TEST_WAIT_MS, &rep) == -1 &&
	    (errno == ECONNRESET || errno == EPIPE);
	test_report("a server that hangs up gives ECONNRESET", ok);
	test_dir(dir, sizeof(dir));
	ok = ipc_client_open(dir, ipc_now() + 1000) == -1 && errno == ENOENT;
	ok = ok && socket_make_stale(dir) == 0 &&
	    ipc_client_open(dir, ipc_now() + 1000) == -1 &&
	    errno == ECONNREFUSED;
	test_report("no server gives ENOENT or ECONNREFUSED", ok);
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
	test_report("64 clients are served at once", ok);
	fds[i] = raw_connect(dir);
	ok = ok && fds[i] != -1 &&
	    raw_refused(fds[i], NULL, 0, WIRE_E_AGAIN, 0);
	test_report("the 65th client gets try again and is closed", ok);
	test_request(&req, WIRE_T_VERSION, "full?");
	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    ipc_client_call(&req, &rep, ipc_now() + TEST_WAIT_MS) == 0 &&
	    rep.h.code == WIRE_E_AGAIN;
	ipc_client_close();
	test_report("a refused client call returns try again", ok);
	ok = raw_echo(fds[0], 1000, "still served");
	raw_close_all(fds, IPC_CLIENTS_MAX + 1);
	test_nap(100);
	ok = ok && ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("room again", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	test_report("slots free up when clients leave", ok);
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
	test_report("a silent client is dropped after 5 s",
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
	test_report("out of fds the server sheds clients and recovers",
	    ok);
	test_report("out of fds the server does not spin", cpu < 500);
}

/* Run the cases that share one server. */
static void
socket_test_server(void)
{
	char dir[128];
	pid_t srvpid;

	test_dir(dir, sizeof(dir));
	srvpid = server_start(dir, 0);
	if (srvpid == -1) {
		test_report("a server for the socket cases starts", 0);
		return;
	}
	socket_test_idle(dir);
	socket_test_malformed(dir);
	socket_test_expire(dir);
	server_stop(srvpid, NULL);
}

/* The cases only the socket backend has. */
void
backend_test(void)
{
	socket_test_modes();
	socket_test_rundir();
	socket_test_replace();
	socket_test_server();
	socket_test_client();
	socket_test_full();
	socket_test_emfile();
}

/* The socket backend leaves nothing outside the test's directories. */
void
backend_cleanup(void)
{
}
