/*
 * state-test.c - the state a hot update hands on (src/state.c), written
 * and read back outside PID 1.
 *
 *   state-test roundtrip   write a state with run-time data, read it into
 *                          a fresh table: every field comes back
 *   state-test corrupt     the same state with each byte in turn set to
 *                          0x00, 0xff, flipped and incremented: each read
 *                          survives (a crash fails the test; ASan builds
 *                          catch reads out of bounds), and the header
 *                          faults are refused
 *   state-test versions    older and newer versions are refused cleanly
 *   state-test records     a record of an unknown type is skipped, one out
 *                          of bounds is dropped, the others are applied
 *   state-test pids        a pid that is not a child (a stranger's, a dead
 *                          child's) is taken as exited; a child is kept
 *   state-test take        the new image's check of an fd handed on
 *                          (util_fd_take): what is taken, left, closed
 *   state-test adopt       service a's record dropped: a child of ours
 *                          whose PINIT_SERVICE names a is adopted (adopt.c),
 *                          one naming b (taken over) or no service is not
 *   state-test seeds DIR   write seed inputs for testsuite/fuzz/corpus/state
 *
 * Prints one line per mode and exits 0 when it holds.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "pinit.h"
#include "ready.h"
#include "state.h"
#include "svc.h"
#include "svclog.h"
#include "util.h"

struct svctab	*state_test_table(void);

static uint8_t	*st;			/* the state written */
static size_t	 stlen;
static pid_t	 child;			/* c's process: a child, as in PID 1 */

#define RING	"line1\nline2\n"

/*
 * Service c runs (a child of ours), waits to say it is ready and logs to
 * a file: its fds (made-up numbers: only named, never used) and lines.
 */
static void
fill_io(struct svc *c)
{
	if ((child = fork()) == 0) {
		pause();
		_exit(0);
	}
	c->pid = child;
	c->state = WIRE_S_STARTING;
	c->want = WANT_UP;
	c->since = c->started = 500;
	c->execfd = -1;
	c->ready = 0;
	c->notifyfd = 103;
	c->mainpid = 4242;
	c->log->rfd = 100;
	c->log->wfd = 101;
	c->log->ofd = 102;
	c->log->total = 20;
	c->log->rlen = strlen(RING);
	memcpy(c->log->ring, RING, c->log->rlen);
	c->log->plen = 3;
	memcpy(c->log->part, "par", 3);
}

/* Give the table run-time data: states, counters, deaths, a profile. */
static void
fill(struct svctab *t)
{
	struct svc *a = &t->v[svc_find(t, "a", 1)];
	struct svc *b = &t->v[svc_find(t, "b", 1)];
	int k;

	a->state = WIRE_S_BACKOFF;
	a->why = WIRE_W_SIGNAL;
	a->detail = 9;
	a->want = WANT_UP;
	a->restarts = 7;
	a->quick = 3;
	snprintf(a->info, SVC_INFO_SIZE, "killed by signal 9");
	for (k = 0; k < 4; k++) {
		a->deaths[a->death_head] = 1000 + k;
		a->death_head = (a->death_head + 1) % (a->limit + 1);
		a->ndeaths++;
	}
	a->since = a->started = 500;
	a->lastwhy = WIRE_W_SIGNAL;
	a->lastdetail = 9;
	a->lastend = 1003;
	b->state = WIRE_S_DONE;
	b->want = WANT_DOWN;
	b->restarts = 2;
	b->lastwhy = WIRE_W_EXIT;
	b->lastdetail = 0;
	b->lastend = 900;
	fill_io(&t->v[svc_find(t, "c", 1)]);
	pinit.runlevel = '3';
	pinit.prevlevel = 'N';
	pinit.paused = 1;
	pinit.grace_ms = 7000;
	pinit.profile = "init";
	spawn_setenv("INIT_TEST=42", 12);
}

/* Write the state of a filled table into st. */
static int
write_state(void)
{
	struct state_fds fds;
	struct svctab *t = state_test_table();
	ssize_t n;
	int fd;

	if (t == NULL)
		return -1;
	fill(t);
	memset(&fds, 0, sizeof(fds));
	fds.initctl_open = 1;
	fds.notify = 7;
	if ((fd = state_save(t, &fds)) < 0)
		return -1;
	load_free(t);
	stlen = (size_t)lseek(fd, 0, SEEK_END);
	if ((st = malloc(stlen)) == NULL)
		return -1;
	n = pread(fd, st, stlen, 0);
	close(fd);
	return n == (ssize_t)stlen ? 0 : -1;
}

/* Did state fd fd come back as named? */
static int
named(const struct state_in *si, int fd)
{
	return (si->named[fd / 8] >> (fd % 8)) & 1;
}

/* Did the fds, readiness and lines of c come back? */
static int
io_back(struct svctab *t, const struct state_in *si)
{
	struct svc *c = &t->v[svc_find(t, "c", 1)];
	const struct svclog *l = c->log;

	return c->pid == child && c->state == WIRE_S_STARTING &&
	    ready_waiting(c) && c->notifyfd == 103 && c->mainpid == 4242 &&
	    l->rfd == 100 && l->wfd == 101 && l->ofd == 102 && l->lfd == -1 &&
	    l->total == 20 && l->rlen == strlen(RING) &&
	    memcmp(l->ring, RING, l->rlen) == 0 && l->plen == 3 &&
	    memcmp(l->part, "par", 3) == 0 && si->fds.notify == 7 &&
	    named(si, 7) && named(si, 100) && named(si, 103) &&
	    !named(si, 99) && !named(si, 104);
}

static int
roundtrip(void)
{
	struct svctab *t = state_test_table();
	struct state_in si;
	struct svc *a, *b;

	memset(&si, 0, sizeof(si));
	si.apply = 1;
	spawn_unsetenv("INIT_TEST", 9);
	if (t == NULL || state_parse(st, stlen, t, &si) < 0)
		return -1;
	a = &t->v[svc_find(t, "a", 1)];
	b = &t->v[svc_find(t, "b", 1)];
	if (si.nsvc != t->n || si.dropped != 0 || !si.have_global ||
	    !si.ended || si.runlevel != '3' || !si.paused ||
	    si.grace_ms != 7000 || !si.initctl_open ||
	    strcmp(si.profile, "init") != 0)
		return -1;
	if (a->state != WIRE_S_BACKOFF || a->why != WIRE_W_SIGNAL ||
	    a->detail != 9 || a->restarts != 7 || a->quick != 3 ||
	    a->ndeaths != 4 || a->deaths[(a->death_head + a->limit) %
	    (a->limit + 1)] != 1003 || strcmp(a->info, "killed by signal 9") ||
	    a->lastwhy != WIRE_W_SIGNAL || a->lastdetail != 9 ||
	    a->lastend != 1003 ||
	    b->state != WIRE_S_DONE || b->want != WANT_DOWN ||
	    b->restarts != 2 || b->lastwhy != WIRE_W_EXIT ||
	    b->lastdetail != 0 || b->lastend != 900)
		return -1;
	if (!io_back(t, &si))
		return -1;
	if (spawn_getenv("INIT_TEST") == NULL ||
	    strcmp(spawn_getenv("INIT_TEST"), "42") != 0)
		return -1;
	load_free(t);
	printf("state-test: round trip of %zu bytes, %d services: every "
	    "field back\n", stlen, si.nsvc);
	return 0;
}

static int
corrupt(void)
{
	uint8_t *c = malloc(stlen);
	size_t i;
	int v, n = 0;

	if (c == NULL)
		return -1;
	for (i = 0; i < stlen; i++)
		for (v = 0; v < 4; v++) {
			memcpy(c, st, stlen);
			c[i] = v == 0 ? 0 : v == 1 ? 0xff : v == 2 ?
			    c[i] ^ 0x80 : (uint8_t)(c[i] + 1);
			LLVMFuzzerTestOneInput(c, stlen);
			n++;
		}
	for (i = 0; i <= stlen; i += 7)
		LLVMFuzzerTestOneInput(st, i);	/* cut short */
	free(c);
	printf("state-test: %d corrupted states and every truncation read "
	    "without a crash\n", n);
	return 0;
}

/* A copy of the state with the header's version set to v: refused? */
static int
refused(uint32_t v)
{
	struct state_in si;
	uint8_t *c = malloc(stlen);
	int r, k;

	if (c == NULL)
		return 0;
	memcpy(c, st, stlen);
	for (k = 0; k < 4; k++)
		c[8 + k] = (uint8_t)(v >> (8 * k));
	memset(&si, 0, sizeof(si));
	r = state_parse(c, stlen, NULL, &si);
	free(c);
	return r == -1 && errno == EPROTO && si.nsvc == 0;
}

static int
versions(void)
{
	if (!refused(0) || !refused(STATE_VERSION + 1) || !refused(0xffffffff))
		return -1;
	printf("state-test: versions 0, %d and 0xffffffff refused cleanly\n",
	    STATE_VERSION + 1);
	return 0;
}

/* The offset of the payload of the REC_SVC (type 4) of name in buf, or 0. */
static size_t
svc_record(const uint8_t *buf, size_t len, const char *name)
{
	size_t at = 16, n, nl = strlen(name);

	while (at + 6 <= len) {
		n = buf[at + 2] | buf[at + 3] << 8 | (size_t)buf[at + 4] << 16 |
		    (size_t)buf[at + 5] << 24;
		if (buf[at] == 4 && buf[at + 1] == 0 && n >= 2 + nl &&
		    buf[at + 6] == nl && buf[at + 7] == 0 &&
		    memcmp(buf + at + 8, name, nl) == 0)
			return at + 6;
		at += 6 + n;
	}
	return 0;
}

/* Parse buf into a fresh table; its service records taken, or -1. */
static int
parse_fresh(const uint8_t *buf, size_t len, struct state_in *si,
    struct svctab **tp)
{
	memset(si, 0, sizeof(*si));
	si->apply = 1;
	if ((*tp = state_test_table()) == NULL ||
	    state_parse(buf, len, *tp, si) < 0)
		return -1;
	return si->nsvc;
}

/*
 * A record of an unknown type (a newer writer's) first, and service a's
 * record with a state out of range: the first is skipped, the second
 * dropped, every other record applied.
 */
static int
records(void)
{
	static const uint8_t unknown[] = { 99, 0, 3, 0, 0, 0, 'n', 'e', 'w' };
	size_t len = stlen + sizeof(unknown), at;
	uint8_t *c = malloc(len);
	struct state_in si;
	struct svctab *t;
	struct svc *a, *b;
	int ok, body;

	if (c == NULL)
		return -1;
	memcpy(c, st, 16);
	memcpy(c + 16, unknown, sizeof(unknown));
	memcpy(c + 16 + sizeof(unknown), st + 16, stlen - 16);
	body = (int)(len - 16);
	c[12] = (uint8_t)body;
	c[13] = (uint8_t)(body >> 8);
	c[14] = c[15] = 0;
	if ((at = svc_record(c, len, "a")) == 0) {
		free(c);
		return -1;
	}
	c[at + 3] = 200;		/* name "a" (2 + 1 bytes), then state */
	if (parse_fresh(c, len, &si, &t) < 0) {
		free(c);
		return -1;
	}
	a = &t->v[svc_find(t, "a", 1)];
	b = &t->v[svc_find(t, "b", 1)];
	ok = si.skipped == 1 && si.dropped == 1 && si.nsvc == t->n - 1 &&
	    si.have_global && si.ended && a->state == WIRE_S_STOPPED &&
	    a->restarts == 0 && b->state == WIRE_S_DONE && b->restarts == 2 &&
	    io_back(t, &si);
	load_free(t);
	free(c);
	if (!ok)
		return -1;
	printf("state-test: an unknown record skipped, one out of bounds "
	    "dropped, the others applied\n");
	return 0;
}

/*
 * Service a running as a stranger (our parent), b as a child that is
 * gone, c as a child that runs: a and b are taken as exited, c kept.
 */
static int
pids(void)
{
	struct svctab *t = state_test_table();
	struct state_fds fds;
	struct state_in si;
	struct svc *a, *b, *c;
	uint8_t *buf = NULL;
	pid_t dead;
	off_t len;
	int fd, ok = 0;

	if (t == NULL || (dead = fork()) < 0)
		return -1;
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	a = &t->v[svc_find(t, "a", 1)];
	b = &t->v[svc_find(t, "b", 1)];
	c = &t->v[svc_find(t, "c", 1)];
	a->state = b->state = c->state = WIRE_S_RUNNING;
	a->want = b->want = c->want = WANT_UP;
	a->pid = getppid();
	b->pid = dead;
	c->pid = child;
	memset(&fds, 0, sizeof(fds));
	fd = state_save(t, &fds);
	load_free(t);
	if (fd >= 0 && (len = lseek(fd, 0, SEEK_END)) > 0 &&
	    (buf = malloc((size_t)len)) != NULL &&
	    pread(fd, buf, (size_t)len, 0) == len &&
	    parse_fresh(buf, (size_t)len, &si, &t) >= 0) {
		a = &t->v[svc_find(t, "a", 1)];
		b = &t->v[svc_find(t, "b", 1)];
		ok = si.dropped == 0 && a->pid == 0 &&
		    a->state == WIRE_S_STOPPED && b->pid == 0 &&
		    b->state == WIRE_S_STOPPED &&
		    t->v[svc_find(t, "c", 1)].pid == child;
		load_free(t);
	}
	free(buf);
	if (fd >= 0)
		close(fd);
	if (!ok)
		return -1;
	printf("state-test: a stranger's pid and a dead child's taken as "
	    "exited, a child kept\n");
	return 0;
}

/* Is fd open, and with FD_CLOEXEC? */
static int
is_open(int fd, int cloexec)
{
	int fl = fcntl(fd, F_GETFD);

	return fl >= 0 && (fl & FD_CLOEXEC) == (cloexec ? FD_CLOEXEC : 0);
}

/* util_fd_take() on fds of each kind, as an image fresh from exec has. */
static int
take(void)
{
	struct stat sb;
	int p[2], sv[2], own, file, ok;

	if (pipe(p) < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0 ||
	    (own = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0 ||
	    (file = memfd_create("take", 0)) < 0)
		return -1;
	ok = util_fd_take(p[0], S_IFIFO, O_RDONLY, &sb) == 0 &&
	    is_open(p[0], 1) && S_ISFIFO(sb.st_mode);
	/* Taken already: left alone. */
	ok = ok && util_fd_take(p[0], S_IFIFO, O_RDONLY, &sb) < 0 &&
	    errno == EBADF && is_open(p[0], 1);
	/* The other end, or a file, where a read end is due: closed. */
	ok = ok && util_fd_take(p[1], S_IFIFO, O_RDONLY, &sb) < 0 &&
	    errno == EINVAL && !is_open(p[1], 0) && !is_open(p[1], 1);
	ok = ok && util_fd_take(file, S_IFIFO, O_WRONLY, &sb) < 0 &&
	    errno == EINVAL && !is_open(file, 0) && !is_open(file, 1);
	/* This image's own fd, the console, an fd not open: left alone. */
	ok = ok && util_fd_take(own, S_IFREG, O_RDONLY, &sb) < 0 &&
	    errno == EBADF && is_open(own, 1);
	ok = ok && util_fd_take(STDERR_FILENO, S_IFIFO, O_WRONLY, &sb) < 0 &&
	    errno == EBADF;
	ok = ok && util_fd_take(STATE_SVCFD_MAX - 1, S_IFIFO, O_RDONLY,
	    &sb) < 0 && errno == EBADF;
	ok = ok && util_fd_take(sv[0], S_IFSOCK, O_RDWR, &sb) == 0 &&
	    is_open(sv[0], 1);
	close(p[0]);
	close(sv[0]);
	close(sv[1]);
	close(own);
	if (!ok)
		return -1;
	printf("state-test: fds taken over, left alone and closed as due\n");
	return 0;
}

/*
 * Run sleep with PINIT_SERVICE=name as its environment, leading its own
 * session when lead (as spawn.c makes a service's process); its pid.
 */
static pid_t
svc_child(const char *name, int lead)
{
	char env[64], *argv[] = { "sleep", "100", NULL }, *envp[] = { env, NULL };
	pid_t pid;

	snprintf(env, sizeof(env), "PINIT_SERVICE=%s", name);
	if ((pid = fork()) == 0) {
		if (lead)
			setsid();
		execve("/bin/sleep", argv, envp);
		_exit(127);
	}
	return pid;
}

/* Kill and reap child pid, if one was started (never kill(-1)). */
static void
end_child(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Wait at most 5 s until pid has its own environment (it executed). */
static int
exec_wait(pid_t pid)
{
	char path[64], buf[64];
	ssize_t n;
	int k, fd;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	for (k = 0; k < 500; k++) {
		if ((fd = open(path, O_RDONLY)) >= 0) {
			n = read(fd, buf, sizeof(buf));
			close(fd);
			if (n > 14 && memcmp(buf, "PINIT_SERVICE=", 14) == 0)
				return 0;
		}
		usleep(10000);
	}
	return -1;
}

/*
 * Service a's record dropped (its state out of range): a child of ours
 * named a by its PINIT_SERVICE that leads its session is adopted as a's
 * main process, running, ready and marked; one naming a that does not
 * (something a's process left behind, older: seen first), children naming
 * b (whose record was taken over) and a service not in the tree are left
 * alone.
 */
static int
adopt(void)
{
	uint8_t *c = malloc(stlen);
	struct state_in si;
	struct svctab *t = NULL;
	struct svc *a, *b;
	pid_t kl, ka, kb, kn;
	size_t at;
	int ok = 0;

	if (c == NULL)
		return -1;
	memcpy(c, st, stlen);
	kl = svc_child("a", 0);
	ka = svc_child("a", 1);
	kb = svc_child("b", 1);
	kn = svc_child("nope", 1);
	if ((at = svc_record(c, stlen, "a")) != 0 && kl > 0 && ka > 0 &&
	    kb > 0 && kn > 0 && exec_wait(kl) == 0 && exec_wait(ka) == 0 &&
	    exec_wait(kb) == 0 && exec_wait(kn) == 0) {
		c[at + 3] = 200;	/* name "a" (2 + 1 bytes), then state */
		ok = parse_fresh(c, stlen, &si, &t) >= 0;
	}
	if (ok) {
		a = &t->v[svc_find(t, "a", 1)];
		b = &t->v[svc_find(t, "b", 1)];
		ok = si.dropped == 1 && !a->mark && b->mark && a->pid == 0;
		adopt_children(t, ipc_now());
		ok = ok && a->pid == ka && a->state == WIRE_S_RUNNING &&
		    a->adopted && a->ready && a->want == WANT_UP &&
		    svc_pid_index(t, ka) == (int)(a - t->v) && b->pid == 0 &&
		    svc_pid_index(t, kb) < 0 && svc_pid_index(t, kn) < 0 &&
		    svc_pid_index(t, kl) < 0;
	}
	if (t != NULL)
		load_free(t);
	free(c);
	end_child(kl);
	end_child(ka);
	end_child(kb);
	end_child(kn);
	if (!ok)
		return -1;
	printf("state-test: a dropped service's child adopted, the others "
	    "left alone\n");
	return 0;
}

static int
seeds(const char *dir)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/valid", dir);
	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	fwrite(st, 1, stlen, f);
	fclose(f);
	printf("state-test: wrote %s\n", path);
	return 0;
}

int
main(int argc, char **argv)
{
	int r = -1;

	if (argc < 2 || write_state() < 0) {
		fprintf(stderr, "usage: state-test roundtrip|corrupt|versions|"
		    "records|pids|take|adopt|seeds DIR (or the state could not be written)\n");
		return 2;
	}
	if (strcmp(argv[1], "roundtrip") == 0)
		r = roundtrip();
	else if (strcmp(argv[1], "corrupt") == 0)
		r = corrupt();
	else if (strcmp(argv[1], "versions") == 0)
		r = versions();
	else if (strcmp(argv[1], "records") == 0)
		r = records();
	else if (strcmp(argv[1], "pids") == 0)
		r = pids();
	else if (strcmp(argv[1], "take") == 0)
		r = take();
	else if (strcmp(argv[1], "adopt") == 0)
		r = adopt();
	else if (strcmp(argv[1], "seeds") == 0 && argc == 3)
		r = seeds(argv[2]);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (r < 0)
		fprintf(stderr, "state-test: %s failed\n", argv[1]);
	return r < 0 ? 1 : 0;
}
