/*
 * serve.c - validate a request, dispatch it and seal its reply.
 *
 * Nothing here knows how the bytes came or how the reply leaves: every
 * backend calls it for each message it takes in.  A reply always
 * leaves with the request's type, seq and pid, a known code and a length
 * that fits, so that a dispatcher's mistake cannot reach the client.
 */
#include <config.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ipc.h"
#include "serve.h"
#include "wire.h"

/* Validate n bytes at buf as a request: WIRE_OK or an error code. */
int32_t
serve_check(struct wire_msg *req, const void *buf, size_t n, int need_pid)
{
	if (n > sizeof(*req))
		return WIRE_E_BADREQ;
	if (wire_check(buf, n, req) == -1)
		return errno == EPROTO ? WIRE_E_VERSION : WIRE_E_BADREQ;
	if ((req->h.flags & WIRE_F_REPLY) != 0 || (need_pid && req->h.pid <= 0))
		return WIRE_E_BADREQ;
	return WIRE_OK;
}

/* The pid in the header at buf, or 0 when there is no header. */
int32_t
serve_pid(const void *buf, size_t n)
{
	struct wire_hdr h;

	if (buf == NULL || n < sizeof(h))
		return 0;
	memcpy(&h, buf, sizeof(h));
	if (h.magic != WIRE_MAGIC)
		return 0;
	return h.pid > 0 ? h.pid : 0;
}

/*
 * Make the error reply code to the bytes at buf, echoing their seq and
 * type when they can be read; a reply must carry a valid type, so VERSION
 * stands in for one that is not.
 */
void
serve_refusal(struct wire_msg *rep, const void *buf, size_t n, int32_t code)
{
	struct wire_hdr h;
	uint16_t type;
	uint32_t seq;

	type = WIRE_T_VERSION;
	seq = 0;
	memset(&h, 0, sizeof(h));
	if (buf != NULL && n >= sizeof(h)) {
		memcpy(&h, buf, sizeof(h));
		if (h.type >= 1 && h.type <= WIRE_T_MAX)
			type = h.type;
		seq = h.seq;
	}
	wire_init(rep, type, seq);
	rep->h.flags = WIRE_F_REPLY;
	rep->h.code = code;
	rep->h.pid = serve_pid(buf, n);
}

/* Undo what a dispatcher may have broken in a reply's header. */
static void
serve_seal(struct wire_msg *rep, const struct wire_msg *req)
{
	rep->h.magic = WIRE_MAGIC;
	rep->h.version = WIRE_VERSION;
	rep->h.type = req->h.type;
	rep->h.seq = req->h.seq;
	rep->h.pid = req->h.pid;
	rep->h.flags = (rep->h.flags & (WIRE_F_KNOWN & ~WIRE_F_NOWAIT)) |
	    WIRE_F_REPLY;
	if (rep->h.len > WIRE_PAYLOAD_MAX || rep->h.code < 0 ||
	    rep->h.code > WIRE_E_MAX) {
		rep->h.len = 0;
		rep->h.flags = WIRE_F_REPLY;
		rep->h.code = WIRE_E_AGAIN;
	}
}

/* Dispatch a valid request to fn and make *rep its sealed reply. */
void
serve_request(const struct ipc_peer *peer, const struct wire_msg *req,
    struct wire_msg *rep, ipc_dispatch_fn *fn)
{
	wire_init(rep, req->h.type, req->h.seq);
	rep->h.flags = WIRE_F_REPLY;
	rep->h.pid = req->h.pid;
	if (fn != NULL)
		fn(peer, req, rep);
	else
		rep->h.code = WIRE_E_NOSYS;
	serve_seal(rep, req);
}
