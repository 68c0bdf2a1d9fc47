/*
 * pinit-ns.c - run a program as PID 1 of new user, PID, mount, IPC, UTS and
 * cgroup namespaces, or run a command inside such a set of namespaces.
 *
 * An init under test believes it owns the machine: it kills every process,
 * remounts / read-only and calls reboot(2).  Here the namespace's root maps
 * to an unused, unprivileged host uid range, so whatever it does to the host
 * fails with EPERM, while reboot(2) only ends the PID namespace.
 */
#define _GNU_SOURCE

#include <config.h>

#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_TIMEOUT	124	/* The deadline passed; the child was killed. */
#define EXIT_LAUNCHER	125	/* The launcher itself failed. */
#define EXIT_NOEXEC	126	/* PROGRAM was found but could not run. */
#define EXIT_NOENT	127	/* PROGRAM was not found. */

#define ID_RANGE	65536UL		/* Ids mapped when run as root. */
#define ID_MAX		4294967294UL	/* Largest id; (uid_t)-1 is reserved. */
#define UID_BASE	100000UL
#define TIMEOUT_MAX	1000000UL	/* About eleven days. */
#define BOOT_TIMEOUT	600UL
#define ENTER_TIMEOUT	60UL
#define UNSET		ULONG_MAX
#define STACK_SIZE	(8UL * 1024 * 1024)
#define RELEASE_MS	10000		/* Child's wait for its id maps. */
#define KEEP		2		/* Host directories kept visible. */

struct options {
	char		**argv;		/* PROGRAM and its arguments. */
	const char	 *pidfile;
	const char	 *hostname;
	unsigned long	  uid_base;
	unsigned long	  timeout;	/* Seconds; 0 waits for ever. */
	unsigned long	  enter;	/* Host pid to enter; 0 in boot mode. */
	unsigned long	  uid;
	unsigned long	  gid;
};

/* What the cloned child needs: the options and both ends of the sync pipe. */
struct boot {
	const struct options	*opt;
	int			 syncfd[2];
};

static const struct {
	int		 sig;
	const char	*name;
} signames[] = {
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
	{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
	{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" }, { SIGSTOP, "SIGSTOP" },
	{ SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
	{ SIGURG, "SIGURG" }, { SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" },
	{ SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
	{ SIGWINCH, "SIGWINCH" }, { SIGIO, "SIGIO" }, { SIGPWR, "SIGPWR" },
	{ SIGSYS, "SIGSYS" },
};

/* The namespaces the enter mode joins, the user namespace first. */
static const char *const nsnames[] = {
	"user", "mnt", "pid", "ipc", "uts", "cgroup",
};
#define NSCOUNT	(sizeof(nsnames) / sizeof(nsnames[0]))

/* Print "pinit-ns: MESSAGE: REASON" for the current errno, keeping errno. */
static void
warn_errno(const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "pinit-ns: %s: %s\n", msg, strerror(saved));
	errno = saved;
}

/* Print the synopsis, and with full set the description, on fp. */
static void
usage(FILE *fp, int full)
{
	fputs("usage: pinit-ns [--uid-base=N] [--pidfile=PATH] "
	    "[--timeout=SECONDS]\n"
	    "                [--hostname=NAME] -- PROGRAM [ARGS...]\n"
	    "       pinit-ns --enter=HOSTPID [--uid=N] [--gid=N] "
	    "[--timeout=SECONDS]\n"
	    "                -- PROGRAM [ARGS...]\n"
	    "       pinit-ns --help\n", fp);
	if (!full)
		return;
	fprintf(fp, "\n"
	    "The first form runs PROGRAM (a path) as PID 1 of new user, PID, "
	    "mount, IPC,\n"
	    "UTS and cgroup namespaces with private tmpfs on /run, /tmp and "
	    "/var.  As root,\n"
	    "inner ids 0-65535 map to host ids N-(N+65535), N=%lu by default; "
	    "as a user,\n"
	    "inner root maps to that user.  The working directory and the "
	    "directory of\n"
	    "PROGRAM stay visible.  $container is set empty: no container.  "
	    "The default\ntimeout is %lu s.\n"
	    "\n"
	    "The second form runs PROGRAM (a path or a name on PATH) inside "
	    "the namespaces\n"
	    "of HOSTPID as uid/gid N (0 by default).  The default timeout is "
	    "%lu s.\n"
	    "\n"
	    "A timeout of 0 waits for ever.  Exit status: PROGRAM's status, "
	    "128+N if it was\n"
	    "killed by signal N, 124 on timeout, 125 if pinit-ns failed, "
	    "126 if PROGRAM\n"
	    "could not run, 127 if it was not found.\n",
	    UID_BASE, BOOT_TIMEOUT, ENTER_TIMEOUT);
}

/* Parse a decimal number in [min, max]; no sign, no spaces. */
static int
parse_ulong(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	unsigned long	 v;
	char		*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Handle one option with an argument; exit with a message if it is bad. */
static void
set_option(struct options *opt, const char *name, const char *arg)
{
	const char	*range = NULL;
	int		 bad = 0;

	if (strcmp(name, "uid-base") == 0) {
		bad = parse_ulong(arg, 1, ID_MAX - ID_RANGE + 1,
		    &opt->uid_base);
		range = "1..4294901759; 0 would make inner root host root";
	} else if (strcmp(name, "timeout") == 0) {
		bad = parse_ulong(arg, 0, TIMEOUT_MAX, &opt->timeout);
		range = "0..1000000";
	} else if (strcmp(name, "enter") == 0) {
		bad = parse_ulong(arg, 1, INT_MAX, &opt->enter);
		range = "a host pid";
	} else if (strcmp(name, "uid") == 0) {
		bad = parse_ulong(arg, 0, ID_MAX, &opt->uid);
		range = "0..4294967294";
	} else if (strcmp(name, "gid") == 0) {
		bad = parse_ulong(arg, 0, ID_MAX, &opt->gid);
		range = "0..4294967294";
	} else if (strcmp(name, "pidfile") == 0)
		opt->pidfile = arg;
	else if (strcmp(name, "hostname") == 0) {
		opt->hostname = arg;
		bad = arg[0] == '\0' || strlen(arg) > HOST_NAME_MAX;
		range = "1 to 64 characters";
	}
	if (bad) {
		fprintf(stderr, "pinit-ns: unable to use --%s=%s: "
		    "expected %s\n", name, arg, range);
		exit(EXIT_LAUNCHER);
	}
}

/* Reject options that do not belong to the chosen mode; set defaults. */
static void
check_mode(struct options *opt, int boot_only, int enter_only)
{
	const char *why = NULL;

	if (opt->enter != 0 && boot_only)
		why = "--uid-base, --pidfile and --hostname exclude --enter";
	else if (opt->enter == 0 && enter_only)
		why = "--uid and --gid need --enter";
	else if (opt->argv[0] == NULL)
		why = "no PROGRAM given";
	if (why != NULL) {
		fprintf(stderr, "pinit-ns: unable to parse the command line: "
		    "%s\n", why);
		usage(stderr, 0);
		exit(EXIT_LAUNCHER);
	}
	if (opt->timeout == UNSET)
		opt->timeout = opt->enter != 0 ? ENTER_TIMEOUT : BOOT_TIMEOUT;
}

/* Fill opt from the command line; exit on --help and on bad usage. */
static void
parse_options(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{ "uid-base", required_argument, NULL, 'b' },
		{ "pidfile", required_argument, NULL, 'b' },
		{ "hostname", required_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 't' },
		{ "enter", required_argument, NULL, 't' },
		{ "uid", required_argument, NULL, 'e' },
		{ "gid", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int	 boot_only = 0, enter_only = 0, c, i;

	memset(opt, 0, sizeof(*opt));
	opt->uid_base = UID_BASE;
	opt->timeout = UNSET;
	opt->hostname = "pinit-test";
	opterr = 0;
	for (;;) {
		c = getopt_long(argc, argv, "+:h", longopts, &i);
		if (c == -1)
			break;
		if (c == 'h') {
			usage(stdout, 1);
			exit(0);
		}
		if (c == '?' || c == ':') {
			fprintf(stderr, "pinit-ns: unable to parse the command "
			    "line: %s %s\n", c == ':' ? "missing argument for" :
			    "unknown option", argv[optind - 1]);
			usage(stderr, 0);
			exit(EXIT_LAUNCHER);
		}
		boot_only |= c == 'b';
		enter_only |= c == 'e';
		set_option(opt, longopts[i].name, optarg);
	}
	opt->argv = argv + optind;
	check_mode(opt, boot_only, enter_only);
}

/* Return the name of sig, such as "SIGINT", in buf. */
static const char *
signame(int sig, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(signames) / sizeof(signames[0]); i++)
		if (signames[i].sig == sig)
			return signames[i].name;
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

/* Turn a wait status into an exit code the way a shell does. */
static int
exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* Fill set with the signals the launcher waits for. */
static void
wait_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
}

/* Give a child default signal dispositions and an empty signal mask. */
static void
reset_signals(void)
{
	sigset_t	 set;
	int		 sig;

	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
}

/* Close every descriptor above stderr. */
static void
close_fds(void)
{
	long	 fd, max;

	if (close_range(3, ~0U, 0) == 0)
		return;
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > INT_MAX)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		close((int)fd);
}

/* Store in left the time until deadline; return 0 once it has passed. */
static int
time_left(const struct timespec *deadline, struct timespec *left)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left->tv_sec = deadline->tv_sec - now.tv_sec;
	left->tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_nsec += 1000000000L;
		left->tv_sec--;
	}
	return left->tv_sec >= 0;
}

/*
 * Wait for pid to end and store its wait status.  SIGTERM, SIGINT or SIGHUP
 * to the launcher kills the child, and so does the end of the timeout.  The
 * signals of wait_set() must be blocked.  Return 0 when the child ended, 1
 * when it was killed for the timeout, -1 on error.
 */
static int
wait_child(pid_t pid, unsigned long timeout, int *status)
{
	struct timespec	 deadline, left;
	sigset_t	 set;
	pid_t		 r;
	int		 sig, timedout = 0;

	wait_set(&set);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)timeout;
	for (;;) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return timedout;
		if (r == -1 && errno != EINTR) {
			warn_errno("unable to wait for pid %d", (int)pid);
			return -1;
		}
		if (timeout == 0 || timedout)
			sig = sigwaitinfo(&set, NULL);
		else if (time_left(&deadline, &left))
			sig = sigtimedwait(&set, NULL, &left);
		else {
			timedout = 1;
			sig = SIGKILL;
		}
		if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP ||
		    sig == SIGKILL)
			kill(pid, SIGKILL);
	}
}

/* Run argv, searching PATH if asked; return 126 or 127 if that fails. */
static int
exec_program(char **argv, int search)
{
	if (search)
		execvp(argv[0], argv);
	else
		execv(argv[0], argv);
	warn_errno("unable to execute %s", argv[0]);
	return errno == ENOENT ? EXIT_NOENT : EXIT_NOEXEC;
}

/*
 * Ask the kernel to kill this child if the launcher dies, then make sure it
 * has not died already: the launcher keeps the write end of fd's pipe open
 * for as long as it lives.  Call after the last change of credentials,
 * which clears the setting.
 */
static int
watch_launcher(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) {
		warn_errno("unable to set the parent death signal");
		return -1;
	}
	if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP) != 0) {
		fprintf(stderr, "pinit-ns: unable to go on: "
		    "the launcher is gone\n");
		return -1;
	}
	return 0;
}

/* Write text to /proc/PID/NAME in one write(2), as the kernel wants. */
static int
write_proc(pid_t pid, const char *name, const char *text)
{
	char	 path[64];
	size_t	 len = strlen(text);
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd == -1) {
		warn_errno("unable to open %s", path);
		return -1;
	}
	n = write(fd, text, len);
	if (n != (ssize_t)len) {
		if (n >= 0)
			errno = EIO;
		warn_errno("unable to write \"%.*s\" to %s", (int)len - 1,
		    text, path);
		close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * Map the child's ids.  As root, inner 0-65535 go to base and up; otherwise
 * inner root is the calling user, and setgroups(2) must be denied first.
 * Never let inner root be host root.
 */
static int
write_maps(pid_t pid, unsigned long base)
{
	char		 uids[64], gids[64];
	unsigned long	 uid = geteuid(), gid = getegid();

	if (uid == 0) {
		snprintf(uids, sizeof(uids), "0 %lu %lu\n", base, ID_RANGE);
		memcpy(gids, uids, sizeof(gids));
	} else if (gid == 0) {
		fprintf(stderr, "pinit-ns: unable to map gid 0: inner root "
		    "would be host group 0\n");
		return -1;
	} else {
		snprintf(uids, sizeof(uids), "0 %lu 1\n", uid);
		snprintf(gids, sizeof(gids), "0 %lu 1\n", gid);
		if (write_proc(pid, "setgroups", "deny\n") == -1)
			return -1;
	}
	if (write_proc(pid, "uid_map", uids) == -1 ||
	    write_proc(pid, "gid_map", gids) == -1)
		return -1;
	return 0;
}

/* Write pid to path through a temporary file, so no reader sees half. */
static int
write_pidfile(const char *path, pid_t pid)
{
	char	 tmp[PATH_MAX];
	FILE	*fp;
	int	 fd;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		warn_errno("unable to write %s", path);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd == -1 || fchmod(fd, 0644) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		warn_errno("unable to create %s", tmp);
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		return -1;
	}
	fprintf(fp, "%d\n", (int)pid);
	if (fclose(fp) != 0 || rename(tmp, path) == -1) {
		warn_errno("unable to write %s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Wait for the launcher's go-ahead byte, sent once the maps are written. */
static int
await_release(int fd)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	char		 c;
	int		 r;

	do
		r = poll(&pfd, 1, RELEASE_MS);
	while (r == -1 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	if (r != 1) {
		warn_errno("unable to receive the id maps");
		return -1;
	}
	/* NB: end of file means the launcher failed and said why. */
	return read(fd, &c, 1) == 1 ? 0 : -1;
}

/* Become root of the new user namespace, without supplementary groups. */
static int
become_root(void)
{
	if (setresgid(0, 0, 0) == -1) {
		warn_errno("unable to set gid 0");
		return -1;
	}
	/* NB: setgroups(2) is denied when run as a user; that is fine. */
	if (setgroups(0, NULL) == -1 && errno != EPERM) {
		warn_errno("unable to drop supplementary groups");
		return -1;
	}
	if (setresuid(0, 0, 0) == -1) {
		warn_errno("unable to set uid 0");
		return -1;
	}
	return 0;
}

/*
 * Find the host directory to keep visible when a tmpfs hides mnt, so that
 * a build tree under /tmp still works: the shallowest directory between mnt
 * and path that others cannot write, or else path itself.  Return -1 if
 * path is not below mnt.
 */
static int
shown_dir(const char *path, const char *mnt, char *out, size_t len)
{
	struct stat	 st;
	size_t		 n = strlen(mnt);
	char		*p, c;

	if (strncmp(path, mnt, n) != 0 || path[n] != '/' || path[n + 1] == '\0')
		return -1;
	if (snprintf(out, len, "%s", path) >= (int)len)
		return -1;
	for (p = out + n + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (c == '\0' ||
		    (stat(out, &st) == 0 && (st.st_mode & S_IWOTH) == 0))
			return 0;
		*p = c;
	}
}

/*
 * Make path and its parents; path must be absolute.  The parents stand for
 * host directories that others can write, like /var/tmp, so they get mode
 * 1777; path itself only holds a bind mount.
 */
static int
make_dirs(char *path)
{
	char	*p, c;
	int	 r;

	for (p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		r = mkdir(path, 0755);
		if (r == 0 && c != '\0')
			r = chmod(path, 01777);
		if (r == -1 && errno != EEXIST)
			warn_errno("unable to create %s", path);
		*p = c;
		if (r == -1 && errno != EEXIST)
			return -1;
		if (c == '\0')
			return 0;
	}
}

/* Bind the directory open as fd, which a mount now hides, on path. */
static int
bind_fd(int fd, char *path)
{
	char src[64];

	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	if (make_dirs(path) == -1)
		return -1;
	if (mount(src, path, NULL, MS_BIND | MS_REC, NULL) == -1) {
		warn_errno("unable to keep %s visible", path);
		return -1;
	}
	return 0;
}

/* Mount a tmpfs on mnt, keeping visible the host directories of keep. */
static int
mount_tmpfs(const char *mnt, const char *data, char keep[][PATH_MAX])
{
	char	 shown[KEEP][PATH_MAX];
	int	 fds[KEEP], i, n = 0, r = 0;

	for (i = 0; r == 0 && i < KEEP; i++) {
		if (shown_dir(keep[i], mnt, shown[n], PATH_MAX) == -1 ||
		    (n > 0 && strcmp(shown[0], shown[n]) == 0))
			continue;
		fds[n] = open(shown[n], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fds[n] == -1) {
			warn_errno("unable to open %s", shown[n]);
			r = -1;
		} else
			n++;
	}
	if (r == 0 && mount("tmpfs", mnt, "tmpfs", MS_NOSUID | MS_NODEV,
	    data) == -1) {
		warn_errno("unable to mount tmpfs on %s", mnt);
		r = -1;
	}
	for (i = 0; i < n; i++) {
		if (r == 0)
			r = bind_fd(fds[i], shown[i]);
		close(fds[i]);
	}
	return r;
}

/*
 * Give the new mount namespace its own /proc, /run, /tmp and /var.  The
 * working directory and the directory of program stay visible.
 */
static int
setup_mounts(const char *program)
{
	char keep[KEEP][PATH_MAX], *slash;

	memset(keep, 0, sizeof(keep));
	if (getcwd(keep[0], PATH_MAX) == NULL)
		keep[0][0] = '\0';
	if (realpath(program, keep[1]) != NULL &&
	    (slash = strrchr(keep[1], '/')) != NULL)
		*slash = '\0';
	else
		keep[1][0] = '\0';
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1) {
		warn_errno("unable to make / private");
		return -1;
	}
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    NULL) == -1) {
		warn_errno("unable to mount proc on /proc");
		return -1;
	}
	if (mount_tmpfs("/run", "mode=0755", keep) == -1 ||
	    mount_tmpfs("/tmp", "mode=1777", keep) == -1 ||
	    mount_tmpfs("/var", "mode=0755", keep) == -1)
		return -1;
	return 0;
}

/*
 * Body of the cloned child: set up the namespaces, then become PROGRAM.
 * NB: it returns rather than call _exit(2), because ASan cannot follow a
 * noreturn call on this separate stack; clone(2) turns the return value
 * into the exit status.
 */
static int
boot_child(void *arg)
{
	const struct boot	*b = arg;
	const struct options	*opt = b->opt;

	close(b->syncfd[1]);
	if (await_release(b->syncfd[0]) == -1 || become_root() == -1 ||
	    watch_launcher(b->syncfd[0]) == -1)
		return EXIT_LAUNCHER;
	if (sethostname(opt->hostname, strlen(opt->hostname)) == -1) {
		warn_errno("unable to set hostname %s", opt->hostname);
		return EXIT_LAUNCHER;
	}
	if (setup_mounts(opt->argv[0]) == -1)
		return EXIT_LAUNCHER;
	/*
	 * An empty $container tells an init "no container" and stops it from
	 * looking for /.dockerenv, which the host's root may show when the
	 * suite itself runs in a container.  A test asks for container mode
	 * by setting it again (env container=docker PROGRAM).
	 */
	if (setenv("container", "", 1) == -1) {
		warn_errno("unable to set $container");
		return EXIT_LAUNCHER;
	}
	reset_signals();
	close_fds();
	return exec_program(opt->argv, 0);
}

/* Clone the child into new namespaces; it waits on syncfd for its maps. */
static pid_t
start_boot(struct boot *b)
{
	void	*stack;
	pid_t	 pid;

	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
	if (stack == MAP_FAILED) {
		warn_errno("unable to allocate a stack");
		return -1;
	}
	/* The stack grows down on every architecture Linux runs pinit on. */
	pid = clone(boot_child, (char *)stack + STACK_SIZE, CLONE_NEWUSER |
	    CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS |
	    CLONE_NEWCGROUP | SIGCHLD, b);
	if (pid == -1)
		warn_errno("unable to create the namespaces");
	munmap(stack, STACK_SIZE);
	return pid;
}

/*
 * Map the child's ids, publish its pid, and let it go.  The pid line comes
 * first: a test looks for the init's output after it, and an init that
 * writes at once must not get ahead of it.
 */
static int
release_boot(const struct options *opt, int fd, pid_t pid)
{
	if (write_maps(pid, opt->uid_base) == -1)
		return -1;
	if (opt->pidfile != NULL && write_pidfile(opt->pidfile, pid) == -1)
		return -1;
	fprintf(stderr, "pinit-ns: pid 1 is host pid %d\n", (int)pid);
	if (write(fd, "g", 1) != 1) {
		warn_errno("unable to release pid %d", (int)pid);
		return -1;
	}
	return 0;
}

/* Run PROGRAM as PID 1 of new namespaces and report how it ended. */
static int
run_boot(const struct options *opt)
{
	struct boot	 b = { .opt = opt };
	char		 buf[32];
	pid_t		 pid;
	int		 r, status;

	if (pipe2(b.syncfd, O_CLOEXEC) == -1) {
		warn_errno("unable to create a pipe");
		return EXIT_LAUNCHER;
	}
	pid = start_boot(&b);
	if (pid == -1)
		return EXIT_LAUNCHER;
	close(b.syncfd[0]);
	if (release_boot(opt, b.syncfd[1], pid) == -1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return EXIT_LAUNCHER;
	}
	r = wait_child(pid, opt->timeout, &status);
	close(b.syncfd[1]);
	if (r == -1)
		return EXIT_LAUNCHER;
	if (r == 1) {
		fprintf(stderr, "pinit-ns: timeout after %lu s; killed pid 1\n",
		    opt->timeout);
		return EXIT_TIMEOUT;
	}
	if (WIFEXITED(status))
		fprintf(stderr, "pinit-ns: pid 1 exited with status %d\n",
		    WEXITSTATUS(status));
	else
		fprintf(stderr, "pinit-ns: pid 1 killed by signal %d (%s)\n",
		    WTERMSIG(status), signame(WTERMSIG(status), buf,
		    sizeof(buf)));
	return exit_code(status);
}

/*
 * Refuse to enter a user namespace in which id 0 is root of the launcher's
 * own namespace: a command run there would be real root.  This also
 * rejects processes of the launcher's own user namespace.
 */
static int
check_map(unsigned long pid, const char *name)
{
	unsigned long	 inner, outer, count;
	char		 path[64];
	FILE		*fp;
	int		 bad = 0;

	snprintf(path, sizeof(path), "/proc/%lu/%s", pid, name);
	fp = fopen(path, "re");
	if (fp == NULL) {
		warn_errno("unable to open %s", path);
		return -1;
	}
	while (fscanf(fp, "%lu %lu %lu", &inner, &outer, &count) == 3)
		if (outer == 0 && count > 0)
			bad = 1;
	fclose(fp);
	if (bad)
		fprintf(stderr, "pinit-ns: unable to enter pid %lu: its %s "
		    "maps an id to host id 0\n", pid, name);
	return bad ? -1 : 0;
}

/* Join the namespaces of pid, the user namespace first. */
static int
enter_namespaces(unsigned long pid)
{
	char	 path[64];
	int	 fds[NSCOUNT];
	size_t	 i, n;
	int	 r = 0;

	for (n = 0; n < NSCOUNT; n++) {
		snprintf(path, sizeof(path), "/proc/%lu/ns/%s", pid,
		    nsnames[n]);
		fds[n] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[n] == -1) {
			warn_errno("unable to open %s", path);
			r = -1;
			break;
		}
	}
	for (i = 0; r == 0 && i < NSCOUNT; i++) {
		if (setns(fds[i], 0) == -1) {
			warn_errno("unable to enter the %s namespace of "
			    "pid %lu", nsnames[i], pid);
			r = -1;
		}
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	return r;
}

/* Body of the forked child in enter mode: take the ids, then run PROGRAM. */
static void
enter_child(const struct options *opt, const char *cwd, int fd)
{
	gid_t	 gid = (gid_t)opt->gid;
	uid_t	 uid = (uid_t)opt->uid;

	reset_signals();
	if (setgroups(0, NULL) == -1 && errno != EPERM) {
		warn_errno("unable to drop supplementary groups");
		_exit(EXIT_LAUNCHER);
	}
	if (setresgid(gid, gid, gid) == -1) {
		warn_errno("unable to set gid %lu", opt->gid);
		_exit(EXIT_LAUNCHER);
	}
	if (setresuid(uid, uid, uid) == -1) {
		warn_errno("unable to set uid %lu", opt->uid);
		_exit(EXIT_LAUNCHER);
	}
	if (watch_launcher(fd) == -1)
		_exit(EXIT_LAUNCHER);
	if (cwd == NULL || chdir(cwd) == -1)
		if (chdir("/") == -1)
			warn_errno("unable to change directory to /");
	close_fds();
	_exit(exec_program(opt->argv, 1));
}

/* Run PROGRAM inside the namespaces of a running pid and pass on its end. */
static int
run_enter(const struct options *opt)
{
	char		 buf[PATH_MAX];
	const char	*cwd;
	pid_t		 pid;
	int		 fds[2], r, status;

	cwd = getcwd(buf, sizeof(buf));
	if (check_map(opt->enter, "uid_map") == -1 ||
	    check_map(opt->enter, "gid_map") == -1 ||
	    enter_namespaces(opt->enter) == -1)
		return EXIT_LAUNCHER;
	if (pipe2(fds, O_CLOEXEC) == -1) {
		warn_errno("unable to create a pipe");
		return EXIT_LAUNCHER;
	}
	pid = fork();
	if (pid == -1) {
		warn_errno("unable to fork");
		return EXIT_LAUNCHER;
	}
	if (pid == 0) {
		close(fds[1]);
		enter_child(opt, cwd, fds[0]);
	}
	close(fds[0]);
	r = wait_child(pid, opt->timeout, &status);
	close(fds[1]);
	if (r == -1)
		return EXIT_LAUNCHER;
	if (r == 1) {
		fprintf(stderr, "pinit-ns: timeout after %lu s; killed %s\n",
		    opt->timeout, opt->argv[0]);
		return EXIT_TIMEOUT;
	}
	return exit_code(status);
}

int
main(int argc, char **argv)
{
	struct options	 opt;
	sigset_t	 set;

	parse_options(argc, argv, &opt);
	/* Blocked before any child exists, so no signal is lost. */
	wait_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1) {
		warn_errno("unable to block signals");
		return EXIT_LAUNCHER;
	}
	/*
	 * NB: enter mode leaves through _exit(2).  Once the launcher has
	 * joined the PID namespace, any process it forks lands there, and the
	 * exit-time tracer of LeakSanitizer then waits for ever for a process
	 * that cannot see it.  Only stderr is written, so nothing is lost.
	 */
	if (opt.enter != 0)
		_exit(run_enter(&opt));
	return run_boot(&opt);
}
