/*
 * loop.c - PID 1's one wait point.
 *
 * Each turn: poll the signalfd, the control endpoint, the initctl FIFO,
 * the exec pipes of starting services, the readiness fds (ready.c) and
 * the log pipes, with the timeout set to the nearest deadline; record
 * what arrived; then act in a fixed order: reap, reload, timers, start
 * and stop, rescue, shutdown.  A turn in which only questions arrived
 * skips everything that scans the service table.  The lines a turn logs
 * are written together before the next poll (log_hold()).  The loop never
 * returns.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/wait.h>

#include "initctl.h"
#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "ready.h"
#include "svc.h"
#include "svclog.h"

#define POLL_MAX	(1 + IPC_CLIENTS_MAX + 1 + 1 + SVC_MAX + 1 + 2 * SVC_MAX)
#define REAP_MAX	4096		/* children reaped per turn */

/*
 * pfd holds the services' fds first (exec pipes, then ready.c's, then log
 * pipes: [0, svcfds)), then the signalfd, the IPC's and the FIFO.  The
 * services' part and their nearest deadline are gathered by a scan of the
 * table, which is done again only after a turn that acted on the
 * services: a turn in which only questions arrived (pinitctl status)
 * costs nothing per service.  The first turn (mark matches no count of
 * changes) is a full one.
 */
static struct pollfd	pfd[POLL_MAX];
static int		owner[POLL_MAX];	/* service of an exec pipe */
static int		readyat;		/* first fd of ready.c */
static int		logat;			/* first log pipe (svclog.c) */
static int		svcfds;			/* fds of the services */
static int		busy;			/* more work: poll without waiting */
static int		full = 1;	/* this turn acts on the services */
static int		rescan = 1;	/* the services' part is stale */
static int64_t		svcdue = -1;	/* their nearest deadline */
static unsigned long	mark = ~0UL;	/* *pinit_changes at the last scans */

/* The earlier of two deadlines, where -1 means none. */
static int64_t
earlier(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* Milliseconds poll() may wait. */
static int
loop_timeout(int64_t now)
{
	int64_t d;

	if (busy)
		return 0;
	d = earlier(svcdue, ipc_server_deadline());
	d = earlier(d, shutdown_deadline());
	d = earlier(d, rescue_deadline());
	d = earlier(d, initctl_deadline());
	if (!ipc_server_is_open())
		d = earlier(d, pinit.ipc_retry);
	if (d < 0)
		return -1;
	if (d <= now)
		return 0;
	return d - now > INT_MAX ? INT_MAX : (int)(d - now);
}

/*
 * Gather the services' part of pfd: the exec pipes, the notification
 * socket and fds (ready.c), the log pipes; and their nearest deadline.
 */
static void
loop_svcfds(void)
{
	struct svctab *t = pinit.tab;
	int n = 0, p = 0, i;

#ifdef PINIT_AUDIT
	if (t != NULL)
		svc_audit(t);
#endif
	while (t != NULL && n < POLL_MAX && (i = svc_live_next(t, &p)) >= 0) {
		if (t->v[i].execfd < 0)
			continue;
		pfd[n].fd = t->v[i].execfd;
		pfd[n].events = POLLIN;
		owner[n++] = i;
	}
	readyat = n;
	n += ready_fds(t, pfd + n, POLL_MAX - n);
	logat = n;
	if (t != NULL)
		n += svclog_pollfds(t, pfd + n, owner + n, POLL_MAX - n);
	svcfds = n;
	svcdue = t == NULL ? -1 : earlier(svc_deadline(t),
	    svclog_deadline(t));
}

/* Fill pfd after the services' part: the signalfd, the IPC's, the FIFO. */
static int
loop_fds(int *nipc, int *nfifo)
{
	int n = svcfds;

	pfd[n].fd = pinit.sigfd;
	pfd[n++].events = POLLIN;
	*nipc = ipc_server_is_open() ? ipc_server_fds(pfd + n, 1 +
	    IPC_CLIENTS_MAX) : 0;
	n += *nipc;
	*nfifo = initctl_fds(pfd + n, 1);
	n += *nfifo;
	return n;
}

/* Is the request a question, which changes nothing (as control.c's)? */
static int
loop_question(const struct wire_msg *req)
{
	switch (req->h.type) {
	case WIRE_T_VERSION:
	case WIRE_T_STATUS:
	case WIRE_T_LIST:
	case WIRE_T_LOG:
		return 1;
	case WIRE_T_RUNLEVEL:
		return req->h.len == 0;
	default:
		return 0;
	}
}

/* control_dispatch(); anything but a question makes the turn full. */
static void
loop_dispatch(const struct ipc_peer *p, const struct wire_msg *req,
    struct wire_msg *rep)
{
	if (!loop_question(req))
		full = 1;
	control_dispatch(p, req, rep);
}

/* With pinit.debug: say which child ended, and how. */
static void
loop_reaped(pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		log_debug("reaped pid %d (killed by signal %d)", (int)pid,
		    WTERMSIG(status));
	else
		log_debug("reaped pid %d (exit status %d)", (int)pid,
		    WEXITSTATUS(status));
}

/* Collect every child that ended, services or not. */
static void
loop_reap(int64_t now)
{
	int status, k;
	pid_t pid;

	busy = 0;
	pinit.sigchld = 0;
	for (k = 0; k < REAP_MAX; k++) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == 0)
			return;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				shutdown_no_children();
			return;
		}
		loop_reaped(pid, status);
		full = 1;
		if (shutdown_reaped(pid, status))
			continue;
		if (rescue_reaped(pid, status))
			continue;
		if (pinit.tab != NULL)
			svc_reaped(pinit.tab, pid, status, now);
	}
	busy = 1;
}

/* Say once when the root service has started, or that it failed. */
static void
loop_root(void)
{
	struct svctab *t = pinit.tab;
	const struct svc *r;

	if (pinit.root_told || t == NULL || t->root < 0)
		return;
	r = &t->v[t->root];
	if (r->state == WIRE_S_DONE || r->state == WIRE_S_RUNNING) {
		log_info("all services started");
		pinit.root_told = 1;
	} else if (r->state == WIRE_S_FAILED || r->state == WIRE_S_EXECFAIL) {
		log_warn("root service %s failed (%s)", r->name, r->info);
		pinit.root_told = 1;
	}
}

void
loop_ipc(int64_t now)
{
	if (ipc_server_is_open() || now < pinit.ipc_retry)
		return;
	if (ipc_server_open(pinit.rundir) == 0) {
		pinit.ipc_retry = 0;
		return;
	}
	log_warn_rl("unable to open the control endpoint in %s: %s; "
	    "retrying in %d s", pinit.rundir, strerror(errno),
	    PINIT_IPC_RETRY_MS / 1000);
	pinit.ipc_retry = now + PINIT_IPC_RETRY_MS;
}

/*
 * Act on what the turn recorded, in a fixed order.  Reaping runs after a
 * SIGCHLD (waitpid() looks at every child), in a shutdown and in a rescue.
 * The scans of the service table (timers, log reports, start and stop)
 * run in a full turn only: one with an event other than a question, a
 * deadline due, a change since the last scans (including one made by
 * them), a reload, a shutdown or a rescue.  Any other turn would find
 * nothing to do in them.
 */
static void
loop_act(int64_t now)
{
	if (pinit.reload || *pinit_changes != mark || (svcdue >= 0 &&
	    svcdue <= now) || pinit.shutdown != CMD_NONE ||
	    rescue_deadline() >= 0 || rescue_active())
		full = 1;
	if (pinit.sigchld || busy || pinit.shutdown != CMD_NONE ||
	    rescue_active())
		loop_reap(now);
	if (pinit.reload) {
		pinit.reload = 0;
		pinit_reload(now);
	}
	if (pinit.tab != NULL && full) {
		mark = *pinit_changes;
		svc_timers(pinit.tab, now);
		svclog_step(pinit.tab, now);
		deps_schedule(pinit.tab, now);
	}
	if (pinit.tab != NULL)
		loop_root();
	rescue_step(now);
	shutdown_step(now);
	loop_ipc(now);
	update_step();
}

/*
 * Did the poll bring anything but the IPC's fds and the signalfd (whose
 * signals sig_read() tells apart: a doorbell of the IPC changes nothing)?
 */
static int
loop_other(int n, int nipc, int nfifo)
{
	int k;

	for (k = 0; k < svcfds; k++)
		if (pfd[k].revents != 0)
			return 1;
	if (pfd[svcfds].revents & ~POLLIN)
		return 1;
	for (k = svcfds + 1 + nipc; k < n && k < svcfds + 1 + nipc + nfifo;
	    k++)
		if (pfd[k].revents != 0)
			return 1;
	return 0;
}

void
loop_run(void)
{
	int n, r, nipc, nfifo, k, timeout, sig;
	int64_t now;

	pinit.sigchld = 1;	/* children of an image before this one */
	busy = 1;		/* the first turn acts at once, event or not */
	log_hold();		/* a turn's lines go out in one write */
	for (;;) {
		if (rescan)
			loop_svcfds();
		n = loop_fds(&nipc, &nfifo);
		timeout = loop_timeout(ipc_now());
		if (timeout != 0)
			spawn_trim();
		log_flush();
		r = poll(pfd, n, timeout);
		if (r < 0 && errno != EINTR)
			log_warn_rl("unable to poll: %s", strerror(errno));
		now = ipc_now();
		full = r <= 0 || loop_other(n, nipc, nfifo);
		for (k = 0; k < readyat; k++)
			if (pfd[k].revents != 0 && pinit.tab != NULL)
				svc_exec_ready(pinit.tab, &pinit.tab->v[owner[k]],
				    now);
		ready_run(pinit.tab, pfd + readyat, logat - readyat, now);
		for (k = logat; k < svcfds; k++)
			if (pfd[k].revents != 0 && pinit.tab != NULL)
				svclog_read(&pinit.tab->v[owner[k]], now);
		sig = svcfds;
		if ((pfd[sig].revents & POLLIN) && sig_read(now))
			full = 1;
		if (ipc_server_is_open())
			ipc_server_run(pfd + sig + 1, nipc, now, loop_dispatch);
		initctl_run(pfd + sig + 1 + nipc, nfifo, now);
		loop_act(now);
		rescan = full || *pinit_changes != mark;
	}
}
