/*
 * shutdown.c - the orderly end: services, sync, everyone else, the last
 * hook, file systems, sync, reboot(2).
 *
 * A state machine stepped once per loop turn; every stage has a deadline
 * and every step that could hang in the kernel (sync, unmount) runs in a
 * child that is abandoned when it overruns.  As PID 1 it ends with
 * reboot(2), which in a PID namespace ends the namespace.  Not as PID 1 it
 * never touches the machine: it signals only its own children, unmounts
 * nothing and exits the way a namespace would end.  In a container (PID 1
 * in container mode) it neither syncs nor unmounts and exits with a
 * status that says what was asked for.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "svc.h"
#include "util.h"

enum sd_stage {
	SD_IDLE = 0,
	SD_SERVICES,
	SD_SYNC1,
	SD_TERM,
	SD_KILL,
	SD_LAST,
	SD_UMOUNT,
	SD_SYNC2,
	SD_END,
	SD_HALTED
};

#define MOUNTS_MAX	1024

static struct {
	int		stage;
	int64_t		deadline;
	pid_t		helper;		/* sync, last or umount child; 0 */
	int		orphans_gone;	/* waitpid() said ECHILD */
	char		**mounts;
	int		nmounts, next;
} sd;

const char *
pinit_cmd_name(int cmd)
{
	switch (cmd) {
	case CMD_HALT:
		return "halt";
	case CMD_POWEROFF:
		return "poweroff";
	case CMD_REBOOT:
		return "reboot";
	default:
		return "none";
	}
}

void
shutdown_request(int cmd, const char *by)
{
	struct svctab *t = pinit.tab;
	int i;

	if (pinit.shutdown != CMD_NONE) {
		log_info("shutdown: %s already under way; %s (%s) ignored",
		    pinit_cmd_name(pinit.shutdown), pinit_cmd_name(cmd), by);
		return;
	}
	pinit.shutdown = cmd;
	log_info("shutdown: %s requested (%s)", pinit_cmd_name(cmd), by);
	log_info("shutdown: stopping services");
	for (i = 0; t != NULL && i < t->n; i++) {
		t->v[i].want = WANT_DOWN;
		t->v[i].restart = 0;
	}
	if (t != NULL)
		svc_hot_all(t);
	sd.stage = SD_SERVICES;
	sd.deadline = 0;
}

void
shutdown_no_children(void)
{
	sd.orphans_gone = 1;
}

int
shutdown_reaped(pid_t pid, int status)
{
	(void)status;
	if (pid <= 0 || pid != sd.helper)
		return 0;
	sd.helper = 0;
	return 1;
}

/*
 * Is a process left in a container's namespace that is not PID 1's
 * child?  One that entered it (docker exec, nsenter: a client that asked
 * for the poweroff) dies with the namespace when PID 1 exits, maybe
 * before it has read the answer.  Its end sends PID 1 no SIGCHLD, so
 * the stage looks again every SD_OTHERS_MS.  On a machine, kill(-1, 0)
 * would count kernel threads; there the end is reboot(2) anyway.
 */
#define SD_OTHERS_MS	10

static int
others_left(void)
{
	return pinit.pid1 && pinit.container && kill(-1, 0) == 0;
}

/* Has every process but PID 1 gone that the stage waits for? */
static int
all_gone(void)
{
	return sd.orphans_gone && !others_left();
}

int64_t
shutdown_deadline(void)
{
	int64_t soon;

	if (sd.stage == SD_IDLE || sd.stage == SD_HALTED)
		return -1;
	/* Nobody left to wait for: go on at once, not at the deadline. */
	if ((sd.stage == SD_TERM || sd.stage == SD_KILL) && sd.orphans_gone) {
		if (!others_left())
			return 0;
		soon = ipc_now() + SD_OTHERS_MS;
		return soon < sd.deadline ? soon : sd.deadline;
	}
	return sd.deadline;
}

/*
 * Note whether any child is left, without reaping it: with none, no
 * SIGCHLD will come to tell, and the stage would sleep out its deadline.
 */
static void
note_children(void)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 &&
	    errno == ECHILD)
		sd.orphans_gone = 1;
}

static void
task_sync(const char *arg)
{
	(void)arg;
	sync();
}

static void
task_umount(const char *path)
{
	if (umount2(path, 0) == 0)
		return;
	if (errno == EBUSY &&
	    mount(NULL, path, NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0)
		return;
	log_warn("unable to unmount %s: %s", path, strerror(errno));
	_exit(1);
}

static void
task_remount_root(const char *arg)
{
	(void)arg;
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL) < 0) {
		log_warn("unable to remount / read-only: %s", strerror(errno));
		_exit(1);
	}
}

/* Run fn(arg) in a helper child that may take ms at most. */
static void
helper_start(void (*fn)(const char *), const char *arg, int64_t ms,
    int64_t now)
{
	sd.helper = spawn_task(fn, arg);
	if (sd.helper < 0) {
		log_warn("unable to fork: %s", strerror(errno));
		sd.helper = 0;
	}
	sd.deadline = now + ms;
}

/*
 * Start a sync in a helper, except in a container: sync(2) there would
 * flush every file system of the host, which is not the container's to
 * do (the host outlives it).
 */
static void
sync_start(int64_t now)
{
	if (pinit.container) {
		sd.deadline = now;	/* nothing to wait for: go on */
		return;
	}
	log_info("shutdown: sync");
	helper_start(task_sync, NULL, PINIT_SYNC_MS, now);
}

/* 1 while the helper still runs within its time; kill it when late. */
static int
helper_busy(int64_t now)
{
	if (sd.helper == 0)
		return 0;
	if (now < sd.deadline)
		return 1;
	log_warn("shutdown: helper %d still running after its time; "
	    "abandoned", (int)sd.helper);
	kill(sd.helper, SIGKILL);
	sd.helper = 0;
	return 0;
}

/* Signal every process but PID 1 (as subreaper: only our children). */
static void
signal_all(int sig)
{
	struct util_proc ps;
	struct dirent *de;
	unsigned long pid;
	DIR *d;

	if (pinit.pid1) {
		kill(-1, sig);
		return;
	}
	if ((d = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
		    util_parse_ulong(de->d_name, INT_MAX, &pid, NULL) == 0 &&
		    util_proc_stat((pid_t)pid, &ps) == 0 &&
		    ps.ppid == getpid())
			kill((pid_t)pid, sig);
	closedir(d);
}

/* Is this mount point one to leave alone at shutdown? */
static int
keep_mounted(const char *mp)
{
	static const char *const api[] = { "/proc", "/sys", "/dev", NULL };
	size_t n;
	int i;

	if (strcmp(mp, "/") == 0)
		return 1;
	for (i = 0; api[i] != NULL; i++) {
		n = strlen(api[i]);
		if (strncmp(mp, api[i], n) == 0 && (mp[n] == '\0' ||
		    mp[n] == '/'))
			return 1;
	}
	return 0;
}

/* Unmount the next file system, last mounted first; 0 when done. */
static int
umount_next(int64_t now)
{
	if (sd.mounts == NULL) {
		sd.nmounts = mount_list(&sd.mounts, MOUNTS_MAX);
		if (sd.nmounts < 0) {
			log_warn("unable to read the mount table: %s",
			    strerror(errno));
			sd.nmounts = 0;
		}
		sd.next = sd.nmounts - 1;
		log_info("shutdown: unmounting file systems");
	}
	while (sd.next >= 0 && keep_mounted(sd.mounts[sd.next]))
		sd.next--;
	if (sd.next >= 0) {
		helper_start(task_umount, sd.mounts[sd.next--], PINIT_UMOUNT_MS,
		    now);
		return 1;
	}
	if (sd.next == -1) {
		sd.next = -2;
		helper_start(task_remount_root, NULL, PINIT_UMOUNT_MS, now);
		return 1;
	}
	return 0;
}

/*
 * The end in a container: exit with the status of doc/decisions.md, 0 for
 * poweroff, and for reboot and halt 128 + the signal the kernel reports
 * for the end of a PID namespace (HUP, INT).
 */
static void
shutdown_exit(int cmd)
{
	int st = cmd == CMD_REBOOT ? PINIT_EXIT_REBOOT : cmd == CMD_HALT ?
	    PINIT_EXIT_HALT : PINIT_EXIT_POWEROFF;

	log_info("shutdown: %s: exiting with status %d (container mode)",
	    pinit_cmd_name(cmd), st);
	log_flush();
	_exit(st);
}

/* The end: reboot(2) as PID 1, else exit as a namespace's PID 1 would. */
static void
shutdown_final(void)
{
	int cmd = pinit.shutdown, how, sig;
	sigset_t set;

	how = cmd == CMD_HALT ? RB_HALT_SYSTEM : cmd == CMD_POWEROFF ?
	    RB_POWER_OFF : RB_AUTOBOOT;
	if (pinit.container)
		shutdown_exit(cmd);
	if (pinit.pid1) {
		log_info("shutdown: reboot(%s)", cmd == CMD_HALT ? "HALT" :
		    cmd == CMD_POWEROFF ? "POWER_OFF" : "RESTART");
		log_flush();
		reboot(how);
		log_error("unable to %s: %s", pinit_cmd_name(cmd),
		    strerror(errno));
		log_info("shutdown: system halted; nothing left to do");
		sd.stage = SD_HALTED;
		return;
	}
	sig = cmd == CMD_REBOOT ? SIGHUP : SIGINT;
	log_info("shutdown: done; exiting by signal %d as a namespace's "
	    "PID 1 would", sig);
	log_flush();
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* Leave the services stage once all are down or its time is up. */
static int
stage_services(int64_t now)
{
	if (sd.deadline == 0)
		sd.deadline = now + PINIT_STOP_ALL_MS;
	if (pinit.tab != NULL && !deps_all_down(pinit.tab)) {
		if (now < sd.deadline)
			return 0;
		log_warn("shutdown: services still stopping after %d s; "
		    "going on", PINIT_STOP_ALL_MS / 1000);
	}
	sync_start(now);
	return 1;
}

/* Run the `last` hook if the tree defines one; 1 if it was started. */
static int
stage_last(int64_t now)
{
	struct svctab *t = pinit.tab;
	pid_t pid;
	int i;

	i = t != NULL ? svc_find(t, "last", 4) : -1;
	if (i < 0 || t->v[i].on.path == NULL)
		return 0;
	log_info("shutdown: running last");
	pid = spawn_prog(&t->v[i].on, t->v[i].name, NULL);
	if (pid < 0)
		return 0;
	sd.helper = pid;
	sd.deadline = now + pinit.grace_ms;
	return 1;
}

void
shutdown_step(int64_t now)
{
	switch (sd.stage) {
	case SD_SERVICES:
		if (stage_services(now))
			sd.stage = SD_SYNC1;
		return;
	case SD_SYNC1:
		if (helper_busy(now))
			return;
		log_info("shutdown: sending TERM to all processes");
		sd.orphans_gone = 0;
		signal_all(SIGTERM);
		signal_all(SIGCONT);
		sd.deadline = now + pinit.grace_ms;
		sd.stage = SD_TERM;
		note_children();
		return;
	case SD_TERM:
		if (!all_gone() && now < sd.deadline)
			return;
		if (!all_gone()) {
			log_info("shutdown: sending KILL to all processes");
			signal_all(SIGKILL);
			note_children();
		}
		sd.deadline = now + PINIT_KILL_WAIT_MS;
		sd.stage = SD_KILL;
		return;
	case SD_KILL:
		if (!all_gone() && now < sd.deadline)
			return;
		if (!all_gone())
			log_warn("shutdown: processes still alive %d ms after "
			    "KILL (stuck in the kernel); going on",
			    PINIT_KILL_WAIT_MS);
		if (stage_last(now))
			sd.stage = SD_LAST;
		else {
			sd.stage = SD_UMOUNT;
			sd.deadline = now;	/* nothing to wait for: go on */
		}
		return;
	case SD_LAST:
	case SD_UMOUNT:
		if (helper_busy(now))
			return;
		if (pinit.pid1 && !pinit.container && umount_next(now)) {
			sd.stage = SD_UMOUNT;
			return;
		}
		sync_start(now);
		sd.stage = SD_SYNC2;
		return;
	case SD_SYNC2:
		if (helper_busy(now))
			return;
		sd.stage = SD_END;
		shutdown_final();
		return;
	default:
		return;
	}
}
