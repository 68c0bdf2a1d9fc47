/*
 * ipc.h - the whole interface of an IPC backend.
 *
 * Exactly one of socket.c, fifo.c and sysv.c is linked into pinit and
 * pinitctl; each implements every function below.  The server half runs
 * inside PID 1 and must never block: every fd it owns is non-blocking, and
 * every client has a deadline after which it is dropped.  Deadlines and
 * times are milliseconds of CLOCK_MONOTONIC (ipc_now()).
 */
#ifndef PINIT_IPC_H
#define PINIT_IPC_H

#include <poll.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "wire.h"

/* Who sent a request, as far as the backend can tell. */
struct ipc_peer {
	pid_t	pid;		/* from the kernel when known, else from the header */
	uid_t	uid;
	int	uid_known;	/* 0: the backend cannot tell (then mode 0600 guards) */
};

/*
 * The request handler PID 1 gives to the backend: it fills *rep (already
 * initialised as a reply to *req) and must not block.
 */
typedef void	ipc_dispatch_fn(const struct ipc_peer *, const struct wire_msg *req,
		    struct wire_msg *rep);

/* Limits of the server half. */
#define IPC_CLIENTS_MAX		64	/* clients served at once */
#define IPC_CLIENT_TIMEOUT_MS	5000	/* a client idle this long is dropped */
#define IPC_BATCH_MAX		32	/* requests handled per loop turn */

/* The backend's name: "socket", "fifo" or "sysv". */
const char	*ipc_name(void);

/*
 * Server half, in PID 1.
 *
 * ipc_server_open() creates the control endpoint under rundir (or the
 * backend's own place) and may be called again after a failure, e.g. when
 * /run becomes writable; it returns 0, or -1 with errno set and the
 * endpoint closed.  ipc_server_fds() appends the fds to watch to pfd (at
 * most max) and returns how many it added.  ipc_server_run() is called after
 * every poll() with the same entries (revents filled) and does all the
 * work: accept, read, dispatch, reply, expire stalled clients.
 * ipc_server_deadline() returns the nearest time at which ipc_server_run()
 * must be called even without events, or -1.  ipc_server_close() closes
 * everything (the path is left for the next instance to replace).
 */
int	ipc_server_open(const char *rundir);
/*
 * The signal a client sends PID 1 to wake it up after a request that no fd
 * shows (the sysv backend's doorbell), or 0 when the backend needs none.
 * PID 1 blocks it and reads it from its signalfd; ipc_server_run() is
 * called at every wake-up, fds ready or not.
 */
int	ipc_server_signal(void);
int	ipc_server_fds(struct pollfd *pfd, int max);
void	ipc_server_run(struct pollfd *pfd, int n, int64_t now, ipc_dispatch_fn *fn);
int64_t	ipc_server_deadline(void);
void	ipc_server_close(void);
int	ipc_server_is_open(void);

/*
 * Hot update (src/update.c).  ipc_server_export() drops every client in
 * flight (they see the connection end and may retry), clears FD_CLOEXEC on
 * the endpoint's fds so that they survive execve(), and puts them in fds
 * (at most max); it returns how many.  In the new image,
 * ipc_server_adopt() takes those fds over instead of ipc_server_open(),
 * so that no client is refused while pinit re-executes; it checks that
 * each fd is still the endpoint at rundir and returns 0, or -1 (the fds
 * closed) when they are not: then call ipc_server_open().
 */
int	ipc_server_export(int *fds, int max);
int	ipc_server_adopt(const char *rundir, const int *fds, int n);

/*
 * Client half, in pinitctl and services.  Each call has an absolute
 * deadline; on timeout it returns -1 with errno ETIMEDOUT.
 * ipc_client_call() sends *req (its seq and pid are filled in) and waits
 * for the reply with the same seq, which it validates with wire_check().
 */
int	ipc_client_open(const char *rundir, int64_t deadline);
int	ipc_client_call(struct wire_msg *req, struct wire_msg *rep, int64_t deadline);
void	ipc_client_close(void);

/* Milliseconds of CLOCK_MONOTONIC. */
static inline int64_t
ipc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif /* PINIT_IPC_H */
