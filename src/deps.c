/*
 * deps.c - the dependency graph: order, cycles, and what to start or
 * stop next.
 *
 * deps_order() runs once per load: a depth-first search in name order
 * (so the result is the same on every boot) that finds every cycle and
 * yields an order with dependencies before dependants.  deps_schedule()
 * runs every full loop turn: one pass in that order starts what is ready,
 * one pass in reverse stops what may stop, each over the services a change
 * made hot (svc_changed()) and those held back by SVC_START_MAX.
 */
#include <config.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "svc.h"

/* The k-th dependency of s (needs first, then wants); -1 if missing. */
static int
dep_at(const struct svc *s, int k)
{
	return k < s->nneeds ? s->needs[k] : s->wants[k - s->nneeds];
}

/* Mark every service of the cycle stack[from..sp-1] -> w as failed. */
static void
deps_cycle(struct svctab *t, const int *stack, int sp, int w)
{
	char path[WIRE_INFO_MAX + 1];
	size_t len = 0;
	int k, from;

	for (from = sp - 1; from > 0 && stack[from] != w; from--)
		continue;
	len = snprintf(path, sizeof(path), "dependency cycle: ");
	for (k = from; k < sp && len < sizeof(path); k++)
		len += snprintf(path + len, sizeof(path) - len, "%s -> ",
		    t->v[stack[k]].name);
	if (len < sizeof(path))
		snprintf(path + len, sizeof(path) - len, "%s", t->v[w].name);
	log_warn("%s", path);
	for (k = from; k < sp; k++) {
		struct svc *s = &t->v[stack[k]];

		s->state = WIRE_S_FAILED;
		s->why = WIRE_W_CYCLE;
		s->flags |= SVC_BROKEN;
		svc_set_info(s, path);
	}
}

int
deps_order(struct svctab *t)
{
	int *color, *stack, *edge, sp, i, o = 0;

	color = calloc(t->n + 1, sizeof(int));
	stack = malloc((t->n + 1) * sizeof(int));
	edge = malloc((t->n + 1) * sizeof(int));
	if (color == NULL || stack == NULL || edge == NULL) {
		free(color), free(stack), free(edge);
		return -1;
	}
	for (i = 0; i < t->n; i++) {
		if (color[i] != 0)
			continue;
		stack[0] = i, edge[0] = 0, sp = 1, color[i] = 1;
		while (sp > 0) {
			int u = stack[sp - 1], w;
			struct svc *s = &t->v[u];

			if (edge[sp - 1] == s->nneeds + s->nwants) {
				color[u] = 2;
				t->pos[u] = o;
				t->order[o++] = u;
				sp--;
				continue;
			}
			w = dep_at(s, edge[sp - 1]++);
			if (w < 0)
				continue;
			if (color[w] == 0) {
				color[w] = 1;
				stack[sp] = w, edge[sp] = 0, sp++;
			} else if (color[w] == 1)
				deps_cycle(t, stack, sp, w);
		}
	}
	free(color), free(stack), free(edge);
	return 0;
}

void
deps_want_up(struct svctab *t, int i)
{
	struct svc *s = &t->v[i];
	int k, d;

	if (s->want == WANT_UP)
		return;
	svc_changed(s);
	s->want = WANT_UP;
	s->restart = 0;
	if ((s->state == WIRE_S_FAILED || s->state == WIRE_S_EXECFAIL ||
	    s->state == WIRE_S_STOPPED) && !(s->flags & SVC_BROKEN) &&
	    s->pid == 0 && s->offpid == 0) {
		s->state = WIRE_S_WAITING;
		s->why = WIRE_W_NONE;
		svc_set_info(s, NULL);
		s->quick = s->ndeaths = 0;
		s->restarts = 0;
		s->deadline = 0;
	}
	for (k = 0; k < s->nneeds + s->nwants; k++)
		if ((d = dep_at(s, k)) >= 0)
			deps_want_up(t, d);
}

void
deps_want_closure(struct svctab *t)
{
	struct svc *s;
	int k, j, d;

	for (k = t->n - 1; k >= 0; k--) {
		s = &t->v[t->order[k]];
		if (s->want != WANT_UP)
			continue;
		for (j = 0; j < s->nneeds + s->nwants; j++)
			if ((d = dep_at(s, j)) >= 0)
				deps_want_up(t, d);
	}
}

void
deps_want_down(struct svctab *t, int i, int restart)
{
	struct svc *s = &t->v[i], *r;
	int k, j;

	if (s->want == WANT_DOWN && s->restart == restart)
		return;
	svc_changed(s);
	s->want = WANT_DOWN;
	s->restart = restart;
	for (k = 0; k < s->nrdeps; k++) {
		r = &t->v[s->rdeps[k]];
		for (j = 0; j < r->nneeds; j++)
			if (r->needs[j] == i)
				deps_want_down(t, s->rdeps[k], restart);
	}
}

/* Fail s because of dependency d (index k of needs; d < 0: missing). */
static int
deps_fail(struct svctab *t, struct svc *s, int k, int64_t now)
{
	char info[WIRE_INFO_MAX + 1];
	int d = s->needs[k];

	snprintf(info, sizeof(info), "needs %s, which %s", s->depname[k],
	    d < 0 ? "does not exist" : "failed");
	svc_set_state(s, WIRE_S_FAILED, d < 0 ? WIRE_W_DEPMISSING :
	    WIRE_W_DEPFAIL, 0, info, now);
	(void)t;
	return -1;
}

/*
 * Has d started successfully, as a needs requires?  A respawn service
 * once it runs (after it said it is ready, when it has a way to say so);
 * a one-shot (and a group) once it is done, or once it said it is ready.
 */
int
svc_is_up(const struct svc *d)
{
	return d->state == WIRE_S_DONE || (d->state == WIRE_S_RUNNING &&
	    ((d->flags & SVC_RESPAWN) || d->readyhow != 0));
}

/* Has d had its attempt, as a wants requires?  Up, or failed for good. */
static int
deps_settled(const struct svc *d)
{
	return svc_is_up(d) || d->want != WANT_UP ||
	    d->state == WIRE_S_FAILED || d->state == WIRE_S_EXECFAIL ||
	    d->state == WIRE_S_BACKOFF;
}

/* 1: every dependency is satisfied; 0: not yet; -1: s failed. */
static int
deps_ready(struct svctab *t, struct svc *s, int64_t now)
{
	const struct svc *d;
	int k, ready = 1;

	for (k = 0; k < s->nneeds; k++) {
		if (s->needs[k] < 0)
			return deps_fail(t, s, k, now);
		d = &t->v[s->needs[k]];
		if (d->state == WIRE_S_FAILED || d->state == WIRE_S_EXECFAIL)
			return deps_fail(t, s, k, now);
		if (!svc_is_up(d))
			ready = 0;
	}
	for (k = 0; k < s->nwants; k++)
		if (s->wants[k] >= 0 && !deps_settled(&t->v[s->wants[k]]))
			ready = 0;
	return ready;
}

/*
 * Start s if it waits and its dependencies allow, and while fewer than
 * SVC_START_MAX services wait for their exec: each of those holds an exec
 * pipe, which every later fork copies and every child closes, so
 * thousands at once made a start cost O(N^2) (doc/decisions.md).
 */
static void
deps_try_start(struct svctab *t, struct svc *s, int64_t now)
{
	int r;

	if (s->state != WIRE_S_WAITING && s->state != WIRE_S_STOPPED)
		return;
	if ((s->flags & SVC_BROKEN) || pinit.shutdown != CMD_NONE ||
	    (s->deadline != 0 && s->deadline > now))
		return;
	if (s->deadline != 0)	/* a write after a fork costs a page copy */
		s->deadline = 0;
	r = deps_ready(t, s, now);
	if (r == 0 || (r > 0 && !(s->flags & SVC_GROUP) &&
	    svc_inflight(t) >= SVC_START_MAX)) {
		if (s->state == WIRE_S_STOPPED && s->want == WANT_UP) {
			svc_changed(s);
			s->state = WIRE_S_WAITING;
		}
		if (r > 0 && t->held != NULL)	/* till an exec pipe closes */
			svc_bit_set(t->held, t->pos[s - t->v]);
		return;
	}
	if (r < 0)
		return;
	if (s->flags & SVC_GROUP)
		svc_set_state(s, WIRE_S_DONE, WIRE_W_NONE, 0, NULL, now);
	else
		svc_start(t, s, now);
}

/*
 * The services deps_early() started whose exec is not confirmed yet: at
 * boot, before the loop's first turn, they are all that wait for an exec.
 */
static int	early_fly[SVC_START_MAX];
static int	early_nfly;

/* Read the exec pipes of early_fly[] that have an answer; never waits. */
static void
deps_early_drain(struct svctab *t, int64_t now)
{
	struct pollfd p[SVC_START_MAX];
	int k, n = 0;

	for (k = 0; k < early_nfly; k++) {
		p[k].fd = t->v[early_fly[k]].execfd;
		p[k].events = POLLIN;
		p[k].revents = 0;
	}
	if (poll(p, (nfds_t)early_nfly, 0) <= 0)
		return;
	for (k = 0; k < early_nfly; k++) {
		if (p[k].revents != 0)
			svc_exec_ready(t, &t->v[early_fly[k]], now);
		if (t->v[early_fly[k]].execfd >= 0)
			early_fly[n++] = early_fly[k];
	}
	early_nfly = n;
}

/*
 * Service i, which the root names, has just loaded while the rest of the
 * tree still loads (load_tree()): start it soon if it depends on nothing,
 * as the first scheduling turn would, so that the second core runs the
 * start-up of services while PID 1 reads their files.
 *
 * They start EARLY_BATCH at a time: loading writes to PID 1's own pages
 * (buffers, stack), and each of those pages costs a copy-on-write fault
 * after every fork; one load per fork tripled PID 1's faults.  (A start
 * that shares PID 1's memory, spawn_vm(), copies nothing; the batches
 * are for the services that still fork.)  Those
 * still held when the tree is loaded start in the loop's first turn.
 * The loop does not run yet, so when SVC_START_MAX wait for their exec,
 * their exec pipes are read here first, without waiting.
 */
void
deps_early(struct svctab *t, int i, int64_t now)
{
	static int held[EARLY_BATCH];
	static int nheld;
	struct svc *s;
	int k;

	if (t->v[i].nneeds + t->v[i].nwants > 0)
		return;
	held[nheld++] = i;
	if (nheld < EARLY_BATCH)
		return;
	if (svc_inflight(t) + nheld > SVC_START_MAX)
		deps_early_drain(t, now);
	for (k = 0; k < nheld; k++) {
		deps_want_up(t, held[k]);
		deps_try_start(t, &t->v[held[k]], now);
	}
	/* After the forks: one copy-on-write fault, not one per fork. */
	for (k = 0; k < nheld; k++) {
		s = &t->v[held[k]];
		if (s->execfd >= 0 && early_nfly < SVC_START_MAX)
			early_fly[early_nfly++] = held[k];
	}
	nheld = 0;
}

int
svc_is_down(const struct svc *s)
{
	if (s->pid != 0 || s->offpid != 0)
		return 0;
	switch (s->state) {
	case WIRE_S_STOPPED:
	case WIRE_S_WAITING:
	case WIRE_S_BACKOFF:
	case WIRE_S_FAILED:
	case WIRE_S_EXECFAIL:
		return 1;
	default:
		return 0;
	}
}

/* Stop s if it should be down and every dependant being stopped is. */
static void
deps_try_stop(struct svctab *t, struct svc *s, int64_t now)
{
	int k;

	if (s->state == WIRE_S_STOPPED || s->state == WIRE_S_STOPPING)
		return;
	if (svc_is_down(s)) {
		svc_set_state(s, WIRE_S_STOPPED, WIRE_W_REQUEST, 0, NULL, now);
		return;
	}
	for (k = 0; k < s->nrdeps; k++) {
		const struct svc *r = &t->v[s->rdeps[k]];

		if (r->want == WANT_DOWN && !svc_is_down(r) &&
		    r->state != WIRE_S_STOPPED)
			return;
	}
	svc_stop_begin(t, s, now);
}

/*
 * The next place after p to look at going forward: hot now or as the
 * turn began, or held back while there is room for a start; -1: none.
 */
static int
deps_next(const struct svctab *t, int p)
{
	size_t w, last = SVC_WORDS(t->n) - 1;
	uint64_t b, room = t->inflight < SVC_START_MAX ? ~(uint64_t)0 : 0;

	if (++p >= t->n)
		return -1;
	w = (size_t)p >> 6;
	b = (t->hot[w] | t->was[w] | (t->held[w] & room)) &
	    (~(uint64_t)0 << (p & 63));
	while (b == 0) {
		if (w == last)
			return -1;
		w++;
		b = t->hot[w] | t->was[w] | (t->held[w] & room);
	}
	p = (int)(w << 6) + __builtin_ctzll(b);
	return p < t->n ? p : -1;
}

/* The same going back from p, without the held ones; -1: none. */
static int
deps_prev(const struct svctab *t, int p)
{
	size_t w;
	uint64_t b;

	if (--p < 0)
		return -1;
	w = (size_t)p >> 6;
	b = (t->hot[w] | t->was[w]) & (~(uint64_t)0 >> (63 - (p & 63)));
	while (b == 0) {
		if (w == 0)
			return -1;
		w--;
		b = t->hot[w] | t->was[w];
	}
	return (int)(w << 6) + 63 - __builtin_clzll(b);
}

/* What a turn does for the service at place p, forward. */
static void
deps_forward(struct svctab *t, int p, int64_t now)
{
	int i = t->order[p];
	struct svc *s = &t->v[i];

	svc_bit_clear(t->held, p);
	if (s->want == WANT_DOWN && s->restart && s->state == WIRE_S_STOPPED)
		deps_want_up(t, i);
	if (s->want == WANT_UP)
		deps_try_start(t, s, now);
}

#ifdef PINIT_AUDIT
/*
 * Look at every service the turn left out, as the scans of the whole
 * table did: anything that changes there was missed ("audit: ..."), and
 * is done now.
 */
static void
deps_audit(struct svctab *t, int64_t now)
{
	unsigned long c;
	struct svc *s;
	int p, st, want;
	int64_t dl;

	for (p = 0; p < t->n; p++) {
		if (svc_bit(t->hot, p) || svc_bit(t->held, p))
			continue;
		s = &t->v[t->order[p]];
		c = *pinit_changes, st = s->state, want = s->want;
		dl = s->deadline;
		deps_forward(t, p, now);
		if (s->want == WANT_DOWN)
			deps_try_stop(t, s, now);
		if (c != *pinit_changes || st != s->state || want != s->want ||
		    dl != s->deadline)
			log_warn("audit: %s (state %d, want %d) changed in a "
			    "turn that did not look at it", s->name, st, want);
	}
}
#endif

/*
 * One pass forward starts what may start, one back stops what may stop,
 * each over the services that changed or whose neighbours did (hot, as
 * the turn began or since) and those held back by SVC_START_MAX, in order.
 * A service no change touched would be passed over by both: so is the
 * table that did not change.  What changes in the passes is hot for the
 * next turn.
 */
void
deps_schedule(struct svctab *t, int64_t now)
{
	uint64_t *m;
	int p;

	(void)svc_inflight(t);	/* counted for this table */
	m = t->was, t->was = t->hot, t->hot = m;	/* was: the last turn's */
	memset(t->hot, 0, SVC_WORDS(t->n) * sizeof(uint64_t));
	for (p = deps_next(t, -1); p >= 0; p = deps_next(t, p))
		deps_forward(t, p, now);
	for (p = deps_prev(t, t->n); p >= 0; p = deps_prev(t, p))
		if (t->v[t->order[p]].want == WANT_DOWN)
			deps_try_stop(t, &t->v[t->order[p]], now);
#ifdef PINIT_AUDIT
	deps_audit(t, now);
#endif
}

/* Mark root and everything it needs or wants, transitively (-1: none). */
static void
deps_mark(struct svctab *t, int root)
{
	struct svc *s;
	int k, j, d;

	for (k = 0; k < t->n; k++)
		t->v[k].mark = 0;
	if (root < 0)
		return;
	t->v[root].mark = 1;
	for (k = t->n - 1; k >= 0; k--) {
		s = &t->v[t->order[k]];
		if (!s->mark)
			continue;
		for (j = 0; j < s->nneeds + s->nwants; j++)
			if ((d = dep_at(s, j)) >= 0)
				t->v[d].mark = 1;
	}
}

void
deps_isolate(struct svctab *t, int root)
{
	struct svc *s;
	int i;

	deps_mark(t, root);
	for (i = 0; i < t->n; i++) {
		s = &t->v[i];
		if (s->mark || (s->flags & SVC_HOOK))
			continue;
		if ((s->state == WIRE_S_FAILED ||
		    s->state == WIRE_S_EXECFAIL) && s->pid == 0 &&
		    s->offpid == 0) {
			svc_changed(s);
			s->want = WANT_NONE;
		}
		else if (s->want == WANT_UP || !svc_is_down(s))
			deps_want_down(t, i, 0);
	}
	for (i = 0; i < t->n; i++)
		if (t->v[i].mark)
			deps_want_up(t, i);
}

/* The longest the stop of s alone may take, in ms (svc_stop_timer). */
static int64_t
deps_stop_own(const struct svc *s)
{
	if (svc_is_down(s))
		return 0;
	return (s->off != NULL ? svc_grace(s) : 0) + svc_grace(s) +
	    PINIT_KILL_WAIT_MS;
}

/* Does d need service i? */
static int
deps_needs(const struct svc *d, int i)
{
	int j;

	for (j = 0; j < d->nneeds; j++)
		if (d->needs[j] == i)
			return 1;
	return 0;
}

/*
 * The longest a stop of service i may take: its own stop after the stop
 * of every service that needs it, directly or not, the longest chain of
 * them first.  A walk of i's dependants alone, depth first without
 * recursion (t->dfs holds the path and where each step is in its
 * dependants): a status of a service nothing needs costs no pass over the
 * table.  A service's sum is kept for the rest of the walk (swgen ==
 * t->dfsgen); a cycle's back edge meets a sum still open (-1) and adds
 * nothing, so every value stays bounded (PINIT_STOP_WAIT_MAX_MS).
 */
int64_t
deps_stop_wait(struct svctab *t, int i)
{
	int *path = t->dfs, *at;
	struct svc *s, *d;
	int64_t best;
	int top = 0, k, j;

	if (path == NULL || i < 0 || i >= t->n)
		return 0;
	at = path + t->n + 1;
	if (++t->dfsgen == 0) {
		for (k = 0; k < t->n; k++)
			t->v[k].swgen = 0;
		t->dfsgen = 1;
	}
	t->v[i].swgen = t->dfsgen;
	t->v[i].stopwait = -1;
	path[top] = i;
	at[top++] = 0;
	while (top > 0) {
		k = path[top - 1];
		s = &t->v[k];
		if (at[top - 1] < s->nrdeps) {
			j = s->rdeps[at[top - 1]++];
			d = &t->v[j];
			if (d->swgen != t->dfsgen && deps_needs(d, k)) {
				d->swgen = t->dfsgen;
				d->stopwait = -1;
				path[top] = j;
				at[top++] = 0;
			}
			continue;
		}
		best = 0;
		for (j = 0; j < s->nrdeps; j++) {
			d = &t->v[s->rdeps[j]];
			if (d->swgen == t->dfsgen && d->stopwait > best &&
			    deps_needs(d, k))
				best = d->stopwait;
		}
		best += deps_stop_own(s);
		s->stopwait = (int32_t)(best > PINIT_STOP_WAIT_MAX_MS ?
		    PINIT_STOP_WAIT_MAX_MS : best);
		top--;
	}
	return t->v[i].stopwait;
}

int
deps_all_down(const struct svctab *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (!svc_is_down(&t->v[i]) && t->v[i].state != WIRE_S_STOPPED)
			return 0;
	return 1;
}
