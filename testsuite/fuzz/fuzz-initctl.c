/*
 * fuzz-initctl.c - fuzz the /run/initctl reader: each input is written
 * into a real FIFO served by compat/initctl.c, read with its framing and
 * turned into native requests, which must all pass wire_check().
 */
#include <config.h>

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "initctl.h"
#include "pinit.h"

#define INPUT_MAX	(16 * INITCTL_SIZE)

struct pinit	pinit;			/* PID 1's state: not shutting down */

static char	fifo[PATH_MAX];

/*
 * The dispatcher, as the reader sees it: every request the translation
 * makes must be a valid native message.  A bad one is a finding.
 */
void
control_dispatch_by(const char *by, const struct wire_msg *req,
    struct wire_msg *rep)
{
	struct wire_msg m;

	(void)by;
	if (wire_check(req, WIRE_HDR_SIZE + req->h.len, &m) < 0)
		abort();
	wire_init(rep, req->h.type, req->h.seq);
	rep->h.flags |= WIRE_F_REPLY;
}

/* Serve a FIFO in a scratch directory, once per process. */
static int
fifo_setup(void)
{
	char dir[64];

	if (fifo[0] != '\0')
		return 0;
	snprintf(dir, sizeof(dir), "%s/pinit-fuzz.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(fifo, sizeof(fifo), "%s/initctl", dir);
	initctl_setup(fifo, 0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pollfd pfd[4];
	int fd, n, k;

	if (size > INPUT_MAX || fifo_setup() < 0)
		return 0;
	fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size > 0 && write(fd, data, size) < 0)
		size = 0;
	close(fd);
	for (k = 0; k < INPUT_MAX / INITCTL_SIZE + 2; k++) {
		n = initctl_fds(pfd, 4);
		if (n == 0)
			break;
		pfd[0].revents = POLLIN;
		initctl_run(pfd, n, 0);
	}
	return 0;
}
