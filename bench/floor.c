/*
 * floor.c - the floor of the start-up, shutdown and reaping benchmarks:
 * the least an init can do, run as PID 1 in the same namespaces as pinit.
 *
 * It forks and execs N copies of PROGRAM (no service files, no
 * supervision), says so on stderr, then reaps whatever dies.  With -c
 * LEVELS the first LEVELS copies start one after another, each once the
 * previous one's exec has succeeded (a close-on-exec pipe reaches end of
 * file): the least a dependency chain costs.  With -s each copy runs in a
 * session of its own (setsid()), as every supervisor starts its services:
 * the least that costs, where the kernel gives each session its own
 * scheduling group (autogroup).  TERM, INT or USR2 ends it the
 * way a minimal init powers off: TERM to every process, reap them all,
 * sync, reboot(2), which in a PID namespace ends the namespace by SIGINT.
 */
#define _GNU_SOURCE

#include <sys/reboot.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Fill set with the signals PID 1 waits for. */
static void
floor_sigset(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGUSR2);
}

static int	session;		/* -s: setsid() in each copy */

/* Fork and exec argv; with wait set, return once the exec has happened. */
static int
floor_spawn(char **argv, int wait)
{
	sigset_t	 none;
	pid_t		 pid;
	char		 c;
	int		 fds[2] = { -1, -1 };

	if (wait && pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	pid = fork();
	if (pid == 0) {
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (session)
			setsid();
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait) {
		close(fds[1]);
		while (read(fds[0], &c, 1) == -1 && errno == EINTR)
			continue;
		close(fds[0]);
	}
	return pid == -1 ? -1 : 0;
}

/* Reap every child that has ended. */
static void
floor_reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		continue;
}

/* TERM to everyone, reap them all, sync, and end. */
static void
floor_poweroff(void)
{
	kill(-1, SIGTERM);
	kill(-1, SIGCONT);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		continue;
	sync();
	reboot(RB_POWER_OFF);
	/* Not PID 1 of a namespace: end the way one would. */
	signal(SIGINT, SIG_DFL);
	kill(getpid(), SIGINT);
	_exit(130);
}

int
main(int argc, char **argv)
{
	sigset_t	 set;
	long		 n, i, levels = 0;
	int		 sig;

	for (;;) {
		if (argc >= 3 && strcmp(argv[1], "-c") == 0) {
			levels = strtol(argv[2], NULL, 10);
			argv += 2;
			argc -= 2;
		} else if (argc >= 2 && strcmp(argv[1], "-s") == 0) {
			session = 1;
			argv++;
			argc--;
		} else
			break;
	}
	if (argc < 3 || (n = strtol(argv[1], NULL, 10)) < 0) {
		fputs("usage: bench-floor [-c LEVELS] [-s] N PROGRAM [ARG...]\n",
		    stderr);
		return 2;
	}
	floor_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n; i++)
		if (floor_spawn(argv + 2, i < levels) == -1)
			fprintf(stderr, "bench-floor: unable to start copy "
			    "%ld: %s\n", i, strerror(errno));
	fprintf(stderr, "bench-floor: started %ld\n", n);
	for (;;) {
		sig = sigwaitinfo(&set, NULL);
		if (sig == SIGCHLD)
			floor_reap();
		else if (sig > 0)
			floor_poweroff();
	}
}
