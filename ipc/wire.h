/*
 * wire.h - the native control protocol of pinit.
 *
 * One format for every IPC backend and for the SysV compatibility
 * translation.  A message is a fixed 24-byte header followed by at most
 * WIRE_PAYLOAD_MAX bytes of payload, so that a whole message never exceeds
 * PIPE_BUF (4096) and a write of one message to a FIFO is atomic even with
 * many writers.  Integers are in host byte order: both ends run on the same
 * machine.  Every field is validated by wire_check() before anything else
 * looks at it.
 */
#ifndef PINIT_WIRE_H
#define PINIT_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define WIRE_MAGIC		0x31494e50u	/* "PNI1" read as bytes */
#define WIRE_VERSION		1
#define WIRE_MSG_MAX		4096		/* == PIPE_BUF on Linux */
#define WIRE_HDR_SIZE		24
#define WIRE_PAYLOAD_MAX	(WIRE_MSG_MAX - WIRE_HDR_SIZE)
#define WIRE_NAME_MAX		255		/* longest service name */
#define WIRE_INFO_MAX		255		/* longest detail text */

/* Header flags. */
#define WIRE_F_REPLY		0x0001		/* set on every reply */
#define WIRE_F_MORE		0x0002		/* a reply: more records follow */
#define WIRE_F_NOWAIT		0x0004		/* a request: do not wait for the end state */
#define WIRE_F_KNOWN		(WIRE_F_REPLY | WIRE_F_MORE | WIRE_F_NOWAIT)

struct wire_hdr {
	uint32_t	magic;
	uint16_t	version;
	uint16_t	type;		/* enum wire_type */
	uint16_t	flags;		/* WIRE_F_* */
	uint16_t	len;		/* payload bytes that follow the header */
	uint32_t	seq;		/* chosen by the client, echoed in the reply */
	int32_t		pid;		/* the client's pid; routes fifo and sysv replies */
	int32_t		code;		/* replies: enum wire_code; requests: 0 */
};

_Static_assert(sizeof(struct wire_hdr) == WIRE_HDR_SIZE, "wire header size");

struct wire_msg {
	struct wire_hdr	h;
	unsigned char	payload[WIRE_PAYLOAD_MAX];
};

_Static_assert(sizeof(struct wire_msg) == WIRE_MSG_MAX, "wire message size");

/*
 * Request types.  A reply carries the type of its request and WIRE_F_REPLY.
 * Payloads:
 *   VERSION              none; reply: text "pinit VERSION BACKEND", then
 *                        (a pinit that keeps an update generation) a NUL,
 *                        zero padding to a multiple of 4 and a wire_upd
 *   STATUS, START, STOP, RESTART
 *                        the service name (1..WIRE_NAME_MAX bytes, no NUL);
 *                        reply to STATUS: one wire_svc record, then one
 *                        wire_svcx (a client that knows no wire_svcx reads
 *                        the record alone)
 *   LIST                 uint32 cursor (0 for the first page); reply: uint32
 *                        next cursor, then wire_svc records; WIRE_F_MORE when
 *                        the client should ask again with the next cursor
 *   RELOAD, HALT, POWEROFF, REBOOT, RESCUE
 *                        none
 *   UPDATE               none, or the absolute path of the binary; reply:
 *                        a refusal's reason, or (taken) a wire_upd for
 *                        the update to come
 *   SETENV, UNSETENV     "KEY=VALUE" / "KEY"
 *   RUNLEVEL             one byte, the runlevel or profile letter; or a name
 *   NOTIFY               text "READY=1" and the like, from a service
 *   INITCTL              one byte: 1 open, 0 close /run/initctl
 *   POWER                one byte, sysvinit's power status letter: 'F'
 *                        power failing, 'L' failing now (battery low),
 *                        'O' power back
 *   LOG                  the service name; reply: uint64 bytes of output
 *                        kept so far, then the newest whole lines
 */
enum wire_type {
	WIRE_T_VERSION = 1,
	WIRE_T_STATUS,
	WIRE_T_LIST,
	WIRE_T_START,
	WIRE_T_STOP,
	WIRE_T_RESTART,
	WIRE_T_RELOAD,
	WIRE_T_SETENV,
	WIRE_T_UNSETENV,
	WIRE_T_HALT,
	WIRE_T_POWEROFF,
	WIRE_T_REBOOT,
	WIRE_T_RESCUE,
	WIRE_T_UPDATE,
	WIRE_T_RUNLEVEL,
	WIRE_T_NOTIFY,
	WIRE_T_INITCTL,
	WIRE_T_POWER,
	WIRE_T_LOG,
	WIRE_T_MAX = WIRE_T_LOG
};

/* Reply codes. */
enum wire_code {
	WIRE_OK = 0,
	WIRE_E_BADREQ,		/* malformed request */
	WIRE_E_VERSION,		/* protocol version not spoken */
	WIRE_E_PERM,		/* this peer may not do that */
	WIRE_E_NOSVC,		/* no such service */
	WIRE_E_BUSY,		/* shutting down: no state change accepted */
	WIRE_E_NOSYS,		/* not implemented by this build */
	WIRE_E_AGAIN,		/* out of resources: try again */
	WIRE_E_STATE,		/* not possible in the service's state */
	WIRE_E_MAX = WIRE_E_STATE
};

/* Service states, as PID 1 keeps them and as the client shows them. */
enum wire_state {
	WIRE_S_STOPPED = 0,
	WIRE_S_WAITING,		/* waiting for its dependencies */
	WIRE_S_STARTING,	/* forked, exec not yet confirmed */
	WIRE_S_RUNNING,
	WIRE_S_BACKOFF,		/* died; respawn is scheduled */
	WIRE_S_STOPPING,
	WIRE_S_DONE,		/* one-shot exited 0; group started */
	WIRE_S_FAILED,
	WIRE_S_EXECFAIL,	/* the program could not be executed */
	WIRE_S_MAX = WIRE_S_EXECFAIL
};

/* Why a service is in its state (mostly: why it failed or stopped). */
enum wire_why {
	WIRE_W_NONE = 0,
	WIRE_W_EXIT,		/* detail: exit status */
	WIRE_W_SIGNAL,		/* detail: signal number */
	WIRE_W_EXEC,		/* detail: errno of execve */
	WIRE_W_CRASHLOOP,	/* detail: deaths within the window */
	WIRE_W_DEPFAIL,		/* a needed service failed; info names it */
	WIRE_W_DEPMISSING,	/* a needed service does not exist; info names it */
	WIRE_W_CYCLE,		/* dependency cycle; info holds the path */
	WIRE_W_REQUEST,		/* stopped on request */
	WIRE_W_FORK,		/* detail: errno of fork/pipe; retrying */
	WIRE_W_MAX = WIRE_W_FORK
};

/* wire_svc flags */
#define WIRE_SVC_RESPAWN	0x01
#define WIRE_SVC_GROUP		0x02		/* no "on": groups others */
#define WIRE_SVC_FORCED		0x04		/* last stop needed SIGKILL */
#define WIRE_SVC_READY		0x08		/* up for its dependants */
#define WIRE_SVC_ADOPTED	0x10		/* its process was adopted after
						   a hot update */

/* wire_svc notify: the ways a service says it is ready; none: 0 */
#define WIRE_NOTIFY_FD		0x01		/* notification-fd */
#define WIRE_NOTIFY_SOCKET	0x02		/* NOTIFY_SOCKET */
#define WIRE_NOTIFY_IPC		0x04		/* pinitctl notify */

/*
 * One service in a STATUS or LIST reply: this fixed part, then namelen
 * bytes of name, then infolen bytes of text, then zero padding to a
 * multiple of 4 bytes.
 */
struct wire_svc {
	uint8_t		state;		/* enum wire_state */
	uint8_t		why;		/* enum wire_why */
	uint8_t		flags;		/* WIRE_SVC_* */
	uint8_t		namelen;
	uint8_t		infolen;
	uint8_t		notify;		/* WIRE_NOTIFY_* */
	uint8_t		pad[2];
	int32_t		pid;		/* 0 when no process runs */
	int32_t		detail;		/* exit code, signal or errno, by why */
	uint32_t	restarts;	/* respawns since the last start request */
	uint32_t	age;		/* seconds in the current state */
};

_Static_assert(sizeof(struct wire_svc) == 24, "wire_svc size");

/* A service record decoded from a reply, pointing into the message. */
struct wire_svc_view {
	struct wire_svc	s;
	const char	*name;		/* namelen bytes, not NUL-terminated */
	const char	*info;		/* infolen bytes, not NUL-terminated */
};

/* Where a service's output goes (wire_svcx.logmode). */
enum wire_log {
	WIRE_LOG_CONSOLE = 0,
	WIRE_LOG_NONE,
	WIRE_LOG_FILE,
	WIRE_LOG_SERVICE,	/* its log service NAME/log */
	WIRE_LOG_MAX = WIRE_LOG_SERVICE
};

#define WIRE_LOG_LINES		5	/* log lines a STATUS reply shows */
#define WIRE_LOG_LINE_MAX	200	/* bytes of one, newline excluded */

/* wire_svcx flags */
#define WIRE_SVCX_HIDDEN	0x01	/* log lines not for this peer */

/*
 * What a STATUS reply adds after its record: this fixed part, then
 * textlen bytes of the last STATUS= text, then loglen bytes of the
 * newest whole lines of its log (at most WIRE_LOG_LINES, each cut at
 * WIRE_LOG_LINE_MAX bytes and ended by a newline), then zero padding to
 * a multiple of 4 bytes.
 */
struct wire_svcx {
	uint32_t	stop_ms;	/* stop-timeout: signal to KILL */
	uint32_t	stopwait_ms;	/* the longest its stop may take */
	int32_t		lastdetail;	/* exit status or signal, by lastwhy */
	uint32_t	lastage;	/* seconds since it last ended */
	uint16_t	notifyfd;	/* notification-fd; 0: none */
	uint16_t	loglen;
	uint8_t		lastwhy;	/* WIRE_W_EXIT, _SIGNAL or _NONE */
	uint8_t		logmode;	/* enum wire_log */
	uint8_t		textlen;
	uint8_t		stopsig;	/* stop-signal */
	uint8_t		flags;		/* WIRE_SVCX_* */
	uint8_t		pad[3];
};

_Static_assert(sizeof(struct wire_svcx) == 28, "wire_svcx size");

/* A wire_svcx decoded from a reply, pointing into the message. */
struct wire_svcx_view {
	struct wire_svcx x;
	const char	*text;		/* textlen bytes, not NUL-terminated */
	const char	*log;		/* loglen bytes, not NUL-terminated */
};

/*
 * The hot updates of PID 1 (doc/decisions.md, "Hot update"): this fixed
 * part, then whylen bytes of text, then zero padding to a multiple of 4.
 * In a VERSION reply it tells how things stand; in the reply to an UPDATE
 * that was taken, what to wait for: the client asks VERSION until gen
 * reaches the gen it was given (the new image answers), or until attempt
 * reaches the attempt it was given while gen did not (that exec failed:
 * failed, err and the text say why).  An older pinit sends none, and an
 * older client reads none.
 */
struct wire_upd {
	uint32_t	gen;		/* the update generation: 0 at boot, +1
					   for each image that took over by a
					   hot update; UPDATE: the one to come */
	uint32_t	attempt;	/* the number of the last exec tried
					   since boot; UPDATE: this one's */
	uint32_t	failed;		/* the last attempt that failed; 0: none */
	int32_t		err;		/* its errno; 0: none */
	uint8_t		whylen;		/* the text saying why it failed */
	uint8_t		pad[3];
};

_Static_assert(sizeof(struct wire_upd) == 20, "wire_upd size");

/* A wire_upd decoded from a reply, pointing into the message. */
struct wire_upd_view {
	struct wire_upd	u;
	const char	*why;		/* whylen bytes, not NUL-terminated */
};

/* Start a message of the given type with an empty payload. */
void	wire_init(struct wire_msg *m, uint16_t type, uint32_t seq);
/* Append n bytes to the payload; -1 (EMSGSIZE) when it would not fit. */
int	wire_put(struct wire_msg *m, const void *p, size_t n);
/* Append one service record; -1 (EMSGSIZE) when it would not fit. */
int	wire_put_svc(struct wire_msg *m, const struct wire_svc *s,
	    const char *name, size_t namelen, const char *info, size_t infolen);
/*
 * Append the extra part of a STATUS reply; a text longer than
 * WIRE_INFO_MAX is cut to it.  -1 (EMSGSIZE) when it would not fit,
 * (EINVAL) when the log lines are longer than WIRE_LOG_LINES lines can be.
 */
int	wire_put_svcx(struct wire_msg *m, const struct wire_svcx *x,
	    const char *text, size_t textlen, const char *log, size_t loglen);
/*
 * Append a wire_upd after zero padding the payload to a multiple of 4; a
 * text longer than WIRE_INFO_MAX is cut to it.  -1 (EMSGSIZE) when it
 * would not fit.
 */
int	wire_put_upd(struct wire_msg *m, const struct wire_upd *u,
	    const char *why, size_t whylen);
/*
 * Decode the wire_upd at *off (rounded up to a multiple of 4) and advance
 * *off.  Returns 1 with *v filled, 0 when the reply ends there (an older
 * pinit), -1 (EBADMSG) when it does not fit.
 */
int	wire_get_upd(const struct wire_msg *m, size_t *off,
	    struct wire_upd_view *v);
/*
 * Validate n received bytes as one message and copy them into *out.
 * Returns 0, or -1 with errno EBADMSG (bad magic, length, type or flags)
 * or EPROTO (a version this side does not speak).
 */
int	wire_check(const void *buf, size_t n, struct wire_msg *out);
/*
 * Decode the record at *off in a reply payload (start with *off = the
 * first record's offset); advance *off.  Returns 1 with *v filled, 0 at
 * the end, -1 (EBADMSG) when the record does not fit the payload.
 */
int	wire_get_svc(const struct wire_msg *m, size_t *off,
	    struct wire_svc_view *v);
/*
 * Decode the wire_svcx at *off (after the record of a STATUS reply) and
 * advance *off.  Returns 1 with *v filled, 0 when the reply ends there
 * (an older pinit), -1 (EBADMSG) when it does not fit or checks out.
 */
int	wire_get_svcx(const struct wire_msg *m, size_t *off,
	    struct wire_svcx_view *v);
/*
 * Make req ready to leave as a client's request: rep must be there and
 * req's payload fit; req gets the next sequence number of *seq (never 0)
 * and the client's pid.  Returns 0, or -1 with errno EINVAL.
 */
int	wire_stamp(struct wire_msg *req, const struct wire_msg *rep,
	    uint32_t *seq, int32_t pid);
/* A service name as the protocol accepts it: 1..255 printable bytes, a
 * relative path without empty, "." or ".." components. */
int	wire_name_ok(const char *name, size_t n);

const char	*wire_state_name(unsigned state);
const char	*wire_code_text(unsigned code);
const char	*wire_type_name(unsigned type);

#endif /* PINIT_WIRE_H */
