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
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "initctl.h"
#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "sigmap.h"
#include "svc.h"
#include "util.h"

struct pinit	pinit;

static char	profile_name[WIRE_NAME_MAX + 1];	/* after a switch */

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
	    "  --help            show this help and exit\n"
	    "  --version         show the version and exit\n"
	    "\n"
	    "Not as PID 1, pinit becomes a child subreaper, mounts nothing and\n"
	    "exits at the end of a shutdown instead of calling reboot(2).\n"
	    "\n"
	    "Called as telinit and not as PID 1 ('pinit 6', 'init q',\n"
	    "'telinit -e INIT_X=1'), pinit sends the request to PID 1\n"
	    "through %s as sysvinit's telinit does.\n",
	    PINIT_SVCDIR, PINIT_RUNDIR, PINIT_GRACE_MS / 1000,
	    PINIT_GRACE_MAX_MS / 1000, PINIT_ROOT_SERVICE, PINIT_INITCTL_PATH);
}

/* Value of "--name=value" in arg, or NULL. */
static const char *
opt_value(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
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

/* Carry the run-time state of old service o into new service n. */
static void
carry_state(struct svctab *nt, struct svc *n, const struct svc *o)
{
	int64_t *deaths = n->deaths;
	int k, size = n->limit + 1;

	n->state = o->state;
	n->why = o->why;
	n->want = o->want;
	n->stop = o->stop;
	n->forced = o->forced;
	n->restart = o->restart;
	n->detail = o->detail;
	memcpy(n->info, o->info, sizeof(n->info));
	n->pid = o->pid;
	n->offpid = o->offpid;
	n->execfd = o->execfd;
	n->exec_errno = o->exec_errno;
	n->since = o->since;
	n->started = o->started;
	n->deadline = o->deadline;
	n->quick = o->quick;
	n->restarts = o->restarts;
	for (k = 0; deaths != NULL && k < o->ndeaths && k < size; k++)
		deaths[k] = o->deaths[(o->death_head + o->ndeaths - 1 - k +
		    o->limit + 1) % (o->limit + 1)];
	n->ndeaths = k;
	n->death_head = k % size;
	if (n->pid > 0 || n->offpid > 0)
		svc_adopt(nt, n);
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
}

void
pinit_reload(int64_t now)
{
	struct svctab *old = pinit.tab, *nt;
	int i, j;

	if (pinit.shutdown != CMD_NONE)
		return;
	log_info("reloading %s", pinit.svcdir);
	nt = load_tree(pinit.svcdir, pinit.profile);
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
			carry_state(nt, &nt->v[j], &old->v[i]);
		else
			drop_service(&old->v[i]);
	}
	pinit.tab = nt;
	load_free(old);
	log_info("loaded %d services from %s", nt->n, pinit.svcdir);
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

/* The path of the initctl FIFO: PID 1's, or one under a subreaper's rundir. */
static void
initctl_start(int64_t now)
{
	char path[PATH_MAX];

	if (pinit.pid1) {
		initctl_setup(PINIT_INITCTL_PATH, now);
		return;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/initctl", pinit.rundir) >=
	    sizeof(path)) {
		log_warn("unable to serve %s/initctl: path too long",
		    pinit.rundir);
		return;
	}
	initctl_setup(path, now);
}

/* Load the tree at boot and ask for its root. */
static void
boot_tree(int64_t now)
{
	int i;

	pinit.tab = load_tree(pinit.svcdir, pinit.profile);
	if (pinit.tab == NULL)
		return;
	for (i = 0; i < pinit.tab->n; i++)
		pinit.tab->v[i].since = now;
	log_info("loaded %d services from %s", pinit.tab->n, pinit.svcdir);
	if (pinit.tab->root < 0) {
		log_warn("no root service %s in %s; nothing to start",
		    pinit.profile, pinit.svcdir);
		return;
	}
	deps_want_up(pinit.tab, pinit.tab->root);
}

int
main(int argc, char **argv)
{
	int r;

	pinit.pid1 = getpid() == 1;
	if (!pinit.pid1 && initctl_is_telinit(argc, argv))
		return initctl_telinit(argc, argv);
	pinit.container = getenv("container") != NULL;
	pinit.svcdir = PINIT_SVCDIR;
	pinit.rundir = PINIT_RUNDIR;
	pinit.profile = PINIT_ROOT_SERVICE;
	pinit.grace_ms = PINIT_GRACE_MS;
	pinit.sigfd = -1;
	pinit.runlevel = pinit.prevlevel = 'N';
	r = parse_args(argc, argv);
	if (r < 0)
		return r == -1 ? 0 : 2;
	pinit.boot_profile = pinit.profile;
	fds_sanitize();
	log_open();
	if (!pinit.pid1 && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		log_warn("unable to become a child subreaper: %s",
		    strerror(errno));
	if (sig_setup() < 0)
		log_error("unable to set up signals: %s", strerror(errno));
	sig_crash_handlers();
	raise_fd_limit();
	if (pinit.pid1 && !pinit.container)
		mount_early();
	if (pinit.pid1)
		log_info("pinit %s (%s) starting as pid 1", PACKAGE_VERSION,
		    ipc_name());
	else
		log_info("pinit %s (%s) starting as subreaper (pid %d)",
		    PACKAGE_VERSION, ipc_name(), (int)getpid());
	initctl_start(ipc_now());
	boot_tree(ipc_now());
	loop_run();
	return 0;
}
