/*
 * fuzz-svcdir.c - fuzz the service-directory loader with trees built
 * from the input: file names, file contents, symlinks and FIFOs.
 *
 * Input: records, each an op byte, a path length byte and the path, then
 * for a file (op 1) a 2-byte little-endian length and the contents, for a
 * symlink (op 2) a length byte and the target.  Op 0 makes a directory,
 * op 3 a FIFO.  Paths are taken relative to the scratch service directory
 * and never climb out of it; link targets are used as they come.  The
 * loaded table is then asked for its root, as PID 1 would at boot.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "pinit.h"
#include "svc.h"

#define RECORDS_MAX	256

struct pinit	pinit;			/* PID 1's state, unused but linked */

static char	scratch[200];		/* made once per process */
static char	svcdir[256];

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

/* An empty service directory for this input; -1 when none can be made. */
static int
fresh_svcdir(void)
{
	if (scratch[0] == '\0') {
		snprintf(scratch, sizeof(scratch), "%s/pinit-fuzz.XXXXXX",
		    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		if (mkdtemp(scratch) == NULL)
			return -1;
		snprintf(svcdir, sizeof(svcdir), "%s/svc", scratch);
	}
	nftw(svcdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return mkdir(svcdir, 0755);
}

/* Is p (n bytes) a relative path with no "..", no NUL and no "//"? */
static int
path_ok(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || p[0] == '/' || memchr(p, '\0', n) != NULL)
		return 0;
	for (i = 0; i + 1 < n; i++)
		if (p[i] == '.' && p[i + 1] == '.')
			return 0;
	return 1;
}

/* mkdir -p of every parent of full (which lies under svcdir). */
static void
make_parents(char *full)
{
	char *s = full + strlen(svcdir) + 1;

	while ((s = strchr(s, '/')) != NULL) {
		*s = '\0';
		mkdir(full, 0755);
		*s++ = '/';
	}
}

/* Apply one record; returns the bytes it used, or 0 at the end. */
static size_t
apply(const uint8_t *d, size_t n)
{
	char full[PATH_MAX], target[256];
	size_t plen, clen, used;
	int fd;

	if (n < 2 || (plen = d[1]) + 2 > n)
		return 0;
	used = 2 + plen;
	if (!path_ok((const char *)d + 2, plen))
		return used;
	snprintf(full, sizeof(full), "%s/%.*s", svcdir, (int)plen, d + 2);
	make_parents(full);
	switch (d[0] & 3) {
	case 0:
		mkdir(full, 0755);
		return used;
	case 1:
		if (used + 2 > n)
			return 0;
		clen = d[used] | (size_t)d[used + 1] << 8;
		used += 2;
		if (clen > n - used)
			clen = n - used;
		fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
		    O_NONBLOCK, 0644);
		if (fd >= 0) {
			if (write(fd, d + used, clen) < 0)
				clen = 0;
			close(fd);
		}
		return used + clen;
	case 2:
		if (used + 1 > n || (clen = d[used]) > n - used - 1)
			return 0;
		memcpy(target, d + used + 1, clen);
		target[clen] = '\0';
		symlink(target, full);
		return used + 1 + clen;
	default:
		mkfifo(full, 0644);
		return used;
	}
}

/*
 * What a boot's early start is passed (deps_early()): a service the root
 * names, loaded, while the rest is not.  It starts nothing here.
 */
static void
early(struct svctab *t, int i)
{
	if (i < 0 || i >= t->n || i == t->root || t->v[i].name == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct svctab *t;
	size_t off = 0, used;
	int k;

	if (fresh_svcdir() < 0)
		return 0;
	for (k = 0; k < RECORDS_MAX; k++) {
		if ((used = apply(data + off, size - off)) == 0)
			break;
		off += used;
	}
	t = load_tree(svcdir, "init", early);
	if (t == NULL)
		return 0;
	if (t->root >= 0)
		deps_want_up(t, t->root);
	deps_want_closure(t);
	load_free(t);
	return 0;
}
