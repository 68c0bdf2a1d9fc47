/*
 * boot.c - time one boot of an init as PID 1, and its shutdown.
 *
 * bench-boot starts LAUNCHER (testsuite/pinit-ns with the init and its
 * arguments), which makes the namespaces and execs the init.  Every
 * service of the tree writes one byte to FIFO when it is up and keeps the
 * FIFO open until it dies (bench/svc.c).  bench-boot reads the launcher's
 * stdout and stderr into LOG line by line, which keeps the init from
 * blocking on its console and tells the init's host pid.
 *
 * It prints one line on stdout:
 *
 *	boot up=MS ready=MS gone=MS end=MS status=N
 *
 * up: from the fork of the launcher to N bytes read from FIFO (every
 * service has run); ready: to TEXT in the log (-w, e.g. pinit's "all
 * services started"); gone: from the shutdown signal to end of file on
 * FIFO (every service has exited); end: from that signal to the end of the
 * launcher, i.e. of PID 1; status: the launcher's exit status (130 when
 * PID 1 ended the namespace by SIGINT, as a powered-off one does).  A
 * figure not measured is -1.  Between up and the shutdown, -i CMD runs
 * (/bin/sh -c) with BENCH_PID1 set to the init's host pid.
 *
 * The launcher, and so the init, gets the small environment a kernel
 * gives init (HOME, TERM, PATH), not the caller's: pinit copies its
 * environment for every service, and the memory figures should not
 * depend on who ran the bench.
 */
#define _GNU_SOURCE

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN	4096
#define HOSTPID_TEXT	"pinit-ns: pid 1 is host pid "

static pid_t	 launcher_pid;		/* for the signal handler */

static const char *const initenv[] = {
	"HOME=/", "TERM=linux", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL
};

struct boot {
	long		 n;		/* services to wait for */
	const char	*fifo;
	const char	*log;
	const char	*text;		/* ready when the log shows it */
	const char	*cmd;		/* run once up */
	int		 sig;		/* asks the init to power off */
	int		 skip_down;	/* kill the launcher instead */
	long		 timeout_ms;	/* per phase */
	char		**argv;		/* the launcher */

	int		 rfd, wfd;	/* FIFO */
	int		 outfd;		/* the launcher's stdout and stderr */
	int		 logfd;
	int		 pidfd;		/* the launcher */
	pid_t		 launcher;
	pid_t		 hostpid;	/* PID 1 as the host sees it */
	long		 got;		/* bytes read from FIFO */
	int		 seen;		/* text seen */
	int		 eof;		/* FIFO at end of file */
	int		 ended;		/* the launcher has ended */
	int		 status;
	char		 line[LINE_MAX_LEN];
	size_t		 linelen;
};

/* Milliseconds of CLOCK_MONOTONIC, as a double. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench-boot: unable to %s: %s\n", what,
	    strerror(errno));
	exit(1);
}

static int
open_pidfd(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Killed ourselves: take the launcher, and so its namespace, along. */
static void
on_signal(int sig)
{
	if (launcher_pid > 0)
		kill(launcher_pid, SIGTERM);
	_exit(128 + sig);
}

/* Look at one complete line of the log. */
static void
boot_line(struct boot *b, const char *line)
{
	size_t n = strlen(HOSTPID_TEXT);

	if (b->hostpid == 0 && strncmp(line, HOSTPID_TEXT, n) == 0)
		b->hostpid = (pid_t)atol(line + n);
	if (b->text != NULL && !b->seen && strstr(line, b->text) != NULL)
		b->seen = 1;
}

/* Copy what the launcher wrote to the log, looking at each line. */
static void
boot_drain(struct boot *b)
{
	char	 buf[65536];
	ssize_t	 r, i;

	while ((r = read(b->outfd, buf, sizeof(buf))) > 0) {
		if (write(b->logfd, buf, (size_t)r) != r)
			die("write the log");
		for (i = 0; i < r; i++) {
			if (buf[i] != '\n') {
				if (b->linelen < sizeof(b->line) - 1)
					b->line[b->linelen++] = buf[i];
				continue;
			}
			b->line[b->linelen] = '\0';
			boot_line(b, b->line);
			b->linelen = 0;
		}
	}
	if (r == 0) {
		close(b->outfd);
		b->outfd = -1;
	}
}

/* Count bytes on the FIFO; note its end of file. */
static void
boot_fifo(struct boot *b)
{
	char	 buf[4096];
	ssize_t	 r;

	while ((r = read(b->rfd, buf, sizeof(buf))) > 0)
		b->got += r;
	if (r == 0)
		b->eof = 1;
}

/*
 * Wait for events for at most ms, handling the log, the FIFO and the end
 * of the launcher; extra (or -1) is one more fd to wait on.  Return 1 if
 * extra is ready.
 */
static int
boot_wait(struct boot *b, int extra, int ms)
{
	struct pollfd	 p[4];
	int		 n = 0, i;

	p[n].fd = b->outfd;
	p[n++].events = POLLIN;
	p[n].fd = b->eof ? -1 : b->rfd;
	p[n++].events = POLLIN;
	p[n].fd = b->ended ? -1 : b->pidfd;
	p[n++].events = POLLIN;
	p[n].fd = extra;
	p[n++].events = POLLIN;
	if (poll(p, n, ms) == -1 && errno != EINTR)
		die("poll");
	for (i = 0; i < n; i++)
		if (p[i].fd < 0)
			p[i].revents = 0;
	if (p[0].revents != 0)
		boot_drain(b);
	if (p[1].revents != 0)
		boot_fifo(b);
	if (p[2].revents != 0 &&
	    waitpid(b->launcher, &b->status, WNOHANG) == b->launcher)
		b->ended = 1;
	return p[3].revents != 0;
}

/* Make the FIFO anew, readable and writable by the namespace's root. */
static void
boot_fifo_open(struct boot *b)
{
	if (unlink(b->fifo) == -1 && errno != ENOENT)
		die("remove the FIFO");
	if (mkfifo(b->fifo, 0666) == -1 || chmod(b->fifo, 0666) == -1)
		die("make the FIFO");
	b->rfd = open(b->fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (b->rfd == -1)
		die("open the FIFO");
	/* Our own writer keeps end of file away until the shutdown. */
	b->wfd = open(b->fifo, O_WRONLY | O_CLOEXEC);
	if (b->wfd == -1)
		die("open the FIFO for writing");
}

/* Fork the launcher with its output on a pipe. */
static void
boot_start(struct boot *b)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) == -1)
		die("make a pipe");
	b->launcher = fork();
	if (b->launcher == -1)
		die("fork");
	if (b->launcher == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		execve(b->argv[0], b->argv, (char **)initenv);
		fprintf(stderr, "bench-boot: unable to execute %s: %s\n",
		    b->argv[0], strerror(errno));
		_exit(127);
	}
	launcher_pid = b->launcher;
	close(fds[1]);
	b->outfd = fds[0];
	fcntl(b->outfd, F_SETFL, O_NONBLOCK);
	b->pidfd = open_pidfd(b->launcher);
	if (b->pidfd == -1)
		die("open a pidfd");
}

/* Kill the launcher (it kills its namespace) and wait for it. */
static void
boot_kill(struct boot *b)
{
	double deadline = now_ms() + b->timeout_ms;

	if (!b->ended)
		kill(b->launcher, SIGTERM);
	while (!b->ended && now_ms() < deadline)
		boot_wait(b, -1, 100);
	if (!b->ended) {
		kill(b->launcher, SIGKILL);
		waitpid(b->launcher, &b->status, 0);
		b->ended = 1;
	}
	while (b->outfd != -1 && boot_wait(b, -1, 100) == 0 &&
	    now_ms() < deadline)
		continue;
}

/* Run the command given with -i while the init runs; 0 if it succeeded. */
static int
boot_cmd(struct boot *b)
{
	char	 pid[32];
	pid_t	 child;
	int	 fd, status = 0;

	snprintf(pid, sizeof(pid), "%d", (int)b->hostpid);
	child = fork();
	if (child == -1)
		die("fork");
	if (child == 0) {
		setenv("BENCH_PID1", pid, 1);
		execl("/bin/sh", "sh", "-c", b->cmd, (char *)NULL);
		_exit(127);
	}
	fd = open_pidfd(child);
	if (fd == -1)
		die("open a pidfd");
	while (!b->ended && boot_wait(b, fd, -1) == 0)
		continue;
	close(fd);
	if (waitpid(child, &status, 0) == -1)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Wait until every service is up and the text shown; 0 or -1 (timeout). */
static int
boot_up(struct boot *b, double t0, double *up, double *ready)
{
	double deadline = t0 + b->timeout_ms;

	while (now_ms() < deadline && !b->ended) {
		if (*up < 0 && b->got >= b->n)
			*up = now_ms() - t0;
		if (b->text != NULL && *ready < 0 && b->seen)
			*ready = now_ms() - t0;
		if (*up >= 0 && (b->text == NULL || *ready >= 0) &&
		    b->hostpid != 0)
			return 0;
		boot_wait(b, -1, (int)(deadline - now_ms()) + 1);
	}
	fprintf(stderr, "bench-boot: %s after %.0f ms: %ld of %ld services "
	    "up%s; see %s\n", b->ended ? "the init ended" : "timeout",
	    now_ms() - t0, b->got, b->n, b->text != NULL && !b->seen ?
	    ", ready text not seen" : "", b->log);
	return -1;
}

/* Ask for the power-off and time it; 0, or -1 on timeout. */
static int
boot_down(struct boot *b, double *gone, double *end)
{
	double t1, deadline;

	close(b->wfd);
	b->wfd = -1;
	t1 = now_ms();
	if (kill(b->hostpid, b->sig) == -1)
		die("signal PID 1");
	deadline = t1 + b->timeout_ms;
	while (now_ms() < deadline && (!b->eof || !b->ended)) {
		boot_wait(b, -1, (int)(deadline - now_ms()) + 1);
		if (*gone < 0 && b->eof)
			*gone = now_ms() - t1;
		if (*end < 0 && b->ended)
			*end = now_ms() - t1;
	}
	if (b->eof && b->ended)
		return 0;
	fprintf(stderr, "bench-boot: shutdown timeout: services %s, PID 1 "
	    "%s; see %s\n", b->eof ? "gone" : "still there", b->ended ?
	    "ended" : "still there", b->log);
	return -1;
}

static void
usage(void)
{
	fputs("usage: bench-boot -f FIFO -l LOG [-n N] [-w TEXT] [-i CMD] "
	    "[-k SIGNAL] [-t SECONDS] [-S]\n"
	    "                  -- LAUNCHER [ARG...]\n", stderr);
	exit(2);
}

static void
parse(struct boot *b, int argc, char **argv)
{
	int c;

	memset(b, 0, sizeof(*b));
	b->sig = SIGTERM;
	b->timeout_ms = 120000;
	b->rfd = b->wfd = b->outfd = b->pidfd = -1;
	while ((c = getopt(argc, argv, "+n:f:l:w:i:k:t:S")) != -1) {
		switch (c) {
		case 'n':
			b->n = atol(optarg);
			break;
		case 'f':
			b->fifo = optarg;
			break;
		case 'l':
			b->log = optarg;
			break;
		case 'w':
			b->text = optarg;
			break;
		case 'i':
			b->cmd = optarg;
			break;
		case 'k':
			b->sig = atoi(optarg);
			break;
		case 't':
			b->timeout_ms = atol(optarg) * 1000;
			break;
		case 'S':
			b->skip_down = 1;
			break;
		default:
			usage();
		}
	}
	if (b->fifo == NULL || b->log == NULL || optind >= argc ||
	    b->sig <= 0 || b->timeout_ms <= 0)
		usage();
	b->argv = argv + optind;
}

int
main(int argc, char **argv)
{
	struct boot	 b;
	double		 t0, up = -1, ready = -1, gone = -1, end = -1;
	int		 ok;

	parse(&b, argc, argv);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	b.logfd = open(b.log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (b.logfd == -1)
		die("open the log");
	boot_fifo_open(&b);
	t0 = now_ms();
	boot_start(&b);
	ok = boot_up(&b, t0, &up, &ready) == 0;
	if (ok && b.cmd != NULL && boot_cmd(&b) == -1) {
		fprintf(stderr, "bench-boot: the command failed: %s\n", b.cmd);
		ok = 0;
	}
	if (ok && !b.skip_down && !b.ended)
		ok = boot_down(&b, &gone, &end) == 0;
	boot_kill(&b);
	printf("boot up=%.3f ready=%.3f gone=%.3f end=%.3f status=%d\n", up,
	    ready, gone, end, WIFEXITED(b.status) ? WEXITSTATUS(b.status) :
	    128 + WTERMSIG(b.status));
	unlink(b.fifo);
	return ok ? 0 : 1;
}
