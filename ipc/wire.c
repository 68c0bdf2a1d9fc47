/*
 * wire.c - build, validate and decode messages of the native protocol.
 *
 * Nothing here trusts its input: every length is checked against the
 * message before a byte is read, and a record that does not fit is an
 * error, never a read past the end.  The fixed part of a record is copied
 * out with memcpy() because records need not be aligned in the payload.
 */
#include <config.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wire.h"

#define WIRE_SVC_FIXED	sizeof(struct wire_svc)
#define WIRE_ALIGN(n)	(((n) + 3) & ~(size_t)3)

static const char *const wire_states[] = {
	"stopped", "waiting", "starting", "running", "backoff",
	"stopping", "done", "failed", "exec-failed"
};

static const char *const wire_codes[] = {
	"ok", "malformed request", "protocol version mismatch",
	"permission denied", "no such service", "shutting down",
	"not implemented", "try again", "not possible in this state"
};

static const char *const wire_types[] = {
	"unknown", "version", "status", "list", "start", "stop", "restart",
	"reload", "setenv", "unsetenv", "halt", "poweroff", "reboot",
	"rescue", "update", "runlevel", "notify", "initctl", "power",
	"log"
};

_Static_assert(sizeof(wire_states) / sizeof(wire_states[0]) ==
    WIRE_S_MAX + 1, "a name for every state");
_Static_assert(sizeof(wire_codes) / sizeof(wire_codes[0]) ==
    WIRE_E_MAX + 1, "a text for every code");
_Static_assert(sizeof(wire_types) / sizeof(wire_types[0]) ==
    WIRE_T_MAX + 1, "a name for every type");

/* Start a message of the given type with an empty payload. */
void
wire_init(struct wire_msg *m, uint16_t type, uint32_t seq)
{
	memset(&m->h, 0, sizeof(m->h));
	m->h.magic = WIRE_MAGIC;
	m->h.version = WIRE_VERSION;
	m->h.type = type;
	m->h.seq = seq;
}

/* Append n bytes to the payload; -1 (EMSGSIZE) when they do not fit. */
int
wire_put(struct wire_msg *m, const void *p, size_t n)
{
	if (m->h.len > WIRE_PAYLOAD_MAX ||
	    n > (size_t)WIRE_PAYLOAD_MAX - m->h.len) {
		errno = EMSGSIZE;
		return -1;
	}
	if (n > 0)
		memcpy(m->payload + m->h.len, p, n);
	m->h.len += (uint16_t)n;
	return 0;
}

/*
 * Append a fixed record of reclen bytes, then alen bytes of a and blen of
 * b, zero-padded to WIRE_ALIGN; EMSGSIZE when the payload has no room.
 */
static int
wire_append(struct wire_msg *m, const void *rec, size_t reclen,
    const void *a, size_t alen, const void *b, size_t blen)
{
	size_t need = WIRE_ALIGN(reclen + alen + blen), at;

	if (m->h.len > WIRE_PAYLOAD_MAX ||
	    need > (size_t)WIRE_PAYLOAD_MAX - m->h.len) {
		errno = EMSGSIZE;
		return -1;
	}
	at = m->h.len;
	memset(m->payload + at, 0, need);
	memcpy(m->payload + at, rec, reclen);
	if (alen > 0)
		memcpy(m->payload + at + reclen, a, alen);
	if (blen > 0)
		memcpy(m->payload + at + reclen + alen, b, blen);
	m->h.len += (uint16_t)need;
	return 0;
}

/*
 * Append one service record with its name, text and padding.  A name
 * outside 1..WIRE_NAME_MAX bytes is refused (EINVAL); a text longer than
 * WIRE_INFO_MAX is cut to that length, since a shortened reason is more
 * use to the reader than none.
 */
int
wire_put_svc(struct wire_msg *m, const struct wire_svc *s,
    const char *name, size_t namelen, const char *info, size_t infolen)
{
	struct wire_svc rec;

	if (namelen < 1 || namelen > WIRE_NAME_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (info == NULL)
		infolen = 0;
	if (infolen > WIRE_INFO_MAX)
		infolen = WIRE_INFO_MAX;
	rec = *s;
	rec.namelen = (uint8_t)namelen;
	rec.infolen = (uint8_t)infolen;
	memset(rec.pad, 0, sizeof(rec.pad));
	return wire_append(m, &rec, WIRE_SVC_FIXED, name, namelen, info,
	    infolen);
}

#define WIRE_SVCX_FIXED	sizeof(struct wire_svcx)
/* The longest log lines of a wire_svcx. */
#define WIRE_SVCX_LOG_MAX	(WIRE_LOG_LINES * (WIRE_LOG_LINE_MAX + 1))

/*
 * Append the extra part of a STATUS reply with its text, its log lines
 * and padding.  The text is cut to WIRE_INFO_MAX as a record's is.
 */
int
wire_put_svcx(struct wire_msg *m, const struct wire_svcx *x,
    const char *text, size_t textlen, const char *log, size_t loglen)
{
	struct wire_svcx rec;

	if (text == NULL)
		textlen = 0;
	if (textlen > WIRE_INFO_MAX)
		textlen = WIRE_INFO_MAX;
	if (log == NULL)
		loglen = 0;
	if (loglen > WIRE_SVCX_LOG_MAX) {
		errno = EINVAL;
		return -1;
	}
	rec = *x;
	rec.textlen = (uint8_t)textlen;
	rec.loglen = (uint16_t)loglen;
	memset(rec.pad, 0, sizeof(rec.pad));
	return wire_append(m, &rec, WIRE_SVCX_FIXED, text, textlen, log,
	    loglen);
}

/*
 * Copy the fixed part (reclen bytes) of the record at off in a reply
 * payload into rec, and store in *left the bytes from off to the end:
 * 1, 0 at the end of the payload, -1 (EBADMSG) when it does not fit.
 */
static int
wire_take(const struct wire_msg *m, size_t off, void *rec, size_t reclen,
    size_t *left)
{
	size_t len = m->h.len;

	if (len > WIRE_PAYLOAD_MAX || off > len) {
		errno = EBADMSG;
		return -1;
	}
	if (off == len)
		return 0;
	*left = len - off;
	if (*left < reclen) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(rec, m->payload + off, reclen);
	return 1;
}

/* Decode the extra part of a STATUS reply at *off; advance *off. */
int
wire_get_svcx(const struct wire_msg *m, size_t *off,
    struct wire_svcx_view *v)
{
	struct wire_svcx x;
	size_t left, need;
	int r;

	if ((r = wire_take(m, *off, &x, WIRE_SVCX_FIXED, &left)) <= 0)
		return r;
	if (x.loglen > WIRE_SVCX_LOG_MAX || x.logmode > WIRE_LOG_MAX ||
	    (x.lastwhy != WIRE_W_NONE && x.lastwhy != WIRE_W_EXIT &&
	    x.lastwhy != WIRE_W_SIGNAL))
		goto bad;
	need = WIRE_ALIGN(WIRE_SVCX_FIXED + (size_t)x.textlen + x.loglen);
	if (need > left)
		goto bad;
	v->x = x;
	v->text = (const char *)m->payload + *off + WIRE_SVCX_FIXED;
	v->log = v->text + x.textlen;
	*off += need;
	return 1;
bad:
	errno = EBADMSG;
	return -1;
}

#define WIRE_UPD_FIXED	sizeof(struct wire_upd)

int
wire_put_upd(struct wire_msg *m, const struct wire_upd *u,
    const char *why, size_t whylen)
{
	static const char zero[4];
	struct wire_upd rec;

	if (why == NULL)
		whylen = 0;
	if (whylen > WIRE_INFO_MAX)
		whylen = WIRE_INFO_MAX;
	if (m->h.len > WIRE_PAYLOAD_MAX || WIRE_ALIGN(m->h.len) + WIRE_ALIGN(
	    WIRE_UPD_FIXED + whylen) > WIRE_PAYLOAD_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	(void)wire_put(m, zero, WIRE_ALIGN(m->h.len) - m->h.len);
	rec = *u;
	rec.whylen = (uint8_t)whylen;
	memset(rec.pad, 0, sizeof(rec.pad));
	return wire_append(m, &rec, WIRE_UPD_FIXED, why, whylen, NULL, 0);
}

int
wire_get_upd(const struct wire_msg *m, size_t *off, struct wire_upd_view *v)
{
	struct wire_upd u;
	size_t left, at = WIRE_ALIGN(*off);
	int r;

	if (m->h.len > WIRE_PAYLOAD_MAX || *off > m->h.len) {
		errno = EBADMSG;
		return -1;
	}
	if (at >= m->h.len)
		return 0;
	if ((r = wire_take(m, at, &u, WIRE_UPD_FIXED, &left)) <= 0)
		return r;
	if (WIRE_ALIGN(WIRE_UPD_FIXED + (size_t)u.whylen) > left) {
		errno = EBADMSG;
		return -1;
	}
	v->u = u;
	v->why = (const char *)m->payload + at + WIRE_UPD_FIXED;
	*off = at + WIRE_ALIGN(WIRE_UPD_FIXED + (size_t)u.whylen);
	return 1;
}

/* Check the header fields that do not depend on the received size. */
static int
wire_check_hdr(const struct wire_hdr *h)
{
	if (h->type < 1 || h->type > WIRE_T_MAX)
		return -1;
	if ((h->flags & ~WIRE_F_KNOWN) != 0)
		return -1;
	if ((h->flags & WIRE_F_REPLY) != 0)
		return h->code >= 0 && h->code <= WIRE_E_MAX ? 0 : -1;
	return h->code == 0 ? 0 : -1;
}

/*
 * Validate n received bytes as one message and copy them into *out (which
 * may be buf itself, or NULL to validate only).
 */
int
wire_check(const void *buf, size_t n, struct wire_msg *out)
{
	struct wire_hdr h;

	if (buf == NULL || n < WIRE_HDR_SIZE || n > WIRE_MSG_MAX)
		goto bad;
	memcpy(&h, buf, sizeof(h));
	if (h.magic != WIRE_MAGIC)
		goto bad;
	if (h.version != WIRE_VERSION) {
		errno = EPROTO;
		return -1;
	}
	if (h.len > WIRE_PAYLOAD_MAX || n != WIRE_HDR_SIZE + (size_t)h.len)
		goto bad;
	if (wire_check_hdr(&h) == -1)
		goto bad;
	if (out != NULL)
		memmove(out, buf, n);
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}

/* Decode the record at *off in a reply payload and advance *off past it. */
int
wire_get_svc(const struct wire_msg *m, size_t *off, struct wire_svc_view *v)
{
	struct wire_svc s;
	size_t left, need;
	int r;

	if ((r = wire_take(m, *off, &s, WIRE_SVC_FIXED, &left)) <= 0)
		return r;
	need = WIRE_ALIGN(WIRE_SVC_FIXED + (size_t)s.namelen + s.infolen);
	if (s.namelen < 1 || need > left)
		goto bad;
	if (s.state > WIRE_S_MAX || s.why > WIRE_W_MAX)
		goto bad;
	v->s = s;
	v->name = (const char *)m->payload + *off + WIRE_SVC_FIXED;
	v->info = v->name + s.namelen;
	*off += need;
	return 1;
bad:
	errno = EBADMSG;
	return -1;
}

/* Check one component of a service name: not empty, ".", or "..". */
static int
wire_component_ok(const char *c, size_t n)
{
	if (n == 0)
		return 0;
	if (n == 1 && c[0] == '.')
		return 0;
	if (n == 2 && c[0] == '.' && c[1] == '.')
		return 0;
	return 1;
}

/*
 * Tell whether name is a service name the protocol accepts: 1..255 bytes
 * of printable ASCII without spaces, a relative path whose components are
 * neither empty nor "." nor "..".
 */
int
wire_name_ok(const char *name, size_t n)
{
	size_t i, start;

	if (name == NULL || n < 1 || n > WIRE_NAME_MAX)
		return 0;
	start = 0;
	for (i = 0; i < n; i++) {
		if ((unsigned char)name[i] <= ' ' ||
		    (unsigned char)name[i] >= 0x7f)
			return 0;
		if (name[i] != '/')
			continue;
		if (!wire_component_ok(name + start, i - start))
			return 0;
		start = i + 1;
	}
	return wire_component_ok(name + start, n - start);
}

/* The name of a service state, "unknown" when out of range. */
const char *
wire_state_name(unsigned state)
{
	if (state > WIRE_S_MAX)
		return "unknown";
	return wire_states[state];
}

/* The text of a reply code, "unknown" when out of range. */
const char *
wire_code_text(unsigned code)
{
	if (code > WIRE_E_MAX)
		return "unknown";
	return wire_codes[code];
}

/* The name of a request type, "unknown" when out of range. */
const char *
wire_type_name(unsigned type)
{
	if (type < 1 || type > WIRE_T_MAX)
		return "unknown";
	return wire_types[type];
}

int
wire_stamp(struct wire_msg *req, const struct wire_msg *rep, uint32_t *seq,
    int32_t pid)
{
	if (req == NULL || rep == NULL || req->h.len > WIRE_PAYLOAD_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (++*seq == 0)
		*seq = 1;
	req->h.seq = *seq;
	req->h.pid = pid;
	return 0;
}
