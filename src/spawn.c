/*
 * spawn.c - start a program for a service.
 *
 * The child resets what PID 1 changed (signal mask and dispositions),
 * starts a new session, reads /dev/null, keeps PID 1's stdout and stderr,
 * closes every other fd and execs.  An exec failure is written as an int
 * (the errno) to a close-on-exec pipe; end of file on that pipe means the
 * exec succeeded.  PID 1 reads the pipe in its loop: it never waits for
 * the child.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux.h"
#include "svc.h"
#include "util.h"

/* Close every fd from 3 up except keep, one by one through /proc. */
static void
close_walk(int keep)
{
	struct dirent *de;
	DIR *d;
	int fd, dfd;

	d = opendir("/proc/self/fd");
	if (d == NULL) {
		for (fd = 3; fd < 1024; fd++)
			if (fd != keep)
				close(fd);
		return;
	}
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		fd = atoi(de->d_name);
		if (fd > 2 && fd != keep && fd != dfd)
			close(fd);
	}
	closedir(d);
}

/* close_range(2) of lo..hi; 0 for an empty range. */
static int
close_between(unsigned lo, unsigned hi)
{
	return lo > hi ? 0 : (int)syscall(SYS_close_range, lo, hi, 0);
}

/*
 * Close every fd from 3 up except keep.  close_range(2) does it in two
 * calls: a child of a PID 1 that starts thousands of services at once
 * inherits thousands of exec pipes, and closing them one by one in every
 * child made starting N services cost N * N system calls.  Kernels before
 * 5.9 get the walk through /proc.
 */
static void
close_others(int keep)
{
	if (keep < 3) {
		if (close_between(3, ~0U) == 0)
			return;
	} else if (close_between(3, (unsigned)keep - 1) == 0 &&
	    close_between((unsigned)keep + 1, ~0U) == 0)
		return;
	close_walk(keep);
}

/* Put the child back in a state a program expects. */
static void
child_reset(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig, fd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	fd = open("/dev/null", O_RDONLY | O_NOCTTY);
	if (fd >= 0 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	if (chdir("/") < 0)
		return;
}

pid_t
spawn_prog(const struct svc_prog *p, int *execfd)
{
	int fds[2], err;
	pid_t pid;

	fds[0] = fds[1] = -1;
	if (execfd != NULL && pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		err = errno;
		if (execfd != NULL) {
			close(fds[0]);
			close(fds[1]);
		}
		errno = err;
		return -1;
	}
	if (pid == 0) {
		child_reset();
		close_others(fds[1]);
		execve(p->path, p->argv, p->envp);
		err = errno;
		if (fds[1] >= 0 && write(fds[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	if (execfd != NULL) {
		close(fds[1]);
		*execfd = fds[0];
	}
	return pid;
}

int
spawn_exec_result(int fd, int *err)
{
	ssize_t n;
	int e;

	do
		n = read(fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return -1;
	if (n == (ssize_t)sizeof(e)) {
		*err = e;
		return 1;
	}
	return 0;
}

pid_t
spawn_task(void (*fn)(const char *), const char *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		child_reset();
		close_others(-1);
		fn(arg);
		_exit(0);
	}
	return pid;
}
