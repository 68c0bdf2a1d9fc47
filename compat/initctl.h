/*
 * initctl.h - sysvinit's /run/initctl request, byte for byte, and the shim
 * that serves it in PID 1.
 *
 * The layout is sysvinit's struct init_request (initreq.h): four ints in
 * host byte order and a 368-byte data area, 384 bytes in all.  The magic
 * number only frames requests; it is not a credential (the FIFO's mode
 * 0600 is what keeps other users out).
 *
 * compat/initctl.c serves the FIFO and translates each request into a
 * native one for control.c; compat/telinit.c is pinit run as telinit.
 * With --disable-initctl, compat/initctl-none.c replaces both with stubs.
 */
#ifndef PINIT_INITCTL_H
#define PINIT_INITCTL_H

#include <poll.h>
#include <stdint.h>

#define INITCTL_MAGIC		0x03091969
#define INITCTL_SIZE		384
#define INITCTL_DATA_SIZE	368
#define INITCTL_ENV_MAX		16	/* INIT_* variables kept at most */
#define INITCTL_SLEEP_MAX	300	/* longest sleeptime used, seconds */

enum initctl_cmd {
	INITCTL_CMD_START = 0,
	INITCTL_CMD_RUNLVL = 1,
	INITCTL_CMD_POWERFAIL = 2,
	INITCTL_CMD_POWERFAILNOW = 3,
	INITCTL_CMD_POWEROK = 4,
	INITCTL_CMD_BSD = 5,
	INITCTL_CMD_SETENV = 6,
	INITCTL_CMD_UNSETENV = 7,
	INITCTL_CMD_CHANGECONS = 12345	/* plymouth; not sysvinit's */
};

struct initctl_request {
	int32_t	magic;
	int32_t	cmd;
	int32_t	runlevel;
	int32_t	sleeptime;
	char	data[INITCTL_DATA_SIZE];
};

_Static_assert(sizeof(struct initctl_request) == INITCTL_SIZE,
    "struct init_request must be 384 bytes");

/*
 * Server half, in PID 1.  initctl_setup() records the path and opens the
 * FIFO (a failure is logged and retried on the check deadline).
 * initctl_fds() appends the fd to watch (0 or 1 entries); initctl_run() is
 * called after every poll() with the same entries and reads at most
 * PINIT_INITCTL_BATCH requests, then looks at the path when its check is
 * due.  initctl_deadline() is the next check, or -1.
 */
void	initctl_setup(const char *path, int64_t now);
int	initctl_fds(struct pollfd *pfd, int max);
void	initctl_run(struct pollfd *pfd, int n, int64_t now);
int64_t	initctl_deadline(void);
/*
 * Open (open = 1) or close and keep closed (open = 0) the FIFO, as SIGUSR1,
 * SIGUSR2 and "pinitctl initctl open|close" ask; by says who asked.
 * Returns 0, or -1 with errno ENOSYS when pinit is built without it.
 */
int	initctl_request(int open, const char *by);

/*
 * Hot update (src/update.c).  initctl_export() clears FD_CLOEXEC on the
 * open FIFO and returns its fd (-1 when closed), and puts in *held whether
 * it is closed on request.  In the new image, initctl_adopt() takes that
 * fd over instead of initctl_setup() when it is still the FIFO at path
 * (else it closes it and opens the path), so that a request written
 * during the update is read afterwards, and closes the FIFO again when
 * held.
 */
int	initctl_export(int *held);
void	initctl_adopt(const char *path, int fd, int held, int64_t now);

/*
 * Client half: pinit run as telinit.  initctl_is_telinit() says whether a
 * process that is not PID 1 was called as telinit: by the name "telinit",
 * or by a first argument that is a runlevel letter, -t or -e (so "init 6"
 * and "pinit q" are telinit, and "init --svcdir=..." still boots).
 * initctl_telinit() then sends the request and returns the exit status.
 */
int	initctl_is_telinit(int argc, char **argv);
int	initctl_telinit(int argc, char **argv);

#endif /* PINIT_INITCTL_H */
