/*
 * sysv.h - the names and layout of the sysv backend's message queues.
 *
 * Shared by ipc/sysv.c and the test programs, so that a test finds the
 * queues of a rundir the way pinit and pinitctl do.  A rundir has two
 * queues: requests at key K, which only PID 1 reads (so the queue's
 * msg_lrpid names PID 1), and replies at key K + 1, where each client
 * takes the messages whose mtype is its pid.  K is the configured key
 * (--with-msgq-key) for the default rundir, and the configured key XOR a
 * hash of the rundir for any other (doc/decisions.md, IPC backends).
 */
#ifndef PINIT_SYSV_H
#define PINIT_SYSV_H

#include <sys/types.h>
#include <sys/ipc.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "paths.h"
#include "wire.h"

#define SYSV_T_REQUEST	1		/* mtype of a request */
#define SYSV_T_HELLO	2		/* mtype of PID 1's message to itself */
#define SYSV_MODE	0600		/* both queues: root only */
#define SYSV_DOORBELL	(SIGRTMIN + 10)	/* a client rings PID 1 with it */

/* One queued message: the mtype, then one wire message (or less). */
struct sysv_msg {
	long		mtype;
	struct wire_msg	m;
	unsigned char	over;		/* room to see an oversized one */
};

/*
 * The request and reply keys of rundir (trailing slashes ignored).
 * Returns 0, or -1 with errno ENOENT for an empty rundir.
 */
static inline int
sysv_keys(const char *rundir, key_t *req, key_t *rep)
{
	uint32_t k, h;
	size_t n, i;

	if (rundir == NULL || rundir[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	n = strlen(rundir);
	while (n > 1 && rundir[n - 1] == '/')
		n--;
	k = (uint32_t)PINIT_MSGQ_KEY;
	if (n != strlen(PINIT_RUNDIR) || memcmp(rundir, PINIT_RUNDIR, n) != 0) {
		h = 2166136261u;		/* FNV-1a, 32 bits */
		for (i = 0; i < n; i++)
			h = (h ^ (unsigned char)rundir[i]) * 16777619u;
		h &= 0x7ffffffeu;		/* K and K + 1 stay apart */
		k ^= h != 0 ? h : 2;
		if (k == 0)			/* never IPC_PRIVATE */
			k = 2;
	}
	*req = (key_t)k;
	*rep = (key_t)(k + 1);
	return 0;
}

#endif /* PINIT_SYSV_H */
