/*
 * fuzz-wire.c - fuzz the native message decoder: wire_check() on any
 * bytes, then every accessor a peer's message reaches.
 */
#include <config.h>

#include <string.h>

#include "fuzz.h"
#include "wire.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_svcx_view xv;
	struct wire_upd_view uv;
	struct wire_svc_view v;
	const uint8_t *nul;
	struct wire_msg m;
	size_t off = 0;
	int k;

	if (wire_check(data, size, &m) < 0)
		return 0;
	wire_name_ok((const char *)m.payload, m.h.len);
	wire_type_name(m.h.type);
	wire_code_text((unsigned)m.h.code);
	if (m.h.type == WIRE_T_STATUS && wire_get_svc(&m, &off, &v) == 1 &&
	    wire_get_svcx(&m, &off, &xv) == 1) {
		/* Touch every byte it points at: a bad length shows here. */
		if (memchr(xv.text, '\n', xv.x.textlen) != NULL &&
		    memchr(xv.log, '\0', xv.x.loglen) != NULL)
			return 0;
		off = 0;
	}
	/* The hot updates after VERSION's text, or alone after UPDATE. */
	nul = memchr(m.payload, '\0', m.h.len);
	if (m.h.type == WIRE_T_VERSION && nul != NULL)
		off = (size_t)(nul - m.payload) + 1;
	if ((m.h.type == WIRE_T_UPDATE || (m.h.type == WIRE_T_VERSION &&
	    nul != NULL)) && wire_get_upd(&m, &off, &uv) == 1 &&
	    memchr(uv.why, '\0', uv.u.whylen) != NULL)
		return 0;
	off = 0;
	if (m.h.type == WIRE_T_LIST)
		off = sizeof(uint32_t);
	for (k = 0; k < 4096 && wire_get_svc(&m, &off, &v) == 1; k++) {
		wire_state_name(v.s.state);
		if (v.s.namelen > 0 && v.name[0] == '\0')
			return 0;
	}
	return 0;
}
