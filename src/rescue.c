/*
 * rescue.c - single-user mode: stop every service, run one shell on the
 * console, and resume the default profile when it exits.
 *
 * Rescue is a small state machine stepped once per loop turn, like the
 * shutdown: a request stops the services (an isolate to nothing); once
 * they are down, or PINIT_STOP_ALL_MS later, one shell runs on PID 1's own
 * fds 0-2; its death, seen by the loop's reaping, switches back to the
 * profile and runlevel pinit booted into (doc/decisions.md, Rescue).
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "svc.h"
#include "util.h"

enum rs_stage {
	RS_NONE = 0,
	RS_STOPPING,		/* services are stopping */
	RS_SHELL,		/* the shell runs */
	RS_ENDING		/* rescue was left; the shell is being ended */
};

#define RESCUE_ENV_MAX	8

static struct {
	int		stage;
	pid_t		pid;		/* the shell, or 0 */
	int		execfd;		/* its exec result; -1 */
	int64_t		deadline;	/* of RS_STOPPING and RS_ENDING */
	int		killed;		/* RS_ENDING: KILL was sent */
	char		by[64];		/* who asked */
} rs = { RS_NONE, 0, -1, 0, 0, "" };

static char	rescue_term[72];	/* "TERM=..." of PID 1, if any */

void
rescue_boot(int single)
{
	pinit.boot_level = pinit.runlevel;
	if (single)
		(void)rescue_request("by the kernel command line");
}

/*
 * The profile rescue returns to: that of the runlevel booted, runlevelN
 * for 2-5 when the tree has it (as telinit N), else the profile booted.
 */
static const char *
rescue_default(void)
{
	static char name[16];
	char c = pinit.boot_level;

	if (c >= '2' && c <= '5' && pinit.tab != NULL) {
		snprintf(name, sizeof(name), "runlevel%c", c);
		if (svc_find(pinit.tab, name, strlen(name)) >= 0)
			return name;
	}
	return pinit.boot_profile;
}

int
rescue_active(void)
{
	return rs.stage == RS_STOPPING || rs.stage == RS_SHELL;
}

int
rescue_request(const char *by)
{
	if (pinit.shutdown != CMD_NONE) {
		log_warn("unable to enter rescue: shutting down; refused (%s)",
		    by);
		errno = EBUSY;
		return -1;
	}
	if (rescue_active()) {
		log_info("rescue: already in rescue; request ignored (%s)", by);
		return 0;
	}
	if (rs.pid > 0) {
		log_warn("unable to enter rescue: the previous rescue shell "
		    "(pid %d) has not ended yet; refused (%s)", (int)rs.pid, by);
		errno = EBUSY;
		return -1;
	}
	util_strlcpy(rs.by, by, sizeof(rs.by));
	log_info("rescue: entering rescue (%s); stopping services", by);
	pinit_level('S');
	pinit.profile = rescue_default();
	if (pinit.tab != NULL) {
		pinit.tab->root = -1;
		deps_isolate(pinit.tab, -1);
	}
	rs.stage = RS_STOPPING;
	rs.deadline = ipc_now() + PINIT_STOP_ALL_MS;
	return 0;
}

/* Have the services rescue stopped all stopped? */
static int
rescue_settled(const struct svctab *t)
{
	const struct svc *s;
	int i;

	for (i = 0; t != NULL && i < t->n; i++) {
		s = &t->v[i];
		if (s->want == WANT_DOWN && !svc_is_down(s) &&
		    s->state != WIRE_S_STOPPED)
			return 0;
	}
	return 1;
}

/* Leave rescue: the profile and runlevel booted come back. */
static void
rescue_return(void)
{
	const char *p = rescue_default();

	rs.stage = RS_NONE;
	if (pinit.shutdown != CMD_NONE)
		return;
	pinit_level(pinit.boot_level);
	if (pinit_switch(p, strlen(p), pinit.boot_level, "after rescue") < 0)
		log_warn("unable to return to profile %s after rescue: no "
		    "such service", p);
}

/* The shell's program: PID 1's fds, a small fixed environment. */
static void
rescue_prog(struct svc_prog *prog, char **argv, char **envp)
{
	const char *term = getenv("TERM"), *base;
	int n = 0;

	base = strrchr(pinit.rescue_shell, '/');
	argv[0] = (char *)(base != NULL && base[1] != '\0' ? base + 1 :
	    pinit.rescue_shell);
	argv[1] = NULL;
	envp[n++] = "PATH=" PINIT_DEFAULT_PATH;
	envp[n++] = "HOME=/";
	envp[n++] = "PINIT_RESCUE=1";
	envp[n++] = "PS1=(rescue) # ";
	if (term != NULL && (size_t)snprintf(rescue_term, sizeof(rescue_term),
	    "TERM=%s", term) < sizeof(rescue_term))
		envp[n++] = rescue_term;
	envp[n] = NULL;
	prog->path = (char *)pinit.rescue_shell;
	prog->argv = argv;
	prog->envp = envp;
	prog->ident = NULL;
}

/* Start the shell, or, when it cannot start, leave rescue at once. */
static void
rescue_shell(void)
{
	char *argv[2], *envp[RESCUE_ENV_MAX];
	struct svc_prog prog;

	rescue_prog(&prog, argv, envp);
	log_info("rescue: starting %s on the console (%s)", prog.path, rs.by);
	rs.pid = spawn_console(&prog, &rs.execfd);
	if (rs.pid < 0) {
		log_warn("unable to start the rescue shell %s: %s; returning "
		    "to profile %s", prog.path, strerror(errno),
		    rescue_default());
		rs.pid = 0;
		rescue_return();
		return;
	}
	rs.stage = RS_SHELL;
	rs.deadline = 0;
	(void)sig_hook("rescue");
}

/* A shell that rescue left is slow to end: KILL it, then give up on it. */
static void
rescue_end_timer(int64_t now)
{
	if (!rs.killed) {
		log_warn("rescue: shell (pid %d) still running after %d ms; "
		    "sending KILL", (int)rs.pid, pinit.grace_ms);
		kill(-rs.pid, SIGKILL);
		kill(rs.pid, SIGKILL);
		rs.killed = 1;
		rs.deadline = now + PINIT_KILL_WAIT_MS;
		return;
	}
	log_warn("rescue: shell (pid %d) did not die after SIGKILL; giving "
	    "up on it", (int)rs.pid);
	if (rs.execfd >= 0)
		close(rs.execfd);
	rs.execfd = -1;
	rs.pid = 0;
	rs.stage = RS_NONE;
}

void
rescue_step(int64_t now)
{
	if (rs.stage == RS_ENDING && rs.pid > 0 && now >= rs.deadline) {
		rescue_end_timer(now);
		return;
	}
	if (rs.stage != RS_STOPPING)
		return;
	if (pinit.shutdown != CMD_NONE) {
		rs.stage = RS_NONE;
		return;
	}
	if (!rescue_settled(pinit.tab)) {
		if (now < rs.deadline)
			return;
		log_warn("rescue: services still stopping after %d s; "
		    "starting the shell anyway", PINIT_STOP_ALL_MS / 1000);
	}
	rescue_shell();
}

int64_t
rescue_deadline(void)
{
	if ((rs.stage == RS_STOPPING || rs.stage == RS_ENDING) &&
	    rs.deadline != 0)
		return rs.deadline;
	return -1;
}

void
rescue_leave(char level, const char *by)
{
	if (!rescue_active())
		return;
	if (level == 'N')
		pinit_level(pinit.boot_level);
	if (rs.stage == RS_STOPPING) {
		log_info("rescue: left before the shell started (%s)", by);
		rs.stage = RS_NONE;
		return;
	}
	log_info("rescue: left (%s); sending HUP and TERM to the shell "
	    "(pid %d)", by, (int)rs.pid);
	kill(-rs.pid, SIGHUP);
	kill(-rs.pid, SIGTERM);
	kill(-rs.pid, SIGCONT);
	rs.stage = RS_ENDING;
	rs.killed = 0;
	rs.deadline = ipc_now() + pinit.grace_ms;
}

int
rescue_reaped(pid_t pid, int status)
{
	char text[64];
	int err = 0, failed = 0, stage = rs.stage;

	if (pid <= 0 || pid != rs.pid)
		return 0;
	rs.pid = 0;
	if (rs.execfd >= 0) {
		failed = spawn_exec_result(rs.execfd, &err) > 0;
		close(rs.execfd);
		rs.execfd = -1;
	}
	if (failed)
		snprintf(text, sizeof(text), "%s", strerror(err));
	else if (WIFSIGNALED(status))
		snprintf(text, sizeof(text), "killed by signal %d",
		    WTERMSIG(status));
	else
		snprintf(text, sizeof(text), "exit status %d",
		    WEXITSTATUS(status));
	if (stage != RS_SHELL || pinit.shutdown != CMD_NONE) {
		log_info("rescue: shell (pid %d) ended (%s)", (int)pid, text);
		rs.stage = RS_NONE;
		return 1;
	}
	if (failed)
		log_warn("unable to run the rescue shell %s: %s; returning to "
		    "profile %s", pinit.rescue_shell, text, rescue_default());
	else
		log_info("rescue: shell (pid %d) ended (%s); returning to "
		    "profile %s", (int)pid, text, rescue_default());
	rescue_return();
	return 1;
}
