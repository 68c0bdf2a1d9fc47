/*
 * ipc-test-fifo.c - the unit cases only the fifo backend has: the paths
 * and modes, stale FIFOs and reply FIFOs, raw writes that break the
 * framing, clients that vanish or never read, and a full request FIFO.
 *
 * Linked with ipc-test.c (the shared driver) and ipc/fifo.c alone.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <config.h>

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc-test.h"
#include "ipc.h"
#include "wire.h"

#define FIFO_FLOOD	40	/* 2 KiB replies: more than a pipe holds */

const char	backend_name[] = "fifo";
const int	backend_uid_known = 0;

/* Write DIR/NAME into buf. */
static void
fifo_at(char *buf, size_t size, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size) {
		fprintf(stderr, "ipc-test: %s: path too long\n", dir);
		exit(1);
	}
}

/* Write DIR/reply/PID into buf. */
static void
fifo_reply_at(char *buf, size_t size, const char *dir, pid_t pid)
{
	char name[32];

	snprintf(name, sizeof(name), "reply/%ld", (long)pid);
	fifo_at(buf, size, dir, name);
}

/* The pid of a child that has already ended. */
static pid_t
fifo_dead_pid(void)
{
	pid_t pid;

	if ((pid = fork()) == 0)
		_exit(0);
	(void)test_reap(pid, TEST_WAIT_MS, NULL);
	return pid;
}

/* Tell whether path exists (as anything, never followed). */
static int
fifo_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Open DIR/control.fifo for raw writes, without waiting; -1 on failure. */
static int
raw_open(const char *dir)
{
	char path[PATH_MAX];

	fifo_at(path, sizeof(path), dir, "control.fifo");
	return open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
}

/* Write n raw bytes to DIR/control.fifo in one write(). */
static int
raw_write(const char *dir, const void *buf, size_t n)
{
	ssize_t r;
	int fd;

	if ((fd = raw_open(dir)) == -1)
		return -1;
	r = write(fd, buf, n);
	close(fd);
	return r == (ssize_t)n ? 0 : -1;
}

/* Make DIR/reply/PID and open it to read; -1 on failure. */
static int
raw_reply_fifo(const char *dir, pid_t pid)
{
	char path[PATH_MAX];

	fifo_reply_at(path, sizeof(path), dir, pid);
	(void)unlink(path);
	if (mkfifo(path, 0600) == -1)
		return -1;
	return open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

/* Read one message from fd within ms: 1 read, 0 none. */
static int
raw_read(int fd, struct wire_msg *m, int ms)
{
	struct pollfd p;

	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, ms) != 1)
		return 0;
	if (read(fd, m, WIRE_HDR_SIZE) != WIRE_HDR_SIZE ||
	    m->h.len > WIRE_PAYLOAD_MAX)
		return 0;
	if (m->h.len > 0 && read(fd, m->payload, m->h.len) != m->h.len)
		return 0;
	return wire_check(m, WIRE_HDR_SIZE + (size_t)m->h.len, NULL) == 0;
}

/*
 * Send m raw as from this process, read the answer from a reply FIFO of
 * our own, and tell whether it is code with seq.
 */
static int
raw_refused(const char *dir, struct wire_msg *m, int32_t code, uint32_t seq)
{
	char path[PATH_MAX];
	struct wire_msg r;
	int fd, ok;

	if ((fd = raw_reply_fifo(dir, getpid())) == -1)
		return 0;
	m->h.pid = getpid();
	ok = raw_write(dir, m, WIRE_HDR_SIZE + (size_t)m->h.len) == 0 &&
	    raw_read(fd, &r, TEST_WAIT_MS) && r.h.code == code &&
	    r.h.seq == seq && (r.h.flags & WIRE_F_REPLY) != 0;
	close(fd);
	fifo_reply_at(path, sizeof(path), dir, getpid());
	(void)unlink(path);
	return ok;
}

/* Open a server in this process on a fresh path with umask 077. */
static void
fifo_test_modes(void)
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
	snprintf(path, sizeof(path), "%s/a/b/c/control.fifo", dir);
	ok = ok && lstat(path, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    (st.st_mode & 07777) == 0600 && st.st_uid == geteuid();
	snprintf(path, sizeof(path), "%s/a", dir);
	ok = ok && stat(path, &st) == 0 && (st.st_mode & 07777) == 0755;
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	ok = ok && stat(path, &st) == 0 && (st.st_mode & 07777) == 0755;
	snprintf(path, sizeof(path), "%s/a/b/c/reply", dir);
	ok = ok && lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 07777) == 0700;
	test_report("server makes the rundir 0755, reply/ 0700 and the FIFO "
	    "0600", ok);
	ok = ipc_server_is_open() && ipc_server_fds(pfd, 4) == 1 &&
	    ipc_server_deadline() == -1 && ipc_server_fds(pfd, 0) == 0 &&
	    ipc_server_signal() == 0;
	test_report("an idle server watches one fd, no deadline, no doorbell",
	    ok);
	ipc_server_close();
	snprintf(path, sizeof(path), "%s/a/b/c/control.fifo", dir);
	test_report("close leaves the path", !ipc_server_is_open() &&
	    fifo_exists(path));
}

/* The rundir must be a real directory; a writable one is tightened. */
static void
fifo_test_rundir(void)
{
	char dir[128], path[256], *lng;
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
	test_report("a rundir that is a symlink or a file is refused", ok);
	snprintf(path, sizeof(path), "%s/open", dir);
	ok = mkdir(path, 0700) == 0 && chmod(path, 0777) == 0 &&
	    ipc_server_open(path) == 0;
	ipc_server_close();
	ok = ok && stat(path, &st) == 0 && (st.st_mode & 07777) == 0755;
	test_report("a rundir others may write is made 0755", ok);
	if ((lng = malloc(PATH_MAX + 16)) == NULL)
		return;
	memset(lng, 'x', PATH_MAX + 15);
	lng[0] = '/';
	lng[PATH_MAX + 15] = '\0';
	ok = ipc_server_open(lng) == -1 && errno == ENAMETOOLONG &&
	    !ipc_server_is_open() &&
	    ipc_client_open(lng, ipc_now() + 100) == -1 &&
	    errno == ENAMETOOLONG;
	free(lng);
	test_report("a path longer than PATH_MAX is ENAMETOOLONG", ok);
}

/* Put a regular file at path. */
static int
fifo_make_file(const char *path)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		return -1;
	close(fd);
	return 0;
}

/* A stale FIFO, a file or a symlink at the path is replaced. */
static void
fifo_test_replace(void)
{
	char dir[128], path[256], target[256];
	struct stat st;
	int ok;

	test_dir(dir, sizeof(dir));
	fifo_at(path, sizeof(path), dir, "control.fifo");
	ok = mkfifo(path, 0666) == 0 && chmod(path, 0666) == 0 &&
	    ipc_server_open(dir) == 0 && lstat(path, &st) == 0 &&
	    S_ISFIFO(st.st_mode) && (st.st_mode & 07777) == 0600;
	ipc_server_close();
	test_report("a stale FIFO with mode 0666 is replaced by a 0600 one",
	    ok);
	ok = unlink(path) == 0 && fifo_make_file(path) == 0 &&
	    ipc_server_open(dir) == 0 && lstat(path, &st) == 0 &&
	    S_ISFIFO(st.st_mode);
	ipc_server_close();
	test_report("a regular file at the path is replaced", ok);
	fifo_at(target, sizeof(target), dir, "target");
	ok = unlink(path) == 0 && fifo_make_file(target) == 0 &&
	    symlink(target, path) == 0 && ipc_server_open(dir) == 0 &&
	    lstat(path, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    lstat(target, &st) == 0 && S_ISREG(st.st_mode);
	ipc_server_close();
	test_report("a symlink at the path is removed, not followed", ok);
	ok = unlink(path) == 0 && symlink(target, path) == 0 &&
	    ipc_client_open(dir, ipc_now() + 100) == -1 &&
	    errno == ECONNREFUSED;
	test_report("a client never follows a symlink at the path", ok);
}

/* Reply FIFOs of gone clients are removed at open; a live one stays. */
static void
fifo_test_sweep(void)
{
	char dir[128], reply[256], dead[256], live[256], junk[256];
	pid_t srv;
	int fd, ok;

	test_dir(dir, sizeof(dir));
	fifo_at(reply, sizeof(reply), dir, "reply");
	fifo_reply_at(dead, sizeof(dead), dir, fifo_dead_pid());
	fifo_reply_at(live, sizeof(live), dir, getpid());
	fifo_at(junk, sizeof(junk), dir, "reply/junk");
	ok = mkdir(reply, 0700) == 0 && mkfifo(dead, 0600) == 0 &&
	    fifo_make_file(junk) == 0;
	fd = ok ? raw_reply_fifo(dir, getpid()) : -1;
	srv = fd != -1 ? server_start(dir, 0) : -1;
	ok = srv != -1 && !fifo_exists(dead) && !fifo_exists(junk) &&
	    fifo_exists(live);
	test_report("stale reply FIFOs are removed at open, a live one kept",
	    ok);
	if (fd != -1)
		close(fd);
	(void)unlink(live);
	server_stop(srv, NULL);
}

/* Garbage, a short header and refused requests on the request FIFO. */
static void
fifo_test_malformed(const char *dir)
{
	struct wire_msg m;
	int ok;

	ok = raw_write(dir, "garbage!!", 9) == 0 &&
	    raw_write(dir, "\x50\x4e\x49", 3) == 0;
	test_nap(100);
	ok = ok && ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("after garbage", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	test_report("garbage and a short header are dropped; the next call "
	    "is answered", ok);
	test_request(&m, WIRE_T_STATUS, "net");
	m.h.seq = 77;
	m.h.version = WIRE_VERSION + 1;
	test_report("another version is refused with its seq",
	    raw_refused(dir, &m, WIRE_E_VERSION, 77));
	test_request(&m, WIRE_T_STATUS, "net");
	m.h.flags = WIRE_F_REPLY;
	m.h.seq = 5;
	test_report("a request flagged as a reply is refused",
	    raw_refused(dir, &m, WIRE_E_BADREQ, 5));
}

/* The reply FIFO of a client that is gone is removed when answered. */
static void
fifo_test_vanished(const char *dir)
{
	char path[256];
	struct wire_msg m;
	pid_t pid;
	int ok;

	pid = fifo_dead_pid();
	fifo_reply_at(path, sizeof(path), dir, pid);
	test_request(&m, WIRE_T_VERSION, "for the dead");
	m.h.pid = pid;
	ok = mkfifo(path, 0600) == 0 &&
	    raw_write(dir, &m, WIRE_HDR_SIZE + (size_t)m.h.len) == 0;
	test_nap(200);
	ok = ok && !fifo_exists(path) &&
	    ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("still here", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	test_report("the reply FIFO of a vanished client is removed, the "
	    "server goes on", ok);
}

/* In a child: one call; exits 0 when it was answered. */
static pid_t
fifo_echo_child(const char *dir)
{
	pid_t pid;
	int ok;

	if ((pid = fork()) != 0)
		return pid;
	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("another client", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	_exit(ok ? 0 : 1);
}

/* A client whose reply FIFO is full never blocks the server. */
static void
fifo_test_deaf(const char *dir)
{
	static char text[2001];
	char path[256];
	struct wire_msg m;
	pid_t child;
	int fd, i, ok, st;

	memset(text, 'd', sizeof(text) - 1);
	fd = raw_reply_fifo(dir, getpid());
	ok = fd != -1;
	test_request(&m, WIRE_T_VERSION, text);
	m.h.pid = getpid();
	for (i = 0; ok && i < FIFO_FLOOD; i++) {
		m.h.seq = (uint32_t)i + 1;
		ok = raw_write(dir, &m, WIRE_HDR_SIZE + (size_t)m.h.len) == 0;
		if (i % 8 == 7)
			test_nap(20);
	}
	child = ok ? fifo_echo_child(dir) : -1;
	st = child > 0 ? test_reap(child, 2 * TEST_WAIT_MS, NULL) : -1;
	test_report("a client that never reads its replies does not block "
	    "the server", ok && st != -1 && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
	if (fd != -1)
		close(fd);
	fifo_reply_at(path, sizeof(path), dir, getpid());
	(void)unlink(path);
}

/* The client makes its reply FIFO at open and removes it at close. */
static void
fifo_test_client_fifo(const char *dir)
{
	char path[256];
	int ok;

	fifo_reply_at(path, sizeof(path), dir, getpid());
	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    fifo_exists(path);
	ipc_client_close();
	test_report("a client makes its reply FIFO and removes it at close",
	    ok && !fifo_exists(path));
}

/*
 * A connection answered once; a child that keeps its reply FIFO open
 * (forked, not exec'd); a new connection of the same process: 1 when its
 * call is answered.
 */
static int
fifo_test_leaked(const char *dir)
{
	pid_t child;
	int ok, st;

	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("old", ipc_now() + TEST_WAIT_MS);
	if (!ok || (child = fork()) == -1) {
		ipc_client_close();
		return 0;
	}
	if (child == 0) {
		test_nap(3 * TEST_WAIT_MS);
		_exit(0);
	}
	ipc_client_close();
	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("new", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	kill(child, SIGKILL);
	st = test_reap(child, TEST_WAIT_MS, NULL);
	return ok && st != -1;
}

/*
 * The server keeps the reply FIFO of the last client open: the many calls
 * of one connection are answered, then a new connection of the same
 * process (a new FIFO at the same path) and the calls of a raw client
 * with the same pid whose seq follows the last one's but whose FIFO is
 * new too.
 */
static void
fifo_test_reconnect(const char *dir)
{
	char path[256];
	struct wire_msg m, r;
	uint32_t seq = 0;
	int fd, i, ok;

	ok = ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0;
	for (i = 0; ok && i < 100; i++)
		ok = client_echo("again", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	ok = ok && ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0 &&
	    client_echo("new connection", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	test_report("many calls on one connection, then a new connection of "
	    "the same process, are answered", ok);
	test_report("a new connection is answered on its own FIFO while a "
	    "child still holds the old one", fifo_test_leaked(dir));
	fd = ok ? raw_reply_fifo(dir, getpid()) : -1;
	test_request(&m, WIRE_T_VERSION, "raw");
	m.h.pid = getpid();
	for (i = 0; fd != -1 && i < 2; i++) {
		m.h.seq = ++seq;
		ok = raw_write(dir, &m, WIRE_HDR_SIZE + (size_t)m.h.len) == 0 &&
		    raw_read(fd, &r, TEST_WAIT_MS) && r.h.seq == seq;
		if (!ok)
			break;
		/* The next call comes on a FIFO made anew: the same pid. */
		close(fd);
		fd = raw_reply_fifo(dir, getpid());
	}
	test_report("a call whose reply FIFO was made anew is answered on "
	    "the new one", fd != -1 && ok);
	if (fd != -1)
		close(fd);
	fifo_reply_at(path, sizeof(path), dir, getpid());
	(void)unlink(path);
}

/* Fill the request FIFO with junk until it is full; 0 on success. */
static int
fifo_fill(const char *dir)
{
	static const char junk[4096];
	int fd, i;

	if ((fd = raw_open(dir)) == -1)
		return -1;
	for (i = 0; i < 1024; i++) {
		if (write(fd, junk, sizeof(junk)) == -1)
			break;
	}
	close(fd);
	return i < 1024 && errno == EAGAIN ? 0 : -1;
}

/* A full request FIFO times a call out; then the junk is dropped. */
static void
fifo_test_full(const char *dir, pid_t srv)
{
	struct wire_msg req, rep;
	int64_t t0, dt;
	int ok;

	ok = kill(srv, SIGSTOP) == 0 && fifo_fill(dir) == 0 &&
	    ipc_client_open(dir, ipc_now() + TEST_WAIT_MS) == 0;
	test_request(&req, WIRE_T_VERSION, "room?");
	t0 = ipc_now();
	ok = ok && ipc_client_call(&req, &rep, t0 + 300) == -1 &&
	    errno == ETIMEDOUT;
	dt = ipc_now() - t0;
	test_report("a full request FIFO makes a call time out, not hang",
	    ok && dt >= 290 && dt < 2000);
	kill(srv, SIGCONT);
	test_nap(300);
	ok = client_echo("drained", ipc_now() + TEST_WAIT_MS);
	ipc_client_close();
	test_report("the server drops the junk and answers again", ok);
}

/* Run the cases that share one server. */
static void
fifo_test_server(void)
{
	char dir[128];
	pid_t srv;

	test_dir(dir, sizeof(dir));
	srv = server_start(dir, 0);
	test_report("a live server at the path is EADDRINUSE", srv != -1 &&
	    ipc_server_open(dir) == -1 && errno == EADDRINUSE);
	if (srv == -1)
		return;
	fifo_test_malformed(dir);
	fifo_test_vanished(dir);
	fifo_test_deaf(dir);
	fifo_test_client_fifo(dir);
	fifo_test_reconnect(dir);
	fifo_test_full(dir, srv);
	server_stop(srv, NULL);
}

/* The cases only the fifo backend has. */
void
backend_test(void)
{
	fifo_test_modes();
	fifo_test_rundir();
	fifo_test_replace();
	fifo_test_sweep();
	fifo_test_server();
}

/* The fifo backend leaves nothing outside the test's directories. */
void
backend_cleanup(void)
{
}
