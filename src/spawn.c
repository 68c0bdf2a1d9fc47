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
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ident.h"
#include "linux.h"
#include "log.h"
#include "paths.h"
#include "ready.h"
#include "svc.h"
#include "util.h"

#define SPAWN_ENV_PREFIX	"INIT_"

/* Where a start may share PID 1's memory (spawn_vm()). */
#if (defined(__x86_64__) || defined(__aarch64__)) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define SPAWN_VM	1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#undef SPAWN_VM
#endif
#endif

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
_Static_assert(PINIT_ENV_MAX + 2 <= PINIT_SPAWN_ENV_MAX,
    "PINIT_SERVICE, the INIT_* variables and the NULL fit spawn_envv");

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
 * The environment of program p of service svc: its own, then
 * PINIT_SERVICE=svc (without svc, none), then the run-time INIT_*
 * variables, each replacing an earlier entry of the same name.  When the
 * table would overflow (said in the log), p's own is used.
 */
static char **
spawn_env(const struct svc_prog *p, const char *svc)
{
	static char var[sizeof(SVC_ENV_SERVICE "=") + PATH_MAX];
	int n = 0, i, k, ne = spawn_envcount();

	if (p->envp == NULL || (ne == 0 && svc == NULL))
		return p->envp;
	for (i = 0; p->envp[i] != NULL; i++) {
		for (k = 0; k < ne; k++)
			if (spawn_same_key(p->envp[i], spawn_envat(k)))
				break;
		if (k < ne)
			continue;
		/* This entry, PINIT_SERVICE, the INIT_* ones and the NULL. */
		if (n + 1 + 1 + ne + 1 > PINIT_SPAWN_ENV_MAX) {
			log_warn_rl("unable to add PINIT_SERVICE and the INIT_ "
			    "variables to the environment of %s: more than %d "
			    "entries", p->path, PINIT_SPAWN_ENV_MAX - 1);
			return p->envp;
		}
		spawn_envv[n++] = p->envp[i];
	}
	if (svc != NULL) {
		snprintf(var, sizeof(var), "%s=%s", SVC_ENV_SERVICE, svc);
		for (k = 0; k < ne; k++)
			if (spawn_same_key(var, spawn_envat(k)))
				break;
		if (k == ne)
			spawn_envv[n++] = var;
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
#ifdef SPAWN_VM
static unsigned char vm_reset[NSIG];	/* ignored or caught: spawn_vm() */
static int	vm_nreset;
#endif

void
spawn_devnull(void)
{
	if (spawn_null < 0)
		spawn_null = open("/dev/null", O_RDONLY | O_NOCTTY | O_CLOEXEC);
}

/*
 * The signals PID 1 ignores, looked up at its first start: an ignored
 * signal stays ignored across execve(), a caught one does not.  PID 1
 * ignores SIGPIPE from sig_setup() on, and whatever it was given ignored.
 * A child in PID 1's memory resets the caught ones too, before its
 * execve() (vm_reset[]).
 */
static const sigset_t *
spawn_ignored(void)
{
	struct sigaction old;
	int sig;

	if (spawn_ign_known)
		return &spawn_ign;
	sigemptyset(&spawn_ign);
	for (sig = 1; sig < NSIG; sig++) {
		if (sigaction(sig, NULL, &old) < 0 || old.sa_handler == SIG_DFL)
			continue;
		if (old.sa_handler == SIG_IGN)
			sigaddset(&spawn_ign, sig);
#ifdef SPAWN_VM
		vm_reset[vm_nreset++] = (unsigned char)sig;
#endif
	}
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

/*
 * The start that shares PID 1's memory (doc/decisions.md, "Dependencies
 * and start").  A fork() copies PID 1's mappings and page tables, PID 1 then
 * copies each page it writes, and the child's execve() undoes the copy:
 * most of what a start cost beyond the exec itself.  clone(CLONE_VM)
 * without CLONE_VFORK copies nothing, and PID 1 does not wait for the
 * child: it goes on at once, as after a fork, so a program on a
 * filesystem that hangs cannot hang it.  What that takes:
 *
 *  - the child runs on a slot of its own (VM_SLOT bytes, stack on top)
 *    and reads nothing but that slot: path, argv, environment and fds
 *    are copied into it first, so neither the next start nor a reload
 *    can change what it reads;
 *  - it writes nothing but its stack: only system calls made here
 *    (vm_sys()), no C library function, which could set errno or take a
 *    lock in PID 1's memory;
 *  - the kernel says when the slot is free again: CLONE_CHILD_CLEARTID
 *    clears its busy word when the child's execve() or exit lets go of
 *    the memory;
 *  - it starts with every signal blocked, and sets back to default every
 *    signal PID 1 catches or ignores before it unblocks them: a handler
 *    of PID 1 must not run in it;
 *  - kernels before 5.16 killed every process sharing the memory of one
 *    that dumped core, PID 1 with it: there, and on other architectures
 *    than those vm_sys() knows, under a sanitizer, for a service that
 *    takes another identity (setuid() changes whether the shared memory
 *    may be dumped), one with a notification fd, the console, or a start
 *    whose data does not fit a slot, fork() does it as before.
 */
#ifdef SPAWN_VM
#define VM_SLOTS	SVC_START_MAX
#define VM_SLOT		16384		/* bytes of a slot */
#define VM_STACK	4096		/* of them the child's stack */

struct vm_slot {
	pid_t		busy;		/* the child's pid; 0 once it let go */
	int		in, out, null, execw;
	int		nreset;
	unsigned char	reset[NSIG];	/* signals set back to default */
	char		*path;
	char		**argv, **envp;
	int64_t		data[];		/* what they point to */
};

static char	*vm_pool;		/* VM_SLOTS slots */
static int	vm_ok;			/* 0: not known yet, 1: yes, -1: no */
static int	vm_hi;			/* slots used since the last trim */

/* A system call without the C library (see above); -errno on failure. */
static long
vm_sys(long n, long a, long b, long c, long d)
{
#if defined(__x86_64__)
	register long r10 __asm__("r10") = d;
	long r;

	__asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b),
	    "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return r;
#else
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile ("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2),
	    "r"(x3) : "memory");
	return x0;
#endif
}

/* dup2() as the child may: dup3() refuses old == new. */
static void
vm_dup(int old, int new)
{
	if (old != new)
		(void)vm_sys(SYS_dup3, old, new, 0, 0);
}

/* The child: what child_reset(), child_stdio() and the exec do, raw. */
static int
vm_child(void *arg)
{
	const struct vm_slot *v = arg;
	uint64_t dfl[4] = { 0, 0, 0, 0 };	/* SIG_DFL, whatever layout */
	uint64_t none = 0;
	int i, err;

	for (i = 0; i < v->nreset; i++)
		(void)vm_sys(SYS_rt_sigaction, v->reset[i], (long)dfl, 0,
		    sizeof(none));
	(void)vm_sys(SYS_rt_sigprocmask, SIG_SETMASK, (long)&none, 0,
	    sizeof(none));
	(void)vm_sys(SYS_setsid, 0, 0, 0, 0);
	vm_dup(v->in >= 0 ? v->in : v->null, STDIN_FILENO);
	if (v->out >= 0) {
		vm_dup(v->out, STDOUT_FILENO);
		vm_dup(v->out, STDERR_FILENO);
	}
	if (v->execw > 3)
		(void)vm_sys(SYS_close_range, 3, v->execw - 1, 0, 0);
	(void)vm_sys(SYS_close_range, v->execw + 1, ~0U, 0, 0);
	(void)vm_sys(SYS_chdir, (long)"/", 0, 0, 0);
	err = -(int)vm_sys(SYS_execve, (long)v->path, (long)v->argv,
	    (long)v->envp, 0);
	(void)vm_sys(SYS_write, v->execw, (long)&err, sizeof(err), 0);
	for (;;)
		(void)vm_sys(SYS_exit, 127, 0, 0, 0);
	return 0;
}

/* Is the kernel's release at least 5.16 (see above)? */
static int
vm_kernel_ok(void)
{
	struct utsname u;
	unsigned long maj, min;
	const char *end;

	if (uname(&u) < 0 ||
	    util_parse_ulong(u.release, 9999, &maj, &end) < 0 ||
	    *end != '.' || util_parse_ulong(end + 1, 9999, &min, &end) < 0)
		return 0;
	return maj > 5 || (maj == 5 && min >= 16);
}

/* Can starts share PID 1's memory?  Found out once. */
static int
vm_usable(void)
{
	if (vm_ok != 0)
		return vm_ok > 0;
	vm_ok = -1;
	if (!vm_kernel_ok())
		return 0;
	vm_pool = mmap(NULL, (size_t)VM_SLOTS * VM_SLOT, PROT_READ |
	    PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm_pool == MAP_FAILED) {
		vm_pool = NULL;
		return 0;
	}
	/* A child that fork() makes has no use for it. */
	(void)madvise(vm_pool, (size_t)VM_SLOTS * VM_SLOT, MADV_DONTFORK);
	(void)spawn_ignored();		/* fills vm_reset[] */
	vm_ok = 1;
	return 1;
}

/* Copy n bytes to *at, aligned to a; NULL when past end. */
static void *
vm_put(char **at, char *end, const void *p, size_t n, size_t a)
{
	char *d = (char *)(((uintptr_t)*at + a - 1) & ~(uintptr_t)(a - 1));

	if (d > end || (size_t)(end - d) < n)
		return NULL;
	memcpy(d, p, n);
	*at = d + n;
	return d;
}

/* Copy the NULL-terminated vector v and its strings; NULL if too big. */
static char **
vm_putv(char **at, char *end, char *const *v)
{
	char **d;
	size_t n = 0, i;

	while (v[n] != NULL)
		n++;
	d = vm_put(at, end, v, (n + 1) * sizeof(*v), sizeof(*v));
	for (i = 0; d != NULL && i < n; i++)
		if ((d[i] = vm_put(at, end, v[i], strlen(v[i]) + 1, 1)) == NULL)
			return NULL;
	return d;
}

/*
 * Start p sharing PID 1's memory with exec pipe fds (see above): its pid,
 * -1 on failure (errno), -2 when this start takes fork().
 */
static pid_t
spawn_vm(const struct svc_prog *p, char **envp, int in, int out,
    const int fds[2])
{
	struct vm_slot *v = NULL;
	sigset_t all, old;
	char *at, *end;
	pid_t pid;
	int i, e;

	if (!vm_usable() || spawn_null < 0 || p->ident != NULL ||
	    ready_forking() || p->argv == NULL || envp == NULL)
		return -2;
	for (i = 0; i < VM_SLOTS; i++) {
		v = (struct vm_slot *)(vm_pool + (size_t)i * VM_SLOT);
		if (__atomic_load_n(&v->busy, __ATOMIC_ACQUIRE) == 0)
			break;
	}
	if (i == VM_SLOTS)
		return -2;
	if (i >= vm_hi)
		vm_hi = i + 1;
	at = (char *)v->data;
	end = (char *)v + VM_SLOT - VM_STACK;
	v->path = vm_put(&at, end, p->path, strlen(p->path) + 1, 1);
	v->argv = vm_putv(&at, end, p->argv);
	v->envp = vm_putv(&at, end, envp);
	if (v->path == NULL || v->argv == NULL || v->envp == NULL)
		return -2;
	v->in = in;
	v->out = out;
	v->null = spawn_null;
	v->execw = fds[1];
	v->nreset = vm_nreset;
	memcpy(v->reset, vm_reset, (size_t)vm_nreset);
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = clone(vm_child, (char *)v + VM_SLOT, CLONE_VM |
	    CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, v,
	    &v->busy, NULL, &v->busy);
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0 && (e == ENOSYS || e == EPERM || e == EINVAL)) {
		log_warn("unable to start a service in PID 1's memory (%s); "
		    "forking instead", strerror(e));
		vm_ok = -1;
		return -2;
	}
	errno = e;
	return pid;
}

void
spawn_fork_only(void)
{
	vm_ok = -1;
}

void
spawn_trim(void)
{
	const struct vm_slot *v;
	int i;

	if (vm_hi == 0)
		return;
	for (i = 0; i < vm_hi; i++) {
		v = (const struct vm_slot *)(vm_pool + (size_t)i * VM_SLOT);
		if (__atomic_load_n(&v->busy, __ATOMIC_ACQUIRE) != 0)
			return;
	}
	(void)madvise(vm_pool, (size_t)vm_hi * VM_SLOT, MADV_DONTNEED);
	vm_hi = 0;
}
#else
static pid_t
spawn_vm(const struct svc_prog *p, char **envp, int in, int out,
    const int fds[2])
{
	(void)p, (void)envp, (void)in, (void)out, (void)fds;
	return -2;
}

void
spawn_trim(void)
{
}

void
spawn_fork_only(void)
{
}
#endif

/* Fork and exec program p; see spawn_prog() and spawn_console(). */
static pid_t
spawn_fork(const struct svc_prog *p, const char *svc, int *execfd,
    int console)
{
	char **envp = spawn_env(p, svc);
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
	pid = execfd != NULL && !console ? spawn_vm(p, envp, in, out, fds) :
	    -2;
	if (pid >= 0) {
		close(fds[1]);
		*execfd = fds[0];
		log_debug("spawned %s (pid %d) sharing PID 1's memory until "
		    "its exec", p->path, (int)pid);
		return pid;
	}
	if (pid == -2)
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
spawn_prog(const struct svc_prog *p, const char *svc, int *execfd)
{
	return spawn_fork(p, svc, execfd, 0);
}

pid_t
spawn_console(const struct svc_prog *p, int *execfd)
{
	return spawn_fork(p, NULL, execfd, 1);
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
