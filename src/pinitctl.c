/*
 * pinitctl.c - the control client of pinit.
 *
 * One connection, one deadline (--timeout) for the whole run: every call
 * and every wait for an end state stops there, so pinitctl never hangs.
 * Text that comes from PID 1 is printed with control characters replaced,
 * and escaped for JSON, so a service name or reason cannot drive the
 * terminal.  Exit codes are those of doc/decisions.md; status uses LSB's.
 */
#include <config.h>

#include <sys/ioctl.h>
#include <sys/types.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"
#include "paths.h"
#include "pinitctl.h"
#include "wire.h"

#define CTL_TIMEOUT_MAX_S	86400.0	/* longest --timeout accepted */
#define CTL_POLL_MS		20	/* status polling while waiting */
#define CTL_LIST_MAX		100000	/* records and pages of one list */
#define CTL_TEXT_MAX		1024	/* one reason or status text */
#define CTL_COLUMNS		80	/* width when the terminal does not say */
#define CTL_INFO_MIN		12	/* narrowest INFO column before wrapping */
#define CTL_LOG_LINES		10	/* log: lines shown without -n */
#define CTL_FOLLOW_MS		500	/* log -f: asks this often */
#define CTL_STOP_MARGIN_MS	2000	/* stop: waited beyond pinit's bound */
#define CTL_UPDATE_ASK_MS	1000	/* update: one question, at most */

/* LSB exit codes of status. */
#define LSB_OK			0	/* running or done */
#define LSB_DEAD		1	/* failed or exec-failed */
#define LSB_STOPPED		3	/* stopped or between states */
#define LSB_UNKNOWN		4	/* unknown service or no answer */

#define COLOR_GREEN		"\033[32m"
#define COLOR_RED		"\033[31m"
#define COLOR_YELLOW		"\033[33m"
#define COLOR_RESET		"\033[0m"

/* One service, decoded and NUL-terminated. */
struct rec {
	struct wire_svc	s;
	char		name[WIRE_NAME_MAX + 1];
	char		info[WIRE_INFO_MAX + 1];
};

/* What a STATUS reply adds to the record, decoded and NUL-terminated. */
struct recx {
	int		have;		/* 0: an older pinit sent none */
	struct wire_svcx x;
	char		text[WIRE_INFO_MAX + 1];
	char		log[WIRE_LOG_LINES * (WIRE_LOG_LINE_MAX + 1) + 1];
};

struct recs {
	struct rec	*v;
	size_t		 n;
	size_t		 cap;
};

struct verb {
	const char	*name;
	uint16_t	 type;
	int		 minargs;
	int		 maxargs;
	int		(*run)(struct ctl *, const struct verb *, char **, int);
	const char	*args;		/* its arguments, for the usage line */
	const char	*help;		/* what it does, and its options */
};

static int	verb_status(struct ctl *, const struct verb *, char **, int);
static int	verb_list(struct ctl *, const struct verb *, char **, int);
static int	verb_service(struct ctl *, const struct verb *, char **, int);
static int	verb_simple(struct ctl *, const struct verb *, char **, int);
static int	verb_env(struct ctl *, const struct verb *, char **, int);
static int	verb_runlevel(struct ctl *, const struct verb *, char **, int);
static int	verb_initctl(struct ctl *, const struct verb *, char **, int);
static int	verb_version(struct ctl *, const struct verb *, char **, int);
static int	verb_log(struct ctl *, const struct verb *, char **, int);
static int	verb_notify(struct ctl *, const struct verb *, char **, int);
static int	verb_update(struct ctl *, const struct verb *, char **, int);

static const struct verb verbs[] = {
	{ "status",	WIRE_T_STATUS,		0, 1, verb_status, "[SERVICE]",
	  "Show one service: its state, pid, age, restarts and, when it\n"
	  "failed, why; then how it says it is ready and whether it did, the\n"
	  "last STATUS= text it sent, how its process last ended, its stop\n"
	  "signal and timeout, and where its log goes with the last 5 lines\n"
	  "(root only).  Without SERVICE, show every service as 'list' does.\n"
	  "Every user may ask.\n"
	  "\n"
	  "  --json   print one JSON object (an array without SERVICE)\n"
	  "\n"
	  "Exit status (LSB): 0 running or done, 1 failed or exec-failed,\n"
	  "3 stopped or between states, 4 unknown service or no answer.\n" },
	{ "list",	WIRE_T_LIST,		0, 0, verb_list, "",
	  "Show every service as a table: SERVICE, STATE, PID, RESTARTS and\n"
	  "INFO (why it failed, what it waits for).  On a terminal the table\n"
	  "fits its width and states are coloured (never with NO_COLOR set or\n"
	  "TERM=dumb).  Every user may ask.\n"
	  "\n"
	  "  --json   print a JSON array of objects, one per service\n" },
	{ "start",	WIRE_T_START,		1, 1, verb_service, "SERVICE",
	  "Start SERVICE (and what it needs) and wait until it runs, or, for\n"
	  "a one-shot, until it is done.  Clears a failed state and the\n"
	  "restart counters.\n"
	  "\n"
	  "  --no-wait          return once pinit has the request\n"
	  "  --timeout=SECONDS  wait at most this long (default 10)\n"
	  "\n"
	  "Exit status: 0 started, 1 it failed or the wait timed out, 5 no\n"
	  "such service.\n" },
	{ "stop",	WIRE_T_STOP,		1, 1, verb_service, "SERVICE",
	  "Stop SERVICE (its 'off' program, else its stop-signal, TERM by\n"
	  "default, then KILL after its stop-timeout or the grace) and wait\n"
	  "until it is stopped: at least 10 s, and as long as pinit may take\n"
	  "(its stop-timeout, the services that need it) plus 2 s.  A stop\n"
	  "that needed KILL is said on standard error.\n"
	  "\n"
	  "  --no-wait          return once pinit has the request\n"
	  "  --timeout=SECONDS  wait at most this long instead\n" },
	{ "restart",	WIRE_T_RESTART,		1, 1, verb_service, "SERVICE",
	  "Stop SERVICE, start it again, and wait until a new process runs:\n"
	  "10 s beyond as long as pinit may take to stop it.\n"
	  "\n"
	  "  --no-wait          return once pinit has the request\n"
	  "  --timeout=SECONDS  wait at most this long instead\n" },
	{ "reload",	WIRE_T_RELOAD,		0, 0, verb_simple, "",
	  "Read the service tree again: new services start, removed ones\n"
	  "stop, changed files count at the next start (SIGHUP does the\n"
	  "same).\n" },
	{ "halt",	WIRE_T_HALT,		0, 0, verb_simple, "",
	  "Stop every service and every process, unmount, and halt.\n" },
	{ "poweroff",	WIRE_T_POWEROFF,	0, 0, verb_simple, "",
	  "Stop every service and every process, unmount, and power off.\n" },
	{ "reboot",	WIRE_T_REBOOT,		0, 0, verb_simple, "",
	  "Stop every service and every process, unmount, and reboot.\n" },
	{ "rescue",	WIRE_T_RESCUE,		0, 0, verb_simple, "",
	  "Stop every service and run the rescue shell on the console; when\n"
	  "it exits, the runlevel and profile pinit booted into start again\n"
	  "('runlevel S' does the same).  Exits 0 once pinit took the request.\n" },
	{ "update",	WIRE_T_UPDATE,		0, 1, verb_update, "[PATH]",
	  "Re-execute pinit in place (after an upgrade of its binary), keeping\n"
	  "every service running and supervised: pinit first runs PATH\n"
	  "(default: the binary it was started from) with --selftest on a copy\n"
	  "of its state, then executes it, and pinitctl waits until the new\n"
	  "pinit answers.  'telinit u' does the same.\n"
	  "\n"
	  "Exit status: 0 updated, 1 refused (the reason is printed: PATH\n"
	  "missing or not executable, its self-test failed, shutting down,\n"
	  "rescue mode) or failed (the exec itself failed: pinit carries on\n"
	  "in the old image), 7 no answer afterwards (--timeout, default\n"
	  "10 s, bounds the request and then the wait for the new pinit).\n" },
	{ "setenv",	WIRE_T_SETENV,		1, 1, verb_env, "INIT_NAME=VALUE",
	  "Give INIT_NAME=VALUE to every program pinit starts from now on.\n"
	  "Only names INIT_ followed by letters, digits and _; at most 16.\n" },
	{ "unsetenv",	WIRE_T_UNSETENV,	1, 1, verb_env, "INIT_NAME",
	  "Stop giving INIT_NAME to the programs pinit starts.\n" },
	{ "runlevel",	WIRE_T_RUNLEVEL,	0, 1, verb_runlevel, "[N|PROFILE]",
	  "Without an argument, print the previous and the current runlevel\n"
	  "and the profile: 'N 3 (profile runlevel3)'.  With one, switch:\n"
	  "0 halt or power off, 6 reboot, 2-5 profile runlevelN, 1 or S\n"
	  "rescue, Q reload, or PROFILE (two characters or more): start\n"
	  "what it needs and wants, stop the rest.\n" },
	{ "initctl",	WIRE_T_INITCTL,		1, 1, verb_initctl, "open|close",
	  "Serve sysvinit's FIFO (/run/initctl) again, or close it and keep\n"
	  "it closed.\n" },
	{ "notify",	WIRE_T_NOTIFY,		1, 16, verb_notify,
	  "ready|stopping|KEY=VALUE...",
	  "Run by a service (its $PINIT_SERVICE names it): tell pinit it is\n"
	  "ready (READY=1), stopping (STOPPING=1), or send KEY=VALUE lines\n"
	  "as sd_notify(3) does (STATUS=TEXT shows in status).  pinit checks\n"
	  "that pinitctl is a process of that service.  Any user may send.\n" },
	{ "log",	WIRE_T_LOG,		1, 1, verb_log, "SERVICE",
	  "Show the newest lines SERVICE wrote to its standard output and\n"
	  "error, from the lines pinit keeps (about 4 KiB) of a service whose\n"
	  "log is a file or a log service.  Only root may ask.\n"
	  "\n"
	  "  -n, --lines=N  show the last N lines (default 10)\n"
	  "  -f, --follow   then show new lines as they come, until\n"
	  "                 interrupted (Ctrl-C)\n"
	  "\n"
	  "Exit status: 0 shown, 1 pinit keeps no lines of it (its log is\n"
	  "the console or none), 5 no such service.\n" },
	{ "version",	WIRE_T_VERSION,		0, 0, verb_version, "",
	  "Print the version of pinitctl, then the running pinit's.\n"
	  "\n"
	  "  --json   print one JSON object: the versions, pinit's update\n"
	  "           generation (hot updates since boot), its update\n"
	  "           attempts and the last that failed (or null)\n" },
};

static const struct option options[] = {
	{ "rundir",	required_argument,	NULL, 'r' },
	{ "timeout",	required_argument,	NULL, 't' },
	{ "json",	no_argument,		NULL, 'j' },
	{ "no-wait",	no_argument,		NULL, 'W' },
	{ "lines",	required_argument,	NULL, 'n' },
	{ "follow",	no_argument,		NULL, 'f' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL,		0,			NULL, 0 }
};

/* Print the usage text to f. */
static void
usage(FILE *f)
{
	fprintf(f,
	    "Usage: pinitctl [OPTION]... COMMAND [ARG]\n"
	    "Ask pinit about its services, or tell it what to do.\n"
	    "\n"
	    "  status [SERVICE]   show one service (LSB exit codes), or all\n"
	    "  list               show every service\n"
	    "  start SERVICE      start a service and wait until it runs\n"
	    "  stop SERVICE       stop a service and wait until it is stopped\n"
	    "  restart SERVICE    stop and start a service\n"
	    "  reload             read the service tree again\n"
	    "  halt, poweroff, reboot\n"
	    "                     shut the system down\n"
	    "  version            show the versions of pinitctl and pinit\n"
	    "  runlevel           show the previous and current runlevel\n"
	    "                     and the profile: 'N 3 (profile runlevel3)'\n"
	    "  runlevel N|NAME    switch to runlevel N (0 halt or poweroff,\n"
	    "                     6 reboot, 2-5 profile runlevelN, S rescue,\n"
	    "                     Q reload)\n"
	    "                     or to profile NAME: start it, stop the rest\n"
	    "  setenv INIT_X=V    give INIT_X=V to programs started later\n"
	    "  unsetenv INIT_X    and take it back\n"
	    "  initctl open|close serve /run/initctl again, or close it\n"
	    "  rescue             stop the services, run the rescue shell\n"
	    "  update [PATH]      re-execute pinit, keeping the services\n"
	    "  notify ready       from a service: say it is ready\n"
	    "  log SERVICE        show the newest lines of its output\n"
	    "                     (-n N: the last N; -f: and follow)\n"
	    "\n"
	    "  --rundir=DIR       pinit's run-time directory (default %s)\n"
	    "  --timeout=SECONDS  give up after this long (default %d)\n"
	    "  --json             status, list and version: print JSON\n"
	    "  --no-wait          start, stop, restart: return at once\n"
	    "  -h, --help         show this help and exit\n"
	    "  -V, --version      show the version of pinitctl and exit\n"
	    "\n"
	    "'pinitctl COMMAND --help' shows what one command does.  Called as\n"
	    "halt, poweroff, reboot, shutdown or telinit (a symlink), pinitctl\n"
	    "acts as sysvinit's command of that name; see pinitctl(8).\n"
	    "\n"
	    "Exit status: 0 done, 1 failed, 2 bad usage, 3 not implemented,\n"
	    "4 permission denied, 5 no such service, 7 pinit not answering;\n"
	    "status: 0 running, 1 failed, 3 stopped, 4 unknown.\n",
	    PINIT_RUNDIR, CTL_TIMEOUT_S);
}

/* Print the usage text of one verb to standard output. */
static void
verb_usage(const struct verb *v)
{
	printf("Usage: pinitctl [OPTION]... %s%s%s\n", v->name,
	    v->args[0] != '\0' ? " " : "", v->args);
	fputs(v->help, stdout);
	printf("\nEvery command also takes --rundir=DIR (default %s)\n"
	    "and --timeout=SECONDS (default %d); see 'pinitctl --help'.\n",
	    PINIT_RUNDIR, CTL_TIMEOUT_S);
}

/* The verb being run, for the hint of usage_error(); NULL before. */
static const char *usage_verb;

/* Complain about the command line and return the usage exit code. */
static int __attribute__((format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pinitctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (usage_verb != NULL)
		fprintf(stderr, "\nTry 'pinitctl %s --help' for more "
		    "information.\n", usage_verb);
	else
		fputs("\nTry 'pinitctl --help' for more information.\n",
		    stderr);
	return EXIT_USAGE;
}

/* Length of the valid UTF-8 sequence of 2 to 4 bytes at p, or 0. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	unsigned char lo, hi;
	size_t len, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	lo = p[0] == 0xe0 ? 0xa0 : p[0] == 0xf0 ? 0x90 : 0x80;
	hi = p[0] == 0xed ? 0x9f : p[0] == 0xf4 ? 0x8f : 0xbf;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	}
	return len;
}

/* Write n bytes of untrusted text to f, control bytes and bad UTF-8 as '?'. */
static void
put_text(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, k;

	for (i = 0; i < n; i += k) {
		k = 1;
		if (p[i] >= 0x20 && p[i] < 0x7f)
			putc(p[i], f);
		else if (p[i] >= 0x80 && (k = utf8_len(p + i, n - i)) != 0)
			fwrite(p + i, 1, k, f);
		else {
			k = 1;
			putc('?', f);
		}
	}
}

/*
 * put_text(), but at most cols characters: a longer text is cut and ends
 * in "...".  cols <= 0 prints it whole.
 */
static void
put_text_cols(FILE *f, const char *s, size_t n, int cols)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, k;
	int c;

	if (cols <= 0) {
		put_text(f, s, n);
		return;
	}
	c = 0;
	for (i = 0; i < n; i += k) {
		k = 1;
		if (p[i] >= 0x80 && (k = utf8_len(p + i, n - i)) == 0)
			k = 1;
		c++;
	}
	if (c <= cols) {
		put_text(f, s, n);
		return;
	}
	cols = cols > 3 ? cols - 3 : 0;
	for (i = 0, c = 0; i < n && c < cols; i += k, c++) {
		k = 1;
		if (p[i] >= 0x80 && (k = utf8_len(p + i, n - i)) == 0)
			k = 1;
	}
	put_text(f, s, i);
	fputs("...", f);
}

/* Write n bytes as a JSON string: quotes, backslashes and controls escaped. */
static void
put_json_str(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, k;

	putchar('"');
	for (i = 0; i < n; i += k) {
		k = 1;
		if (p[i] == '"' || p[i] == '\\')
			printf("\\%c", p[i]);
		else if (p[i] < 0x20 || p[i] == 0x7f)
			printf("\\u%04x", p[i]);
		else if (p[i] < 0x80)
			putchar(p[i]);
		else if ((k = utf8_len(p + i, n - i)) != 0)
			fwrite(p + i, 1, k, stdout);
		else {
			k = 1;
			fputs("\\ufffd", stdout);
		}
	}
	putchar('"');
}

/* The colour of a state: green when up, red when failed, yellow else. */
static const char *
state_color(unsigned state)
{
	switch (state) {
	case WIRE_S_RUNNING:
	case WIRE_S_DONE:
		return COLOR_GREEN;
	case WIRE_S_FAILED:
	case WIRE_S_EXECFAIL:
		return COLOR_RED;
	default:
		return COLOR_YELLOW;
	}
}

/* Print a state's name, coloured when allowed, padded to width. */
static void
put_state(FILE *f, const struct ctl *ctl, unsigned state, int width)
{
	const char *name = wire_state_name(state);
	int len = (int)strlen(name);

	if (ctl->color && f == stdout)
		fprintf(f, "%s%s%s", state_color(state), name, COLOR_RESET);
	else
		fputs(name, f);
	if (width > len)
		fprintf(f, "%*s", width - len, "");
}

/* What to do about an error of ipc_client_open() or ipc_client_call(). */
static const char *
ctl_hint(int e)
{
	switch (e) {
	case ENOENT:
	case ECONNREFUSED:
	case ECONNRESET:
		return "; is pinit running, with this --rundir?";
	case EACCES:
	case EPERM:
		return "; with this backend only root may talk to pinit";
	case ETIMEDOUT:
		return "; pinit is busy or stuck (--timeout waits longer)";
	default:
		return "";
	}
}

/*
 * Complain that pinit cannot be reached, or answers in a way pinitctl
 * cannot read, and return the matching exit code.
 */
static int
ctl_unreachable(const struct ctl *ctl, int e)
{
	if (e == EPROTO) {
		fprintf(stderr, "pinitctl: unable to talk to pinit (%s "
		    "backend, %s): protocol version mismatch (pinitctl speaks "
		    "version %d)\n", ipc_name(), ctl->rundir, WIRE_VERSION);
		return ctl->lsb ? LSB_UNKNOWN : EXIT_FAIL;
	}
	if (e == EBADMSG) {
		fprintf(stderr, "pinitctl: %s: unable to read pinit's reply: "
		    "%s\n", ctl->verb, strerror(e));
		return ctl->lsb ? LSB_UNKNOWN : EXIT_FAIL;
	}
	fprintf(stderr, "pinitctl: unable to reach pinit (%s backend, %s): "
	    "%s%s\n", ipc_name(), ctl->rundir, strerror(e), ctl_hint(e));
	return ctl->lsb ? LSB_UNKNOWN : EXIT_UNREACH;
}

static void	ctl_nap(const struct ctl *, int64_t);

/*
 * A question (status, list, version, which runlevel) whose connection
 * pinit dropped (a hot update drops the clients in flight) is asked once
 * more on a new connection; a change is not, as it may have been made.
 */
static int
ctl_ask_again(const struct ctl *ctl, const struct wire_msg *req, int e)
{
	int question = req->h.type == WIRE_T_STATUS ||
	    req->h.type == WIRE_T_LIST || req->h.type == WIRE_T_VERSION ||
	    (req->h.type == WIRE_T_RUNLEVEL && req->h.len == 0);

	return question && !ctl->retried && (e == ECONNRESET || e == EPIPE) &&
	    ipc_now() < ctl->deadline;
}

/* Send req and receive rep, connecting first; 0 or an exit code. */
static int
ctl_call_once(struct ctl *ctl, struct wire_msg *req, struct wire_msg *rep)
{
	if (!ctl->connected) {
		if (ipc_client_open(ctl->rundir, ctl->deadline) == -1)
			return ctl_unreachable(ctl, errno);
		ctl->connected = 1;
	}
	if (ipc_client_call(req, rep, ctl->deadline) == -1) {
		if (!ctl_ask_again(ctl, req, errno))
			return ctl_unreachable(ctl, errno);
		ipc_client_close();
		ctl->connected = 0;
		ctl->retried = 1;
		return ctl_call_once(ctl, req, rep);
	}
	if (rep->h.type != req->h.type && rep->h.code == WIRE_OK) {
		fprintf(stderr, "pinitctl: %s: pinit answered another "
		    "question\n", ctl->verb);
		return ctl->lsb ? LSB_UNKNOWN : EXIT_FAIL;
	}
	return 0;
}

/*
 * ctl_call_once(), again on a new connection while pinit answers "try
 * again" (every client slot taken) and the deadline allows.
 */
static int
ctl_call(struct ctl *ctl, struct wire_msg *req, struct wire_msg *rep)
{
	int rc;

	for (;;) {
		rc = ctl_call_once(ctl, req, rep);
		if (rc != 0 || rep->h.code != WIRE_E_AGAIN ||
		    ipc_now() + 2 * CTL_POLL_MS >= ctl->deadline)
			return rc;
		ipc_client_close();
		ctl->connected = 0;
		ctl_nap(ctl, CTL_POLL_MS);
	}
}

/* Report a refusal from pinit and return the matching exit code. */
static int
ctl_refused(const struct ctl *ctl, const char *name, int32_t code)
{
	int rc;

	rc = EXIT_FAIL;
	fputs("pinitctl: ", stderr);
	if (code == WIRE_E_NOSVC && name != NULL) {
		put_text(stderr, name, strlen(name));
		fputs(": no such service\npinitctl: 'pinitctl list' shows "
		    "the services; a new one needs 'pinitctl reload'\n",
		    stderr);
		rc = EXIT_NOSVC;
	} else if (code == WIRE_E_PERM) {
		fprintf(stderr, "%s: permission denied (only root may change "
		    "the state of pinit)\n", ctl->verb);
		rc = EXIT_PERM;
	} else if (code == WIRE_E_NOSYS) {
		fprintf(stderr, "%s: not implemented by this pinit\n",
		    ctl->verb);
		rc = EXIT_NOSYS;
	} else if (code == WIRE_E_BUSY)
		fprintf(stderr, "%s: pinit is shutting down\n", ctl->verb);
	else if (code == WIRE_E_VERSION)
		fprintf(stderr, "%s: pinit speaks another protocol version "
		    "(pinitctl speaks version %d)\n", ctl->verb, WIRE_VERSION);
	else if (code == WIRE_E_AGAIN)
		fprintf(stderr, "%s: pinit is busy; try again\n", ctl->verb);
	else {
		fprintf(stderr, "%s", ctl->verb);
		if (name != NULL) {
			putc(' ', stderr);
			put_text(stderr, name, strlen(name));
		}
		fprintf(stderr, ": %s\n", wire_code_text((unsigned)code));
	}
	return ctl->lsb ? LSB_UNKNOWN : rc;
}


/* Check a service name given on the command line. */
static int
ctl_name_ok(const struct ctl *ctl, const char *name)
{
	if (wire_name_ok(name, strlen(name)))
		return 1;
	fprintf(stderr, "pinitctl: %s: '", ctl->verb);
	put_text(stderr, name, strlen(name));
	fprintf(stderr, "' is not a valid service name\npinitctl: a name "
	    "is 1 to %d bytes of printable ASCII without spaces,\n"
	    "pinitctl: and no part between '/' is empty, '.' or '..'\n",
	    WIRE_NAME_MAX);
	return 0;
}

/* Copy a decoded record into r with NUL-terminated strings. */
static void
rec_set(struct rec *r, const struct wire_svc_view *v)
{
	r->s = v->s;
	memcpy(r->name, v->name, v->s.namelen);
	r->name[v->s.namelen] = '\0';
	memcpy(r->info, v->info, v->s.infolen);
	r->info[v->s.infolen] = '\0';
}

/* The reason that why and detail give on their own, e.g. "exit status 3". */
static void
why_text(const struct wire_svc *s, char *buf, size_t size)
{
	switch (s->why) {
	case WIRE_W_EXIT:
		snprintf(buf, size, "exit status %d", (int)s->detail);
		break;
	case WIRE_W_SIGNAL:
		snprintf(buf, size, "killed by signal %d", (int)s->detail);
		break;
	case WIRE_W_EXEC:
		snprintf(buf, size, "%s", strerror((int)s->detail));
		break;
	case WIRE_W_CRASHLOOP:
		snprintf(buf, size, "crash loop: %d deaths", (int)s->detail);
		break;
	case WIRE_W_FORK:
		snprintf(buf, size, "unable to fork: %s",
		    strerror((int)s->detail));
		break;
	default:
		buf[0] = '\0';
	}
}

/*
 * For the dependency reasons, the format that turns info into the reason:
 * PID 1 may send the whole text ("needs db, which failed") or only the
 * name or path it is about.  NULL for other reasons.
 */
static const char *
dep_format(const struct rec *r)
{
	switch (r->s.why) {
	case WIRE_W_DEPFAIL:
		return strncmp(r->info, "needs ", 6) == 0 ? "%s" :
		    "needs %s, which failed";
	case WIRE_W_DEPMISSING:
		return strncmp(r->info, "needs ", 6) == 0 ? "%s" :
		    "needs %s, which does not exist";
	case WIRE_W_CYCLE:
		return strncmp(r->info, "dependency cycle", 16) == 0 ? "%s" :
		    "dependency cycle: %s";
	default:
		return NULL;
	}
}

/*
 * Write the reason r is in its state: PID 1's text when it says as much or
 * more than why and detail do, else both.
 */
static void
rec_reason(const struct rec *r, char *buf, size_t size)
{
	char base[128];
	const char *fmt;

	if (r->info[0] == '\0' && (r->s.flags & WIRE_SVC_ADOPTED)) {
		snprintf(buf, size, "adopted after a hot update: its state "
		    "was not readable");
		return;
	}
	if (r->info[0] == '\0') {
		if (r->s.why == WIRE_W_DEPFAIL)
			snprintf(buf, size, "a needed service failed");
		else if (r->s.why == WIRE_W_DEPMISSING)
			snprintf(buf, size, "a needed service does not exist");
		else if (r->s.why == WIRE_W_CYCLE)
			snprintf(buf, size, "dependency cycle");
		else
			why_text(&r->s, buf, size);
		return;
	}
	why_text(&r->s, base, sizeof(base));
	if ((fmt = dep_format(r)) != NULL)
		snprintf(buf, size, fmt, r->info);
	else if (base[0] == '\0' || strncmp(r->info, base, strlen(base)) == 0)
		snprintf(buf, size, "%s", r->info);
	else
		snprintf(buf, size, "%s; %s", base, r->info);
}

/* Write a duration in seconds the way people read it: "12 s", "3 min 4 s". */
static void
age_text(uint32_t age, char *buf, size_t size)
{
	if (age < 60)
		snprintf(buf, size, "%u s", (unsigned)age);
	else if (age < 3600)
		snprintf(buf, size, "%u min %u s", (unsigned)(age / 60),
		    (unsigned)(age % 60));
	else if (age < 86400)
		snprintf(buf, size, "%u h %u min", (unsigned)(age / 3600),
		    (unsigned)(age % 3600 / 60));
	else
		snprintf(buf, size, "%u d %u h", (unsigned)(age / 86400),
		    (unsigned)(age % 86400 / 3600));
}

/* Write the parenthesised details of a status line: pid, age, reason. */
static void
rec_details(const struct rec *r, char *buf, size_t size)
{
	char reason[CTL_TEXT_MAX], age[32];
	size_t len;

	buf[0] = '\0';
	len = 0;
	if (r->s.pid > 0)
		len += snprintf(buf + len, size - len, ", pid %d",
		    (int)r->s.pid);
	if (r->s.state == WIRE_S_RUNNING && len < size) {
		age_text(r->s.age, age, sizeof(age));
		len += snprintf(buf + len, size - len, ", up %s", age);
	}
	rec_reason(r, reason, sizeof(reason));
	if (reason[0] != '\0' && len < size)
		len += snprintf(buf + len, size - len, ", %s", reason);
	if (r->s.state == WIRE_S_RUNNING && r->s.restarts > 0 && len < size)
		len += snprintf(buf + len, size - len, ", %u restart%s",
		    (unsigned)r->s.restarts, r->s.restarts == 1 ? "" : "s");
	if (len > 0)
		memmove(buf, buf + 2, strlen(buf + 2) + 1);
}

/* Print "NAME: STATE (details)" and a newline to f. */
static void
rec_print_status(FILE *f, const struct ctl *ctl, const struct rec *r)
{
	char details[CTL_TEXT_MAX];

	put_text(f, r->name, r->s.namelen);
	fputs(": ", f);
	put_state(f, ctl, r->s.state, 0);
	rec_details(r, details, sizeof(details));
	if (details[0] != '\0') {
		fputs(" (", f);
		put_text(f, details, strlen(details));
		putc(')', f);
	}
	putc('\n', f);
}

/* The JSON word for why a service is in its state, or NULL. */
static const char *
why_word(unsigned why)
{
	static const char *const words[] = {
		NULL, "exit", "signal", "exec", "crash-loop",
		"dependency-failed", "dependency-missing", "cycle", "request",
		"fork"
	};

	_Static_assert(sizeof(words) / sizeof(words[0]) == WIRE_W_MAX + 1,
	    "a word for every reason");
	return why <= WIRE_W_MAX ? words[why] : NULL;
}

/* The ways a service says it is ready (WIRE_NOTIFY_*), by bit. */
static const char *const ways[] = {
	"notification-fd", "notify-socket", "pinitctl"
};

/* Print ', "readiness": [...]', the ways of notify. */
static void
put_json_ways(unsigned notify)
{
	const char *sep = "";
	size_t k;

	fputs(", \"readiness\": [", stdout);
	for (k = 0; k < sizeof(ways) / sizeof(ways[0]); k++) {
		if (notify & (1u << k)) {
			printf("%s\"%s\"", sep, ways[k]);
			sep = ", ";
		}
	}
	putchar(']');
}

/*
 * Print one service as a JSON object without its closing brace (its
 * caller may add keys), and without a newline.
 */
static void
rec_print_json(const struct rec *r)
{
	const char *word, *state;

	state = wire_state_name(r->s.state);
	fputs("{\"name\": ", stdout);
	put_json_str(r->name, r->s.namelen);
	fputs(", \"state\": ", stdout);
	put_json_str(state, strlen(state));
	if (r->s.pid > 0)
		printf(", \"pid\": %d", (int)r->s.pid);
	else
		fputs(", \"pid\": null", stdout);
	printf(", \"restarts\": %u, \"age\": %u", (unsigned)r->s.restarts,
	    (unsigned)r->s.age);
	if ((word = why_word(r->s.why)) != NULL)
		printf(", \"reason\": \"%s\"", word);
	else
		fputs(", \"reason\": null", stdout);
	printf(", \"detail\": %d, \"info\": ", (int)r->s.detail);
	if (r->s.infolen > 0)
		put_json_str(r->info, r->s.infolen);
	else
		fputs("null", stdout);
	put_json_ways(r->s.notify);
	printf(", \"ready\": %s", r->s.flags & WIRE_SVC_READY ? "true" :
	    "false");
	printf(", \"adopted\": %s", r->s.flags & WIRE_SVC_ADOPTED ? "true" :
	    "false");
}

/* Append a record to rs; -1 when the list is too long or memory is out. */
static int
recs_add(struct recs *rs, const struct wire_svc_view *v)
{
	struct rec *nv;
	size_t cap;

	if (rs->n >= CTL_LIST_MAX)
		return -1;
	if (rs->n == rs->cap) {
		cap = rs->cap == 0 ? 64 : rs->cap * 2;
		if (cap > CTL_LIST_MAX)
			cap = CTL_LIST_MAX;
		if ((nv = realloc(rs->v, cap * sizeof(*nv))) == NULL)
			return -1;
		rs->v = nv;
		rs->cap = cap;
	}
	rec_set(&rs->v[rs->n++], v);
	return 0;
}

/* Add the records of one LIST reply; 0 or an exit code. */
static int
recs_add_page(const struct ctl *ctl, struct recs *rs,
    const struct wire_msg *rep)
{
	struct wire_svc_view v;
	size_t off;
	int r;

	off = sizeof(uint32_t);
	while ((r = wire_get_svc(rep, &off, &v)) == 1) {
		if (recs_add(rs, &v) == -1) {
			fprintf(stderr, "pinitctl: %s: unable to keep more "
			    "than %zu services\n", ctl->verb, rs->n);
			return ctl->lsb ? LSB_UNKNOWN : EXIT_FAIL;
		}
	}
	return r == 0 ? 0 : ctl_unreachable(ctl, EBADMSG);
}

/* Fetch every service, page by page with the LIST cursor; 0 or an exit code. */
static int
recs_fetch(struct ctl *ctl, struct recs *rs)
{
	struct wire_msg req, rep;
	uint32_t cursor, next;
	int pages, rc;

	cursor = 0;
	for (pages = 0; pages < CTL_LIST_MAX; pages++) {
		wire_init(&req, WIRE_T_LIST, 0);
		(void)wire_put(&req, &cursor, sizeof(cursor));
		if ((rc = ctl_call(ctl, &req, &rep)) != 0)
			return rc;
		if (rep.h.code != WIRE_OK)
			return ctl_refused(ctl, NULL, rep.h.code);
		if (rep.h.len < sizeof(next))
			return ctl_unreachable(ctl, EBADMSG);
		memcpy(&next, rep.payload, sizeof(next));
		if ((rc = recs_add_page(ctl, rs, &rep)) != 0)
			return rc;
		if ((rep.h.flags & WIRE_F_MORE) == 0)
			return 0;
		if (next <= cursor)
			return ctl_unreachable(ctl, EBADMSG);
		cursor = next;
	}
	return ctl_unreachable(ctl, EBADMSG);
}

/*
 * Print the services as a table for people: columns aligned, and on a
 * terminal the INFO column cut to fit its width (ctl->columns).
 */
static void
recs_print_table(const struct ctl *ctl, const struct recs *rs)
{
	char reason[CTL_TEXT_MAX], pid[16];
	const struct rec *r;
	int nw, pw, iw, w;
	size_t i;

	nw = 16;
	pw = 4;
	for (i = 0; i < rs->n; i++) {
		if ((w = rs->v[i].s.namelen) > nw)
			nw = w;
		w = snprintf(pid, sizeof(pid), "%d", (int)rs->v[i].s.pid);
		if (w > pw)
			pw = w;
	}
	/* On a terminal, INFO takes what is left of its width. */
	iw = 0;
	if (ctl->columns > 0) {
		iw = ctl->columns - (nw + 1 + 11 + 1 + pw + 2 + 8 + 2);
		if (iw < CTL_INFO_MIN)
			iw = CTL_INFO_MIN;
	}
	printf("%-*s %-11s %*s  %8s  INFO\n", nw, "SERVICE", "STATE", pw, "PID",
	    "RESTARTS");
	for (i = 0; i < rs->n; i++) {
		r = &rs->v[i];
		put_text(stdout, r->name, r->s.namelen);
		printf("%*s ", nw - (int)r->s.namelen, "");
		put_state(stdout, ctl, r->s.state, 11);
		if (r->s.pid > 0)
			snprintf(pid, sizeof(pid), "%d", (int)r->s.pid);
		else
			snprintf(pid, sizeof(pid), "-");
		printf(" %*s  %8u", pw, pid, (unsigned)r->s.restarts);
		rec_reason(r, reason, sizeof(reason));
		if (reason[0] != '\0') {
			fputs("  ", stdout);
			put_text_cols(stdout, reason, strlen(reason), iw);
		}
		putchar('\n');
	}
}

/* Print the services as a JSON array. */
static void
recs_print_json(const struct recs *rs)
{
	size_t i;

	if (rs->n == 0) {
		puts("[]");
		return;
	}
	puts("[");
	for (i = 0; i < rs->n; i++) {
		rec_print_json(&rs->v[i]);
		putchar('}');
		puts(i + 1 < rs->n ? "," : "");
	}
	puts("]");
}

/* list (and status without a service): every service. */
static int
verb_list(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	struct recs rs;
	int rc;

	(void)v;
	(void)args;
	(void)n;
	memset(&rs, 0, sizeof(rs));
	rc = recs_fetch(ctl, &rs);
	if (rc == 0 && ctl->json)
		recs_print_json(&rs);
	else if (rc == 0)
		recs_print_table(ctl, &rs);
	free(rs.v);
	return rc;
}

/* Copy the decoded extra part of a STATUS reply into x. */
static void
recx_set(struct recx *x, const struct wire_svcx_view *v)
{
	x->have = 1;
	x->x = v->x;
	memcpy(x->text, v->text, v->x.textlen);
	x->text[v->x.textlen] = '\0';
	memcpy(x->log, v->log, v->x.loglen);
	x->log[v->x.loglen] = '\0';
}

/*
 * Ask pinit for the record of one service, and into x (unless NULL) what
 * the reply adds to it; 0 or an exit code.
 */
static int
ctl_status(struct ctl *ctl, const char *name, struct rec *r, struct recx *x)
{
	struct wire_msg req, rep;
	struct wire_svcx_view xv;
	struct wire_svc_view v;
	size_t off;
	int rc;

	wire_init(&req, WIRE_T_STATUS, 0);
	(void)wire_put(&req, name, strlen(name));
	if ((rc = ctl_call(ctl, &req, &rep)) != 0)
		return rc;
	if (rep.h.code != WIRE_OK)
		return ctl_refused(ctl, name, rep.h.code);
	off = 0;
	if (wire_get_svc(&rep, &off, &v) != 1)
		return ctl_unreachable(ctl, EBADMSG);
	rec_set(r, &v);
	if (x == NULL)
		return 0;
	x->have = 0;
	if ((rc = wire_get_svcx(&rep, &off, &xv)) < 0)
		return ctl_unreachable(ctl, EBADMSG);
	if (rc == 1)
		recx_set(x, &xv);
	return 0;
}

/* The name of a signal a stop may send ("SIGTERM"), or "signal N". */
static const char *
sig_name(unsigned sig, char *buf, size_t size)
{
	static const struct {
		unsigned	 sig;
		const char	*name;
	} names[] = {
		{ 1, "SIGHUP" }, { 2, "SIGINT" }, { 3, "SIGQUIT" },
		{ 9, "SIGKILL" }, { 10, "SIGUSR1" }, { 12, "SIGUSR2" },
		{ 14, "SIGALRM" }, { 15, "SIGTERM" }, { 28, "SIGWINCH" },
		{ 30, "SIGPWR" }
	};
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (names[k].sig == sig)
			return names[k].name;
	snprintf(buf, size, "signal %u", sig);
	return buf;
}

/* Print the ways of notify for people: "notification-fd 3, notify socket". */
static void
put_ways(FILE *f, unsigned notify, const struct recx *x)
{
	const char *sep = "";

	if (notify & WIRE_NOTIFY_FD) {
		fprintf(f, "notification-fd");
		if (x->x.notifyfd > 0)
			fprintf(f, " %u", (unsigned)x->x.notifyfd);
		sep = ", ";
	}
	if (notify & WIRE_NOTIFY_SOCKET) {
		fprintf(f, "%snotify socket", sep);
		sep = ", ";
	}
	if (notify & WIRE_NOTIFY_IPC)
		fprintf(f, "%spinitctl notify", sep);
	if ((notify & (WIRE_NOTIFY_FD | WIRE_NOTIFY_SOCKET |
	    WIRE_NOTIFY_IPC)) == 0)
		fputs("none", f);
}

/* Print where the log goes and, indented, its newest lines. */
static void
put_log_lines(FILE *f, const struct recx *x)
{
	static const char *const modes[] = {
		"console", "none", "file", "log service"
	};
	const char *p = x->log, *end = x->log + x->x.loglen, *nl;

	fprintf(f, "  log: %s", modes[x->x.logmode]);
	if (x->x.flags & WIRE_SVCX_HIDDEN)
		fputs(" (only root may read its lines)", f);
	else if (x->x.logmode >= WIRE_LOG_FILE && x->x.loglen == 0)
		fputs(" (no lines yet)", f);
	else if (x->x.logmode >= WIRE_LOG_FILE)
		fputs(", last lines:", f);
	putc('\n', f);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		fputs("    ", f);
		put_text(f, p, (size_t)(nl - p));
		putc('\n', f);
		p = nl + 1;
	}
}

/*
 * Print the lines status adds under "NAME: STATE (...)": readiness, the
 * STATUS= text, the last exit, the stop and the log.
 */
static void
recx_print(FILE *f, const struct rec *r, const struct recx *x)
{
	char age[32], sig[32];

	fputs("  readiness: ", f);
	put_ways(f, r->s.notify, x);
	fprintf(f, " (%s)\n", r->s.flags & WIRE_SVC_READY ? "ready" :
	    "not ready");
	if (x->x.textlen > 0) {
		fputs("  status: ", f);
		put_text(f, x->text, x->x.textlen);
		putc('\n', f);
	}
	if (x->x.lastwhy != WIRE_W_NONE) {
		age_text(x->x.lastage, age, sizeof(age));
		fprintf(f, "  last exit: %s %d, %s ago\n",
		    x->x.lastwhy == WIRE_W_EXIT ? "exit status" :
		    "killed by signal", (int)x->x.lastdetail, age);
	}
	fprintf(f, "  stop: %s, then SIGKILL after %g s\n",
	    sig_name(x->x.stopsig, sig, sizeof(sig)),
	    (double)x->x.stop_ms / 1000);
	put_log_lines(f, x);
}

/* Print the keys status --json adds to a record's, and its closing brace. */
static void
recx_print_json(const struct recx *x)
{
	static const char *const modes[] = {
		"console", "none", "file", "service"
	};
	const char *p = x->log, *end = x->log + x->x.loglen, *nl, *sep = "";

	if (x->x.notifyfd > 0)
		printf(", \"notification_fd\": %u", (unsigned)x->x.notifyfd);
	else
		fputs(", \"notification_fd\": null", stdout);
	fputs(", \"status_text\": ", stdout);
	if (x->x.textlen > 0)
		put_json_str(x->text, x->x.textlen);
	else
		fputs("null", stdout);
	if (x->x.lastwhy != WIRE_W_NONE)
		printf(", \"last_exit\": {\"reason\": \"%s\", \"detail\": %d, "
		    "\"age\": %u}", why_word(x->x.lastwhy),
		    (int)x->x.lastdetail, (unsigned)x->x.lastage);
	else
		fputs(", \"last_exit\": null", stdout);
	printf(", \"stop_timeout\": %g, \"stop_signal\": %u",
	    (double)x->x.stop_ms / 1000, (unsigned)x->x.stopsig);
	printf(", \"log\": \"%s\", \"log_lines\": ", modes[x->x.logmode]);
	if (x->x.logmode < WIRE_LOG_FILE || (x->x.flags & WIRE_SVCX_HIDDEN)) {
		puts("null}");
		return;
	}
	putchar('[');
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		fputs(sep, stdout);
		put_json_str(p, (size_t)(nl - p));
		sep = ", ";
		p = nl + 1;
	}
	puts("]}");
}

/* The LSB exit code of status for a state. */
static int
lsb_code(unsigned state)
{
	switch (state) {
	case WIRE_S_RUNNING:
	case WIRE_S_DONE:
		return LSB_OK;
	case WIRE_S_FAILED:
	case WIRE_S_EXECFAIL:
		return LSB_DEAD;
	default:
		return LSB_STOPPED;
	}
}

/* status [SERVICE]: one service with LSB exit codes, or the list. */
static int
verb_status(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	struct recx x;
	struct rec r;
	int rc;

	ctl->lsb = 1;
	if (n == 0)
		return verb_list(ctl, v, args, n);
	if (!ctl_name_ok(ctl, args[0]))
		return EXIT_USAGE;
	if ((rc = ctl_status(ctl, args[0], &r, &x)) != 0)
		return rc;
	if (ctl->json) {
		rec_print_json(&r);
		if (x.have)
			recx_print_json(&x);
		else
			puts("}");
	} else {
		rec_print_status(stdout, ctl, &r);
		if (x.have)
			recx_print(stdout, &r, &x);
	}
	return lsb_code(r.s.state);
}

/*
 * Whether state ends the wait after a start, stop or restart: 1 success,
 * -1 failure, 0 not yet.  A restart has ended only once the process that
 * ran before (oldpid) is gone.
 */
static int
wait_end(uint16_t type, const struct rec *r, pid_t oldpid)
{
	switch (r->s.state) {
	case WIRE_S_STOPPED:
		return type == WIRE_T_STOP ? 1 : 0;
	case WIRE_S_RUNNING:
		if (type == WIRE_T_STOP)
			return 0;
		return type == WIRE_T_RESTART && oldpid > 0 &&
		    r->s.pid == oldpid ? 0 : 1;
	case WIRE_S_DONE:
		return type == WIRE_T_STOP ? 0 : 1;
	case WIRE_S_FAILED:
	case WIRE_S_EXECFAIL:
		return type == WIRE_T_STOP ? 0 : -1;
	default:
		return 0;
	}
}

/* Sleep ms milliseconds, but not past the deadline. */
static void
ctl_nap(const struct ctl *ctl, int64_t ms)
{
	struct timespec ts;
	int64_t left;

	left = ctl->deadline - ipc_now();
	if (ms > left)
		ms = left;
	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/* Say that the stop of name ended with SIGKILL, at its stop-timeout. */
static void
ctl_forced(const struct verb *v, const char *name, const struct recx *x)
{
	fprintf(stderr, "pinitctl: %s ", v->name);
	put_text(stderr, name, strlen(name));
	fputs(": forced: it was still running and was killed with SIGKILL "
	    "after its stop-timeout", stderr);
	if (x->have)
		fprintf(stderr, " of %g s", (double)x->x.stop_ms / 1000);
	putc('\n', stderr);
}

/*
 * Poll the status of name every CTL_POLL_MS until the request of type v
 * has had its effect or the deadline passes.  NB: PID 1 acts on a request
 * before it answers the next one from the same client, so the first status
 * already reflects the request.
 */
static int
ctl_wait(struct ctl *ctl, const struct verb *v, const char *name,
    pid_t oldpid)
{
	struct recx x;
	struct rec r;
	int rc, end;

	for (;;) {
		if ((rc = ctl_status(ctl, name, &r, &x)) != 0)
			return rc;
		if ((end = wait_end(v->type, &r, oldpid)) == 1) {
			if (v->type == WIRE_T_STOP &&
			    (r.s.flags & WIRE_SVC_FORCED))
				ctl_forced(v, name, &x);
			return EXIT_OK;
		}
		if (end == -1) {
			fputs("pinitctl: ", stderr);
			rec_print_status(stderr, ctl, &r);
			return EXIT_FAIL;
		}
		if (ipc_now() + 2 * CTL_POLL_MS >= ctl->deadline)
			break;
		ctl_nap(ctl, CTL_POLL_MS);
	}
	fprintf(stderr, "pinitctl: %s ", v->name);
	put_text(stderr, name, strlen(name));
	fprintf(stderr, ": timed out after %g s (state %s)", ctl->timeout,
	    wire_state_name(r.s.state));
	if (ctl->timeout_given && x.have && v->type != WIRE_T_START &&
	    x.x.stopwait_ms > ctl->timeout * 1000.0)
		fprintf(stderr, "; pinit may take %g s to stop it",
		    (double)x.x.stopwait_ms / 1000);
	putc('\n', stderr);
	return EXIT_FAIL;
}

/*
 * Make the wait of a stop or restart cover the time pinit may take to
 * stop the service (its stop-timeout, what needs it, the wait after
 * KILL), unless --timeout was given (doc/decisions.md, "Stopping").
 */
static void
ctl_stop_deadline(struct ctl *ctl, const struct verb *v,
    const struct recx *x)
{
	int64_t ms, t = (int64_t)(ctl->timeout * 1000.0);

	if (ctl->timeout_given || !x->have || x->x.stopwait_ms == 0)
		return;
	ms = (int64_t)x->x.stopwait_ms + CTL_STOP_MARGIN_MS;
	if (v->type == WIRE_T_RESTART)
		ms += t;
	else if (ms <= t)
		return;
	ctl->timeout = (double)ms / 1000;
	ctl->deadline = ipc_now() + ms;
}

/* start, stop, restart SERVICE: ask, then wait for the end state. */
static int
verb_service(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	struct wire_msg req, rep;
	struct recx x;
	struct rec r;
	pid_t oldpid;
	int rc;

	(void)n;
	if (!ctl_name_ok(ctl, args[0]))
		return EXIT_USAGE;
	oldpid = 0;
	if (v->type != WIRE_T_START && !ctl->nowait) {
		if ((rc = ctl_status(ctl, args[0], &r, &x)) != 0)
			return rc;
		if (v->type == WIRE_T_RESTART)
			oldpid = r.s.pid;
		ctl_stop_deadline(ctl, v, &x);
	}
	wire_init(&req, v->type, 0);
	(void)wire_put(&req, args[0], strlen(args[0]));
	if (ctl->nowait)
		req.h.flags |= WIRE_F_NOWAIT;
	if ((rc = ctl_call(ctl, &req, &rep)) != 0)
		return rc;
	if (rep.h.code != WIRE_OK)
		return ctl_refused(ctl, args[0], rep.h.code);
	if (ctl->nowait)
		return EXIT_OK;
	return ctl_wait(ctl, v, args[0], oldpid);
}

/*
 * A halt, poweroff or reboot (or a switch to runlevel 0 or 6) that pinit
 * accepts goes on to send TERM and HUP to every process, this one too,
 * maybe before it has read the answer or exited: a container's pinit
 * exits at once.  Hold those two, so that the exit status says what pinit
 * answered; the KILL after the grace still ends a client that hangs.
 */
static void
ctl_outlive_shutdown(uint16_t type)
{
	sigset_t set;

	if (type != WIRE_T_HALT && type != WIRE_T_POWEROFF &&
	    type != WIRE_T_REBOOT && type != WIRE_T_RUNLEVEL)
		return;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	(void)sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Send one request with an optional payload; 0 or an exit code. */
int
ctl_request(struct ctl *ctl, uint16_t type, const void *p, size_t n)
{
	struct wire_msg req, rep;
	int rc;

	ctl_outlive_shutdown(type);
	wire_init(&req, type, 0);
	if (wire_put(&req, p, n) == -1)
		return usage_error("%s: argument too long", ctl->verb);
	if ((rc = ctl_call(ctl, &req, &rep)) != 0)
		return rc;
	if (rep.h.code != WIRE_OK)
		return ctl_refused(ctl, NULL, rep.h.code);
	return EXIT_OK;
}

/* reload, halt, poweroff, reboot, rescue, update: one request, no output. */
static int
verb_simple(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	(void)args;
	(void)n;
	return ctl_request(ctl, v->type, NULL, 0);
}

/*
 * Ask VERSION on a new connection, within CTL_UPDATE_ASK_MS: a question
 * the old image read just before its exec gets no answer (fifo, sysv),
 * so it is asked again.  0 with rep filled, or -1 with errno set.
 */
static int
update_ask(struct ctl *ctl, struct wire_msg *rep)
{
	struct wire_msg req;
	int64_t d = ipc_now() + CTL_UPDATE_ASK_MS;

	if (d > ctl->deadline)
		d = ctl->deadline;
	ipc_client_close();
	ctl->connected = 0;
	if (ipc_client_open(ctl->rundir, d) == -1)
		return -1;
	ctl->connected = 1;
	wire_init(&req, WIRE_T_VERSION, 0);
	return ipc_client_call(&req, rep, d);
}

/* The wire_upd after the text of a VERSION reply: 1, or 0 (none). */
static int
update_of_version(const struct wire_msg *rep, struct wire_upd_view *v)
{
	const unsigned char *nul;
	size_t off;

	if (rep->h.code != WIRE_OK || rep->h.type != WIRE_T_VERSION ||
	    (nul = memchr(rep->payload, '\0', rep->h.len)) == NULL)
		return 0;
	off = (size_t)(nul - rep->payload) + 1;
	return wire_get_upd(rep, &off, v) == 1;
}

/* Report that the exec of the update failed (v: the old image's). */
static int
update_failed(const struct wire_upd_view *v)
{
	fputs("pinitctl: update failed: ", stderr);
	if (v->u.whylen > 0)
		put_text(stderr, v->why, v->u.whylen);
	else
		fputs(strerror(v->u.err), stderr);
	fputs("; pinit carries on in the old image\n", stderr);
	return EXIT_FAIL;
}

/*
 * Wait until the update that want describes took over (the generation
 * reached want's) or its exec failed (the old image tried it and is still
 * there), asking VERSION until the deadline.
 */
static int
update_wait(struct ctl *ctl, const struct wire_upd *want)
{
	struct wire_upd_view v;
	struct wire_msg rep;
	int e = ETIMEDOUT, old = 0;

	while (ipc_now() < ctl->deadline) {
		if (update_ask(ctl, &rep) == -1)
			e = errno;
		else if (!update_of_version(&rep, &v)) {
			if (rep.h.code == WIRE_OK)
				return EXIT_OK;	/* an older pinit took over */
		} else if (v.u.gen >= want->gen)
			return EXIT_OK;
		else if (v.u.attempt >= want->attempt)
			return update_failed(&v);
		else
			old = 1;
		ctl_nap(ctl, CTL_POLL_MS);
	}
	if (old)
		fprintf(stderr, "pinitctl: update: pinit took the update but "
		    "did not execute it within %g s\n", ctl->timeout);
	else
		fprintf(stderr, "pinitctl: update: no answer from pinit "
		    "within %g s after the update: %s\n", ctl->timeout,
		    strerror(e));
	return EXIT_UNREACH;
}

/*
 * update [PATH]: pinit answers before it executes the new binary, with
 * the generation the update makes; the new image's answer to VERSION
 * tells it, or the old one's that the exec failed.  A pinit that tells
 * no generation is asked once, on a new connection, as before.
 */
static int
verb_update(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	struct wire_upd_view u;
	struct wire_msg req, rep;
	size_t off = 0;
	int rc;

	wire_init(&req, v->type, 0);
	if (n == 1 && (args[0][0] != '/' ||
	    wire_put(&req, args[0], strlen(args[0])) == -1))
		return usage_error("update: want an absolute PATH of at most "
		    "%d bytes", WIRE_PAYLOAD_MAX);
	if ((rc = ctl_call(ctl, &req, &rep)) != 0)
		return rc;
	if (rep.h.code == WIRE_E_STATE && rep.h.len > 0) {
		fputs("pinitctl: update refused: ", stderr);
		put_text(stderr, (const char *)rep.payload, rep.h.len);
		putc('\n', stderr);
		return EXIT_FAIL;
	}
	if (rep.h.code != WIRE_OK)
		return ctl_refused(ctl, NULL, rep.h.code);
	ipc_client_close();
	ctl->connected = 0;
	if (wire_get_upd(&rep, &off, &u) == 1) {
		ctl->deadline = ipc_now() + (int64_t)(ctl->timeout * 1000.0);
		return update_wait(ctl, &u.u);
	}
	wire_init(&req, WIRE_T_VERSION, 0);
	if ((rc = ctl_call(ctl, &req, &rep)) != 0)
		return rc;
	return rep.h.code == WIRE_OK ? EXIT_OK : ctl_refused(ctl, NULL,
	    rep.h.code);
}

/* Is the key of "KEY=VALUE" (or "KEY") INIT_ and letters, digits, '_'? */
static int
env_key_ok(const char *kv)
{
	size_t k = strcspn(kv, "="), i;

	if (k <= 5 || strncmp(kv, "INIT_", 5) != 0)
		return 0;
	for (i = 5; i < k; i++)
		if (!(kv[i] == '_' || (kv[i] >= '0' && kv[i] <= '9') ||
		    (kv[i] >= 'A' && kv[i] <= 'Z') ||
		    (kv[i] >= 'a' && kv[i] <= 'z')))
			return 0;
	return 1;
}

/* setenv INIT_KEY=VALUE, unsetenv INIT_KEY. */
static int
verb_env(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	const char *eq;

	(void)n;
	eq = strchr(args[0], '=');
	if (v->type == WIRE_T_SETENV && (eq == NULL || eq == args[0]))
		return usage_error("setenv: expected KEY=VALUE, not '%s'",
		    args[0]);
	if (v->type == WIRE_T_UNSETENV && (eq != NULL || args[0][0] == '\0'))
		return usage_error("unsetenv: expected KEY, not '%s'", args[0]);
	if (!env_key_ok(args[0]))
		return usage_error("%s: only INIT_ variables (INIT_ then "
		    "letters, digits and _) can be set", v->name);
	return ctl_request(ctl, v->type, args[0], strlen(args[0]));
}

/* runlevel: print "PREVIOUS CURRENT (profile NAME)" from PID 1's answer. */
static int
runlevel_show(struct ctl *ctl, const struct verb *v)
{
	struct wire_msg req, rep;
	const char *p;
	int rc;

	wire_init(&req, v->type, 0);
	if ((rc = ctl_call(ctl, &req, &rep)) != 0)
		return rc;
	if (rep.h.code != WIRE_OK)
		return ctl_refused(ctl, NULL, rep.h.code);
	p = (const char *)rep.payload;
	if (rep.h.len < 5 || p[1] != ' ' || p[3] != ' ') {
		fprintf(stderr, "pinitctl: runlevel: unable to read pinit's "
		    "reply\n");
		return EXIT_FAIL;
	}
	put_text(stdout, p, 3);
	fputs(" (profile ", stdout);
	put_text(stdout, p + 4, rep.h.len - 4);
	puts(")");
	return EXIT_OK;
}

/* runlevel [N]: show the runlevel, or switch to a runlevel or profile. */
static int
verb_runlevel(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	if (n == 0)
		return runlevel_show(ctl, v);
	if (!wire_name_ok(args[0], strlen(args[0])))
		return usage_error("runlevel: '%s' is not a runlevel or "
		    "profile", args[0]);
	return ctl_request(ctl, v->type, args[0], strlen(args[0]));
}

/* initctl open|close: reopen or close /run/initctl. */
static int
verb_initctl(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	unsigned char b;

	(void)n;
	if (strcmp(args[0], "open") == 0)
		b = 1;
	else if (strcmp(args[0], "close") == 0)
		b = 0;
	else
		return usage_error("initctl: expected open or close, not '%s'",
		    args[0]);
	return ctl_request(ctl, v->type, &b, 1);
}

/* Print the answer to VERSION, "pinit 0.1.0 socket", as "... (socket)". */
static void
put_server_version(const struct wire_msg *rep)
{
	char text[128], *sp1, *sp2;
	size_t n;

	n = rep->h.len < sizeof(text) - 1 ? rep->h.len : sizeof(text) - 1;
	memcpy(text, rep->payload, n);
	text[n] = '\0';
	n = strlen(text);
	sp1 = strchr(text, ' ');
	sp2 = sp1 != NULL ? strchr(sp1 + 1, ' ') : NULL;
	if (sp2 == NULL || strchr(sp2 + 1, ' ') != NULL || sp2[1] == '\0') {
		put_text(stdout, text, n);
		putchar('\n');
		return;
	}
	put_text(stdout, text, (size_t)(sp2 - text));
	fputs(" (", stdout);
	put_text(stdout, sp2 + 1, strlen(sp2 + 1));
	puts(")");
}

/* notify ready|stopping|KEY=VALUE...: "SERVICE\nKEY=VALUE\n..." */
static int
verb_notify(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	const char *svc = getenv("PINIT_SERVICE"), *a;
	struct wire_msg req;
	int i;

	if (svc == NULL || !wire_name_ok(svc, strlen(svc)))
		return usage_error("notify: PINIT_SERVICE does not name a "
		    "service (run it from a service of pinit)");
	wire_init(&req, v->type, 0);
	(void)wire_put(&req, svc, strlen(svc));
	for (i = 0; i < n; i++) {
		a = strcmp(args[i], "ready") == 0 ? "READY=1" :
		    strcmp(args[i], "stopping") == 0 ? "STOPPING=1" : args[i];
		if (strchr(a, '=') == NULL || strchr(a, '\n') != NULL)
			return usage_error("notify: expected ready, stopping "
			    "or KEY=VALUE, not '%s'", args[i]);
		if (wire_put(&req, "\n", 1) == -1 ||
		    wire_put(&req, a, strlen(a)) == -1)
			return usage_error("notify: arguments too long");
	}
	return ctl_request(ctl, v->type, req.payload, req.h.len);
}

/* The hot updates of a VERSION reply as JSON keys (null: not told). */
static void
version_json_upd(const struct wire_msg *rep)
{
	struct wire_upd_view v;

	if (!update_of_version(rep, &v)) {
		fputs(", \"generation\": null, \"update_attempts\": null, "
		    "\"update_failed\": null", stdout);
		return;
	}
	printf(", \"generation\": %lu, \"update_attempts\": %lu, "
	    "\"update_failed\": ", (unsigned long)v.u.gen,
	    (unsigned long)v.u.attempt);
	if (v.u.failed == 0) {
		fputs("null", stdout);
		return;
	}
	printf("{\"attempt\": %lu, \"errno\": %ld, \"reason\": ",
	    (unsigned long)v.u.failed, (long)v.u.err);
	put_json_str(v.why, v.u.whylen);
	putchar('}');
}

/*
 * version --json: {"pinitctl": V, "backend": B, "pinit": TEXT, then the
 * generation and the last update that failed}; TEXT is pinit's answer,
 * "pinit 0.1.0 socket".
 */
static void
version_json(const struct wire_msg *rep)
{
	const char *nul = memchr(rep->payload, '\0', rep->h.len);
	size_t n = nul != NULL ? (size_t)(nul - (const char *)rep->payload) :
	    rep->h.len;

	fputs("{\"pinitctl\": ", stdout);
	put_json_str(PACKAGE_VERSION, strlen(PACKAGE_VERSION));
	fputs(", \"backend\": ", stdout);
	put_json_str(ipc_name(), strlen(ipc_name()));
	fputs(", \"pinit\": ", stdout);
	put_json_str((const char *)rep->payload, n);
	version_json_upd(rep);
	puts("}");
}

/* version: this client's version, then the running pinit's. */
static int
verb_version(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	struct wire_msg req, rep;
	int rc;

	(void)args;
	(void)n;
	if (!ctl->json) {
		printf("pinitctl %s (%s)\n", PACKAGE_VERSION, ipc_name());
		fflush(stdout);
	}
	wire_init(&req, v->type, 0);
	if ((rc = ctl_call(ctl, &req, &rep)) != 0)
		return rc;
	if (rep.h.code != WIRE_OK)
		return ctl_refused(ctl, NULL, rep.h.code);
	if (ctl->json)
		version_json(&rep);
	else
		put_server_version(&rep);
	return EXIT_OK;
}

/* Parse --timeout: seconds, decimals allowed, 0 < t <= CTL_TIMEOUT_MAX_S. */
static int
parse_timeout(const char *s, double *out)
{
	char *end;
	double t;

	errno = 0;
	t = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(t) ||
	    t <= 0 || t > CTL_TIMEOUT_MAX_S)
		return -1;
	*out = t;
	return 0;
}

/* Print the text of the last n lines of s (len bytes of whole lines). */
static void
put_tail(const char *s, size_t len, long n)
{
	const char *nl;
	size_t i = len;
	long k = 0;

	if (n == 0)
		return;
	while (i > 0) {
		if (s[i - 1] == '\n' && i != len && ++k == n)
			break;
		i--;
	}
	while (i < len) {
		nl = memchr(s + i, '\n', len - i);
		k = nl != NULL ? nl - (s + i) : (long)(len - i);
		put_text(stdout, s + i, (size_t)k);
		putchar('\n');
		i += (size_t)k + 1;
	}
}

/*
 * Ask pinit for the lines it keeps of name: *total bytes so far, the
 * newest lines in rep; 0 or an exit code.
 */
static int
log_fetch(struct ctl *ctl, const char *name, uint64_t *total,
    struct wire_msg *rep)
{
	struct wire_msg req;
	int rc;

	wire_init(&req, WIRE_T_LOG, 0);
	(void)wire_put(&req, name, strlen(name));
	if ((rc = ctl_call(ctl, &req, rep)) != 0)
		return rc;
	if (rep->h.code == WIRE_E_STATE) {
		fputs("pinitctl: log ", stderr);
		put_text(stderr, name, strlen(name));
		fputs(": pinit keeps no lines of it (its log is the console or "
		    "none)\n", stderr);
		return EXIT_FAIL;
	}
	if (rep->h.code != WIRE_OK)
		return ctl_refused(ctl, name, rep->h.code);
	if (rep->h.len < sizeof(*total))
		return ctl_unreachable(ctl, EBADMSG);
	memcpy(total, rep->payload, sizeof(*total));
	return 0;
}

/* log -f: ask again every CTL_FOLLOW_MS, print what is new; never ends. */
static int
log_follow(struct ctl *ctl, const char *name, uint64_t last)
{
	struct timespec ts = { CTL_FOLLOW_MS / 1000,
	    (CTL_FOLLOW_MS % 1000) * 1000000L };
	struct wire_msg rep;
	uint64_t total;
	size_t len;
	int rc;

	for (;;) {
		if (fflush(stdout) == EOF)
			return EXIT_FAIL;
		ipc_client_close();
		ctl->connected = 0;
		nanosleep(&ts, NULL);
		ctl->deadline = ipc_now() + (int64_t)(ctl->timeout * 1000.0);
		if ((rc = log_fetch(ctl, name, &total, &rep)) != 0)
			return rc;
		len = rep.h.len - sizeof(total);
		if (total > last && total - last < len)
			len = (size_t)(total - last);
		if (total != last)
			put_tail((const char *)rep.payload + sizeof(total) +
			    (rep.h.len - sizeof(total) - len), len, LONG_MAX);
		last = total;
	}
}

/* log SERVICE [-n N] [-f]: the newest lines pinit keeps of a service. */
static int
verb_log(struct ctl *ctl, const struct verb *v, char **args, int n)
{
	struct wire_msg rep;
	uint64_t total;
	int rc;

	(void)v;
	(void)n;
	if (!ctl_name_ok(ctl, args[0]))
		return EXIT_USAGE;
	if ((rc = log_fetch(ctl, args[0], &total, &rep)) != 0)
		return rc;
	put_tail((const char *)rep.payload + sizeof(total), rep.h.len -
	    sizeof(total), ctl->lines);
	if (ctl->follow)
		return log_follow(ctl, args[0], total);
	return EXIT_OK;
}

/* Parse -n's number of lines. */
static int
parse_lines(const char *s, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 0 || n > 1000000)
		return -1;
	*out = n;
	return 0;
}

/*
 * Parse the options into ctl.  Returns -1 to go on, or the exit code
 * (version exits 0 here; --help is left to main, which knows the verb).
 */
static int
parse_options(struct ctl *ctl, int argc, char **argv)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVn:f", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (optarg[0] == '\0')
				return usage_error("--rundir needs a "
				    "directory");
			ctl->rundir = optarg;
			break;
		case 't':
			if (parse_timeout(optarg, &ctl->timeout) == -1)
				return usage_error("unable to use "
				    "--timeout=%s: expected seconds, more "
				    "than 0", optarg);
			ctl->timeout_given = 1;
			break;
		case 'j':
			ctl->json = 1;
			break;
		case 'W':
			ctl->nowait = 1;
			break;
		case 'n':
			if (parse_lines(optarg, &ctl->lines) == -1)
				return usage_error("unable to use -n %s: "
				    "expected a number of lines", optarg);
			break;
		case 'f':
			ctl->follow = 1;
			break;
		case 'h':
			/* After the verb is known: 'pinitctl status --help'. */
			ctl->help = 1;
			break;
		case 'V':
			printf("pinitctl %s (%s)\n", PACKAGE_VERSION,
			    ipc_name());
			return EXIT_OK;
		case ':':
			return usage_error("option '%s' needs a value",
			    argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	return -1;
}

/* Find the verb named name, or NULL. */
static const struct verb *
verb_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	}
	return NULL;
}

/* Whether colour may be used on standard output. */
static int
color_wanted(void)
{
	const char *s;

	if (!isatty(STDOUT_FILENO))
		return 0;
	if ((s = getenv("NO_COLOR")) != NULL && s[0] != '\0')
		return 0;
	return (s = getenv("TERM")) == NULL || strcmp(s, "dumb") != 0;
}

/*
 * The width of the terminal on standard output: TIOCGWINSZ, else
 * $COLUMNS, else CTL_COLUMNS; 0 when standard output is no terminal
 * (a pipe or a file gets whole lines).
 */
static int
columns_wanted(void)
{
	struct winsize ws;
	const char *s;
	char *end;
	long n;

	if (!isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if ((s = getenv("COLUMNS")) != NULL) {
		errno = 0;
		n = strtol(s, &end, 10);
		if (errno == 0 && end != s && *end == '\0' && n > 0 &&
		    n <= 10000)
			return (int)n;
	}
	return CTL_COLUMNS;
}

void
ctl_setup(struct ctl *ctl, const char *verb)
{
	if (ctl->rundir == NULL)
		ctl->rundir = PINIT_RUNDIR;
	if (ctl->timeout <= 0)
		ctl->timeout = CTL_TIMEOUT_S;
	ctl->verb = verb;
	ctl->deadline = ipc_now() + (int64_t)(ctl->timeout * 1000.0);
}

/* Flush standard output; a failed write fails the run. */
static int
ctl_flush(int rc)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "pinitctl: unable to write output: %s\n",
		    strerror(errno));
		return rc == 0 ? EXIT_FAIL : rc;
	}
	return rc;
}

int
ctl_finish(int rc)
{
	ipc_client_close();
	return ctl_flush(rc);
}

int
main(int argc, char **argv)
{
	struct ctl ctl;
	const struct verb *v;
	const char *fe;
	int rc, nargs;

	if (argc > 0 && (fe = frontend_find(argv[0])) != NULL)
		return frontend_main(fe, argc, argv);
	memset(&ctl, 0, sizeof(ctl));
	ctl.rundir = PINIT_RUNDIR;
	ctl.timeout = CTL_TIMEOUT_S;
	ctl.lines = CTL_LOG_LINES;
	if ((rc = parse_options(&ctl, argc, argv)) != -1)
		return ctl_flush(rc);
	if (optind >= argc) {
		if (ctl.help) {
			usage(stdout);
			return ctl_flush(EXIT_OK);
		}
		return usage_error("missing command (status, list, start, "
		    "stop, ...)");
	}
	if ((v = verb_find(argv[optind])) == NULL)
		return usage_error("unknown command '%s'", argv[optind]);
	usage_verb = v->name;
	if (ctl.help) {
		verb_usage(v);
		return ctl_flush(EXIT_OK);
	}
	nargs = argc - optind - 1;
	if (nargs > v->maxargs)
		return usage_error("%s: too many arguments (it takes %s)",
		    v->name, v->args[0] != '\0' ? v->args : "none");
	if (nargs < v->minargs)
		return usage_error("%s: missing argument %s", v->name,
		    v->args);
	ctl.color = color_wanted();
	ctl.columns = columns_wanted();
	ctl_setup(&ctl, v->name);
	rc = v->run(&ctl, v, argv + optind + 1, nargs);
	return ctl_finish(rc);
}
