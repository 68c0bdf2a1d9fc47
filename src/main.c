/*
 * main.c - pinit's start-up: options, a sane process, then the loop.
 *
 * Start-up is short and straight-line (DESIGN.md, PID 1): fds 0-2, signals,
 * the early mounts, the control endpoint, the service tree, the root
 * service; then loop_run() for ever.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "initctl.h"
#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "sigmap.h"
#include "svc.h"
#include "svclog.h"
#include "util.h"

struct pinit	pinit;

static char	profile_name[WIRE_NAME_MAX + 1];	/* after a switch */
static const char *crash_program;	/* --crash-program, else the shell */
static int	state_fd = -1;		/* --state-fd: after a hot update */
static int	selftest;		/* --selftest: check the state, exit */
static int	boot_rescue;		/* the kernel said single, S or 1 */
static char	kernel_level;		/* the kernel said 2-5; 0: none */
static char	container_why[80];	/* what made this a container */

/*
 * Move the count of changes (pinit.h) into a page shared with the
 * children; on failure it stays where it is, only slower.
 */
static void
changes_share(void)
{
	unsigned long *p;

	p = mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return;
	*p = *pinit_changes;
	pinit_changes = p;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "Usage: pinit [OPTION]... [KERNEL-WORD]...\n"
	    "Run as PID 1: start the service tree, supervise it, shut down.\n"
	    "\n"
	    "  --svcdir=DIR      service directory (default %s)\n"
	    "  --rundir=DIR      run-time directory (default %s)\n"
	    "  --grace=SECONDS   TERM to KILL grace (default %d, at most %d)\n"
	    "  --profile=NAME    root service (default %s; kernel: cprofile:NAME)\n"
	    "  --rescue-shell=PATH\n"
	    "                    the shell of rescue mode (default %s)\n"
	    "  --crash-program=PATH\n"
	    "                    what PID 1 becomes when it faults (default:\n"
	    "                    the rescue shell; failing that, reboot in %d s)\n"
	    "  --fork            start every program with fork(), never in PID 1's\n"
	    "                    memory (for tools such as valgrind)\n"
	    "  --help            show this help and exit\n"
	    "  --version         show the version and exit\n"
	    "\n"
	    "Kernel words single, S, s and 1 boot into rescue: no service starts,\n"
	    "the shell runs on the console, and when it exits the profile starts.\n"
	    "Kernel words 2 to 5 boot into runlevel N (profile runlevelN, else\n"
	    "the default one); profile=NAME (a word, or $profile) picks the\n"
	    "profile; pinit.debug (a word, $pinit.debug=1, or in /proc/cmdline)\n"
	    "adds debug lines.  Other words are ignored.\n"
	    "\n"
	    "In a container ($container set, /run/.containerenv or /.dockerenv)\n"
	    "PID 1 mounts nothing, neither syncs nor unmounts at shutdown, and\n"
	    "exits with status 0 (poweroff), 129 (reboot) or 130 (halt).\n"
	    "\n"
	    "Not as PID 1, pinit becomes a child subreaper, mounts nothing and\n"
	    "exits at the end of a shutdown instead of calling reboot(2).\n"
	    "\n"
	    "Called as telinit and not as PID 1 ('pinit 6', 'init q',\n"
	    "'telinit -e INIT_X=1'), pinit sends the request to PID 1\n"
	    "through %s as sysvinit's telinit does.\n",
	    PINIT_SVCDIR, PINIT_RUNDIR, PINIT_GRACE_MS / 1000,
	    PINIT_GRACE_MAX_MS / 1000, PINIT_ROOT_SERVICE, PINIT_RESCUE_SHELL,
	    PINIT_CRASH_SLEEP_S, PINIT_INITCTL_PATH);
}

/* Value of "--name=value" in arg, or NULL. */
static const char *
opt_value(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
}

/* Is w a kernel word that asks for rescue (sysvinit's single user)? */
static int
rescue_word(const char *w)
{
	return strcmp(w, "single") == 0 || strcmp(w, "S") == 0 ||
	    strcmp(w, "s") == 0 || strcmp(w, "1") == 0;
}

/* Does value v of pinit.debug turn debugging on?  (Anything but 0.) */
static int
debug_value(const char *v)
{
	return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

/*
 * A kernel word of a boot into runlevel 2-5, profile=NAME or pinit.debug:
 * take it and return 1, else 0.
 */
static int
kernel_word(const char *w)
{
	const char *v;

	if (w[0] >= '2' && w[0] <= '5' && w[1] == '\0')
		kernel_level = w[0];
	else if ((v = opt_value(w, "profile")) != NULL && v[0] != '\0')
		pinit.profile = v;
	else if (strcmp(w, "pinit.debug") == 0)
		log_set_debug(1);
	else if ((v = opt_value(w, "pinit.debug")) != NULL)
		log_set_debug(debug_value(v));
	else
		return 0;
	return 1;
}

/*
 * The kernel hands PID 1 its unknown key=value words as the environment:
 * $profile picks the profile (a word on the command line wins) and
 * $pinit.debug turns debug lines on.
 */
static void
kernel_env(void)
{
	const char *v;

	if ((v = getenv("profile")) != NULL && v[0] != '\0')
		pinit.profile = v;
	if (debug_value(getenv("pinit.debug")))
		log_set_debug(1);
}

/*
 * The kernel keeps words with a dot for its modules and never passes them
 * to PID 1, and takes profile= as its own (kernel profiling): look for
 * pinit.debug and profile=NAME in /proc/cmdline itself, as systemd does
 * for its own words.  A profile given to pinit otherwise wins.
 */
static void
kernel_cmdline(void)
{
	static char buf[PINIT_CMDLINE_MAX + 1];
	char *w, *save;
	int deflt = strcmp(pinit.profile, PINIT_ROOT_SERVICE) == 0;
	ssize_t n;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (w = strtok_r(buf, " \t\n", &save); w != NULL;
	    w = strtok_r(NULL, " \t\n", &save))
		if ((strncmp(w, "pinit.debug", 11) == 0 &&
		    (w[11] == '\0' || w[11] == '=')) ||
		    (deflt && strncmp(w, "profile=", 8) == 0))
			(void)kernel_word(w);
	pinit.boot_profile = pinit.profile;
}

/*
 * Container mode (PID 1 only): $container is set and not empty, or the
 * runtime left its mark, /run/.containerenv (podman) or /.dockerenv.  An
 * empty $container says "no container" and ends the search (systemd's
 * rule; the test launcher uses it).  Records the reason in container_why.
 */
static int
container_detect(void)
{
	static const char *const marks[] = { "/run/.containerenv",
	    "/.dockerenv", NULL };
	const char *v = getenv("container");
	size_t i;

	if (v != NULL && v[0] != '\0') {
		snprintf(container_why, sizeof(container_why),
		    "$container=%.32s", v);
		for (i = 0; container_why[i] != '\0'; i++)
			if (container_why[i] < ' ' || container_why[i] > '~')
				container_why[i] = '?';
		return 1;
	}
	for (i = 0; v == NULL && marks[i] != NULL; i++)
		if (access(marks[i], F_OK) == 0) {
			snprintf(container_why, sizeof(container_why), "%s",
			    marks[i]);
			return 1;
		}
	return 0;
}

/* The fd of --state-fd=N: 0 to 65535, else -1 (none). */
static int
state_fd_arg(const char *v)
{
	unsigned long fd;
	const char *end;

	if (util_parse_ulong(v, 65535, &fd, &end) < 0 || *end != '\0')
		return -1;
	return (int)fd;
}

/*
 * Parse the command line.  Returns -1 to exit 0 (help, version), -2 to
 * exit 2 (bad usage); as PID 1 it never asks to exit.
 */
static int
parse_args(int argc, char **argv)
{
	const char *v;
	int64_t ms;
	int i;

	for (i = 1; i < argc; i++) {
		if ((v = opt_value(argv[i], "--svcdir")) != NULL)
			pinit.svcdir = v;
		else if ((v = opt_value(argv[i], "--rundir")) != NULL)
			pinit.rundir = v;
		else if ((v = opt_value(argv[i], "--profile")) != NULL)
			pinit.profile = v;
		else if (strncmp(argv[i], "cprofile:", 9) == 0)
			pinit.profile = argv[i] + 9;
		else if ((v = opt_value(argv[i], "--rescue-shell")) != NULL)
			pinit.rescue_shell = v;
		else if ((v = opt_value(argv[i], "--crash-program")) != NULL)
			crash_program = v;
		else if ((v = opt_value(argv[i], "--state-fd")) != NULL)
			state_fd = state_fd_arg(v);
		else if (strcmp(argv[i], "--selftest") == 0)
			selftest = 1;
		else if (strcmp(argv[i], "--fork") == 0)
			spawn_fork_only();
		else if (rescue_word(argv[i]))
			boot_rescue = 1;
		else if (kernel_word(argv[i]))
			continue;
		else if ((v = opt_value(argv[i], "--grace")) != NULL) {
			if (util_parse_ms(v, PINIT_GRACE_MAX_MS, &ms) < 0) {
				fprintf(stderr, "pinit: unable to use --grace=%s: "
				    "want seconds from 0 to %d\n", v,
				    PINIT_GRACE_MAX_MS / 1000);
				if (!pinit.pid1)
					return -2;
			} else
				pinit.grace_ms = (int)ms;
		} else if (pinit.pid1)
			continue;
		else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return -1;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("pinit %s (%s backend, %s signal map)\n",
			    PACKAGE_VERSION, ipc_name(), sigmap_name);
			return -1;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "pinit: unknown option %s\n", argv[i]);
			usage(stderr);
			return -2;
		}
	}
	return 0;
}

/* Make sure fds 0, 1 and 2 are open: the console, else /dev/null. */
static void
fds_sanitize(void)
{
	int fd;

	while (fcntl(STDERR_FILENO, F_GETFD) < 0 ||
	    fcntl(STDOUT_FILENO, F_GETFD) < 0 ||
	    fcntl(STDIN_FILENO, F_GETFD) < 0) {
		fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			fd = open("/dev/null", O_RDWR | O_NOCTTY);
		if (fd < 0 || fd > STDERR_FILENO) {
			if (fd > STDERR_FILENO)
				close(fd);
			return;
		}
		fcntl(fd, F_SETFD, 0);
	}
}

/* Room for one fd per service: raise the soft fd limit to the hard one. */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (rl.rlim_cur > SVC_MAX + 1024)
			rl.rlim_cur = SVC_MAX + 1024;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* A service that left the tree at reload: let it go, politely. */
static void
drop_service(struct svc *o)
{
	if (o->pid > 0) {
		log_info("%s: removed from the tree; sending TERM to pid %d",
		    o->name, (int)o->pid);
		kill(o->pid, SIGTERM);
		kill(o->pid, SIGCONT);
	}
	if (o->execfd >= 0)
		close(o->execfd);
	if (o->notifyfd >= 0)
		close(o->notifyfd);
	svclog_close(o);
}

void
pinit_reload(int64_t now)
{
	struct svctab *old = pinit.tab, *nt;
	int i, j;

	if (pinit.shutdown != CMD_NONE)
		return;
	log_info("reloading %s", pinit.svcdir);
	nt = load_tree(pinit.svcdir, pinit.profile, NULL);
	if (nt == NULL) {
		log_warn("unable to reload %s; keeping the services as they are",
		    pinit.svcdir);
		return;
	}
	for (i = 0; i < nt->n; i++)
		if (nt->v[i].state == WIRE_S_STOPPED)
			nt->v[i].since = now;
	for (i = 0; old != NULL && i < old->n; i++) {
		j = svc_find(nt, old->v[i].name, strlen(old->v[i].name));
		if (j >= 0 && !(nt->v[j].flags & SVC_BROKEN))
			svc_carry(nt, &nt->v[j], &old->v[i]);
		else
			drop_service(&old->v[i]);
	}
	pinit.tab = nt;
	load_free(old);
	log_info("loaded %d services from %s", nt->n, pinit.svcdir);
	if (rescue_active())
		nt->root = -1;		/* until the rescue shell exits */
	if (nt->root >= 0)
		deps_want_up(nt, nt->root);
	deps_want_closure(nt);
	pinit.root_told = nt->root >= 0 && (nt->v[nt->root].state ==
	    WIRE_S_DONE || nt->v[nt->root].state == WIRE_S_RUNNING);
}

void
pinit_level(char c)
{
	if (c == pinit.runlevel)
		return;
	pinit.prevlevel = pinit.runlevel;
	pinit.runlevel = c;
	utmp_runlevel(pinit.prevlevel, c);
}

int
pinit_switch(const char *name, size_t len, char level, const char *by)
{
	struct svctab *t = pinit.tab;
	int i;

	i = t != NULL && len <= WIRE_NAME_MAX ? svc_find(t, name, len) : -1;
	if (i < 0) {
		errno = ENOENT;
		return -1;
	}
	rescue_leave(level, by);
	memcpy(profile_name, name, len);
	profile_name[len] = '\0';
	pinit.profile = profile_name;
	if (level != 'N')
		pinit_level(level);
	if (level != 'N')
		log_info("runlevel %c: switching to profile %s (%s)", level,
		    profile_name, by);
	else
		log_info("switching to profile %s (%s)", profile_name, by);
	t->root = i;
	deps_isolate(t, i);
	pinit.root_told = 0;
	return 0;
}

/*
 * The path of the initctl FIFO: PID 1's, or one under a subreaper's
 * rundir; -1 when it does not fit.
 */
static int
initctl_path(char *path, size_t n)
{
	if ((size_t)snprintf(path, n, "%s", pinit.pid1 ? PINIT_INITCTL_PATH :
	    pinit.rundir) >= n || (!pinit.pid1 &&
	    (size_t)snprintf(path, n, "%s/initctl", pinit.rundir) >= n)) {
		log_warn("unable to serve %s/initctl: path too long",
		    pinit.rundir);
		return -1;
	}
	return 0;
}

/* Serve the initctl FIFO; after a hot update, take over the old one. */
static void
initctl_start(int64_t now)
{
	char path[PATH_MAX];

	if (initctl_path(path, sizeof(path)) < 0)
		return;
	if (state_fd >= 0)
		update_resume(state_fd, now, path);
	else
		initctl_setup(path, now);
}

/* Start service i, which the root names, while the tree loads. */
static void
boot_early(struct svctab *t, int i)
{
	deps_early(t, i, ipc_now());
}

/*
 * Load the tree at boot and ask for its root.  A fresh boot into the
 * root's profile starts the services the root names that depend on
 * nothing as they load (deps_early()).  After a hot update they run
 * already; the kernel's runlevel or rescue changes what is wanted before
 * the loop's first turn, so they wait for it.
 */
static void
boot_tree(int64_t now)
{
	int early = state_fd < 0 && kernel_level == 0 && !boot_rescue;
	int i;

	pinit.tab = load_tree(pinit.svcdir, pinit.profile,
	    early ? boot_early : NULL);
	if (pinit.tab == NULL)
		return;
	for (i = 0; i < pinit.tab->n; i++)
		if (pinit.tab->v[i].since == 0)
			pinit.tab->v[i].since = now;
	log_info("loaded %d services from %s", pinit.tab->n, pinit.svcdir);
	if (pinit.tab->root < 0) {
		log_warn("no root service %s in %s; nothing to start",
		    pinit.profile, pinit.svcdir);
		return;
	}
	if (state_fd < 0)
		deps_want_up(pinit.tab, pinit.tab->root);
}

/* The kernel asked for runlevel c: switch as "telinit c" does. */
static void
boot_runlevel(char c)
{
	static struct wire_msg req, rep;

	wire_init(&req, WIRE_T_RUNLEVEL, 0);
	wire_put(&req, &c, 1);
	wire_init(&rep, WIRE_T_RUNLEVEL, 0);
	rep.h.flags = WIRE_F_REPLY;
	control_dispatch_by("by the kernel command line", &req, &rep);
}

/* Early mounts, console, debug: what only a machine's PID 1 does. */
static void
boot_machine(void)
{
	int machine = pinit.pid1 && !pinit.container;

	if (machine)
		mount_early();
	log_console(machine);
	if (machine)
		kernel_cmdline();
}

/* The settings before the command line and the kernel's words. */
static void
set_defaults(void)
{
	pinit.container = pinit.pid1 && container_detect();
	pinit.svcdir = PINIT_SVCDIR;
	pinit.rundir = PINIT_RUNDIR;
	pinit.profile = PINIT_ROOT_SERVICE;
	pinit.rescue_shell = PINIT_RESCUE_SHELL;
	pinit.grace_ms = PINIT_GRACE_MS;
	pinit.sigfd = -1;
	pinit.runlevel = pinit.prevlevel = 'N';
}

/* The first line of the log: which pinit, and how it came to run. */
static void
log_start(void)
{
	if (state_fd >= 0)
		log_info("pinit %s (%s) restarted by a hot update (pid %d)",
		    PACKAGE_VERSION, ipc_name(), (int)getpid());
	else if (pinit.pid1)
		log_info("pinit %s (%s) starting as pid 1", PACKAGE_VERSION,
		    ipc_name());
	else
		log_info("pinit %s (%s) starting as subreaper (pid %d)",
		    PACKAGE_VERSION, ipc_name(), (int)getpid());
	if (pinit.container)
		log_info("container mode (%s)", container_why);
}

int
main(int argc, char **argv)
{
	int r;

	pinit.pid1 = getpid() == 1;
	if (!pinit.pid1 && initctl_is_telinit(argc, argv))
		return initctl_telinit(argc, argv);
	set_defaults();
	kernel_env();
	r = parse_args(argc, argv);
	if (r < 0)
		return r == -1 ? 0 : 2;
	if (selftest && !pinit.pid1)
		return update_selftest_main(state_fd);
	pinit.boot_profile = pinit.profile;
	fds_sanitize();
	log_open();
	if (!pinit.pid1 && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		log_warn("unable to become a child subreaper: %s",
		    strerror(errno));
	if (sig_setup() < 0)
		log_error("unable to set up signals: %s", strerror(errno));
	sig_crash_handlers(crash_program != NULL ? crash_program :
	    pinit.rescue_shell);
	raise_fd_limit();
	changes_share();
	boot_machine();
	spawn_devnull();
	update_init(argc, argv);
	log_start();
	if (state_fd >= 0) {
		boot_tree(ipc_now());
		initctl_start(ipc_now());
		loop_run();
		return 0;
	}
	/*
	 * Both control endpoints first: services may start while the tree
	 * loads, and one that asks PID 1 something at once finds it there.
	 */
	loop_ipc(ipc_now());
	initctl_start(ipc_now());
	boot_tree(ipc_now());
	if (kernel_level != 0)
		boot_runlevel(kernel_level);
	rescue_boot(boot_rescue);
	loop_run();
	return 0;
}
