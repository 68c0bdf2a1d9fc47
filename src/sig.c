/*
 * sig.c - signals: blocked, read from a signalfd, turned into events.
 *
 * No handler runs logic: every mapped signal stays blocked and is read in
 * the loop.  The only handlers are for PID 1's own fatal faults.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <unistd.h>

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
	case EV_UPDATE:
		log_warn("%s: %s is not implemented yet", by,
		    ev == EV_RESCUE ? "rescue" : "update");
		break;
	default:
		break;
	}
}

void
sig_read(int64_t now)
{
	struct signalfd_siginfo si[16];
	char by[64];
	ssize_t n;
	int i, k;

	(void)now;
	for (;;) {
		n = read(pinit.sigfd, si, sizeof(si));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		for (k = 0; k < n / (ssize_t)sizeof(si[0]); k++) {
			for (i = 0; sigmap[i].ev != EV_NONE; i++)
				if (sigmap_sig(&sigmap[i]) == (int)si[k].ssi_signo)
					break;
			if (sigmap[i].ev == EV_NONE || sigmap[i].ev == EV_CHILD)
				continue;
			snprintf(by, sizeof(by), "signal %u from pid %u",
			    si[k].ssi_signo, si[k].ssi_pid);
			sig_event(sigmap[i].ev, by);
		}
	}
}

/*
 * PID 1 itself faulted: say so and become a rescue shell, or, failing
 * that, wait and reboot.  Outside PID 1 the fault takes its default course.
 */
static void
sig_crash(int sig)
{
	static const char msg[] = "pinit: fatal: PID 1 crashed; starting "
	    PINIT_RESCUE_SHELL "\n";
	char *argv[] = { "sh", NULL }, *envp[] = { "PATH=" PINIT_DEFAULT_PATH,
	    NULL };
	sigset_t none;

	if (getpid() != 1)
		return;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		sig = 0;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(PINIT_RESCUE_SHELL, argv, envp);
	for (;;) {
		sync();
		sleep(30);
		reboot(RB_AUTOBOOT);
	}
	(void)sig;
}

void
sig_crash_handlers(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
}
