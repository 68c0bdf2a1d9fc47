/*
 * overlay.c - lay directories over system ones, then exec an init.
 *
 * usage: bench-overlay [-s TARGET:LINK]... DIR:TARGET... -- PROGRAM [ARG...]
 *
 * Run as PID 1 by the launcher, in the namespaces' own mount namespace.
 * Each DIR becomes the upper layer of a read-only overlay on TARGET, so
 * the rest of TARGET stays as it is and the host's never changes: an
 * inittab over /etc for busybox init, a peer's binaries and libraries over
 * /usr/bin and /usr/lib for inits that exec their helpers by absolute
 * path.  -s makes a symbolic link first, where the launcher's private
 * tmpfs lacks one that a booted system has (/var/run -> /run for finit,
 * whose API socket and conditions live under /var/run).  The init then
 * replaces this program as PID 1.
 */
#include <sys/mount.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char	 opts[8192], *colon;
	int	 i;

	for (i = 1; i + 1 < argc && strcmp(argv[i], "-s") == 0; i += 2) {
		colon = strrchr(argv[i + 1], ':');
		if (colon == NULL)
			break;
		*colon = '\0';
		if (symlink(argv[i + 1], colon + 1) == -1 && errno != EEXIST) {
			fprintf(stderr, "bench-overlay: unable to link %s to "
			    "%s: %s\n", colon + 1, argv[i + 1],
			    strerror(errno));
			return 1;
		}
	}
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		colon = strrchr(argv[i], ':');
		if (colon == NULL)
			break;
		*colon = '\0';
		snprintf(opts, sizeof(opts), "lowerdir=%s:%s", argv[i],
		    colon + 1);
		if (mount("overlay", colon + 1, "overlay", MS_RDONLY,
		    opts) == -1) {
			fprintf(stderr, "bench-overlay: unable to put %s over "
			    "%s: %s\n", argv[i], colon + 1, strerror(errno));
			return 1;
		}
	}
	if (i + 1 >= argc || strcmp(argv[i], "--") != 0) {
		fputs("usage: bench-overlay [-s TARGET:LINK]... DIR:TARGET... "
		    "-- PROGRAM [ARG...]\n", stderr);
		return 2;
	}
	execv(argv[i + 1], argv + i + 1);
	fprintf(stderr, "bench-overlay: unable to execute %s: %s\n",
	    argv[i + 1], strerror(errno));
	return 127;
}
