/*
 * ipc-test-tool.c - what the suite does to the control channel of the
 * pinit under test, from inside its namespaces.
 *
 *   clients RUNDIR N CALLS PREFIX   N clients in parallel, each asking
 *                                   CALLS times for the status of its own
 *                                   service PREFIXi: every answer must
 *                                   name the service it asked about
 *   queue-squat RUNDIR MODE UID     make the sysv queues of RUNDIR as UID
 *                                   with MODE (octal), before pinit does
 *   queue-show RUNDIR               owner, creator, mode, messages and
 *                                   key of the sysv queues of RUNDIR
 *   queue-fill RUNDIR WHICH [N]     put N junk messages (default: until
 *                                   full) in the requests or replies queue
 *   inflight RUNDIR FILE            connect, create FILE.ready, wait (at
 *                                   most 30 s) for FILE.go, then ask
 *                                   VERSION on that connection and again
 *                                   on a new one; prints "first: ok" or
 *                                   the error, then "retry: ..." the same
 *
 * Linked with the configured backend for "clients"; the queue commands
 * use the SysV calls directly (ipc/sysv.h) and work in any build.
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
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"
#include "sysv.h"
#include "wire.h"

#define TOOL_CLIENTS_MAX	1000
#define TOOL_CALLS_MAX		100000
#define TOOL_CALL_MS		10000	/* deadline of one call */
#define TOOL_JUNK		4000	/* bytes of a big junk message */
#define TOOL_REPLY_TYPE		424242	/* mtype of junk replies */
#define EXIT_USAGE		2

static struct sysv_msg	qbuf;

/* Parse a number in [min, max] in base, or exit with a usage message. */
static long
tool_number(const char *s, int base, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, base);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, "ipc-test-tool: unable to use %s: expected a "
		    "number in %ld..%ld\n", s, min, max);
		exit(EXIT_USAGE);
	}
	return v;
}

/*
 * Ask for the status of name; 1 when the answer is a record of name, -1
 * when pinit had no room for this client (try again, or the connection it
 * closed after saying so), 0 on anything else.
 */
static int
tool_status(const char *name)
{
	struct wire_msg req, rep;
	struct wire_svc_view v;
	size_t off;

	wire_init(&req, WIRE_T_STATUS, 0);
	if (wire_put(&req, name, strlen(name)) == -1 ||
	    ipc_client_call(&req, &rep, ipc_now() + TOOL_CALL_MS) == -1) {
		if (errno == ECONNRESET || errno == EPIPE)
			return -1;
		fprintf(stderr, "ipc-test-tool: status %s: %s\n", name,
		    strerror(errno));
		return 0;
	}
	if (rep.h.code == WIRE_E_AGAIN)
		return -1;
	off = 0;
	if (rep.h.code != WIRE_OK || wire_get_svc(&rep, &off, &v) != 1 ||
	    v.s.namelen != strlen(name) ||
	    memcmp(v.name, name, v.s.namelen) != 0) {
		fprintf(stderr, "ipc-test-tool: status %s: another answer "
		    "(code %d)\n", name, (int)rep.h.code);
		return 0;
	}
	return 1;
}

/* Connect to rundir before the deadline; 1 when connected. */
static int
tool_connect(const char *rundir, int64_t deadline)
{
	if (ipc_client_open(rundir, deadline) == 0)
		return 1;
	fprintf(stderr, "ipc-test-tool: unable to reach %s: %s\n", rundir,
	    strerror(errno));
	return 0;
}

/*
 * One client: calls times the status of its service, connecting again
 * when pinit says it has no room (as pinitctl does), within TOOL_CALL_MS
 * of the last answer; exits 0 if every answer fit.
 */
static void
tool_client(const char *rundir, const char *name, long calls)
{
	struct timespec nap = { 0, 10000000L };
	int64_t deadline;
	long j;
	int ok, r;

	deadline = ipc_now() + TOOL_CALL_MS;
	ok = tool_connect(rundir, deadline);
	for (j = 0; ok && j < calls; j++) {
		while ((r = tool_status(name)) == -1 && ipc_now() < deadline) {
			ipc_client_close();
			nanosleep(&nap, NULL);
			if (!tool_connect(rundir, deadline))
				break;
		}
		ok = r == 1;
		deadline = ipc_now() + TOOL_CALL_MS;
	}
	ipc_client_close();
	_exit(ok ? 0 : 1);
}

/* clients RUNDIR N CALLS PREFIX */
static int
tool_clients(char **argv)
{
	static pid_t pid[TOOL_CLIENTS_MAX];
	char name[WIRE_NAME_MAX + 1];
	long n, calls, i, bad;
	int st;

	n = tool_number(argv[1], 10, 1, TOOL_CLIENTS_MAX);
	calls = tool_number(argv[2], 10, 1, TOOL_CALLS_MAX);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%ld", argv[3], i);
		if ((pid[i] = fork()) == 0)
			tool_client(argv[0], name, calls);
	}
	bad = 0;
	for (i = 0; i < n; i++) {
		if (pid[i] == -1 || waitpid(pid[i], &st, 0) == -1 ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	printf("clients: %ld of %ld clients got their own %ld answers\n",
	    n - bad, n, calls);
	return bad == 0 ? 0 : 1;
}

/* The key of queue which ("requests" or "replies") of rundir. */
static key_t
tool_key(const char *rundir, const char *which)
{
	key_t k[2];

	if (sysv_keys(rundir, &k[0], &k[1]) == -1) {
		fprintf(stderr, "ipc-test-tool: %s: no keys\n", rundir);
		exit(EXIT_USAGE);
	}
	if (strcmp(which, "requests") == 0)
		return k[0];
	if (strcmp(which, "replies") == 0)
		return k[1];
	fprintf(stderr, "ipc-test-tool: %s: expected requests or replies\n",
	    which);
	exit(EXIT_USAGE);
}

/* queue-squat RUNDIR MODE UID: become UID, then make both queues. */
static int
tool_squat(char **argv)
{
	long mode, uid;
	int req, rep;

	mode = tool_number(argv[1], 8, 0, 0777);
	uid = tool_number(argv[2], 10, 0, 65535);
	if (setgroups(0, NULL) == -1 || setgid((gid_t)uid) == -1 ||
	    setuid((uid_t)uid) == -1) {
		fprintf(stderr, "ipc-test-tool: unable to become uid %ld: %s\n",
		    uid, strerror(errno));
		return 1;
	}
	req = msgget(tool_key(argv[0], "requests"), IPC_CREAT | (int)mode);
	rep = msgget(tool_key(argv[0], "replies"), IPC_CREAT | (int)mode);
	if (req == -1 || rep == -1) {
		fprintf(stderr, "ipc-test-tool: unable to make the queues: "
		    "%s\n", strerror(errno));
		return 1;
	}
	printf("squatted: uid %ld mode %03lo\n", uid, mode);
	return 0;
}

/* Print one queue: "NAME: owner U creator C mode M messages N key K". */
static void
tool_show_one(const char *rundir, const char *which)
{
	struct msqid_ds ds;
	key_t key;
	int id;

	key = tool_key(rundir, which);
	id = msgget(key, 0);
	if (id == -1 || msgctl(id, IPC_STAT, &ds) == -1) {
		printf("%s: none (%s) key 0x%08x\n", which, strerror(errno),
		    (unsigned)key);
		return;
	}
	printf("%s: owner %u creator %u mode %03o messages %lu key 0x%08x\n",
	    which, (unsigned)ds.msg_perm.uid, (unsigned)ds.msg_perm.cuid,
	    (unsigned)ds.msg_perm.mode & 0777, (unsigned long)ds.msg_qnum,
	    (unsigned)key);
}

/* queue-show RUNDIR */
static int
tool_show(char **argv)
{
	tool_show_one(argv[0], "requests");
	tool_show_one(argv[0], "replies");
	return 0;
}

/* queue-fill RUNDIR WHICH [N]: junk until full, or N of it. */
static int
tool_fill(char **argv)
{
	static const size_t size[] = { TOOL_JUNK, 1000, 100, 10, 1 };
	long n, sent;
	size_t k;
	int id;

	n = argv[2] != NULL ? tool_number(argv[2], 10, 1, 100000) : -1;
	if ((id = msgget(tool_key(argv[0], argv[1]), 0)) == -1) {
		fprintf(stderr, "ipc-test-tool: no %s queue: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	qbuf.mtype = strcmp(argv[1], "requests") == 0 ? SYSV_T_REQUEST :
	    TOOL_REPLY_TYPE;
	memset(&qbuf.m, 0, sizeof(qbuf.m));
	sent = 0;
	for (k = 0; k < sizeof(size) / sizeof(size[0]) && sent != n; k++) {
		while (sent != n && msgsnd(id, &qbuf, size[k], IPC_NOWAIT) == 0)
			sent++;
		if (sent != n && errno != EAGAIN) {
			perror("ipc-test-tool: msgsnd");
			return 1;
		}
	}
	printf("filled: %ld messages\n", sent);
	return 0;
}

/* Wait at most 30 s until path exists; 0, or -1. */
static int
tool_await(const char *path)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < 1500; i++) {
		if (access(path, F_OK) == 0)
			return 0;
		nanosleep(&nap, NULL);
	}
	return -1;
}

/* Ask VERSION on the open connection; print "what: ok" or its error. */
static int
tool_version(const char *what)
{
	struct wire_msg req, rep;

	wire_init(&req, WIRE_T_VERSION, 0);
	if (ipc_client_call(&req, &rep, ipc_now() + TOOL_CALL_MS) == -1) {
		printf("%s: %s\n", what, strerror(errno));
		return -1;
	}
	printf("%s: %s\n", what, rep.h.code == WIRE_OK ? "ok" : "refused");
	return rep.h.code == WIRE_OK ? 0 : -1;
}

/*
 * A client whose connection is open while pinit executes a hot update:
 * its question gets an answer or a clean error, never a hang, and asking
 * again on a new connection works.
 */
static int
tool_inflight(char **argv)
{
	char path[512];
	FILE *f;

	if (ipc_client_open(argv[0], ipc_now() + TOOL_CALL_MS) == -1) {
		printf("open: %s\n", strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s.ready", argv[1]);
	if ((f = fopen(path, "w")) == NULL)
		return 1;
	fclose(f);
	snprintf(path, sizeof(path), "%s.go", argv[1]);
	if (tool_await(path) == -1) {
		printf("no %s\n", path);
		return 1;
	}
	(void)tool_version("first");
	ipc_client_close();
	if (ipc_client_open(argv[0], ipc_now() + TOOL_CALL_MS) == -1) {
		printf("retry: %s\n", strerror(errno));
		return 1;
	}
	return tool_version("retry") == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		 argmin, argmax;
		int		 (*run)(char **);
	} cmd[] = {
		{ "clients", 4, 4, tool_clients },
		{ "queue-squat", 3, 3, tool_squat },
		{ "queue-show", 1, 1, tool_show },
		{ "queue-fill", 2, 3, tool_fill },
		{ "inflight", 2, 2, tool_inflight },
	};
	size_t i;

	for (i = 0; argc >= 2 && i < sizeof(cmd) / sizeof(cmd[0]); i++) {
		if (strcmp(argv[1], cmd[i].name) == 0 &&
		    argc - 2 >= cmd[i].argmin && argc - 2 <= cmd[i].argmax)
			return cmd[i].run(argv + 2);
	}
	fprintf(stderr, "usage: ipc-test-tool clients RUNDIR N CALLS PREFIX\n"
	    "       ipc-test-tool queue-squat RUNDIR MODE UID\n"
	    "       ipc-test-tool queue-show RUNDIR\n"
	    "       ipc-test-tool queue-fill RUNDIR requests|replies [N]\n"
	    "       ipc-test-tool inflight RUNDIR FILE\n");
	return EXIT_USAGE;
}
