/*
 * spawn.c - start a program for a service.
 *
 * The child resets what PID 1 changed (signal mask and dispositions),
 * starts a new session, reads /dev/null (the rescue shell: PID 1's own
 * standard input, the console), keeps PID 1's stdout and stderr, closes
 * every other fd, takes the service's identity and limits (ident.c) and
 * execs.  An exec failure is written as an int (the errno; for a failed
 * identity step IDENT_CODE, step and errno) to a close-on-exec pipe; end
 * of file on that pipe means the exec succeeded.  PID 1 reads the pipe in its loop: it never waits for
 * the child.
 *
 * The INIT_* variables set at run time (spawn_setenv) are added to the
 * program's environment in PID 1, before the fork, in a table of fixed
 * size: the child allocates nothing.
 */
#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ident.h"
#include "linux.h"
#include "log.h"
#include "paths.h"
#include "ready.h"
#include "svc.h"
#include "util.h"

#define SPAWN_ENV_PREFIX	"INIT_"

/*
 * The INIT_* variables set at run time: telinit -e, sysvinit's shutdown
 * (INIT_HALT) and pinitctl setenv put them here.  Only names INIT_
 * followed by letters, digits and '_' are taken, so no request can reach
 * LD_PRELOAD, PATH and the like; at most PINIT_ENV_MAX of them, each at
 * most PINIT_ENV_LEN bytes, in a table fixed at build time.
 */
static char	spawn_envtab[PINIT_ENV_MAX][PINIT_ENV_LEN + 1];
static int	spawn_envn;
static char	*spawn_envv[PINIT_SPAWN_ENV_MAX];	/* a child's, built */

/* Length of the key of "KEY=VALUE" or "KEY" (n bytes), or -1 if bad. */
static int
spawn_env_key(const char *kv, size_t n)
{
	size_t k = 0, p = sizeof(SPAWN_ENV_PREFIX) - 1;

	while (k < n && kv[k] != '=')
		k++;
	if (k <= p || strncmp(kv, SPAWN_ENV_PREFIX, p) != 0)
		return -1;
	for (; p < k; p++)
		if (!isalnum((unsigned char)kv[p]) && kv[p] != '_')
			return -1;
	return (int)k;
}

/* Index of the variable with key k (klen bytes), or -1. */
static int
spawn_env_find(const char *k, size_t klen)
{
	int i;

	for (i = 0; i < spawn_envn; i++)
		if (strncmp(spawn_envtab[i], k, klen) == 0 &&
		    spawn_envtab[i][klen] == '=')
			return i;
	return -1;
}

int
spawn_setenv(const char *kv, size_t n)
{
	int k = spawn_env_key(kv, n), i;

	if (k < 0 || (size_t)k == n || memchr(kv, '\0', n) != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (n > PINIT_ENV_LEN) {
		errno = E2BIG;
		return -1;
	}
	i = spawn_env_find(kv, k);
	if (i < 0 && spawn_envn == PINIT_ENV_MAX) {
		errno = ENOSPC;
		return -1;
	}
	if (i < 0)
		i = spawn_envn++;
	memcpy(spawn_envtab[i], kv, n);
	spawn_envtab[i][n] = '\0';
	return 0;
}

int
spawn_unsetenv(const char *k, size_t n)
{
	int i;

	if (spawn_env_key(k, n) != (int)n || memchr(k, '\0', n) != NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((i = spawn_env_find(k, n)) < 0)
		return 0;
	for (spawn_envn--; i < spawn_envn; i++)
		memcpy(spawn_envtab[i], spawn_envtab[i + 1],
		    sizeof(spawn_envtab[i]));
	return 0;
}

const char *
spawn_getenv(const char *key)
{
	size_t n = strlen(key);
	int i = spawn_env_find(key, n);

	return i < 0 ? NULL : spawn_envtab[i] + n + 1;
}

int
spawn_envcount(void)
{
	return spawn_envn;
}

const char *
spawn_envat(int i)
{
	return i >= 0 && i < spawn_envn ? spawn_envtab[i] : NULL;
}

/* Does "KEY=VALUE" e have the key of "KEY=VALUE" k? */
static int
spawn_same_key(const char *e, const char *k)
{
	size_t n = strcspn(k, "=");

	return strncmp(e, k, n) == 0 && e[n] == '=';
}

/*
 * The environment of program p: its own, with the run-time INIT_*
 * variables added or replacing same-named entries.  Without any, or when
 * the table would overflow (said in the log), p's own is used.
 */
static char **
spawn_env(const struct svc_prog *p)
{
	int n = 0, i, k, ne = spawn_envcount();

	if (ne == 0 || p->envp == NULL)
		return p->envp;
	for (i = 0; p->envp[i] != NULL; i++) {
		for (k = 0; k < ne; k++)
			if (spawn_same_key(p->envp[i], spawn_envat(k)))
				break;
		if (k < ne)
			continue;
		if (n + ne + 1 > PINIT_SPAWN_ENV_MAX) {
			log_warn_rl("unable to add the INIT_ variables to the "
			    "environment of %s: more than %d entries", p->path,
			    PINIT_SPAWN_ENV_MAX - 1);
			return p->envp;
		}
		spawn_envv[n++] = p->envp[i];
	}
	for (k = 0; k < ne; k++)
		spawn_envv[n++] = (char *)spawn_envat(k);
	spawn_envv[n] = NULL;
	return spawn_envv;
}

/* Close every fd from 3 up except keep and keep2, one by one via /proc. */
static void
close_walk(int keep, int keep2)
{
	struct dirent *de;
	unsigned long v;
	DIR *d;
	int fd, dfd;

	d = opendir("/proc/self/fd");
	if (d == NULL) {
		for (fd = 3; fd < 1024; fd++)
			if (fd != keep && fd != keep2)
				close(fd);
		return;
	}
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		/* "." and "..", which are not numbers, are skipped. */
		if (util_parse_ulong(de->d_name, INT_MAX, &v, NULL) < 0)
			continue;
		fd = (int)v;
		if (fd > 2 && fd != keep && fd != keep2 && fd != dfd)
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
 * Close every fd from 3 up except keep and keep2 (the exec pipe and a
 * service's notification fd; -1: none).  close_range(2) does it in a few
 * calls: a child of a PID 1 that starts thousands of services at once
 * inherits thousands of exec pipes, and closing them one by one in every
 * child made starting N services cost N * N system calls.  Kernels before
 * 5.9 get the walk through /proc.
 */
static void
close_others(int keep, int keep2)
{
	unsigned from = 3;
	int k[2], i;

	k[0] = keep < keep2 ? keep : keep2;
	k[1] = keep < keep2 ? keep2 : keep;
	for (i = 0; i < 2; i++) {
		if (k[i] < (int)from)
			continue;
		if (close_between(from, (unsigned)k[i] - 1) != 0)
			break;
		from = (unsigned)k[i] + 1;
	}
	if (i == 2 && close_between(from, ~0U) == 0)
		return;
	close_walk(keep, keep2);
}

/*
 * /dev/null, opened by PID 1 once (spawn_devnull()) and kept: each
 * child's standard input is a dup2() of it, not an open() of its own.
 * -1 until it could be opened: then each fork tries again, and the child
 * opens it itself.
 */
static int	spawn_null = -1;
static sigset_t	spawn_ign;		/* signals PID 1 ignores */
static int	spawn_ign_known;

void
spawn_devnull(void)
{
	if (spawn_null < 0)
		spawn_null = open("/dev/null", O_RDONLY | O_NOCTTY | O_CLOEXEC);
}

/*
 * The signals PID 1 ignores, looked up at its first fork: an ignored
 * signal stays ignored across execve(), a caught one does not.  PID 1
 * ignores SIGPIPE from sig_setup() on, and whatever it was given ignored.
 */
static const sigset_t *
spawn_ignored(void)
{
	struct sigaction old;
	int sig;

	if (spawn_ign_known)
		return &spawn_ign;
	sigemptyset(&spawn_ign);
	for (sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			sigaddset(&spawn_ign, sig);
	spawn_ign_known = 1;
	return &spawn_ign;
}

/*
 * Put the child back in a state a program expects.  Its signals are back
 * to their defaults: with exec set, only those PID 1 ignores (execve()
 * resets the caught ones itself: one sigaction() per child instead of 64,
 * bench/README.md), else all.  Its standard input is /dev/null, or with
 * console PID 1's own, made the controlling terminal of the new session
 * when it is a terminal (it may belong to another session: then the
 * program runs without one).
 */
static void
child_reset(int console, int exec, const sigset_t *ign)
{
	struct sigaction sa;
	sigset_t none;
	int sig, fd;

	log_forked();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (!exec || sigismember(ign, sig) == 1)
			sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	if (console) {
		if (isatty(STDIN_FILENO))
			(void)ioctl(STDIN_FILENO, TIOCSCTTY, 0);
		fd = -1;
	} else if (spawn_null >= 0) {
		dup2(spawn_null, STDIN_FILENO);
		fd = -1;
	} else
		fd = open("/dev/null", O_RDONLY | O_NOCTTY);
	if (fd >= 0 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	if (chdir("/") < 0)
		return;
}

static int	spawn_in = -1, spawn_out = -1;	/* the next start's stdio */

/*
 * Written only when they change, here and at the fork: most starts take
 * the defaults, and a write to a page the last fork made copy-on-write
 * costs PID 1 a page fault (log_flush()).
 */
void
spawn_stdio(int in, int out)
{
	if (spawn_in != in)
		spawn_in = in;
	if (spawn_out != out)
		spawn_out = out;
}

/* Give the child the standard input and output spawn_stdio() chose. */
static void
child_stdio(int in, int out)
{
	if (in >= 0)
		dup2(in, STDIN_FILENO);
	if (out >= 0) {
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
	}
}

/* Fork and exec program p; see spawn_prog() and spawn_console(). */
static pid_t
spawn_fork(const struct svc_prog *p, int *execfd, int console)
{
	char **envp = spawn_env(p);
	int in = spawn_in, out = spawn_out;
	int fds[2], err, keep;
	const sigset_t *ign = spawn_ignored();
	pid_t pid;

	spawn_devnull();
	spawn_stdio(-1, -1);
	fds[0] = fds[1] = -1;
	if (execfd != NULL && pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	log_flush();		/* PID 1's lines before the child's */
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
		child_reset(console, 1, ign);
		child_stdio(in, out);
		keep = ready_child(&fds[1]);
		close_others(fds[1], keep);
		/*
		 * After ident_apply() the child belongs to the service's user
		 * while it still maps PID 1's table, which is shared (load.c):
		 * it must not be open to ptrace() until its execve(), which
		 * makes the new program dumpable again.  The kernel does this
		 * itself at the setuid() only where suid_dumpable is 0.
		 */
		if (p->ident != NULL) {
			(void)prctl(PR_SET_DUMPABLE, 0);
			if (ident_apply(p->ident, &err) < 0) {
				if (fds[1] >= 0 &&
				    write(fds[1], &err, sizeof(err)) < 0)
					_exit(126);
				_exit(PINIT_EXIT_IDENT);
			}
		}
		execve(p->path, p->argv, envp);
		err = errno;
		if (fds[1] >= 0 && write(fds[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	if (execfd != NULL) {
		close(fds[1]);
		*execfd = fds[0];
	}
	log_debug("spawned %s (pid %d)", p->path, (int)pid);
	return pid;
}

pid_t
spawn_prog(const struct svc_prog *p, int *execfd)
{
	return spawn_fork(p, execfd, 0);
}

pid_t
spawn_console(const struct svc_prog *p, int *execfd)
{
	return spawn_fork(p, execfd, 1);
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
	pid_t pid;

	log_flush();		/* PID 1's lines before the child's */
	spawn_devnull();
	pid = fork();
	if (pid == 0) {
		child_reset(0, 0, NULL);
		close_others(-1, -1);
		fn(arg);
		_exit(0);
	}
	if (pid > 0)
		log_debug("spawned a helper (pid %d)", (int)pid);
	return pid;
}
