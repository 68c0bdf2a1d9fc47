/*
 * adopt.c - after a hot update, take back the processes of the services
 * whose state could not be read (doc/decisions.md, "Hot update").
 *
 * A service whose record was dropped (or every service, when the whole
 * state was refused) is loaded afresh by the new image, while its process
 * still runs: a child of PID 1 that no service claims.  Before the first
 * start pass, PID 1 looks for such children in /proc and reads
 * PINIT_SERVICE from their environment (spawn.c gives it to every process
 * of a service).  A child that names a service the state did not give
 * back, that has no process, that leads its session and runs as that
 * service's user, is adopted as its main process: running, ready, marked
 * adopted.  Any other such child is left to be reaped as an orphan, and
 * told once.  Everything is bounded: at most ADOPT_SCAN_MAX entries of
 * /proc, 511 bytes of a stat (util_proc_stat()), ADOPT_ENV_MAX bytes of an
 * environment.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ident.h"
#include "log.h"
#include "pinit.h"
#include "svc.h"
#include "util.h"

#define ADOPT_SCAN_MAX	65536		/* entries of /proc looked at */
#define ADOPT_ENV_MAX	65536		/* bytes of /proc/PID/environ read */
#define ADOPT_TELL_MAX	16		/* orphans told one by one */
#define ADOPT_KEY	SVC_ENV_SERVICE "="

static char	envbuf[ADOPT_ENV_MAX];	/* one environment at a time */

/* Read at most n - 1 bytes of /proc/PID/what into buf: the length, or -1. */
static ssize_t
adopt_read(pid_t pid, const char *what, char *buf, size_t n)
{
	char path[64];
	size_t at = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) < 0)
		return -1;
	while (at < n - 1) {
		r = read(fd, buf + at, n - 1 - at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		at += (size_t)r;
	}
	close(fd);
	buf[at] = '\0';
	return (ssize_t)at;
}

/* The pid a /proc entry names, or 0. */
static pid_t
adopt_pid(const char *name)
{
	unsigned long v;
	const char *end;

	if (name[0] < '1' || name[0] > '9' ||
	    util_parse_ulong(name, INT_MAX, &v, &end) < 0 || *end != '\0')
		return 0;
	return (pid_t)v;
}

/*
 * Is pid a child of this process, and not a zombie (the loop reaps it)?
 * *leader: it leads its session, as a service's main process does
 * (spawn.c), and not one of the processes it left behind, most of them.
 */
static int
adopt_child(pid_t pid, int *leader)
{
	struct util_proc p;

	if (util_proc_stat(pid, &p) < 0)
		return 0;
	*leader = p.session == pid;
	return p.ppid == getpid() && p.state != 'Z';
}

/*
 * The service name in the PINIT_SERVICE of pid's environment: its length
 * (*name points into envbuf), or 0.  Only a whole entry counts.
 */
static size_t
adopt_name(pid_t pid, const char **name)
{
	ssize_t n = adopt_read(pid, "environ", envbuf, sizeof(envbuf));
	const char *p = envbuf, *end = envbuf + (n > 0 ? n : 0), *nul;
	size_t k = sizeof(ADOPT_KEY) - 1;

	for (; p < end; p = nul + 1) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			return 0;		/* cut at the bound */
		if ((size_t)(nul - p) > k && memcmp(p, ADOPT_KEY, k) == 0) {
			*name = p + k;
			return (size_t)(nul - p) - k;
		}
	}
	return 0;
}

/* Does pid run under the uid service s runs as (its user, else ours)? */
static int
adopt_uid_ok(pid_t pid, const struct svc *s)
{
	const struct svc_ident *id = s->on.ident;
	char path[64];
	struct stat sb;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (stat(path, &sb) < 0)
		return 0;
	return sb.st_uid == (id != NULL && id->has_uid ? id->uid : geteuid());
}

/* Make pid the main process of service i: running, ready, adopted. */
static void
adopt_one(struct svctab *t, int i, pid_t pid, int64_t now)
{
	struct svc *s = &t->v[i];

	svc_changed(s);
	s->pid = pid;
	s->state = WIRE_S_RUNNING;
	s->why = WIRE_W_NONE;
	s->detail = 0;
	svc_set_info(s, NULL);
	s->since = s->started = now;
	s->deadline = 0;
	s->stop = STOP_NONE;
	s->ready = 1;		/* it ran before the update */
	s->adopted = 1;
	svc_adopt(t, s);
	deps_want_up(t, i);
	log_warn("adopted pid %d as service %s: its state was not readable",
	    (int)pid, s->name);
}

/*
 * Why child pid, which no service claims, cannot be adopted (into why),
 * or the index of the service to adopt it as.
 */
static int
adopt_match(const struct svctab *t, pid_t pid, int leader, char *why,
    size_t n)
{
	const struct svc *s;
	const char *name;
	size_t len = adopt_name(pid, &name);
	int i;

	if (len == 0 || len > WIRE_NAME_MAX || !wire_name_ok(name, len)) {
		snprintf(why, n, "no PINIT_SERVICE that names a service");
		return -1;
	}
	if ((i = svc_find(t, name, len)) < 0) {
		snprintf(why, n, "PINIT_SERVICE=%.*s is not in the tree",
		    (int)len, name);
		return -1;
	}
	s = &t->v[i];
	if (s->mark || s->pid != 0 || s->offpid != 0 ||
	    (s->flags & (SVC_BROKEN | SVC_GROUP)))
		snprintf(why, n, "service %s %s", s->name, s->mark ?
		    "was taken over from the state" : s->pid != 0 ||
		    s->offpid != 0 ? "has a process" : "has no program to run");
	else if (!leader)
		snprintf(why, n, "it does not lead its session, as service "
		    "%s's main process would", s->name);
	else if (!adopt_uid_ok(pid, s))
		snprintf(why, n, "it does not run as service %s's user",
		    s->name);
	else
		return i;
	return -1;
}

void
adopt_children(struct svctab *t, int64_t now)
{
	char why[WIRE_NAME_MAX + 64];
	struct dirent *e;
	int k, i, leader, told = 0;
	DIR *d;
	pid_t pid;

	if ((d = opendir("/proc")) == NULL) {
		log_warn("update: unable to look for children to adopt in "
		    "/proc: %s", strerror(errno));
		return;
	}
	for (k = 0; k < ADOPT_SCAN_MAX && (e = readdir(d)) != NULL; k++) {
		if ((pid = adopt_pid(e->d_name)) <= 0 ||
		    svc_pid_index(t, pid) >= 0 || !adopt_child(pid, &leader))
			continue;
		if ((i = adopt_match(t, pid, leader, why, sizeof(why))) >= 0)
			adopt_one(t, i, pid, now);
		else if (++told <= ADOPT_TELL_MAX)
			log_info("update: pid %d, a child no service claims, is "
			    "left to be reaped: %s", (int)pid, why);
	}
	closedir(d);
	if (told > ADOPT_TELL_MAX)
		log_info("update: %d more children no service claims are left "
		    "to be reaped", told - ADOPT_TELL_MAX);
}
