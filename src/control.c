/*
 * control.c - the native request dispatcher.
 *
 * Every backend, and the /run/initctl translation (compat/initctl.c),
 * hands requests here.  The request has passed wire_check(); what it
 * names is checked here before use.  Nothing here blocks: a start or stop
 * only records what is wanted and the loop carries it out.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "initctl.h"
#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "ready.h"
#include "svc.h"
#include "svclog.h"

/* Requests every user may make: questions, including "which runlevel". */
static int
control_readonly(const struct wire_msg *req)
{
	int type = req->h.type;

	return type == WIRE_T_VERSION || type == WIRE_T_STATUS ||
	    type == WIRE_T_LIST || (type == WIRE_T_RUNLEVEL && req->h.len == 0);
}

/* Copy n bytes of s into out for the log: at most 64, '?' for unprintable. */
static const char *
control_show(char *out, size_t size, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 64 && i + 4 < size; i++)
		out[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (i < n && i + 4 <= size)
		memcpy(out + i, "...", 3), i += 3;
	out[i] = '\0';
	return out;
}

_Static_assert(READY_FD == WIRE_NOTIFY_FD && READY_SOCKET ==
    WIRE_NOTIFY_SOCKET && READY_IPC == WIRE_NOTIFY_IPC, "the ways on the wire");
_Static_assert((int)SVCLOG_CONSOLE == (int)WIRE_LOG_CONSOLE &&
    (int)SVCLOG_NONE == (int)WIRE_LOG_NONE && (int)SVCLOG_FILE ==
    (int)WIRE_LOG_FILE && (int)SVCLOG_PIPE == (int)WIRE_LOG_SERVICE,
    "the log modes on the wire");
/* The record and the wire_svcx of a STATUS reply, with padding, fit. */
_Static_assert(sizeof(struct wire_svc) + WIRE_NAME_MAX + WIRE_INFO_MAX + 3 +
    sizeof(struct wire_svcx) + WIRE_INFO_MAX +
    WIRE_LOG_LINES * (WIRE_LOG_LINE_MAX + 1) + 3 <= WIRE_PAYLOAD_MAX,
    "a STATUS reply fits one message");

/* Append one service's record; -1 when the reply is full. */
static int
control_put(struct wire_msg *rep, const struct svc *s, int64_t now)
{
	struct wire_svc w;

	memset(&w, 0, sizeof(w));
	w.state = s->state;
	w.why = s->why;
	w.flags = (s->flags & SVC_RESPAWN ? WIRE_SVC_RESPAWN : 0) |
	    (s->flags & SVC_GROUP ? WIRE_SVC_GROUP : 0) |
	    (s->forced ? WIRE_SVC_FORCED : 0) |
	    (svc_is_up(s) ? WIRE_SVC_READY : 0) |
	    (s->adopted ? WIRE_SVC_ADOPTED : 0);
	w.notify = s->readyhow & (READY_FD | READY_SOCKET | READY_IPC);
	w.pid = s->pid;
	w.detail = s->detail;
	w.restarts = s->restarts;
	w.age = now > s->since ? (uint32_t)((now - s->since) / 1000) : 0;
	return wire_put_svc(rep, &w, s->name, strlen(s->name), s->info,
	    strlen(s->info));
}

/* A duration in ms as the wire's uint32. */
static uint32_t
control_ms(int64_t ms)
{
	return ms < 0 ? 0 : ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

/*
 * Append what STATUS adds to the record of service i: its stop, last
 * exit, STATUS= text and the newest lines of its log, those only for a
 * peer that may ask for them (LOG is root's).
 */
static void
control_putx(struct wire_msg *rep, int i, int64_t now, int priv)
{
	char log[WIRE_LOG_LINES * (WIRE_LOG_LINE_MAX + 1)];
	struct svc *s = &pinit.tab->v[i];
	struct wire_svcx x;
	int n = -1;

	memset(&x, 0, sizeof(x));
	x.stop_ms = control_ms(svc_grace(s));
	x.stopwait_ms = control_ms(deps_stop_wait(pinit.tab, i));
	x.stopsig = (uint8_t)(s->stop_sig > 0 ? s->stop_sig : SIGTERM);
	x.notifyfd = (uint16_t)(s->readyhow & READY_FD ? s->notifyfdn : 0);
	if (s->lastend != 0 && s->lastwhy != WIRE_W_NONE) {
		x.lastwhy = s->lastwhy;
		x.lastdetail = s->lastdetail;
		x.lastage = now > s->lastend ?
		    (uint32_t)((now - s->lastend) / 1000) : 0;
	}
	x.logmode = (uint8_t)(s->log != NULL ? s->log->mode : SVCLOG_CONSOLE);
	if (x.logmode >= WIRE_LOG_FILE && !priv)
		x.flags |= WIRE_SVCX_HIDDEN;
	else
		n = svclog_tail(s, log, sizeof(log), WIRE_LOG_LINES,
		    WIRE_LOG_LINE_MAX);
	/* It fits after the record: see the assertion above. */
	(void)wire_put_svcx(rep, &x, s->text, strlen(s->text), log,
	    n > 0 ? (size_t)n : 0);
}

/* The service a request names, or -1 (and the reply's code set). */
static int
control_svc(const struct wire_msg *req, struct wire_msg *rep)
{
	const char *name = (const char *)req->payload;
	int i;

	if (!wire_name_ok(name, req->h.len)) {
		rep->h.code = WIRE_E_BADREQ;
		return -1;
	}
	i = pinit.tab != NULL ? svc_find(pinit.tab, name, req->h.len) : -1;
	if (i < 0)
		rep->h.code = WIRE_E_NOSVC;
	return i;
}

/* LIST: records from the cursor on, as many as fit. */
static void
control_list(const struct wire_msg *req, struct wire_msg *rep, int64_t now)
{
	struct svctab *t = pinit.tab;
	uint32_t cursor = 0, next;
	int n = t != NULL ? t->n : 0;

	if (req->h.len != 0 && req->h.len != sizeof(cursor)) {
		rep->h.code = WIRE_E_BADREQ;
		return;
	}
	if (req->h.len == sizeof(cursor))
		memcpy(&cursor, req->payload, sizeof(cursor));
	next = cursor;
	wire_put(rep, &next, sizeof(next));
	while (next < (uint32_t)n && control_put(rep, &t->v[next], now) == 0)
		next++;
	memcpy(rep->payload, &next, sizeof(next));
	if (next < (uint32_t)n)
		rep->h.flags |= WIRE_F_MORE;
}

/* START, STOP, RESTART of service i. */
static void
control_startstop(int type, int i, struct wire_msg *rep)
{
	struct svctab *t = pinit.tab;
	struct svc *s = &t->v[i];

	if (type != WIRE_T_STOP && (s->flags & SVC_BROKEN)) {
		rep->h.code = WIRE_E_STATE;
		return;
	}
	if (type == WIRE_T_STOP) {
		deps_want_down(t, i, 0);
		return;
	}
	if (type == WIRE_T_RESTART && (s->pid > 0 || s->state == WIRE_S_DONE ||
	    s->state == WIRE_S_RUNNING || s->state == WIRE_S_STARTING)) {
		deps_want_down(t, i, 1);
		return;
	}
	if (s->state == WIRE_S_STOPPED || s->state == WIRE_S_FAILED ||
	    s->state == WIRE_S_EXECFAIL || type == WIRE_T_RESTART)
		s->want = WANT_NONE;
	deps_want_up(t, i);
}

/* SETENV "KEY=VALUE" and UNSETENV "KEY": INIT_* variables only. */
static void
control_env(const struct wire_msg *req, struct wire_msg *rep, const char *by)
{
	const char *kv = (const char *)req->payload, *why;
	int set = req->h.type == WIRE_T_SETENV;
	char show[72];

	if ((set ? spawn_setenv(kv, req->h.len) :
	    spawn_unsetenv(kv, req->h.len)) == 0) {
		log_info("%s %s (%s)", set ? "setenv" : "unsetenv",
		    control_show(show, sizeof(show), kv, req->h.len), by);
		return;
	}
	if (errno == ENOSPC) {
		rep->h.code = WIRE_E_STATE;
		why = "the table is full";
	} else {
		rep->h.code = WIRE_E_BADREQ;
		why = errno == E2BIG ? "too long" : "only INIT_ names of "
		    "letters, digits and '_' may be set";
	}
	log_warn_rl("unable to %s %s: %s (%s)", set ? "set" : "unset",
	    control_show(show, sizeof(show), kv, req->h.len), why, by);
}

/* Runlevel 0 halts when INIT_HALT is HALT, and powers off otherwise. */
static void
control_level0(const char *by)
{
	const char *v = spawn_getenv("INIT_HALT");
	char text[128];
	int halt = v != NULL && strcasecmp(v, "HALT") == 0;

	if (v == NULL)
		snprintf(text, sizeof(text), "runlevel 0 without INIT_HALT, "
		    "%s", by);
	else if (halt || strcasecmp(v, "POWEROFF") == 0 ||
	    strcasecmp(v, "POWERDOWN") == 0)
		snprintf(text, sizeof(text), "runlevel 0, INIT_HALT=%s, %s",
		    v, by);
	else
		snprintf(text, sizeof(text), "runlevel 0, INIT_HALT not "
		    "HALT, %s", by);
	shutdown_request(halt ? CMD_HALT : CMD_POWEROFF, text);
}

/* Runlevels 2-5: profile runlevelN, else the profile booted. */
static void
control_level(char c, struct wire_msg *rep, const char *by)
{
	char name[16];

	snprintf(name, sizeof(name), "runlevel%c", c);
	if (pinit_switch(name, strlen(name), c, by) == 0)
		return;
	log_info("runlevel %c: no profile %s; using the default profile %s",
	    c, name, pinit.boot_profile);
	if (pinit_switch(pinit.boot_profile, strlen(pinit.boot_profile), c,
	    by) < 0) {
		log_warn("unable to switch to runlevel %c: no service %s (%s)",
		    c, pinit.boot_profile, by);
		rep->h.code = WIRE_E_NOSVC;
	}
}

/*
 * UPDATE: re-execute pinit (path, len bytes; none: pinit's own binary)
 * once its --selftest passes; a refusal says why in the reply.  A taken
 * one tells the generation and the try to come, which the requester
 * waits for (wire.h, struct wire_upd).
 */
static void
control_update(const char *path, size_t len, struct wire_msg *rep,
    const char *by)
{
	char why[WIRE_INFO_MAX + 1];
	struct wire_upd u;
	const char *last;

	if (update_request(path, len, by, why, sizeof(why)) == 0) {
		last = update_report(&u);
		u.gen += u.gen < UINT32_MAX;
		u.attempt += u.attempt < UINT32_MAX;
		(void)wire_put_upd(rep, &u, last, strlen(last));
		return;
	}
	rep->h.code = WIRE_E_STATE;
	wire_put(rep, why, strlen(why));
}

/*
 * VERSION: "pinit VERSION BACKEND", then a NUL (an older client shows
 * the text up to it) and the hot updates so far.
 */
static void
control_version(struct wire_msg *rep)
{
	char text[64];
	struct wire_upd u;
	const char *last;

	snprintf(text, sizeof(text), "pinit %s %s", PACKAGE_VERSION,
	    ipc_name());
	wire_put(rep, text, strlen(text) + 1);
	last = update_report(&u);
	(void)wire_put_upd(rep, &u, last, strlen(last));
}

/* A runlevel letter: what sysvinit's telinit means by it. */
static void
control_letter(char c, struct wire_msg *rep, const char *by)
{
	switch (c) {
	case '0':
		pinit_level(c);
		control_level0(by);
		return;
	case '6':
		pinit_level(c);
		shutdown_request(CMD_REBOOT, by);
		return;
	case 'Q':
	case 'q':
		pinit.reload = 1;
		return;
	case '1':
	case 'S':
	case 's':
		if (rescue_request(by) < 0)
			rep->h.code = WIRE_E_BUSY;
		return;
	case 'U':
	case 'u':
		control_update(NULL, 0, rep, by);
		return;
	}
	if (c >= '2' && c <= '5') {
		control_level(c, rep, by);
		return;
	}
	log_warn_rl("unable to change to runlevel %c: not a runlevel; "
	    "ignored (%s)", c, by);
	rep->h.code = WIRE_E_BADREQ;
}

/* RUNLEVEL: a letter, or the name of a profile to switch to. */
static void
control_runlevel(const struct wire_msg *req, struct wire_msg *rep,
    const char *by)
{
	const char *name = (const char *)req->payload;
	char show[72];

	if (!wire_name_ok(name, req->h.len)) {
		log_warn_rl("unable to change to runlevel %s: not a runlevel "
		    "or profile name; ignored (%s)", control_show(show,
		    sizeof(show), name, req->h.len), by);
		rep->h.code = WIRE_E_BADREQ;
	} else if (req->h.len == 1)
		control_letter(name[0], rep, by);
	else if (pinit_switch(name, req->h.len, 'N', by) < 0) {
		log_warn_rl("unable to switch to profile %s: no such service "
		    "(%s)", control_show(show, sizeof(show), name, req->h.len),
		    by);
		rep->h.code = WIRE_E_NOSVC;
	}
}

/* RUNLEVEL without a payload: "PREVIOUS CURRENT PROFILE". */
static void
control_which(struct wire_msg *rep)
{
	char text[WIRE_NAME_MAX + 8];

	snprintf(text, sizeof(text), "%c %c %s", pinit.prevlevel,
	    pinit.runlevel, pinit.profile);
	wire_put(rep, text, strlen(text));
}

/* POWER: run the powerfail, powerfailnow or powerok service. */
static void
control_power(const struct wire_msg *req, struct wire_msg *rep,
    const char *by)
{
	const char *hook;
	char c = req->h.len == 1 ? (char)req->payload[0] : 0;

	hook = c == 'F' ? "powerfail" : c == 'L' ? "powerfailnow" :
	    c == 'O' ? "powerok" : NULL;
	if (hook == NULL) {
		rep->h.code = WIRE_E_BADREQ;
		return;
	}
	log_info("power event: %s (%s)", hook, by);
	if (sig_hook(hook) < 0) {
		log_warn("no %s service is defined; nothing done", hook);
		rep->h.code = WIRE_E_NOSVC;
	}
}

/* INITCTL: open or close /run/initctl. */
static void
control_initctl(const struct wire_msg *req, struct wire_msg *rep,
    const char *by)
{
	if (req->h.len != 1 || req->payload[0] > 1)
		rep->h.code = WIRE_E_BADREQ;
	else if (initctl_request(req->payload[0], by) < 0)
		rep->h.code = WIRE_E_NOSYS;
}

/* Requests that stop everything: taken even while shutting down. */
static int
control_final(const struct wire_msg *req, struct wire_msg *rep,
    const char *by)
{
	switch (req->h.type) {
	case WIRE_T_HALT:
		shutdown_request(CMD_HALT, by);
		return 1;
	case WIRE_T_POWEROFF:
		shutdown_request(CMD_POWEROFF, by);
		return 1;
	case WIRE_T_REBOOT:
		shutdown_request(CMD_REBOOT, by);
		return 1;
	case WIRE_T_INITCTL:
		control_initctl(req, rep, by);
		return 1;
	default:
		return 0;
	}
}

/* Requests that change state, from a peer allowed to make them. */
static void
control_change(const struct wire_msg *req, struct wire_msg *rep,
    const char *by)
{
	int i;

	if (control_final(req, rep, by))
		return;
	if (pinit.shutdown != CMD_NONE) {
		if (req->h.type == WIRE_T_RUNLEVEL)
			log_warn_rl("unable to change the runlevel: shutting "
			    "down; refused (%s)", by);
		rep->h.code = WIRE_E_BUSY;
		return;
	}
	switch (req->h.type) {
	case WIRE_T_RELOAD:
		if (req->h.len != 0)
			rep->h.code = WIRE_E_BADREQ;
		else
			pinit.reload = 1;
		return;
	case WIRE_T_START:
	case WIRE_T_STOP:
	case WIRE_T_RESTART:
		if ((i = control_svc(req, rep)) >= 0)
			control_startstop(req->h.type, i, rep);
		return;
	case WIRE_T_SETENV:
	case WIRE_T_UNSETENV:
		control_env(req, rep, by);
		return;
	case WIRE_T_RUNLEVEL:
		control_runlevel(req, rep, by);
		return;
	case WIRE_T_RESCUE:
		if (req->h.len != 0)
			rep->h.code = WIRE_E_BADREQ;
		else if (rescue_request(by) < 0)
			rep->h.code = WIRE_E_BUSY;
		return;
	case WIRE_T_POWER:
		control_power(req, rep, by);
		return;
	case WIRE_T_UPDATE:
		control_update((const char *)req->payload, req->h.len, rep, by);
		return;
	default:
		rep->h.code = WIRE_E_NOSYS;
	}
}

/*
 * Answer a question, or hand on a change; the peer may make it.  priv:
 * the peer may make any request (root), and see a service's log lines.
 */
static void
control_handle(const char *by, const struct wire_msg *req,
    struct wire_msg *rep, int priv)
{
	int64_t now = ipc_now();
	int i;

	switch (req->h.type) {
	case WIRE_T_VERSION:
		control_version(rep);
		return;
	case WIRE_T_STATUS:
		if ((i = control_svc(req, rep)) >= 0 &&
		    control_put(rep, &pinit.tab->v[i], now) == 0)
			control_putx(rep, i, now, priv);
		return;
	case WIRE_T_LOG:
		if ((i = control_svc(req, rep)) >= 0 &&
		    svclog_reply(&pinit.tab->v[i], rep) < 0)
			rep->h.code = WIRE_E_STATE;
		return;
	case WIRE_T_LIST:
		control_list(req, rep, now);
		return;
	case WIRE_T_RUNLEVEL:
		if (req->h.len == 0) {
			control_which(rep);
			return;
		}
		/* FALLTHROUGH */
	default:
		control_change(req, rep, by);
	}
}

void
control_dispatch(const struct ipc_peer *p, const struct wire_msg *req,
    struct wire_msg *rep)
{
	char by[64];
	int priv = !p->uid_known || p->uid == 0;

	if (req->h.type == WIRE_T_NOTIFY) {
		/* Any user: ready.c checks that the peer is the service's. */
		ready_request(p, req, rep);
		return;
	}
	if (!control_readonly(req) && !priv) {
		rep->h.code = WIRE_E_PERM;
		return;
	}
	snprintf(by, sizeof(by), "by pinitctl, uid %d pid %d",
	    p->uid_known ? (int)p->uid : -1, (int)p->pid);
	control_handle(by, req, rep, priv);
}

void
control_dispatch_by(const char *by, const struct wire_msg *req,
    struct wire_msg *rep)
{
	control_handle(by, req, rep, 1);
}
