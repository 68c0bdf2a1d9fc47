/*
 * ctl.c - control round trips, with and without a client's exec, against
 * the raw round trip of each IPC kind between two bare processes.
 *
 * Run inside the namespace of a running pinit.  Each round measures, in
 * an order that turns with the round:
 *
 *   ipc-BACKEND   CALLS status requests to pinit over one connection
 *                 (ipc_client_call() of the backend this build links)
 *   raw-socket    the same bytes over an AF_UNIX SOCK_SEQPACKET pair
 *   raw-fifo      the same over a pair of FIFOs
 *   raw-sysv      the same over one SysV message queue (mtype routing)
 *   exec-nop      EXECS fork, exec and wait of a static do-nothing binary
 *   exec-LABEL    EXECS runs of "PINITCTL status SVC" (-c LABEL=PATH)
 *   stopstart     "PINITCTL stop SVC" then "start SVC", each waiting for
 *                 the end state (the first -c client), in the first PAIRS
 *                 rounds only
 *
 * and prints one line per figure: "ctl ROUND NAME MICROSECONDS", the mean
 * time of one operation in that round.  Many short rounds, each taking
 * every figure within a few milliseconds, keep the ratios of one round
 * comparable on a machine whose load changes.  A raw server echoes a
 * reply as long as pinit's reply to the same status request.
 */
#define _GNU_SOURCE

#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"
#include "wire.h"

#define CLIENTS_MAX	4
#define CALL_MS		5000
#define MEASURES	(6 + CLIENTS_MAX)

struct qmsg {
	long	mtype;
	char	data[WIRE_MSG_MAX];
};

struct client {
	const char	*label;
	const char	*path;
};

static struct {
	int		 rounds;
	long		 calls, execs, pairs;
	const char	*svc;
	const char	*rundir;
	const char	*nop;
	struct client	 c[CLIENTS_MAX];
	int		 nc;
	size_t		 reqlen, replen;
	char		 req[WIRE_MSG_MAX], rep[WIRE_MSG_MAX];
	int		 sock;			/* raw socket client end */
	int		 freq, frep;		/* raw FIFO client ends */
	int		 queue;			/* raw SysV queue */
	pid_t		 servers[3];
} b;

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench-ctl: unable to %s: %s\n", what,
	    strerror(errno));
	exit(1);
}

/* The sizes of a status request for svc and of pinit's reply. */
static void
ctl_sizes(void)
{
	struct wire_msg	 m;
	struct wire_svc	 s;
	size_t		 n = strlen(b.svc);

	wire_init(&m, WIRE_T_STATUS, 1);
	if (wire_put(&m, b.svc, n) == -1)
		die("build a request");
	b.reqlen = WIRE_HDR_SIZE + m.h.len;
	memcpy(b.req, &m, b.reqlen);
	memset(&s, 0, sizeof(s));
	wire_init(&m, WIRE_T_STATUS, 1);
	if (wire_put_svc(&m, &s, b.svc, n, "", 0) == -1)
		die("build a reply");
	b.replen = WIRE_HDR_SIZE + m.h.len;
	memcpy(b.rep, &m, b.replen);
}

/* Serve raw socket requests on fd until end of file. */
static void
serve_socket(int fd)
{
	char buf[WIRE_MSG_MAX];

	while (recv(fd, buf, sizeof(buf), 0) > 0)
		if (send(fd, b.rep, b.replen, 0) != (ssize_t)b.replen)
			break;
	_exit(0);
}

/* Serve raw FIFO requests: one read, one write, until end of file. */
static void
serve_fifo(const char *req, const char *rep)
{
	char	 buf[WIRE_MSG_MAX];
	int	 in, out;

	if ((in = open(req, O_RDONLY)) == -1 ||
	    (out = open(rep, O_WRONLY)) == -1)
		_exit(1);
	while (read(in, buf, sizeof(buf)) > 0)
		if (write(out, b.rep, b.replen) != (ssize_t)b.replen)
			break;
	_exit(0);
}

/* Serve raw queue requests (mtype 1) until the queue goes away. */
static void
serve_sysv(pid_t client)
{
	struct qmsg m;

	for (;;) {
		if (msgrcv(b.queue, &m, sizeof(m.data), 1, 0) == -1) {
			if (errno == EINTR)
				continue;
			_exit(0);
		}
		m.mtype = client;
		memcpy(m.data, b.rep, b.replen);
		if (msgsnd(b.queue, &m, b.replen, 0) == -1)
			_exit(0);
	}
}

/* Fork the three raw servers. */
static void
ctl_servers(void)
{
	char	 dir[] = "/tmp/bench-ctl.XXXXXX", req[64], rep[64];
	pid_t	 me = getpid();
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		die("make a socket pair");
	if ((b.servers[0] = fork()) == 0) {
		close(sv[0]);
		serve_socket(sv[1]);
	}
	close(sv[1]);
	b.sock = sv[0];
	if (mkdtemp(dir) == NULL)
		die("make a directory for the FIFOs");
	snprintf(req, sizeof(req), "%s/req", dir);
	snprintf(rep, sizeof(rep), "%s/rep", dir);
	if (mkfifo(req, 0600) == -1 || mkfifo(rep, 0600) == -1)
		die("make the FIFOs");
	if ((b.servers[1] = fork()) == 0)
		serve_fifo(req, rep);
	if ((b.freq = open(req, O_WRONLY | O_CLOEXEC)) == -1 ||
	    (b.frep = open(rep, O_RDONLY | O_CLOEXEC)) == -1)
		die("open the FIFOs");
	unlink(req);
	unlink(rep);
	rmdir(dir);
	b.queue = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (b.queue == -1)
		die("make a message queue");
	if ((b.servers[2] = fork()) == 0)
		serve_sysv(me);
}

static void
ctl_servers_end(void)
{
	int i;

	close(b.sock);
	close(b.freq);
	close(b.frep);
	msgctl(b.queue, IPC_RMID, NULL);
	for (i = 0; i < 3; i++)
		waitpid(b.servers[i], NULL, 0);
}

/* Mean microseconds of one raw round trip of kind k. */
static double
ctl_raw(int k)
{
	struct qmsg	 m;
	char		 buf[WIRE_MSG_MAX];
	double		 t0 = now_us();
	long		 i;
	ssize_t		 r = 0;

	for (i = 0; i < b.calls; i++) {
		if (k == 0) {
			if (send(b.sock, b.req, b.reqlen, 0) ==
			    (ssize_t)b.reqlen)
				r = recv(b.sock, buf, sizeof(buf), 0);
		} else if (k == 1) {
			if (write(b.freq, b.req, b.reqlen) ==
			    (ssize_t)b.reqlen)
				r = read(b.frep, buf, sizeof(buf));
		} else {
			m.mtype = 1;
			memcpy(m.data, b.req, b.reqlen);
			if (msgsnd(b.queue, &m, b.reqlen, 0) == 0)
				r = msgrcv(b.queue, &m, sizeof(m.data),
				    getpid(), 0);
		}
		if (r != (ssize_t)b.replen)
			die("make a raw round trip");
	}
	return (now_us() - t0) / (double)b.calls;
}

/* Mean microseconds of one status request to pinit. */
static double
ctl_ipc(void)
{
	struct wire_msg	 req, rep;
	double		 t0;
	long		 i;

	if (ipc_client_open(b.rundir, ipc_now() + CALL_MS) == -1)
		die("connect to pinit");
	t0 = now_us();
	for (i = 0; i < b.calls; i++) {
		wire_init(&req, WIRE_T_STATUS, 0);
		wire_put(&req, b.svc, strlen(b.svc));
		if (ipc_client_call(&req, &rep, ipc_now() + CALL_MS) == -1)
			die("ask pinit");
		if (rep.h.code != WIRE_OK) {
			fprintf(stderr, "bench-ctl: pinit answered %s\n",
			    wire_code_text((unsigned)rep.h.code));
			exit(1);
		}
	}
	t0 = (now_us() - t0) / (double)b.calls;
	ipc_client_close();
	return t0;
}

/* Fork, exec argv with output to /dev/null, wait; exit if it failed. */
static void
ctl_run(char **argv)
{
	pid_t	 pid;
	int	 status, fd;

	pid = fork();
	if (pid == -1)
		die("fork");
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench-ctl: %s %s failed\n", argv[0],
		    argv[2] != NULL ? argv[2] : "");
		exit(1);
	}
}

/* Mean microseconds of one run of argv. */
static double
ctl_exec(char **argv, long n)
{
	double	 t0 = now_us();
	long	 i;

	for (i = 0; i < n; i++)
		ctl_run(argv);
	return (now_us() - t0) / (double)n;
}

/* Run measure k of round r and print it. */
static void
ctl_measure(int r, int k)
{
	char	 rundir[4200], *argv[5], label[64];
	char	*nop[] = { (char *)b.nop, NULL };
	double	 us;

	snprintf(rundir, sizeof(rundir), "--rundir=%s", b.rundir);
	argv[1] = rundir;
	argv[3] = (char *)b.svc;
	argv[4] = NULL;
	switch (k) {
	case 0:
		snprintf(label, sizeof(label), "ipc-%s", ipc_name());
		us = ctl_ipc();
		break;
	case 1:
	case 2:
	case 3:
		snprintf(label, sizeof(label), "raw-%s", k == 1 ? "socket" :
		    k == 2 ? "fifo" : "sysv");
		us = ctl_raw(k - 1);
		break;
	case 4:
		snprintf(label, sizeof(label), "exec-nop");
		us = ctl_exec(nop, b.execs);
		break;
	case 5:
		if (b.nc == 0 || r >= b.pairs)
			return;
		snprintf(label, sizeof(label), "stopstart");
		argv[0] = (char *)b.c[0].path;
		us = now_us();
		argv[2] = "stop";
		ctl_run(argv);
		argv[2] = "start";
		ctl_run(argv);
		us = now_us() - us;
		break;
	default:
		if (k - 6 >= b.nc)
			return;
		snprintf(label, sizeof(label), "exec-%s", b.c[k - 6].label);
		argv[0] = (char *)b.c[k - 6].path;
		argv[2] = "status";
		us = ctl_exec(argv, b.execs);
	}
	printf("ctl %d %s %.3f\n", r, label, us);
	fflush(stdout);
}

static void
usage(void)
{
	fputs("usage: bench-ctl -s SVC -d RUNDIR -x NOP [-r ROUNDS] [-n CALLS] "
	    "[-e EXECS]\n"
	    "                 [-p PAIRS] [-c LABEL=PINITCTL]...\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	char	*eq;
	int	 c, r, k;

	b.rounds = 100;
	b.calls = 100;
	b.execs = 5;
	b.pairs = 5;
	while ((c = getopt(argc, argv, "r:n:e:p:s:d:x:c:")) != -1) {
		switch (c) {
		case 'r':
			b.rounds = atoi(optarg);
			break;
		case 'n':
			b.calls = atol(optarg);
			break;
		case 'e':
			b.execs = atol(optarg);
			break;
		case 'p':
			b.pairs = atol(optarg);
			break;
		case 's':
			b.svc = optarg;
			break;
		case 'd':
			b.rundir = optarg;
			break;
		case 'x':
			b.nop = optarg;
			break;
		case 'c':
			if (b.nc == CLIENTS_MAX ||
			    (eq = strchr(optarg, '=')) == NULL)
				usage();
			*eq = '\0';
			b.c[b.nc].label = optarg;
			b.c[b.nc++].path = eq + 1;
			break;
		default:
			usage();
		}
	}
	if (b.svc == NULL || b.rundir == NULL || b.nop == NULL ||
	    b.rounds <= 0 || b.calls <= 0 || b.execs <= 0 || b.pairs < 0)
		usage();
	signal(SIGPIPE, SIG_IGN);
	ctl_sizes();
	ctl_servers();
	for (r = 0; r < b.rounds; r++)
		for (k = 0; k < MEASURES; k++)
			ctl_measure(r, (k + r) % MEASURES);
	ctl_servers_end();
	return 0;
}
