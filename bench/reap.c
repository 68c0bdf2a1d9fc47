/*
 * reap.c - time how long PID 1 takes to reap N orphans released at once.
 *
 * Run inside the namespace of the init under test.  A helper process makes
 * itself a process group, forks N children that exit at once, waits until
 * they all have exited (a pipe they hold reaches end of file), notes the
 * time and exits: its N zombies pass to PID 1 together.  Then this process
 * asks kill(-group, 0) until no process of the group is left, which is
 * when PID 1 has reaped the last zombie (a zombie still belongs to its
 * group).  It prints "reap N MS".
 */
#define _GNU_SOURCE

#include <sys/mman.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REAP_TIMEOUT_MS	60000.0

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The helper: make n zombies, note the time in *t0, and exit. */
static void
reap_helper(long n, volatile double *t0)
{
	long	 i;
	pid_t	 pid;
	char	 c;
	int	 fds[2];

	setpgid(0, 0);
	signal(SIGCHLD, SIG_DFL);
	if (pipe(fds) == -1)
		_exit(1);
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid == -1) {
			fprintf(stderr, "bench-reap: unable to fork child %ld: "
			    "%s\n", i, strerror(errno));
			_exit(1);
		}
	}
	close(fds[1]);
	while (read(fds[0], &c, 1) > 0 || errno == EINTR)
		continue;
	*t0 = now_ms();
	_exit(0);
}

int
main(int argc, char **argv)
{
	static const struct timespec	 nap = { 0, 100000 };
	volatile double			*t0;
	double				 t1;
	long				 n;
	pid_t				 helper;
	int				 status;

	if (argc != 2 || (n = atol(argv[1])) <= 0) {
		fputs("usage: bench-reap N\n", stderr);
		return 2;
	}
	t0 = mmap(NULL, sizeof(*t0), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t0 == MAP_FAILED)
		return 1;
	*t0 = 0;
	helper = fork();
	if (helper == 0)
		reap_helper(n, t0);
	if (helper == -1 || waitpid(helper, &status, 0) != helper ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0 || *t0 == 0) {
		fputs("bench-reap: the helper failed\n", stderr);
		return 1;
	}
	for (;;) {
		if (kill(-helper, 0) == -1 && errno == ESRCH)
			break;
		if (now_ms() - *t0 > REAP_TIMEOUT_MS) {
			fprintf(stderr, "bench-reap: zombies left after %.0f "
			    "ms\n", REAP_TIMEOUT_MS);
			return 1;
		}
		nanosleep(&nap, NULL);
	}
	t1 = now_ms();
	printf("reap %ld %.3f\n", n, t1 - *t0);
	return 0;
}
