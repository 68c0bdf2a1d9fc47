/*
 * utmp.c - the runlevel record that sysvinit's runlevel(8) and halt(8)
 * read.
 *
 * On a runlevel change PID 1 writes one RUN_LVL record into utmp and
 * appends it to wtmp, as sysvinit's init does, but only when those files
 * exist (boot scripts create them) and never waiting for a lock: a file
 * that is missing, locked, not a regular file or not writable is skipped.
 */
#include <config.h>

#include <sys/stat.h>
#include <sys/time.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <utmp.h>

#include "paths.h"
#include "pinit.h"

#define UTMP_RECORDS_MAX	65536	/* records looked at in utmp */

/* Fill u with the RUN_LVL record for a change from prev to cur. */
static void
utmp_record(struct utmp *u, char prev, char cur)
{
	struct timeval tv;

	memset(u, 0, sizeof(*u));
	u->ut_type = RUN_LVL;
	u->ut_pid = (unsigned char)cur + 256 * (unsigned char)prev;
	memcpy(u->ut_user, "runlevel", sizeof("runlevel") - 1);
	memcpy(u->ut_id, "~~", 2);
	memcpy(u->ut_line, "~", 1);
	gettimeofday(&tv, NULL);
	u->ut_tv.tv_sec = tv.tv_sec;
	u->ut_tv.tv_usec = tv.tv_usec;
}

/* Offset of the RUN_LVL record in utmp, else of the end of its records. */
static off_t
utmp_slot(int fd)
{
	struct utmp r;
	off_t off = 0;
	int k;

	for (k = 0; k < UTMP_RECORDS_MAX; k++) {
		if (pread(fd, &r, sizeof(r), off) != (ssize_t)sizeof(r) ||
		    r.ut_type == RUN_LVL)
			break;
		off += sizeof(r);
	}
	return off;
}

/* Write u into path: over its RUN_LVL record (replace), or at its end. */
static void
utmp_put(const char *path, const struct utmp *u, int replace)
{
	struct flock fl;
	struct stat st;
	off_t off;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY);
	if (fd < 0)
		return;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    fcntl(fd, F_SETLK, &fl) == 0) {
		off = replace ? utmp_slot(fd) : st.st_size -
		    st.st_size % (off_t)sizeof(*u);
		if (pwrite(fd, u, sizeof(*u), off) < 0)
			fl.l_type = F_UNLCK;	/* nothing more to do */
	}
	close(fd);
}

void
utmp_runlevel(char prev, char cur)
{
	struct utmp u;

	utmp_record(&u, prev, cur);
	utmp_put(PINIT_UTMP, &u, 1);
	utmp_put(PINIT_WTMP, &u, 0);
}
