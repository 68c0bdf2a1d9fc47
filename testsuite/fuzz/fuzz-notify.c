/*
 * fuzz-notify.c - fuzz the parser of readiness notifications (the
 * datagrams of NOTIFY_SOCKET and the text of a NOTIFY request).
 *
 * Input: the datagram as it would arrive.  The parse must never read
 * outside it, must refuse a NUL byte and anything over READY_MSG_MAX,
 * and what it returns must point into the input.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pinit.h"
#include "ready.h"

struct pinit	pinit;		/* PID 1's state, unused but linked */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	struct ready_msg m;
	int r;

	r = ready_parse(b, size, &m);
	if ((size > READY_MSG_MAX || memchr(b, '\0', size) != NULL) != (r < 0))
		abort();
	if (r < 0)
		return 0;
	if (m.status != NULL && (m.status < b || m.status + m.statuslen >
	    b + size))
		abort();
	if ((m.ready != 0 && m.ready != 1) || m.mainpid < -1 ||
	    m.mainpid == 1)
		abort();
	return 0;
}
