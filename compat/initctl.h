/*
 * initctl.h - sysvinit's /run/initctl request, byte for byte.
 *
 * The layout is sysvinit's struct init_request (initreq.h): four ints in
 * host byte order and a 368-byte data area, 384 bytes in all.  The magic
 * number only frames requests; it is not a credential (the FIFO's mode
 * 0600 is what keeps other users out).
 */
#ifndef PINIT_INITCTL_H
#define PINIT_INITCTL_H

#include <stdint.h>

#define INITCTL_MAGIC		0x03091969
#define INITCTL_SIZE		384
#define INITCTL_DATA_SIZE	368
#define INITCTL_ENV_MAX		16	/* INIT_* variables kept at most */

enum initctl_cmd {
	INITCTL_CMD_START = 0,
	INITCTL_CMD_RUNLVL = 1,
	INITCTL_CMD_POWERFAIL = 2,
	INITCTL_CMD_POWERFAILNOW = 3,
	INITCTL_CMD_POWEROK = 4,
	INITCTL_CMD_BSD = 5,
	INITCTL_CMD_SETENV = 6,
	INITCTL_CMD_UNSETENV = 7
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

#endif /* PINIT_INITCTL_H */
