/*
 * serve.h - what a server does with one request, whatever carried it.
 *
 * Every backend reads whole messages, from a socket, a FIFO or a queue;
 * this is the part they share: validate, dispatch, and make a reply that
 * is valid whatever the dispatcher did.
 */
#ifndef PINIT_SERVE_H
#define PINIT_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "ipc.h"
#include "wire.h"

/*
 * Validate n received bytes at buf as a request and copy it to *req.
 * need_pid: the backend routes replies by the header's pid (fifo, sysv),
 * which must then be set; the socket has the kernel's word instead.
 * Returns WIRE_OK, or the code of the error reply it deserves.
 */
int32_t	serve_check(struct wire_msg *req, const void *buf, size_t n,
	    int need_pid);
/*
 * The pid a reply to the n bytes at buf goes to, read from the header
 * even when the rest is bad; 0 when there is no such header.
 */
int32_t	serve_pid(const void *buf, size_t n);
/* Make *rep the error reply code to the n bytes at buf. */
void	serve_refusal(struct wire_msg *rep, const void *buf, size_t n,
	    int32_t code);
/* Dispatch a valid request to fn and make *rep its sealed reply. */
void	serve_request(const struct ipc_peer *peer, const struct wire_msg *req,
	    struct wire_msg *rep, ipc_dispatch_fn *fn);

#endif /* PINIT_SERVE_H */
