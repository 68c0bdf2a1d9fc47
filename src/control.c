/*
 * control.c - the native request dispatcher.
 *
 * Every backend, and later the /run/initctl translation, hands requests
 * here.  The request has passed wire_check(); what it names is checked
 * here before use.  Nothing here blocks: a start or stop only records what
 * is wanted and the loop carries it out.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "pinit.h"
#include "svc.h"

/* Requests every user may make. */
static int
control_readonly(int type)
{
	return type == WIRE_T_VERSION || type == WIRE_T_STATUS ||
	    type == WIRE_T_LIST;
}

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
	    (s->forced ? WIRE_SVC_FORCED : 0);
	w.pid = s->pid;
	w.detail = s->detail;
	w.restarts = s->restarts;
	w.age = now > s->since ? (uint32_t)((now - s->since) / 1000) : 0;
	return wire_put_svc(rep, &w, s->name, strlen(s->name), s->info,
	    strlen(s->info));
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

/* Requests that change state: permission and shutdown checked first. */
static void
control_change(const struct ipc_peer *p, const struct wire_msg *req,
    struct wire_msg *rep)
{
	char by[64];
	int i;

	snprintf(by, sizeof(by), "by pinitctl, uid %d pid %d",
	    p->uid_known ? (int)p->uid : -1, (int)p->pid);
	switch (req->h.type) {
	case WIRE_T_HALT:
		shutdown_request(CMD_HALT, by);
		return;
	case WIRE_T_POWEROFF:
		shutdown_request(CMD_POWEROFF, by);
		return;
	case WIRE_T_REBOOT:
		shutdown_request(CMD_REBOOT, by);
		return;
	}
	if (pinit.shutdown != CMD_NONE) {
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
	default:
		rep->h.code = WIRE_E_NOSYS;
	}
}

void
control_dispatch(const struct ipc_peer *p, const struct wire_msg *req,
    struct wire_msg *rep)
{
	int64_t now = ipc_now();
	char text[64];
	int i;

	if (!control_readonly(req->h.type) && p->uid_known && p->uid != 0) {
		rep->h.code = WIRE_E_PERM;
		return;
	}
	switch (req->h.type) {
	case WIRE_T_VERSION:
		snprintf(text, sizeof(text), "pinit %s %s", PACKAGE_VERSION,
		    ipc_name());
		wire_put(rep, text, strlen(text));
		return;
	case WIRE_T_STATUS:
		if ((i = control_svc(req, rep)) >= 0)
			control_put(rep, &pinit.tab->v[i], now);
		return;
	case WIRE_T_LIST:
		control_list(req, rep, now);
		return;
	default:
		control_change(p, req, rep);
	}
}
