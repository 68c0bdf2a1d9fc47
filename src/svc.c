/*
 * svc.c - one service's life: start, death, back-off, stop, timers.
 *
 * Every state change goes through svc_set_state(), which also writes the
 * one log line that tells it (doc/decisions.md lists them).
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ident.h"
#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "ready.h"
#include "svc.h"
#include "svclog.h"
#include "util.h"

static unsigned long	changes_own;
unsigned long		*pinit_changes = &changes_own;

int
svc_bit_next(const uint64_t *map, int n, int p)
{
	size_t w, last;
	uint64_t b;

	if (p < 0 || p >= n)
		return -1;
	w = (size_t)p >> 6;
	last = SVC_WORDS(n) - 1;
	b = map[w] & (~(uint64_t)0 << (p & 63));
	while (b == 0) {
		if (w == last)
			return -1;
		b = map[++w];
	}
	p = (int)(w << 6) + __builtin_ctzll(b);
	return p < n ? p : -1;
}

int
svc_live_next(const struct svctab *t, int *p)
{
	int q = svc_bit_next(t->live, t->n, *p);

	if (q < 0)
		return -1;
	*p = q + 1;
	return t->order[q];
}

void
svc_hot(struct svctab *t, int i)
{
	svc_bit_set(t->hot, t->pos[i]);
}

void
svc_hot_all(struct svctab *t)
{
	memset(t->hot, 0xff, SVC_WORDS(t->n) * sizeof(uint64_t));
	if (t->n % 64 != 0)
		t->hot[t->n / 64] = ((uint64_t)1 << (t->n % 64)) - 1;
}

void
svc_changed(struct svc *s)
{
	struct svctab *t = pinit.tab;
	int k, i;

	pinit_changed();
	if (t == NULL || s < t->v || s >= t->v + t->n)
		return;
	i = (int)(s - t->v);
	svc_bit_set(t->live, t->pos[i]);
	svc_hot(t, i);
	for (k = 0; k < s->nrdeps; k++)
		svc_hot(t, s->rdeps[k]);
	for (k = 0; k < s->nneeds; k++)
		if (s->needs[k] >= 0)
			svc_hot(t, s->needs[k]);
	for (k = 0; k < s->nwants; k++)
		if (s->wants[k] >= 0)
			svc_hot(t, s->wants[k]);
}

/* The pid hash: open addressing with linear probing; key 0 is empty. */
static unsigned
pid_slot(const struct svctab *t, pid_t pid)
{
	return ((unsigned)pid * 2654435761u) & (t->pidcap - 1);
}

static void
pid_put(struct svctab *t, pid_t pid, int idx)
{
	unsigned h = pid_slot(t, pid);

	while (t->pidkey[h] != 0 && t->pidkey[h] != pid)
		h = (h + 1) & (t->pidcap - 1);
	t->pidkey[h] = pid;
	t->pidval[h] = idx;
}

static int
pid_get(const struct svctab *t, pid_t pid)
{
	unsigned h = pid_slot(t, pid);

	while (t->pidkey[h] != 0) {
		if (t->pidkey[h] == pid)
			return t->pidval[h];
		h = (h + 1) & (t->pidcap - 1);
	}
	return -1;
}

int
svc_pid_index(const struct svctab *t, pid_t pid)
{
	return pid > 0 ? pid_get(t, pid) : -1;
}

/* Remove pid, shifting later entries of its run back (no tombstones). */
void
svc_forget_pid(struct svctab *t, pid_t pid)
{
	unsigned h = pid_slot(t, pid), j, k, m = t->pidcap - 1;

	while (t->pidkey[h] != pid) {
		if (t->pidkey[h] == 0)
			return;
		h = (h + 1) & m;
	}
	t->pidkey[h] = 0;
	for (j = (h + 1) & m; t->pidkey[j] != 0; j = (j + 1) & m) {
		k = pid_slot(t, t->pidkey[j]);
		if ((j > h && (k <= h || k > j)) || (j < h && k <= h && k > j)) {
			t->pidkey[h] = t->pidkey[j];
			t->pidval[h] = t->pidval[j];
			t->pidkey[j] = 0;
			h = j;
		}
	}
}

/*
 * The services of t whose exec is not confirmed yet (their exec pipe is
 * open): counted at the first call for a table (a table loaded for a hot
 * update or a reload may hold pipes already), then kept by svc_start()
 * and the two places that close an exec pipe.  The count lives in the
 * table, which PID 1 shares with its children (load.c), so that a start
 * writes no page of PID 1's own that the fork just made copy-on-write.
 */
int
svc_inflight(struct svctab *t)
{
	int i;

	if (t->inflight < 0) {
		t->inflight = 0;
		for (i = 0; i < t->n; i++)
			if (t->v[i].execfd >= 0)
				t->inflight++;
	}
	return t->inflight;
}

/* Close the exec pipe of s, if open. */
static void
svc_exec_close(struct svctab *t, struct svc *s)
{
	if (s->execfd < 0)
		return;
	close(s->execfd);
	s->execfd = -1;
	if (t->inflight > 0)
		t->inflight--;
}

int
svc_find(const struct svctab *t, const char *name, size_t len)
{
	int lo = 0, hi = t->n - 1, mid, c;

	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(t->v[mid].name, name, len);
		if (c == 0 && t->v[mid].name[len] != '\0')
			c = 1;
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Is the change from `from` to `to` worth a line in the log? */
static int
state_told(int from, int to)
{
	switch (to) {
	case WIRE_S_WAITING:
	case WIRE_S_STARTING:
		return 0;
	case WIRE_S_STOPPED:
		return from != WIRE_S_WAITING && from != WIRE_S_FAILED &&
		    from != WIRE_S_EXECFAIL && from != WIRE_S_STOPPED;
	default:
		return 1;
	}
}

/*
 * Tell the state s is now in: a status line for the ends a person watches
 * at boot (started, finished, failed, stopped), a plain line for the steps
 * between (backoff, stopping).
 */
static void
svc_tell(const struct svc *s)
{
	const char *in = s->info, *l = in[0] != '\0' ? " (" : "",
	    *r = in[0] != '\0' ? ")" : "";

	switch (s->state) {
	case WIRE_S_RUNNING:
		log_status(1, "started %s (pid %d)", s->name, (int)s->pid);
		break;
	case WIRE_S_DONE:
		log_status(1, "%s %s", s->flags & SVC_GROUP ? "reached" :
		    "finished", s->name);
		break;
	case WIRE_S_STOPPED:
		log_status(1, "stopped %s%s%s%s", s->name, l, in, r);
		break;
	case WIRE_S_FAILED:
		if (s->why == WIRE_W_EXIT)
			log_status(0, "%s exited %d", s->name, s->detail);
		else if (s->why == WIRE_W_SIGNAL)
			log_status(0, "%s killed by signal %d", s->name,
			    s->detail);
		else
			log_status(0, "%s failed%s%s%s", s->name, l, in, r);
		break;
	case WIRE_S_EXECFAIL:
		log_status(0, "%s could not be executed%s%s%s", s->name, l, in,
		    r);
		break;
	default:
		log_info("%s: %s%s%s%s", s->name, wire_state_name(s->state), l,
		    in, r);
	}
}

/*
 * Set the info text of s; a text that does not change is not written, so
 * that its page of the table's info block (load.c) stays untouched.
 */
void
svc_set_info(struct svc *s, const char *info)
{
	if (info == NULL)
		info = "";
	if (strcmp(s->info, info) != 0)
		util_strlcpy(s->info, info, SVC_INFO_SIZE);
}

void
svc_set_state(struct svc *s, int state, int why, int detail, const char *info,
    int64_t now)
{
	int from = s->state;

	svc_changed(s);
	s->state = state;
	s->adopted = 0;		/* the process adopted is no longer it */
	s->why = why;
	s->detail = detail;
	svc_set_info(s, info);
	s->since = now;
	if (state_told(from, state))
		svc_tell(s);
}

/* Describe a wait status: "exit status N" or "killed by signal N". */
static void
status_text(int status, char *buf, size_t n, int *why, int *detail)
{
	if (WIFSIGNALED(status)) {
		*why = WIRE_W_SIGNAL;
		*detail = WTERMSIG(status);
		snprintf(buf, n, "killed by signal %d", *detail);
	} else {
		*why = WIRE_W_EXIT;
		*detail = WEXITSTATUS(status);
		snprintf(buf, n, "exit status %d", *detail);
	}
}

int
svc_start(struct svctab *t, struct svc *s, int64_t now)
{
	char info[WIRE_INFO_MAX + 1];
	int in, out;
	pid_t pid;

	svclog_fds(t, s, &in, &out);
	spawn_stdio(in, out);
	pid = ready_prepare(s) < 0 ? -1 : spawn_prog(&s->on, s->name, &s->execfd);
	ready_spawned(s, pid);
	if (pid < 0) {
		snprintf(info, sizeof(info), "unable to start: %s; retrying in "
		    "%d s", strerror(errno), PINIT_RETRY_MS / 1000);
		log_warn("%s: %s", s->name, info);
		svc_set_state(s, WIRE_S_WAITING, WIRE_W_FORK, errno, info, now);
		s->deadline = now + PINIT_RETRY_MS;
		return -1;
	}
	if (s->execfd >= 0 && t->inflight >= 0)
		t->inflight++;
	s->pid = pid;
	pid_put(t, pid, (int)(s - t->v));
	s->started = now;
	s->deadline = 0;
	s->exec_errno = 0;
	s->forced = 0;
	svc_set_state(s, WIRE_S_STARTING, WIRE_W_NONE, 0, NULL, now);
	return 0;
}

void
svc_exec_ready(struct svctab *t, struct svc *s, int64_t now)
{
	int err = 0, r;

	r = spawn_exec_result(s->execfd, &err);
	if (r < 0)
		return;
	svc_changed(s);
	svc_exec_close(t, s);
	if (r > 0)
		s->exec_errno = err;
	else if (s->state == WIRE_S_STARTING && !ready_wait(s, now))
		svc_set_state(s, WIRE_S_RUNNING, WIRE_W_NONE, 0, NULL, now);
}

/* Send sig to the service's process group (it is a session leader). */
static void
svc_kill(pid_t pid, int sig)
{
	if (pid > 0 && kill(-pid, sig) < 0 && errno == ESRCH)
		kill(pid, sig);
}

int64_t
svc_grace(const struct svc *s)
{
	return s->stop_ms >= 0 ? s->stop_ms : pinit.grace_ms;
}

/*
 * The stop signal and CONT to the main process; KILL after the grace.
 * The lines held so far go out first: what the service says when it gets
 * the signal comes after PID 1's line about it on the console.
 */
static void
svc_term(struct svc *s, int64_t now)
{
	log_flush();
	svc_kill(s->pid, s->stop_sig > 0 ? s->stop_sig : SIGTERM);
	svc_kill(s->pid, SIGCONT);
	s->stop = STOP_TERM;
	s->deadline = now + svc_grace(s);
}

/* The service is down: say so, with how it ended. */
static void
svc_stopped(struct svc *s, int64_t now)
{
	s->stop = STOP_NONE;
	s->deadline = 0;
	svc_set_state(s, WIRE_S_STOPPED, WIRE_W_REQUEST, 0,
	    s->forced ? "forced with SIGKILL" : NULL, now);
}

void
svc_stop_begin(struct svctab *t, struct svc *s, int64_t now)
{
	int was = s->state;

	s->forced = 0;
	svc_set_state(s, WIRE_S_STOPPING, WIRE_W_REQUEST, 0, NULL, now);
	if (s->off != NULL && (was == WIRE_S_RUNNING ||
	    was == WIRE_S_STARTING || was == WIRE_S_DONE)) {
		pid_t pid = spawn_prog(s->off, s->name, NULL);

		if (pid > 0) {
			s->offpid = pid;
			pid_put(t, pid, (int)(s - t->v));
			s->stop = STOP_OFF;
			s->deadline = now + svc_grace(s);
			return;
		}
		log_warn("%s: unable to run its off program: %s", s->name,
		    strerror(errno));
	}
	if (s->pid > 0)
		svc_term(s, now);
	else
		svc_stopped(s, now);
}

/* The off program ended with status. */
static void
svc_off_done(struct svc *s, int status, int64_t now)
{
	char text[64];
	int why, detail;

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		status_text(status, text, sizeof(text), &why, &detail);
		log_warn("%s: off program failed (%s)", s->name, text);
	}
	if (s->state != WIRE_S_STOPPING)
		return;
	if (s->pid > 0)
		svc_term(s, now);
	else
		svc_stopped(s, now);
}

/* Record a death in the window; 1 when there are too many. */
static int
svc_crash_loop(struct svc *s, int64_t now)
{
	int size = s->limit + 1;

	if (s->deaths == NULL)
		return 0;
	s->deaths[s->death_head] = now;
	s->death_head = (s->death_head + 1) % size;
	if (s->ndeaths < size)
		s->ndeaths++;
	return s->ndeaths == size && now - s->deaths[s->death_head] <=
	    s->window_ms;
}

/* A respawn service died on its own: back off, or give up. */
static void
svc_respawn_death(struct svc *s, int status, int64_t now)
{
	char text[64], info[WIRE_INFO_MAX + 1];
	int64_t delay;
	int why, detail;

	status_text(status, text, sizeof(text), &why, &detail);
	if (pinit.shutdown != CMD_NONE || s->want != WANT_UP) {
		svc_set_state(s, WIRE_S_STOPPED, why, detail, text, now);
		return;
	}
	if (svc_crash_loop(s, now)) {
		snprintf(info, sizeof(info), "crash loop: %d deaths in %lld s",
		    s->limit + 1, (long long)(s->window_ms / 1000));
		svc_set_state(s, WIRE_S_FAILED, WIRE_W_CRASHLOOP, s->limit + 1,
		    info, now);
		return;
	}
	if (now - s->started < SVC_QUICK_MS) {
		s->quick++;
		delay = s->delay_ms << (s->quick - 1 < 20 ? s->quick - 1 : 20);
		if (delay > s->delay_max_ms || delay < 0)
			delay = s->delay_max_ms;
	} else {
		s->quick = 0;
		delay = s->started + s->delay_ms - now;
		if (delay < 0)
			delay = 0;
	}
	snprintf(info, sizeof(info), "%s; restart %u in %lld ms", text,
	    s->restarts + 1, (long long)delay);
	svc_set_state(s, WIRE_S_BACKOFF, why, detail, info, now);
	s->deadline = now + delay;
}

/*
 * Does the restart policy of respawn service s restart it after status?
 * Else it ends as a one-shot does: done after exit 0, else failed.
 */
static int
svc_restarts(const struct svc *s, int status)
{
	switch (s->policy) {
	case SVC_RESTART_NEVER:
		return 0;
	case SVC_RESTART_ON_FAILURE:
		return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	default:
		return 1;
	}
}

/* Keep how the main process of s ended, for pinitctl status. */
static void
svc_ended(struct svc *s, int status, int64_t now)
{
	if (WIFSIGNALED(status)) {
		s->lastwhy = WIRE_W_SIGNAL;
		s->lastdetail = WTERMSIG(status);
	} else {
		s->lastwhy = WIRE_W_EXIT;
		s->lastdetail = WEXITSTATUS(status);
	}
	s->lastend = now;
}

/* The main process of s ended with status. */
static void
svc_main_done(struct svctab *t, struct svc *s, int status, int64_t now)
{
	char text[128];
	int why, detail;

	if (s->execfd >= 0)
		svc_exec_ready(t, s, now);
	svc_exec_close(t, s);
	s->pid = 0;
	svc_ended(s, status, now);
	ready_down(s);
	if (s->state == WIRE_S_STOPPING) {
		if (s->offpid == 0)
			svc_stopped(s, now);
		return;
	}
	if (s->state == WIRE_S_FAILED)
		return;		/* killed by its ready-timeout */
	if (s->exec_errno != 0) {
		ident_describe(s->exec_errno, text, sizeof(text));
		svc_set_state(s, WIRE_S_EXECFAIL, WIRE_W_EXEC,
		    IDENT_CODE_ERRNO(s->exec_errno), text, now);
		return;
	}
	if ((s->flags & SVC_RESPAWN) && svc_restarts(s, status)) {
		svc_respawn_death(s, status, now);
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		svc_set_state(s, WIRE_S_DONE, WIRE_W_NONE, 0, NULL, now);
		return;
	}
	status_text(status, text, sizeof(text), &why, &detail);
	svc_set_state(s, WIRE_S_FAILED, why, detail, text, now);
}

void
svc_reaped(struct svctab *t, pid_t pid, int status, int64_t now)
{
	int i = pid_get(t, pid);
	struct svc *s;

	if (i < 0)
		return;
	s = &t->v[i];
	svc_changed(s);
	svc_forget_pid(t, pid);
	if (pid == s->offpid) {
		s->offpid = 0;
		svc_off_done(s, status, now);
	} else if (pid == s->pid)
		svc_main_done(t, s, status, now);
}

/* A stop step took too long: take the next one. */
static void
svc_stop_timer(struct svctab *t, struct svc *s, int64_t now)
{
	svc_changed(s);
	switch (s->stop) {
	case STOP_OFF:
		log_warn("%s: off program still running after %lld ms; killed",
		    s->name, (long long)svc_grace(s));
		svc_kill(s->offpid, SIGKILL);
		if (s->pid > 0) {
			svc_term(s, now);
			return;
		}
		s->stop = STOP_KILL;
		s->deadline = now + PINIT_KILL_WAIT_MS;
		return;
	case STOP_TERM:
		svc_kill(s->pid, SIGKILL);
		s->forced = 1;
		s->stop = STOP_KILL;
		s->deadline = now + PINIT_KILL_WAIT_MS;
		return;
	default:
		log_warn("%s: process %d did not die after SIGKILL; giving up "
		    "on it", s->name, (int)(s->pid > 0 ? s->pid : s->offpid));
		if (s->pid > 0)
			svc_forget_pid(t, s->pid);
		if (s->offpid > 0)
			svc_forget_pid(t, s->offpid);
		s->pid = s->offpid = 0;
		s->forced = 1;
		svc_stopped(s, now);
	}
}

void
svc_timers(struct svctab *t, int64_t now)
{
	struct svc *s;
	int p = 0, i;

	while ((i = svc_live_next(t, &p)) >= 0) {
		s = &t->v[i];
		if (s->deadline == 0 || s->deadline > now)
			continue;
		svc_hot(t, i);		/* a start put off till now, say */
		if (s->state == WIRE_S_STOPPING) {
			svc_stop_timer(t, s, now);
		} else if (s->state == WIRE_S_BACKOFF) {
			if (pinit.paused || pinit.shutdown != CMD_NONE ||
			    s->want != WANT_UP) {
				s->deadline = now + PINIT_RETRY_MS;
				continue;
			}
			s->restarts++;
			svc_start(t, s, now);
		} else if (ready_waiting(s)) {
			ready_expired(s, now);
		} else if (s->state != WIRE_S_WAITING)
			s->deadline = 0;
	}
}

int64_t
svc_deadline(struct svctab *t)
{
	const struct svc *s;
	int64_t d = -1;
	int p = 0, i;

	while ((i = svc_live_next(t, &p)) >= 0) {
		s = &t->v[i];
		if (s->deadline != 0 && (d < 0 || s->deadline < d))
			d = s->deadline;
		if (s->deadline == 0 && s->execfd < 0 && s->notifyfd < 0)
			svc_bit_clear(t->live, p - 1);
	}
	return d;
}

#ifdef PINIT_AUDIT
void
svc_audit(const struct svctab *t)
{
	const struct svc *s;
	int i;

	for (i = 0; i < t->n; i++) {
		s = &t->v[i];
		if ((s->deadline != 0 || s->execfd >= 0 || s->notifyfd >= 0) &&
		    !svc_bit(t->live, t->pos[i]))
			log_warn("audit: %s has a deadline or an fd but no "
			    "live bit", s->name);
	}
}
#endif

void
svc_adopt(struct svctab *t, struct svc *s)
{
	if (s->pid > 0)
		pid_put(t, s->pid, (int)(s - t->v));
	if (s->offpid > 0)
		pid_put(t, s->offpid, (int)(s - t->v));
}

void
svc_carry(struct svctab *nt, struct svc *n, const struct svc *o)
{
	int64_t *deaths = n->deaths;
	int k, nk, size = n->limit + 1, osize = o->limit + 1;

	svclog_carry(n, o);
	n->state = o->state;
	n->why = o->why;
	n->want = o->want;
	n->stop = o->stop;
	n->forced = o->forced;
	n->restart = o->restart;
	n->adopted = o->adopted;
	n->detail = o->detail;
	svc_set_info(n, o->info);
	n->pid = o->pid;
	n->offpid = o->offpid;
	n->execfd = o->execfd;
	n->exec_errno = o->exec_errno;
	n->since = o->since;
	n->started = o->started;
	n->deadline = o->deadline;
	n->quick = o->quick;
	n->restarts = o->restarts;
	n->lastwhy = o->lastwhy;
	n->lastdetail = o->lastdetail;
	n->lastend = o->lastend;
	ready_carry(n, o);
	/* The ring's newest entry is before its head: keep the newest. */
	nk = deaths == NULL || o->deaths == NULL ? 0 :
	    o->ndeaths < size ? o->ndeaths : size;
	for (k = 0; k < nk; k++)
		deaths[nk - 1 - k] = o->deaths[(o->death_head - 1 - k +
		    2 * osize) % osize];
	n->ndeaths = nk;
	n->death_head = nk % size;
	if (n->pid > 0 || n->offpid > 0)
		svc_adopt(nt, n);
}
