/*
 * ready.h - readiness: when a started service may count as up.
 *
 * A service says how it tells (doc/decisions.md, "Readiness"): a newline
 * on its notification fd (s6), a datagram on NOTIFY_SOCKET (systemd) or
 * "pinitctl notify ready" (pinit's own IPC).  Until it does, it stays
 * starting and its dependants wait; ready-timeout fails it.
 */
#ifndef PINIT_READY_H
#define PINIT_READY_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipc.h"
#include "wire.h"

/* svc.readyhow */
#define READY_FD		0x01	/* notification-fd */
#define READY_SOCKET		0x02	/* notify: socket (NOTIFY_SOCKET) */
#define READY_IPC		0x04	/* notify: pinitctl */

#define READY_MSG_MAX		4096	/* longest datagram taken */
#define READY_FD_MIN		3	/* notification-fd bounds */
#define READY_FD_MAX		1023
#define READY_TIMEOUT_MAX_MS	86400000	/* ready-timeout: a day */
#define READY_BATCH		32	/* datagrams read per turn */
#define READY_PPID_DEPTH	16	/* parents walked to a service */

struct svc;
struct svctab;

/* What one notification says; status points into the parsed text. */
struct ready_msg {
	int		ready;		/* READY=1 */
	int		stopping;	/* STOPPING=1 */
	pid_t		mainpid;	/* MAINPID=N; 0 none, -1 bad */
	const char	*status;	/* STATUS=..., NULL when absent */
	size_t		statuslen;
	int		unknown;	/* lines ignored */
};

/*
 * Parse n bytes of "KEY=VALUE" lines (a datagram, or what follows the
 * name of a NOTIFY request).  Returns 0, or -1 with errno EBADMSG when
 * the text holds a NUL byte or is longer than READY_MSG_MAX.
 */
int	ready_parse(const char *buf, size_t n, struct ready_msg *m);

/* Read notification-fd, notify and ready-timeout of service s (dirfd). */
void	ready_load(int dirfd, struct svc *s);
/* The "NOTIFY_SOCKET=@..." entry services get; filled once it opens. */
const char *ready_env(void);

/* Before the start of s: make its notification pipe; -1 on failure. */
int	ready_prepare(struct svc *s);
/* After the fork (pid < 0: it failed): PID 1 keeps the read end only. */
void	ready_spawned(struct svc *s, pid_t pid);
/* Is a notification pipe waiting for the next start's child? */
int	ready_forking(void);
/*
 * In the child: put the notification pipe at its number (moving *execw,
 * the exec pipe, out of the way); returns that number, or -1.
 */
int	ready_child(int *execw);
/*
 * The exec of s succeeded: 1 when it must now wait for readiness (its
 * state says so and its timer runs), 0 when it counts as running.
 */
int	ready_wait(struct svc *s, int64_t now);
/* Is s starting and waiting to say it is ready? */
int	ready_waiting(const struct svc *s);
/* The ready-timeout of s ran out: fail it and kill its process. */
void	ready_expired(struct svc *s, int64_t now);
/* The main process of s ended: forget its notification channel. */
void	ready_down(struct svc *s);
/* Carry the readiness state of o into n (reload, update). */
void	ready_carry(struct svc *n, const struct svc *o);
/* The notification socket, or -1 when it is not open. */
int	ready_socket(void);
/*
 * Hot update: on 1, keep the socket and every notification fd open
 * across the exec (the state names them); on 0, close them on exec again.
 */
void	ready_inherit(const struct svctab *, int on);
/*
 * The new image: take over the socket sock (0: none) and the
 * notification fds the state put into t, closing those that are not
 * what they say; a service still waiting whose every way to say it is
 * ready is gone is taken as ready.
 */
void	ready_adopt(struct svctab *, int sock, int64_t now);

/* The poll loop: the socket and every notification fd. */
int	ready_fds(struct svctab *, struct pollfd *pfd, int max);
void	ready_run(struct svctab *, struct pollfd *pfd, int n, int64_t now);

/* NOTIFY from pinitctl: "NAME\nKEY=VALUE\n...", checked against peer. */
void	ready_request(const struct ipc_peer *, const struct wire_msg *req,
	    struct wire_msg *rep);

#endif /* PINIT_READY_H */
