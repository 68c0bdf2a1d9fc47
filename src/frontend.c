/*
 * frontend.c - pinitctl called as halt, poweroff, reboot, shutdown or
 * telinit (symlinks: configure --enable-sysv-links, or the pinit-sysv
 * package): sysvinit's command lines, sent to pinit as native requests
 * through pinitctl's connection (ctl_request).  What each accepts and
 * where it differs from sysvinit is in doc/decisions.md ("sysvinit's
 * commands") and pinitctl(8).
 */
#include <config.h>

#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utmpx.h>

#include "paths.h"
#include "pinitctl.h"
#include "wire.h"

#define FE_MSG_MAX		1024	/* wall message */
#define FE_DELAY_MAX_MIN	(7 * 24 * 60)	/* +M at most a week */
#define FE_NOLOGIN_MIN		5	/* /run/nologin this long before */

static const char *const fe_names[] = {
	"halt", "poweroff", "reboot", "shutdown", "telinit", NULL
};

/* The minutes before the shutdown at which everybody is warned again. */
static const int fe_warn_at[] = { 60, 30, 15, 10, 5, 2, 1 };

/* What a shutdown does: the request, and how the warning names it. */
struct fe_action {
	uint16_t	 type;
	const char	*what;
};

static const char	*fe_prog;	/* the name pinitctl was called by */

/* Complain about the command line; the usage exit code. */
static int __attribute__((format(printf, 1, 2)))
fe_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", fe_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", fe_prog);
	return EXIT_USAGE;
}

/* Refuse a user who is not root, as sysvinit's commands do. */
static int
fe_root(void)
{
	if (geteuid() == 0)
		return EXIT_OK;
	fprintf(stderr, "%s: must be superuser (only root may change the "
	    "state of pinit)\n", fe_prog);
	return EXIT_PERM;
}

/* Send one request to pinit, with a connection of its own. */
static int
fe_request(uint16_t type, const void *p, size_t n)
{
	struct ctl ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl_setup(&ctl, wire_type_name(type));
	return ctl_finish(ctl_request(&ctl, type, p, n));
}

/* --help of halt, poweroff and reboot. */
static void
fe_halt_usage(void)
{
	printf("Usage: %s [-dfhinpw]\n"
	    "Stop every service and every process, unmount, and %s\n"
	    "(pinitctl's front end for sysvinit's %s).\n"
	    "\n"
	    "  -f         do not ask pinit: sync and call reboot(2) at once\n"
	    "  -n         with -f: do not sync first\n"
	    "  -p         halt: power off instead\n"
	    "  -w         do nothing (sysvinit: only write the wtmp record;\n"
	    "             pinit writes it itself when it shuts down)\n"
	    "  -d, -h, -i accepted and ignored, as under most inits\n"
	    "  --help     show this help and exit\n"
	    "\n"
	    "Exit status: 0 pinit is shutting down, 1 failed, 2 bad usage,\n"
	    "4 not root, 7 pinit not answering.\n",
	    fe_prog, strcmp(fe_prog, "halt") == 0 ? "halt" :
	    strcmp(fe_prog, "reboot") == 0 ? "reboot" : "power off", fe_prog);
}

/* halt -f, poweroff -f, reboot -f: the kernel call, without pinit. */
static int
fe_force(uint16_t type, int nosync)
{
	int how;

	how = type == WIRE_T_HALT ? RB_HALT_SYSTEM :
	    type == WIRE_T_REBOOT ? RB_AUTOBOOT : RB_POWER_OFF;
	if (!nosync)
		sync();
	reboot(how);
	fprintf(stderr, "%s: unable to call reboot(2): %s\n", fe_prog,
	    strerror(errno));
	return EXIT_FAIL;
}

/* halt, poweroff, reboot [-dfhinpw]. */
static int
fe_halt(int argc, char **argv)
{
	uint16_t type;
	int i, force = 0, nosync = 0, only_wtmp = 0, rc;
	const char *o;

	type = strcmp(fe_prog, "halt") == 0 ? WIRE_T_HALT :
	    strcmp(fe_prog, "reboot") == 0 ? WIRE_T_REBOOT : WIRE_T_POWEROFF;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fe_halt_usage();
			return ctl_finish(EXIT_OK);
		}
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			return fe_usage_error("unexpected argument '%s' (%s "
			    "takes options only)", argv[i], fe_prog);
		for (o = argv[i] + 1; *o != '\0'; o++) {
			switch (*o) {
			case 'f': force = 1; break;
			case 'n': nosync = 1; break;
			case 'w': only_wtmp = 1; break;
			case 'p':
				if (type == WIRE_T_HALT)
					type = WIRE_T_POWEROFF;
				break;
			case 'd': case 'h': case 'i': break;
			default:
				return fe_usage_error("unknown option '-%c'",
				    *o);
			}
		}
	}
	if ((rc = fe_root()) != EXIT_OK)
		return rc;
	if (only_wtmp)
		return EXIT_OK;
	if (force)
		return fe_force(type, nosync);
	return fe_request(type, NULL, 0);
}

/* --help of shutdown. */
static void
fe_shutdown_usage(void)
{
	printf("Usage: shutdown [-hHPrkfFn] [-t SEC] TIME [MESSAGE...]\n"
	    "       shutdown -c [MESSAGE...]\n"
	    "Shut the system down at TIME, warning the logged-in users\n"
	    "(pinitctl's front end for sysvinit's shutdown).\n"
	    "\n"
	    "  TIME     now, +MINUTES or HH:MM (24-hour clock, local time);\n"
	    "           a later TIME makes shutdown wait in the foreground\n"
	    "  -h       power off (halt with -H, power off with -P)\n"
	    "  -H, -P   halt, power off (they imply -h)\n"
	    "  -r       reboot\n"
	    "           (none of them: stop the services and run the rescue\n"
	    "           shell, sysvinit's single-user mode)\n"
	    "  -k       only send the warning; do not shut down\n"
	    "  -c       cancel the shutdown that is waiting\n"
	    "  -t SEC   accepted and ignored (the grace is pinit --grace)\n"
	    "  -f, -F, -n  accepted and ignored (pinit runs no fsck)\n"
	    "  --help   show this help and exit\n"
	    "\n"
	    "Exit status: 0 pinit is shutting down (or -k, -c done), 1 failed\n"
	    "or cancelled, 2 bad usage, 4 not root, 7 pinit not answering.\n");
}

/*
 * Read TIME ("now", "+M", "HH:MM") into the number of seconds from now;
 * -1 when it is none of them.
 */
static long
fe_when(const char *s, time_t now)
{
	struct tm tm;
	char *end;
	long m, h;
	time_t at;

	if (strcmp(s, "now") == 0)
		return 0;
	errno = 0;
	if (s[0] == '+') {
		m = strtol(s + 1, &end, 10);
		if (s[1] < '0' || s[1] > '9' || errno != 0 || *end != '\0' ||
		    m > FE_DELAY_MAX_MIN)
			return -1;
		return m * 60;
	}
	h = strtol(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || errno != 0 || *end != ':' ||
	    end[1] < '0' || end[1] > '9' || h > 23)
		return -1;
	m = strtol(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || m > 59)
		return -1;
	if (localtime_r(&now, &tm) == NULL)
		return -1;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)m;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if ((at = mktime(&tm)) == (time_t)-1)
		return -1;
	if (at < now - 59)
		at += 24 * 60 * 60;	/* HH:MM has passed today: tomorrow */
	return at > now ? (long)(at - now) : 0;
}

/* Write text to the terminal named by a utmp line, if it is one. */
static void
fe_wall_line(const char *line, size_t n, const char *text)
{
	char path[64];
	int fd;

	if (n == 0 || line[0] == '/' || memmem(line, n, "..", 2) != NULL ||
	    snprintf(path, sizeof(path), "/dev/%.*s", (int)n, line) >=
	    (int)sizeof(path))
		return;
	fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return;
	/* A terminal that does not take it now is skipped, as wall(1) does. */
	if (isatty(fd) && write(fd, text, strlen(text)) < 0)
		errno = 0;
	close(fd);
}

/*
 * Warn everybody: every terminal with a user logged in (utmp), as wall(1)
 * does, and standard output unless it is one of them.
 */
static void
fe_wall(const char *text)
{
	const char *mine;
	struct utmpx *u;
	size_t n;

	mine = ttyname(STDOUT_FILENO);
	if (mine != NULL && strncmp(mine, "/dev/", 5) == 0)
		mine += 5;
	setutxent();
	while ((u = getutxent()) != NULL) {
		if (u->ut_type != USER_PROCESS)
			continue;
		n = strnlen(u->ut_line, sizeof(u->ut_line));
		if (mine != NULL && strlen(mine) == n &&
		    strncmp(mine, u->ut_line, n) == 0)
			continue;
		fe_wall_line(u->ut_line, n, text);
	}
	endutxent();
	fputs(text, stdout);
	fflush(stdout);
}

/* The warning that the system goes down in secs seconds. */
static void
fe_warn(const struct fe_action *a, long secs, const char *msg)
{
	char host[HOST_NAME_MAX + 1], when[32], text[FE_MSG_MAX + 256];

	if (gethostname(host, sizeof(host)) != 0)
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	if (secs <= 0)
		snprintf(when, sizeof(when), "NOW");
	else
		snprintf(when, sizeof(when), "in %ld minute%s",
		    (secs + 59) / 60, (secs + 59) / 60 == 1 ? "" : "s");
	snprintf(text, sizeof(text), "\r\nBroadcast message from root@%s:"
	    "\r\n\r\nThe system is going down %s %s!\r\n%s%s", host, a->what,
	    when, msg, msg[0] != '\0' ? "\r\n" : "");
	fe_wall(text);
}

/* Write /run/nologin, so that pam_nologin refuses new logins. */
static void
fe_nologin(const char *msg)
{
	FILE *f;

	if ((f = fopen(PINIT_NOLOGIN, "we")) == NULL)
		return;
	fprintf(f, "The system is going down.%s%s\n", msg[0] != '\0' ?
	    "\n" : "", msg);
	fclose(f);
}

/* The pid of the shutdown that waits, or 0 when none does. */
static pid_t
fe_pending(void)
{
	char path[PATH_MAX], comm[64];
	FILE *f;
	long pid;
	int ok;

	if ((f = fopen(PINIT_SHUTDOWN_PID, "re")) == NULL)
		return 0;
	ok = fscanf(f, "%ld", &pid) == 1 && pid > 1 && pid < INT_MAX;
	fclose(f);
	if (!ok || kill((pid_t)pid, 0) == -1)
		return 0;
	/* A stale file whose pid was taken by another program. */
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	if ((f = fopen(path, "re")) == NULL)
		return (pid_t)pid;
	ok = fgets(comm, sizeof(comm), f) != NULL &&
	    (strcmp(comm, "shutdown\n") == 0 ||
	    strcmp(comm, "pinitctl\n") == 0);
	fclose(f);
	return ok ? (pid_t)pid : 0;
}

/* shutdown -c [MESSAGE]: stop the shutdown that waits. */
static int
fe_cancel(const char *msg)
{
	char text[FE_MSG_MAX + 64];
	pid_t pid;

	if ((pid = fe_pending()) == 0) {
		fprintf(stderr, "shutdown: no shutdown is pending; nothing "
		    "to cancel\n");
		return EXIT_FAIL;
	}
	if (kill(pid, SIGINT) == -1) {
		fprintf(stderr, "shutdown: unable to cancel the shutdown of "
		    "pid %ld: %s\n", (long)pid, strerror(errno));
		return EXIT_FAIL;
	}
	snprintf(text, sizeof(text), "\r\nShutdown cancelled.\r\n%s%s", msg,
	    msg[0] != '\0' ? "\r\n" : "");
	fe_wall(text);
	return EXIT_OK;
}

/* Leave the wait: remove what a waiting shutdown made. */
static void
fe_unwait(int nologin)
{
	unlink(PINIT_SHUTDOWN_PID);
	if (nologin)
		unlink(PINIT_NOLOGIN);
}

/* Claim the pid file; -1 when another shutdown waits or it cannot be made. */
static int
fe_claim(void)
{
	pid_t other;
	FILE *f;

	if ((other = fe_pending()) != 0) {
		fprintf(stderr, "shutdown: another shutdown is pending (pid "
		    "%ld); cancel it first with 'shutdown -c'\n", (long)other);
		return -1;
	}
	if ((f = fopen(PINIT_SHUTDOWN_PID, "we")) == NULL) {
		fprintf(stderr, "shutdown: unable to write %s: %s\n",
		    PINIT_SHUTDOWN_PID, strerror(errno));
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0) {
		unlink(PINIT_SHUTDOWN_PID);
		return -1;
	}
	return 0;
}

/*
 * Wait until the time in secs has come, warning as fe_warn_at says and
 * writing /run/nologin FE_NOLOGIN_MIN minutes before.  SIGINT, SIGTERM
 * and SIGHUP (shutdown -c, Control-C, the terminal gone) cancel: 0 when
 * the time has come, -1 when cancelled.
 */
static int
fe_wait(const struct fe_action *a, long secs, const char *msg)
{
	struct timespec ts;
	sigset_t set;
	time_t end, now;
	long left, next;
	int nologin = 0;
	size_t i;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (fe_claim() == -1)
		return -2;
	end = time(NULL) + secs;
	fe_warn(a, secs, msg);
	for (;;) {
		now = time(NULL);
		if ((left = (long)(end - now)) <= 0)
			break;
		if (!nologin && left <= FE_NOLOGIN_MIN * 60) {
			fe_nologin(msg);
			nologin = 1;
		}
		/* Sleep until the next warning, nologin, or the end. */
		next = 0;
		for (i = 0; i < sizeof(fe_warn_at) / sizeof(fe_warn_at[0]); i++)
			if (fe_warn_at[i] * 60L < left && fe_warn_at[i] * 60L > next)
				next = fe_warn_at[i] * 60L;
		if (!nologin && FE_NOLOGIN_MIN * 60L > next)
			next = FE_NOLOGIN_MIN * 60L;
		ts.tv_sec = left - next;
		ts.tv_nsec = 0;
		if (sigtimedwait(&set, NULL, &ts) > 0) {
			fe_unwait(nologin);
			printf("\r\nShutdown cancelled.\r\n");
			return -1;
		}
		if (next > 0 && time(NULL) >= end - next)
			fe_warn(a, end - time(NULL), msg);
	}
	fe_unwait(0);
	return 0;
}

/* Join the words of a wall message with spaces. */
static void
fe_message(char *buf, size_t size, int n, char **words)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && len + 1 < size; i++) {
		snprintf(buf + len, size - len, "%s%s", i > 0 ? " " : "",
		    words[i]);
		len = strlen(buf);
	}
}

/* The flags of shutdown's command line. */
struct fe_shutdown {
	int	halt, poweroff, plain_h, reboot, warn_only, cancel;
};

/* Parse shutdown's options; the index of the first word, or -1 - code. */
static int
fe_shutdown_options(struct fe_shutdown *o, int argc, char **argv)
{
	const char *p;
	char *end;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (strcmp(argv[i], "--help") == 0) {
			fe_shutdown_usage();
			return -1 - ctl_finish(EXIT_OK);
		}
		for (p = argv[i] + 1; *p != '\0'; p++) {
			switch (*p) {
			case 'h': o->plain_h = 1; break;
			case 'H': o->halt = 1; break;
			case 'P': o->poweroff = 1; break;
			case 'r': o->reboot = 1; break;
			case 'k': o->warn_only = 1; break;
			case 'c': o->cancel = 1; break;
			case 'f': case 'F': case 'n': break;
			case 'a':
				return -1 - fe_usage_error("-a: access "
				    "control (/etc/shutdown.allow) is not "
				    "supported; run shutdown as root");
			case 't':
				if (p[1] == '\0' && ++i >= argc)
					return -1 - fe_usage_error("-t needs "
					    "a number of seconds");
				p = p[1] != '\0' ? p + 1 : argv[i];
				errno = 0;
				if (strtol(p, &end, 10) < 0 || errno != 0 ||
				    end == p || *end != '\0')
					return -1 - fe_usage_error("-t %s: "
					    "expected seconds", p);
				p = end - 1;
				break;
			default:
				return -1 - fe_usage_error("unknown option "
				    "'-%c'", *p);
			}
		}
	}
	return i;
}

/* What the flags ask for; NULL (after a message) when they conflict. */
static const struct fe_action *
fe_shutdown_action(const struct fe_shutdown *o)
{
	static const struct fe_action halt = { WIRE_T_HALT, "for system halt" };
	static const struct fe_action off = { WIRE_T_POWEROFF, "for power off" };
	static const struct fe_action reboot = { WIRE_T_REBOOT, "for reboot" };
	static const struct fe_action rescue = { WIRE_T_RESCUE,
	    "to maintenance mode" };

	if (o->reboot && (o->plain_h || o->halt || o->poweroff)) {
		fe_usage_error("-r (reboot) and -h, -H, -P (halt, power off) "
		    "exclude each other");
		return NULL;
	}
	if (o->halt && o->poweroff) {
		fe_usage_error("-H (halt) and -P (power off) exclude each "
		    "other");
		return NULL;
	}
	if (o->reboot)
		return &reboot;
	if (o->halt)
		return &halt;
	if (o->poweroff || o->plain_h)
		return &off;
	return &rescue;
}

/* shutdown [-hHPrkcfFn] [-t SEC] TIME [MESSAGE], shutdown -c [MESSAGE]. */
static int
fe_shutdown(int argc, char **argv)
{
	struct fe_shutdown o;
	const struct fe_action *a;
	char msg[FE_MSG_MAX];
	long secs;
	int i, rc;

	memset(&o, 0, sizeof(o));
	if ((i = fe_shutdown_options(&o, argc, argv)) < 0)
		return -1 - i;
	if ((a = fe_shutdown_action(&o)) == NULL)
		return EXIT_USAGE;
	if (o.cancel) {
		fe_message(msg, sizeof(msg), argc - i, argv + i);
		return (rc = fe_root()) != EXIT_OK ? rc : fe_cancel(msg);
	}
	if (i >= argc)
		return fe_usage_error("missing TIME: now, +MINUTES or HH:MM");
	if ((secs = fe_when(argv[i], time(NULL))) < 0)
		return fe_usage_error("unable to use time '%s': expected now, "
		    "+MINUTES (at most %d) or HH:MM", argv[i],
		    FE_DELAY_MAX_MIN);
	fe_message(msg, sizeof(msg), argc - i - 1, argv + i + 1);
	if ((rc = fe_root()) != EXIT_OK)
		return rc;
	if (o.warn_only) {
		fe_warn(a, secs, msg);
		return EXIT_OK;
	}
	if (secs == 0)
		fe_warn(a, 0, msg);
	else if ((rc = fe_wait(a, secs, msg)) != 0)
		return EXIT_FAIL;
	return fe_request(a->type, NULL, 0);
}

/* --help of telinit. */
static void
fe_telinit_usage(void)
{
	printf("Usage: telinit [-t SEC] RUNLEVEL\n"
	    "       telinit -e INIT_NAME[=VALUE]...\n"
	    "Tell pinit to change the runlevel (pinitctl's front end for\n"
	    "sysvinit's telinit).\n"
	    "\n"
	    "  0        halt or power off (INIT_HALT=HALT halts)\n"
	    "  1, S, s  rescue: stop the services, run the rescue shell\n"
	    "  2-5      switch to profile runlevelN (else the default one)\n"
	    "  6        reboot\n"
	    "  Q, q     read the service tree again\n"
	    "  U, u     re-execute pinit\n"
	    "  -e INIT_NAME=VALUE  give it to programs started later;\n"
	    "           -e INIT_NAME takes it back (repeatable)\n"
	    "  -t SEC   accepted and ignored (the grace is pinit --grace)\n"
	    "  --help   show this help and exit\n"
	    "\n"
	    "Exit status: 0 done, 1 failed, 2 bad usage, 3 not implemented,\n"
	    "4 not root, 7 pinit not answering.\n");
}

/* Send each -e of telinit: setenv or unsetenv. */
static int
fe_telinit_env(int n, char **vars)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		rc = fe_request(strchr(vars[i], '=') != NULL ? WIRE_T_SETENV :
		    WIRE_T_UNSETENV, vars[i], strlen(vars[i]));
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

/* telinit [-t SEC] RUNLEVEL, telinit -e INIT_NAME[=VALUE]... */
static int
fe_telinit(int argc, char **argv)
{
	char *vars[64], *end;
	int i, nvars = 0, rc;
	const char *lv;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fe_telinit_usage();
			return ctl_finish(EXIT_OK);
		}
		if (strcmp(argv[i], "-t") != 0 && strcmp(argv[i], "-e") != 0)
			return fe_usage_error("unknown option '%s'", argv[i]);
		if (i + 1 >= argc)
			return fe_usage_error("%s needs a value", argv[i]);
		if (argv[i][1] == 't') {
			errno = 0;
			if (strtol(argv[++i], &end, 10) < 0 || errno != 0 ||
			    *end != '\0' || end == argv[i])
				return fe_usage_error("-t %s: expected "
				    "seconds", argv[i]);
			continue;
		}
		if (strncmp(argv[++i], "INIT_", 5) != 0 || argv[i][5] == '\0' ||
		    argv[i][5] == '=')
			return fe_usage_error("-e %s: only INIT_ variables "
			    "(INIT_ then letters, digits and _) can be set",
			    argv[i]);
		if (nvars == (int)(sizeof(vars) / sizeof(vars[0])))
			return fe_usage_error("too many -e");
		vars[nvars++] = argv[i];
	}
	if (nvars > 0 && i < argc)
		return fe_usage_error("-e and a runlevel exclude each other");
	if (nvars == 0 && i + 1 != argc)
		return fe_usage_error(i < argc ? "one runlevel, please" :
		    "missing RUNLEVEL: 0-6, S, Q or U");
	lv = nvars == 0 ? argv[i] : NULL;
	if (lv != NULL && (strlen(lv) != 1 ||
	    strchr("0123456SsQqUu", lv[0]) == NULL))
		return fe_usage_error("'%s' is not a runlevel pinit knows "
		    "(0-6, S, Q or U)", lv);
	if ((rc = fe_root()) != EXIT_OK)
		return rc;
	if (nvars > 0)
		return fe_telinit_env(nvars, vars);
	return fe_request(WIRE_T_RUNLEVEL, lv, 1);
}

const char *
frontend_find(const char *argv0)
{
	const char *base;
	size_t i;

	base = strrchr(argv0, '/');
	base = base != NULL ? base + 1 : argv0;
	for (i = 0; fe_names[i] != NULL; i++)
		if (strcmp(base, fe_names[i]) == 0)
			return fe_names[i];
	return NULL;
}

int
frontend_main(const char *name, int argc, char **argv)
{
	fe_prog = name;
	if (strcmp(name, "shutdown") == 0)
		return fe_shutdown(argc, argv);
	if (strcmp(name, "telinit") == 0)
		return fe_telinit(argc, argv);
	return fe_halt(argc, argv);
}
