/*
 * update.c - hot update: PID 1 executes a new pinit binary in place,
 * keeping every service running and supervised (doc/decisions.md, "Hot
 * update").
 *
 * A request (pinitctl update [PATH], telinit u) first runs the new binary
 * as a child with --selftest on a copy of the state, within a deadline;
 * only when that exits 0 is the update taken, and the loop then execs the
 * binary with the state in a memfd (--state-fd=N) and the control
 * endpoint, /run/initctl and the services' log and readiness fds still
 * open.  If execve() fails, PID 1 carries on in the old image and keeps
 * the failure, which the requester reads in the reply to VERSION: the
 * requester had its answer before the exec (update_report()).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "initctl.h"
#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "ready.h"
#include "state.h"
#include "svclog.h"
#include "util.h"

#define UPDATE_ARGS_MAX	64		/* arguments carried to the new image */

extern char	**environ;

static char	**upd_argv;		/* pinit's own command line */
static int	upd_argc;
static char	upd_self[PATH_MAX];	/* the binary to run by default */
static char	upd_path[PATH_MAX];	/* an update is due: this binary */
static uint32_t	upd_failed;		/* the last try that failed; 0: none */
static int	upd_errno;		/* its errno; 0: none */
static char	upd_why[WIRE_INFO_MAX + 1];	/* and why */

void
update_init(int argc, char **argv)
{
	ssize_t n;

	upd_argc = argc;
	upd_argv = argv;
	n = readlink("/proc/self/exe", upd_self, sizeof(upd_self) - 1);
	if (n > 0 && upd_self[0] == '/') {
		upd_self[n] = '\0';
		return;
	}
	if (argc > 0 && argv[0][0] == '/')
		util_strlcpy(upd_self, argv[0], sizeof(upd_self));
	else
		util_strlcpy(upd_self, PINIT_SBIN_PATH, sizeof(upd_self));
}

/* Wait at most ms for child pid; its status, or -1 (killed, or lost). */
static int
update_wait(pid_t pid, int ms)
{
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	int64_t end = ipc_now() + ms;
	int status;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (ipc_now() >= end)
			break;
		nanosleep(&nap, NULL);
	}
	kill(pid, SIGKILL);
	for (end = ipc_now() + PINIT_KILL_WAIT_MS; ipc_now() < end;
	    nanosleep(&nap, NULL))
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
	return -1;
}

/* In the child: run path --selftest on the state, as a plain process. */
static void
update_child(const char *path, int sfd, int errfd)
{
	char *argv[] = { (char *)path, "--selftest", "--state-fd=0", NULL };
	char *envp[] = { "PATH=" PINIT_DEFAULT_PATH, NULL };
	sigset_t none;
	int e;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(sfd, STDIN_FILENO) < 0)
		_exit(126);
	execve(path, argv, envp);
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Run the self-test of path; 0, or -1 with why filled in. */
static int
update_selftest(const char *path, char *why, size_t n)
{
	struct state_fds none;
	int p[2], sfd, status, e = 0;
	pid_t pid;

	memset(&none, 0, sizeof(none));
	if ((sfd = state_save(pinit.tab, &none)) < 0) {
		snprintf(why, n, "unable to write the state: %s",
		    strerror(errno));
		return -1;
	}
	log_flush();		/* PID 1's lines before the child's */
	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		snprintf(why, n, "unable to start %s: %s", path,
		    strerror(errno));
		close(sfd);
		return -1;
	}
	if (pid == 0)
		update_child(path, sfd, p[1]);
	close(p[1]);
	close(sfd);
	status = update_wait(pid, PINIT_UPDATE_TEST_MS);
	if (read(p[0], &e, sizeof(e)) != (ssize_t)sizeof(e))
		e = 0;
	close(p[0]);
	if (e != 0)
		snprintf(why, n, "unable to execute %s: %s", path, strerror(e));
	else if (status < 0)
		snprintf(why, n, "%s --selftest did not end within %d s", path,
		    PINIT_UPDATE_TEST_MS / 1000);
	else if (WIFSIGNALED(status))
		snprintf(why, n, "%s --selftest was killed by signal %d", path,
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		snprintf(why, n, "%s --selftest failed (exit status %d)", path,
		    WEXITSTATUS(status));
	else
		return 0;
	return -1;
}

int
update_request(const char *path, size_t len, const char *by, char *why,
    size_t n)
{
	char p[PATH_MAX];

	if (len == 0)
		util_strlcpy(p, upd_self, sizeof(p));
	else if (len >= sizeof(p) || path[0] != '/' ||
	    memchr(path, '\0', len) != NULL) {
		snprintf(why, n, "not an absolute path");
		return -1;
	} else {
		memcpy(p, path, len);
		p[len] = '\0';
	}
	if (pinit.shutdown != CMD_NONE || rescue_active()) {
		snprintf(why, n, "%s", pinit.shutdown != CMD_NONE ?
		    "shutting down" : "in rescue mode");
		return -1;
	}
	log_info("update: testing %s (%s)", p, by);
	if (update_selftest(p, why, n) < 0) {
		log_warn("update refused: %s (%s)", why, by);
		return -1;
	}
	util_strlcpy(upd_path, p, sizeof(upd_path));
	return 0;
}

/* The new image's command line: ours, with the state fd. */
static void
update_args(char **argv, char *fdarg, size_t n, int sfd)
{
	int i, k = 0;

	for (i = 0; i < upd_argc && k < UPDATE_ARGS_MAX - 2; i++)
		if (strncmp(upd_argv[i], "--state-fd=", 11) != 0 &&
		    strcmp(upd_argv[i], "--selftest") != 0)
			argv[k++] = upd_argv[i];
	if (k == 0)
		argv[k++] = upd_path;
	snprintf(fdarg, n, "--state-fd=%d", sfd);
	argv[k++] = fdarg;
	argv[k] = NULL;
}

/*
 * Keep the services' fds (their logs, their readiness) open across the
 * exec, or (on 0) close them on exec again.
 */
static void
update_inherit(int on)
{
	if (pinit.tab != NULL)
		svclog_inherit(pinit.tab, on);
	ready_inherit(pinit.tab, on);
}

/* Remember that the try under way failed: errno e, and why. */
static void
update_failed(int e, const char *why)
{
	upd_failed = pinit.update_tries;
	upd_errno = e;
	util_strlcpy(upd_why, why, sizeof(upd_why));
	upd_path[0] = '\0';
}

const char *
update_report(struct wire_upd *u)
{
	memset(u, 0, sizeof(*u));
	u->gen = pinit.update_gen;
	u->attempt = pinit.update_tries;
	u->failed = upd_failed;
	u->err = upd_errno;
	return upd_failed != 0 ? upd_why : "";
}

/* Give back what update_step() handed on when execve() failed. */
static void
update_undo(const struct state_fds *fds, int sfd)
{
	int i;

	for (i = 0; i < fds->n; i++)
		fcntl(fds->fd[i], F_SETFD, FD_CLOEXEC);
	update_inherit(0);
	close(sfd);
}

void
update_step(void)
{
	char *argv[UPDATE_ARGS_MAX], fdarg[32], why[PATH_MAX + 128];
	struct state_fds fds;
	int i, k, held, sfd, e;

	if (upd_path[0] == '\0')
		return;
	pinit.update_tries += pinit.update_tries < UINT32_MAX;
	if (pinit.shutdown != CMD_NONE) {
		update_failed(0, "pinit began to shut down first");
		return;
	}
	memset(&fds, 0, sizeof(fds));
	k = ipc_server_export(fds.fd, STATE_FDS_MAX - 1);
	for (i = 0; i < k; i++)
		fds.kind[fds.n++] = STATE_FD_IPC;
	if ((fds.fd[fds.n] = initctl_export(&held)) >= 0)
		fds.kind[fds.n++] = STATE_FD_INITCTL;
	fds.initctl_open = !held;
	fds.notify = ready_socket() > STDERR_FILENO ? ready_socket() : 0;
	if ((sfd = state_save(pinit.tab, &fds)) < 0) {
		e = errno;
		snprintf(why, sizeof(why), "unable to write the state: %s",
		    strerror(e));
		log_error("update: %s; carrying on", why);
		update_undo(&fds, -1);
		update_failed(e, why);
		return;
	}
	update_inherit(1);
	update_args(argv, fdarg, sizeof(fdarg), sfd);
	log_info("update: executing %s", upd_path);
	log_flush();
	execve(upd_path, argv, environ);
	e = errno;
	snprintf(why, sizeof(why), "unable to execute %s: %s", upd_path,
	    strerror(e));
	log_error("update: %s; carrying on", why);
	update_undo(&fds, sfd);
	update_failed(e, why);
}

int
update_selftest_main(int fd)
{
	struct state_in si;

	memset(&si, 0, sizeof(si));
	if (state_load(fd, NULL, &si) < 0) {
		fprintf(stderr, "pinit: --selftest: unable to read the state: "
		    "%s\n", errno == EPROTO ? "a version this pinit does not "
		    "read" : strerror(errno));
		return 1;
	}
	printf("pinit %s: --selftest: state version %d, %d services, "
	    "%d records dropped, %d skipped\n", PACKAGE_VERSION, STATE_VERSION,
	    si.nsvc, si.dropped, si.skipped);
	return si.have_global && si.ended ? 0 : 1;
}

/* Take over the endpoints the old image handed on. */
static void
update_fds(const struct state_in *si, int64_t now, const char *ictl)
{
	int ipc[STATE_FDS_MAX], n = 0, i, fd = -1;

	for (i = 0; i < si->fds.n; i++) {
		if (si->fds.kind[i] == STATE_FD_IPC)
			ipc[n++] = si->fds.fd[i];
		else if (fd < 0)
			fd = si->fds.fd[i];
		else
			close(si->fds.fd[i]);
	}
	/* The sysv backend hands on no fd but keeps its queues. */
	if (ipc_server_adopt(pinit.rundir, ipc, n) < 0 && n > 0)
		log_warn("update: the control endpoint handed on is not "
		    "%s's; opening it again", pinit.rundir);
	initctl_adopt(ictl, fd, si->have_global && !si->initctl_open, now);
}

/*
 * Close the fds above stderr still inherited from the old image
 * (FD_CLOEXEC clear; every fd this image opened itself has it): those
 * marked in named, or with named NULL all of them.  why ends the line
 * that says how many.
 */
static void
update_close_inherited(const uint8_t *named, const char *why)
{
	int fd, fl, n = 0;

	for (fd = STDERR_FILENO + 1; fd < STATE_SVCFD_MAX; fd++) {
		if ((named != NULL && !(named[fd / 8] & (1u << (fd % 8)))) ||
		    (fl = fcntl(fd, F_GETFD)) < 0 || (fl & FD_CLOEXEC))
			continue;
		close(fd);
		n++;
	}
	if (n > 0)
		log_info("update: closed %d fds handed on %s", n, why);
}

/*
 * Take over the fds of the services (their logs, their readiness) that
 * the state names, then close every other fd it names that is still
 * inherited (FD_CLOEXEC clear): one no service took over, of a service
 * gone from the tree, or of a record dropped.  Run after update_fds(),
 * whose endpoints have FD_CLOEXEC again by then (or are closed).
 */
static void
update_svcfds(const struct state_in *si, int64_t now)
{
	struct svctab *t = pinit.tab;
	int i;

	for (i = 0; t != NULL && i < t->n; i++)
		svclog_adopt(&t->v[i]);
	ready_adopt(t, si->fds.notify, now);
	update_close_inherited(si->named, "that no service took over");
}

/* Apply the globals of the state. */
static void
update_globals(const struct state_in *si)
{
	static char profile[WIRE_NAME_MAX + 1];
	struct svctab *t = pinit.tab;
	int i;

	if (!si->have_global)
		return;
	pinit.runlevel = si->runlevel;
	pinit.prevlevel = si->prevlevel;
	pinit.boot_level = si->boot_level;
	pinit.paused = si->paused;
	pinit.root_told = si->root_told;
	pinit.grace_ms = (int)si->grace_ms;
	i = t != NULL ? svc_find(t, si->profile, strlen(si->profile)) : -1;
	if (i >= 0) {
		util_strlcpy(profile, si->profile, sizeof(profile));
		pinit.profile = profile;
		t->root = i;
	} else
		log_warn("update: profile %s is no longer in the tree; "
		    "using %s", si->profile, pinit.profile);
}

void
update_resume(int sfd, int64_t now, const char *ictl)
{
	struct state_in si;
	int i, whole = 0, got = 1;

	memset(&si, 0, sizeof(si));
	si.apply = 1;
	for (i = 0; pinit.tab != NULL && i < pinit.tab->n; i++)
		pinit.tab->v[i].mark = 0;	/* state.c marks what it takes */
	if (state_load(sfd, pinit.tab, &si) < 0) {
		log_error("update: unable to read the state: %s; starting the "
		    "tree afresh", errno == EPROTO ? "a version this pinit "
		    "does not read" : strerror(errno));
		si.fds.n = 0;
		got = 0;
	} else {
		log_info("update: took over %d services (%d records dropped, "
		    "%d skipped)", si.nsvc, si.dropped, si.skipped);
		whole = si.dropped == 0 && si.ended;
	}
	close(sfd);
	/* This image took over: one more generation, its exec one try. */
	pinit.update_gen = si.update_gen < UINT32_MAX ? si.update_gen + 1 :
	    UINT32_MAX;
	pinit.update_tries = si.update_tries > pinit.update_gen ?
	    si.update_tries : pinit.update_gen;
	/*
	 * A state refused says nothing of the fds still inherited; the old
	 * image's endpoints are among them and would keep the new ones from
	 * opening (the socket's path is in use): close them all.
	 */
	if (!got)
		update_close_inherited(NULL, "with a state it could not read");
	update_globals(&si);
	update_fds(&si, now, ictl);
	update_svcfds(&si, now);
	if (pinit.tab == NULL)
		return;
	/*
	 * A service whose state was not read may still run: adopt its
	 * process before the loop's first start pass would start another.
	 * With the whole state read, every process was taken over.
	 */
	if (!whole)
		adopt_children(pinit.tab, now);
	/* What each service wants came with it; afresh, as at boot. */
	if (si.nsvc == 0 && pinit.tab->root >= 0)
		deps_want_up(pinit.tab, pinit.tab->root);
}
