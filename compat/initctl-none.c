/*
 * initctl-none.c - the SysV shim when pinit is built with
 * --disable-initctl: no FIFO is served, and pinit run as telinit says how
 * to reach PID 1 instead.  It replaces initctl.c and telinit.c whole, so
 * that no function needs an #ifdef.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "initctl.h"
#include "paths.h"

void
initctl_setup(const char *path, int64_t now)
{
	(void)path;
	(void)now;
}

int
initctl_fds(struct pollfd *pfd, int max)
{
	(void)pfd;
	(void)max;
	return 0;
}

void
initctl_run(struct pollfd *pfd, int n, int64_t now)
{
	(void)pfd;
	(void)n;
	(void)now;
}

int64_t
initctl_deadline(void)
{
	return -1;
}

int
initctl_export(int *held)
{
	*held = 0;
	return -1;
}

void
initctl_adopt(const char *path, int fd, int held, int64_t now)
{
	(void)path;
	(void)held;
	(void)now;
	if (fd >= 0)
		close(fd);
}

int
initctl_request(int open, const char *by)
{
	(void)open;
	(void)by;
	errno = ENOSYS;
	return -1;
}

int
initctl_telinit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "telinit: this pinit is built without %s "
	    "(--disable-initctl); use pinitctl instead\n",
	    PINIT_INITCTL_PATH);
	return 1;
}
