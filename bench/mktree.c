/*
 * mktree.c - write the service tree of one benchmark.
 *
 * usage: bench-mktree DIR SHAPE N PROGRAM FIFO
 *
 * Every service runs PROGRAM (bench/svc.c) with FIFO as its argument.
 * Shapes for pinit (service directories, doc/decisions.md):
 *   flat   N services, no dependencies;
 *   deps   a chain of 10 (each needs the one before), and the other N-10
 *          all need the end of the chain: 10 levels, then a wide fan-out.
 * The root service "init" wants the leaves; pinit reads at most 1024
 * entries of a wants/ directory, so above 1000 leaves it wants groups of
 * 1000 (gNN) instead.  Shapes for the peers:
 *   inittab  DIR/inittab for busybox init: N "::respawn:" lines (each
 *            with its number as a second argument: busybox drops
 *            duplicate lines);
 *   sysv     DIR/inittab for sysvinit: N respawn lines in runlevel 2, a
 *            ctrlaltdel line (SIGINT) that asks for runlevel 0 with
 *            telinit, and runlevel 0's halt -f -p (sysvinit itself only
 *            changes runlevels: the power-off is halt's reboot(2));
 *   svdir    DIR/sNNNNN/run -> PROGRAM and DIR/sNNNNN/fifo -> FIFO, the
 *            scan directory of s6 (PROGRAM run as "run" reads ./fifo);
 *   runit    DIR/etc/runit/1, 2 and 3, runit's stages (2 is runsvdir on
 *            DIR/service), and DIR/service, an svdir tree;
 *   finit    DIR/finit.conf with N "service" lines in runlevel 2, and an
 *            empty DIR/finit.d.
 * The scan directories of runit and s6 are dated an hour back: runsvdir
 * waits a second before it scans a directory changed within the second.
 */
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHAIN		10	/* levels of the dependency chain */
#define GROUP		1000	/* leaves per wants/ directory */

static const char	*dir, *prog, *fifo;

static void
die(const char *what, const char *path)
{
	fprintf(stderr, "bench-mktree: unable to %s %s: %s\n", what, path,
	    strerror(errno));
	exit(1);
}

static void
mk(const char *path)
{
	if (mkdir(path, 0755) == -1 && errno != EEXIST)
		die("create", path);
}

static void
link_to(const char *target, const char *path)
{
	if (symlink(target, path) == -1)
		die("create the symlink", path);
}

static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) == EOF)
		die("write", path);
}

/* One pinit service sNNNNN; with dep >= 0 it needs sDEP. */
static void
pinit_service(long i, long dep)
{
	char path[4096], text[4200];

	snprintf(path, sizeof(path), "%s/s%05ld", dir, i);
	mk(path);
	snprintf(path, sizeof(path), "%s/s%05ld/on", dir, i);
	link_to(prog, path);
	snprintf(path, sizeof(path), "%s/s%05ld/on.params", dir, i);
	snprintf(text, sizeof(text), "%s\n", fifo);
	put(path, text);
	snprintf(path, sizeof(path), "%s/s%05ld/respawn", dir, i);
	put(path, "");
	if (dep < 0)
		return;
	snprintf(path, sizeof(path), "%s/s%05ld/needs", dir, i);
	mk(path);
	snprintf(path, sizeof(path), "%s/s%05ld/needs/s%05ld", dir, i, dep);
	snprintf(text, sizeof(text), "../../s%05ld", dep);
	link_to(text, path);
}

/* The root: init wants services first..n-1, through groups if many. */
static void
pinit_root(long first, long n)
{
	char	 path[4096], target[64];
	long	 i, g;
	int	 grouped = n - first > GROUP;

	snprintf(path, sizeof(path), "%s/init", dir);
	mk(path);
	snprintf(path, sizeof(path), "%s/init/wants", dir);
	mk(path);
	for (g = 0; grouped && g * GROUP < n - first; g++) {
		snprintf(path, sizeof(path), "%s/g%02ld", dir, g);
		mk(path);
		snprintf(path, sizeof(path), "%s/g%02ld/wants", dir, g);
		mk(path);
		snprintf(path, sizeof(path), "%s/init/wants/g%02ld", dir, g);
		snprintf(target, sizeof(target), "../../g%02ld", g);
		link_to(target, path);
	}
	for (i = first; i < n; i++) {
		if (grouped)
			snprintf(path, sizeof(path), "%s/g%02ld/wants/s%05ld",
			    dir, (i - first) / GROUP, i);
		else
			snprintf(path, sizeof(path), "%s/init/wants/s%05ld",
			    dir, i);
		snprintf(target, sizeof(target), "../../s%05ld", i);
		link_to(target, path);
	}
}

/* An inittab: busybox's "::respawn:" or sysvinit's "ID:2:respawn:". */
static void
inittab(long n, int sysv)
{
	char	 path[4096];
	long	 i;
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/inittab", dir);
	fp = fopen(path, "w");
	if (fp == NULL)
		die("write", path);
	if (sysv)
		fputs("id:2:initdefault:\n"
		    "ca::ctrlaltdel:/sbin/telinit 0\n"
		    "l0:0:wait:/sbin/halt -d -f -p\n", fp);
	for (i = 0; i < n; i++) {
		if (sysv)
			fprintf(fp, "%04lx:2:respawn:%s %s\n", i, prog, fifo);
		else
			fprintf(fp, "::respawn:%s %s %ld\n", prog, fifo, i);
	}
	if (fclose(fp) == EOF)
		die("write", path);
}

/* A scan directory of runit or s6: sNNNNN/run and sNNNNN/fifo. */
static void
svdir(long n)
{
	char		 path[4096];
	struct timeval	 tv[2];
	long		 i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/s%05ld", dir, i);
		mk(path);
		snprintf(path, sizeof(path), "%s/s%05ld/run", dir, i);
		link_to(prog, path);
		snprintf(path, sizeof(path), "%s/s%05ld/fifo", dir, i);
		link_to(fifo, path);
	}
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= 3600;
	tv[1] = tv[0];
	if (utimes(dir, tv) == -1)
		die("date", dir);
}

/* An executable script. */
static void
script(const char *path, const char *text)
{
	put(path, text);
	if (chmod(path, 0755) == -1)
		die("chmod", path);
}

/*
 * runit's stages, on DIR/service.  Stage 1 arms the power-off: Debian's
 * runit stops on SIGCONT when /run/runit.stopit is executable.  Stage 3
 * is the heart of Debian's: stop every service (sv waits up to 7 s),
 * then let every runsv exit; runit then kills what is left and powers
 * off.
 */
static void
runit(long n)
{
	char	 base[PATH_MAX], path[PATH_MAX + 64], text[3 * PATH_MAX];

	if (realpath(dir, base) == NULL)
		die("resolve", dir);
	snprintf(path, sizeof(path), "%s/etc", base);
	mk(path);
	snprintf(path, sizeof(path), "%s/etc/runit", base);
	mk(path);
	snprintf(path, sizeof(path), "%s/etc/runit/1", base);
	script(path, "#!/bin/sh\n"
	    ": >/run/runit.stopit && chmod 100 /run/runit.stopit\n");
	snprintf(path, sizeof(path), "%s/etc/runit/2", base);
	snprintf(text, sizeof(text), "#!/bin/sh\n"
	    "exec /usr/bin/runsvdir -P %s/service\n", base);
	script(path, text);
	snprintf(path, sizeof(path), "%s/etc/runit/3", base);
	if (n > 0)
		snprintf(text, sizeof(text), "#!/bin/sh\n"
		    "/usr/bin/sv force-stop %s/service/*\n"
		    "exec /usr/bin/sv exit %s/service/*\n", base, base);
	else
		snprintf(text, sizeof(text), "#!/bin/sh\nexit 0\n");
	script(path, text);
	snprintf(path, sizeof(path), "%s/service", base);
	mk(path);
	dir = path;
	svdir(n);
}

/* finit's /etc: N services in runlevel 2, told apart by their :ID. */
static void
finit(long n)
{
	char	 path[4096];
	long	 i;
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/finit.d", dir);
	mk(path);
	snprintf(path, sizeof(path), "%s/finit.conf", dir);
	fp = fopen(path, "w");
	if (fp == NULL)
		die("write", path);
	fputs("runlevel 2\n", fp);
	for (i = 0; i < n; i++)
		fprintf(fp, "service :%ld [2345] %s %s -- bench %ld\n", i,
		    prog, fifo, i);
	if (fclose(fp) == EOF)
		die("write", path);
}

int
main(int argc, char **argv)
{
	const char	*shape;
	long		 n, i;

	if (argc != 6 || (n = atol(argv[3])) < 0 || n > 99999) {
		fputs("usage: bench-mktree DIR "
		    "flat|deps|inittab|sysv|svdir|runit|finit N PROGRAM FIFO\n",
		    stderr);
		return 2;
	}
	dir = argv[1];
	shape = argv[2];
	prog = argv[4];
	fifo = argv[5];
	mk(dir);
	if (strcmp(shape, "flat") == 0) {
		for (i = 0; i < n; i++)
			pinit_service(i, -1);
		pinit_root(0, n);
	} else if (strcmp(shape, "deps") == 0) {
		for (i = 0; i < n; i++)
			pinit_service(i, i == 0 ? -1 : i < CHAIN ? i - 1 :
			    CHAIN - 1);
		pinit_root(n > CHAIN ? CHAIN : n > 0 ? n - 1 : 0, n);
	} else if (strcmp(shape, "inittab") == 0 ||
	    strcmp(shape, "sysv") == 0)
		inittab(n, strcmp(shape, "sysv") == 0);
	else if (strcmp(shape, "svdir") == 0)
		svdir(n);
	else if (strcmp(shape, "runit") == 0)
		runit(n);
	else if (strcmp(shape, "finit") == 0)
		finit(n);
	else {
		fprintf(stderr, "bench-mktree: unknown shape %s\n", shape);
		return 2;
	}
	return 0;
}
