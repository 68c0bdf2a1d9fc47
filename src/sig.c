/*
 * sig.c - signals: blocked, read from a signalfd, turned into events.
 *
 * No handler runs logic: every mapped signal stays blocked and is read in
 * the loop.  The only handlers are for PID 1's own fatal faults.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "debugcrash.h"
#include "initctl.h"
#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "sigmap.h"
#include "svc.h"

/* The signal number of a map entry. */
static int
sigmap_sig(const struct sigmap *m)
{
	return m->rt ? SIGRTMIN + m->sig : m->sig;
}

int
sig_setup(void)
{
	sigset_t set;
	int i;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	for (i = 0; sigmap[i].ev != EV_NONE; i++)
		sigaddset(&set, sigmap_sig(&sigmap[i]));
	if (ipc_server_signal() > 0)
		sigaddset(&set, ipc_server_signal());
	if (DEBUG_CRASH_SIG > 0)
		sigaddset(&set, DEBUG_CRASH_SIG);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	pinit.sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return pinit.sigfd < 0 ? -1 : 0;
}

int
sig_hook(const char *name)
{
	struct svctab *t = pinit.tab;
	struct svc *s;
	int i;

	if (t == NULL || (i = svc_find(t, name, strlen(name))) < 0)
		return -1;
	s = &t->v[i];
	if (s->pid > 0) {
		log_info("%s: still running; not started again", name);
		return 0;
	}
	if (s->state == WIRE_S_DONE || s->state == WIRE_S_FAILED ||
	    s->state == WIRE_S_EXECFAIL)
		s->state = WIRE_S_STOPPED;
	s->want = WANT_NONE;
	deps_want_up(t, i);
	return 0;
}

void
sig_event(int ev, const char *by)
{
	char why[256];

	switch (ev) {
	case EV_HALT:
		shutdown_request(CMD_HALT, by);
		break;
	case EV_POWEROFF:
		shutdown_request(CMD_POWEROFF, by);
		break;
	case EV_REBOOT:
		shutdown_request(CMD_REBOOT, by);
		break;
	case EV_CTRLALTDEL:
		if (sig_hook("ctrlaltdel") < 0)
			shutdown_request(CMD_REBOOT, by);
		break;
	case EV_RELOAD:
		pinit.reload = 1;
		break;
	case EV_POWERFAIL:
		if (sig_hook("powerfail") < 0)
			log_warn("power failure reported (%s), and no powerfail "
			    "service is defined", by);
		break;
	case EV_KBREQUEST:
		if (sig_hook("kbrequest") < 0)
			log_info("keyboard request (%s): no kbrequest service",
			    by);
		break;
	case EV_PAUSE:
		pinit.paused = 1;
		log_info("respawning paused (%s)", by);
		break;
	case EV_RESUME:
		if (pinit.paused)
			log_info("respawning resumed (%s)", by);
		pinit.paused = 0;
		break;
	case EV_INITCTL_OPEN:
		/* Like dinit's: try a control endpoint that could not open. */
		if (!ipc_server_is_open()) {
			log_info("%s: opening the control endpoint now", by);
			pinit.ipc_retry = 0;
		}
		/* FALLTHROUGH */
	case EV_INITCTL_CLOSE:
		if (initctl_request(ev == EV_INITCTL_OPEN, by) < 0)
			log_info("%s: this pinit is built without %s "
			    "(--disable-initctl)", by, PINIT_INITCTL_PATH);
		break;
	case EV_RESCUE:
		(void)rescue_request(by);
		break;
	case EV_UPDATE:
		(void)update_request(NULL, 0, by, why, sizeof(why));
		break;
	default:
		break;
	}
}

int
sig_read(int64_t now)
{
	struct signalfd_siginfo si[16];
	char by[64];
	ssize_t n;
	int i, k, acted = 0;

	(void)now;
	for (;;) {
		n = read(pinit.sigfd, si, sizeof(si));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return acted;
		for (k = 0; k < n / (ssize_t)sizeof(si[0]); k++) {
			if (DEBUG_CRASH_SIG > 0 &&
			    (int)si[k].ssi_signo == DEBUG_CRASH_SIG)
				debug_crash();
			for (i = 0; sigmap[i].ev != EV_NONE; i++)
				if (sigmap_sig(&sigmap[i]) == (int)si[k].ssi_signo)
					break;
			if (sigmap[i].ev == EV_CHILD)
				pinit.sigchld = acted = 1;
			if (sigmap[i].ev == EV_NONE || sigmap[i].ev == EV_CHILD)
				continue;
			acted = 1;
			snprintf(by, sizeof(by), "signal %u from pid %u",
			    si[k].ssi_signo, si[k].ssi_pid);
			sig_event(sigmap[i].ev, by);
		}
	}
}

#define SIG_STR_(x)	#x
#define SIG_STR(x)	SIG_STR_(x)

/* The program PID 1 becomes when it faults, and its environment. */
static char	crash_prog[PATH_MAX];	/* set with the handlers */
static char	crash_env[32] = "PINIT_CRASH=";
static char	crash_stack[65536];	/* a stack overflow needs another */

static const struct {
	int		 sig;
	const char	*name;
} fatal[] = {
	{ SIGSEGV, "SIGSEGV" },
	{ SIGBUS, "SIGBUS" },
	{ SIGILL, "SIGILL" },
	{ SIGFPE, "SIGFPE" },
	{ SIGABRT, "SIGABRT" }
};
#define NFATAL	(sizeof(fatal) / sizeof(fatal[0]))

/* Append s to the line buf of size n (async-signal-safe). */
static void
crash_cat(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	while (*s != '\0' && len + 1 < n)
		buf[len++] = *s++;
	buf[len] = '\0';
}

/* Write "pinit: fatal: PID 1 crashed (SIG...); a, b" to the console. */
static void
crash_say(const char *sig, const char *a, const char *b)
{
	char line[PATH_MAX + 128] = "pinit: fatal: PID 1 crashed (";

	crash_cat(line, sizeof(line), sig);
	crash_cat(line, sizeof(line), "); ");
	crash_cat(line, sizeof(line), a);
	crash_cat(line, sizeof(line), b);
	crash_cat(line, sizeof(line), "\n");
	if (write(STDERR_FILENO, line, strlen(line)) < 0)
		return;
}

/*
 * PID 1 itself faulted: say so and become the crash program (the rescue
 * shell by default), or, failing that, wait and reboot: the kernel must
 * never see PID 1 die.  Only async-signal-safe calls.  Outside PID 1 the
 * fault takes its default course (SA_RESETHAND).
 */
static void
sig_crash(int sig)
{
	char *argv[] = { crash_prog, NULL }, *envp[] = {
	    "PATH=" PINIT_DEFAULT_PATH, crash_env, NULL };
	const char *name = "a fatal signal";
	sigset_t none;
	size_t i;

	if (getpid() != 1)
		return;
	for (i = 0; i < NFATAL; i++)
		if (fatal[i].sig == sig)
			name = fatal[i].name;
	crash_cat(crash_env, sizeof(crash_env), name);
	log_flush_crash();
	crash_say(name, "starting ", crash_prog);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(crash_prog, argv, envp);
	crash_say(name, "unable to start the crash program; rebooting in ",
	    SIG_STR(PINIT_CRASH_SLEEP_S) " s");
	for (;;) {
		sync();
		sleep(PINIT_CRASH_SLEEP_S);
		reboot(RB_AUTOBOOT);
	}
}

void
sig_crash_handlers(const char *prog)
{
	struct sigaction sa;
	stack_t ss;
	size_t i;

	if (prog == NULL || strlen(prog) >= sizeof(crash_prog))
		prog = PINIT_CRASH_PROGRAM;
	memcpy(crash_prog, prog, strlen(prog) + 1);
	ss.ss_sp = crash_stack;
	ss.ss_size = sizeof(crash_stack);
	ss.ss_flags = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	if (sigaltstack(&ss, NULL) == 0)
		sa.sa_flags |= SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NFATAL; i++)
		sigaction(fatal[i].sig, &sa, NULL);
}
