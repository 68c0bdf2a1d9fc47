/*
 * ident.c - a service's identity and limits (see ident.h).
 *
 * Names become numbers in PID 1 at load time: the password and group
 * files are read by hand, a block at a time, up to IDENT_DB_MAX bytes,
 * since a static PID 1 cannot use getpwnam(3) (NSS loads modules).  The
 * child then only makes system calls.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ident.h"
#include "paths.h"
#include "util.h"

#define IDENT_FILE_MAX	(PATH_MAX + 1)	/* bytes of one identity file */
#define IDENT_LINE_MAX	4096		/* longest passwd or group line */
#define IDENT_DB_MAX	(4 << 20)	/* bytes of passwd or group read */
#define IDENT_FIELDS	7

static const struct {
	const char	*name;
	int		 res;
} rlims[] = {
	{ "rlimit-as", RLIMIT_AS },		{ "rlimit-core", RLIMIT_CORE },
	{ "rlimit-cpu", RLIMIT_CPU },		{ "rlimit-data", RLIMIT_DATA },
	{ "rlimit-fsize", RLIMIT_FSIZE },	{ "rlimit-locks", RLIMIT_LOCKS },
	{ "rlimit-memlock", RLIMIT_MEMLOCK },
	{ "rlimit-msgqueue", RLIMIT_MSGQUEUE },
	{ "rlimit-nice", RLIMIT_NICE },		{ "rlimit-nofile", RLIMIT_NOFILE },
	{ "rlimit-nproc", RLIMIT_NPROC },	{ "rlimit-rss", RLIMIT_RSS },
	{ "rlimit-rtprio", RLIMIT_RTPRIO },
	{ "rlimit-rttime", RLIMIT_RTTIME },
	{ "rlimit-sigpending", RLIMIT_SIGPENDING },
	{ "rlimit-stack", RLIMIT_STACK },
};

static const char *const steps[] = {
	"", "setrlimit", "setpriority", "oom_score_adj", "umask",
	"setgroups", "setgid", "setuid", "chdir"
};

static char	identbuf[IDENT_FILE_MAX + 1];
static char	identdir[IDENT_FILE_MAX + 1];

/* A db line's fields, for the scan callbacks. */
struct dbline {
	char	*f[IDENT_FIELDS];
	int	 nf;
};

/*
 * Read one file: 1 with its first line (trailing blanks cut) in identbuf,
 * 0 when it does not exist, -1 (why set) when it cannot be read.
 */
static int
read_value(int dirfd, const char *file, char *why, size_t n)
{
	ssize_t len = util_read_file(dirfd, file, identbuf, sizeof(identbuf));

	if (len < 0 && errno == ENOENT)
		return 0;
	if (len < 0) {
		snprintf(why, n, "%s: %s", file, strerror(errno));
		return -1;
	}
	identbuf[strcspn(identbuf, "\n")] = '\0';
	len = (ssize_t)strlen(identbuf);
	while (len > 0 && (identbuf[len - 1] == ' ' ||
	    identbuf[len - 1] == '\t' || identbuf[len - 1] == '\r'))
		identbuf[--len] = '\0';
	return 1;
}

/*
 * Parse a whole number (base 10, or 8 for umask) in lo..hi: digits with
 * at most a leading '-', no space, no '+'.
 */
static int
parse_num(const char *s, int base, long long lo, long long hi, long long *v)
{
	int neg = *s == '-';
	const char *end;
	uint64_t u;

	if (util_parse_u64(s + neg, (unsigned)base, (uint64_t)(neg ?
	    (lo < 0 ? -lo : 0) : hi), &u, &end) < 0 || *end != '\0')
		return -1;
	*v = neg ? -(long long)u : (long long)u;
	return *v < lo || *v > hi ? -1 : 0;
}

/* Parse one rlimit value: a number or "unlimited". */
static int
parse_rlim(const char *s, size_t len, rlim_t *v)
{
	char num[32];
	const char *end;
	uint64_t u;

	if (len == 0 || len >= sizeof(num))
		return -1;
	memcpy(num, s, len);
	num[len] = '\0';
	if (strcmp(num, "unlimited") == 0 || strcmp(num, "infinity") == 0) {
		*v = RLIM_INFINITY;
		return 0;
	}
	/* RLIM_INFINITY is only spelt out; rlim_t may have 32 bits. */
	if (util_parse_u64(num, 10, (rlim_t)RLIM_INFINITY - 1, &u,
	    &end) < 0 || *end != '\0')
		return -1;
	*v = (rlim_t)u;
	return 0;
}

/* Parse "SOFT[:HARD]" (one value sets both) into rl. */
static int
parse_rlimit(const char *s, struct rlimit *rl)
{
	const char *colon = strchr(s, ':');

	if (colon == NULL) {
		if (parse_rlim(s, strlen(s), &rl->rlim_cur) < 0)
			return -1;
		rl->rlim_max = rl->rlim_cur;
		return 0;
	}
	if (parse_rlim(s, (size_t)(colon - s), &rl->rlim_cur) < 0 ||
	    parse_rlim(colon + 1, strlen(colon + 1), &rl->rlim_max) < 0)
		return -1;
	return rl->rlim_cur <= rl->rlim_max ? 0 : -1;
}

/* Split line into ':' fields. */
static void
db_split(char *line, struct dbline *d)
{
	char *p = line, *c;

	d->nf = 0;
	while (d->nf < IDENT_FIELDS) {
		d->f[d->nf++] = p;
		if ((c = strchr(p, ':')) == NULL)
			break;
		*c = '\0';
		p = c + 1;
	}
}

/*
 * Call fn on each line of path (split in fields) until it returns 1;
 * lines longer than IDENT_LINE_MAX are skipped.  -1 when path cannot be
 * read, else 0.
 */
static int
db_scan(const char *path, int (*fn)(struct dbline *, void *), void *arg)
{
	static char buf[IDENT_LINE_MAX + 1];
	size_t have = 0, total = 0;
	struct dbline d;
	char *nl, *p;
	ssize_t n;
	int fd, skip = 0, done = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return -1;
	while (!done && total < IDENT_DB_MAX) {
		n = read(fd, buf + have, IDENT_LINE_MAX - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += (size_t)n;
		have += (size_t)n;
		buf[have] = '\0';
		p = buf;
		while (!done && (nl = strchr(p, '\n')) != NULL) {
			*nl = '\0';
			if (!skip && *p != '#') {
				db_split(p, &d);
				done = fn(&d, arg);
			}
			skip = 0;
			p = nl + 1;
		}
		have -= (size_t)(p - buf);
		memmove(buf, p, have);
		if (have == IDENT_LINE_MAX) {
			have = 0;
			skip = 1;
		}
	}
	close(fd);
	return 0;
}

struct pwfind {
	const char	*name;		/* by name, or NULL: by uid */
	uid_t		 uid;
	gid_t		 gid;
	char		 found[IDENT_LINE_MAX];	/* the user's name */
};

static int
pw_match(struct dbline *d, void *arg)
{
	struct pwfind *w = arg;
	long long uid, gid;

	if (d->nf < 4 || parse_num(d->f[2], 10, 0, UINT_MAX - 1, &uid) < 0 ||
	    parse_num(d->f[3], 10, 0, UINT_MAX - 1, &gid) < 0)
		return 0;
	if (w->name != NULL ? strcmp(d->f[0], w->name) != 0 :
	    (uid_t)uid != w->uid)
		return 0;
	w->uid = (uid_t)uid;
	w->gid = (gid_t)gid;
	util_strlcpy(w->found, d->f[0], sizeof(w->found));
	return 1;
}

struct grfind {
	const char	*name;		/* a group's name, or NULL */
	const char	*member;	/* collect the groups of this user */
	struct svc_ident *id;
	int		 found, full;
};

/* Is name in the comma-separated list? */
static int
in_list(char *list, const char *name)
{
	size_t n = strlen(name);
	char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return 0;
}

static int
gr_match(struct dbline *d, void *arg)
{
	struct grfind *w = arg;
	struct svc_ident *id = w->id;
	long long gid;
	int k;

	if (d->nf < 3 || parse_num(d->f[2], 10, 0, UINT_MAX - 1, &gid) < 0)
		return 0;
	if (w->name != NULL) {
		if (strcmp(d->f[0], w->name) != 0)
			return 0;
		id->gid = (gid_t)gid;
		w->found = 1;
		return 1;
	}
	if (d->nf < 4 || !in_list(d->f[3], w->member))
		return 0;
	for (k = 0; k < id->ngroups; k++)
		if (id->groups[k] == (gid_t)gid)
			return 0;
	if (id->ngroups == IDENT_GROUPS_MAX) {
		w->full = 1;
		return 1;
	}
	id->groups[id->ngroups++] = (gid_t)gid;
	return 0;
}

/* Read "user": a name from the password file, or a number. */
static int
load_user(int dirfd, struct svc_ident *id, char *user, size_t usz,
    char *why, size_t n)
{
	struct pwfind w;
	long long v;
	int r;

	if ((r = read_value(dirfd, "user", why, n)) <= 0)
		return r;
	memset(&w, 0, sizeof(w));
	if (parse_num(identbuf, 10, 0, UINT_MAX - 1, &v) == 0)
		w.uid = (uid_t)v;
	else
		w.name = identbuf;
	if (db_scan(PINIT_PASSWD, pw_match, &w) < 0 && w.name != NULL) {
		snprintf(why, n, "user: unable to read %s: %s", PINIT_PASSWD,
		    strerror(errno));
		return -1;
	}
	if (w.found[0] == '\0' && w.name != NULL) {
		snprintf(why, n, "user: no user \"%.64s\" in %s", identbuf,
		    PINIT_PASSWD);
		return -1;
	}
	id->has_uid = 1;
	id->uid = w.uid;
	if (w.found[0] != '\0') {
		id->has_gid = 1;
		id->gid = w.gid;
	}
	util_strlcpy(user, w.found, usz);
	return 1;
}

/* Read "group": a name from the group file, or a number. */
static int
load_group(int dirfd, struct svc_ident *id, char *why, size_t n)
{
	struct grfind w;
	long long v;
	int r;

	if ((r = read_value(dirfd, "group", why, n)) <= 0)
		return r;
	if (parse_num(identbuf, 10, 0, UINT_MAX - 1, &v) == 0) {
		id->gid = (gid_t)v;
		id->has_gid = 1;
		return 1;
	}
	memset(&w, 0, sizeof(w));
	w.name = identbuf;
	w.id = id;
	if (db_scan(PINIT_GROUP, gr_match, &w) < 0 || !w.found) {
		snprintf(why, n, "group: no group \"%.64s\" in %s", identbuf,
		    PINIT_GROUP);
		return -1;
	}
	id->has_gid = 1;
	return 1;
}

/*
 * The supplementary groups: the primary group, and with a named user
 * every group of the group file that lists it.
 */
static int
load_groups(struct svc_ident *id, const char *user, char *why, size_t n)
{
	struct grfind w;

	id->ngroups = 0;
	if (!id->has_gid)
		return 0;
	id->groups[id->ngroups++] = id->gid;
	if (user[0] == '\0')
		return 0;
	memset(&w, 0, sizeof(w));
	w.member = user;
	w.id = id;
	(void)db_scan(PINIT_GROUP, gr_match, &w);
	if (w.full) {
		snprintf(why, n, "user: %s is in more than %d groups", user,
		    IDENT_GROUPS_MAX);
		return -1;
	}
	return 0;
}

/* Read "umask", "nice" and "oom-score-adj". */
static int
load_numbers(int dirfd, struct svc_ident *id, char *why, size_t n)
{
	long long v;
	int r, any = 0;

	if ((r = read_value(dirfd, "umask", why, n)) < 0)
		return -1;
	if (r > 0 && parse_num(identbuf, 8, 0, 0777, &v) < 0) {
		snprintf(why, n, "umask: \"%.32s\" is not octal 0..777",
		    identbuf);
		return -1;
	}
	if (r > 0) {
		id->umask = (int)v;
		any = 1;
	}
	if ((r = read_value(dirfd, "nice", why, n)) < 0)
		return -1;
	if (r > 0 && parse_num(identbuf, 10, -20, 19, &v) < 0) {
		snprintf(why, n, "nice: \"%.32s\" is not in -20..19", identbuf);
		return -1;
	}
	if (r > 0) {
		id->nice = (int)v;
		id->has_nice = any = 1;
	}
	if ((r = read_value(dirfd, "oom-score-adj", why, n)) < 0)
		return -1;
	if (r > 0 && parse_num(identbuf, 10, -1000, 1000, &v) < 0) {
		snprintf(why, n, "oom-score-adj: \"%.32s\" is not in "
		    "-1000..1000", identbuf);
		return -1;
	}
	if (r > 0) {
		id->oom = (int)v;
		id->has_oom = any = 1;
	}
	return any;
}

/* Read "chdir": an absolute path. */
static int
load_dir(int dirfd, struct svc_ident *id, char *why, size_t n)
{
	int r;

	if ((r = read_value(dirfd, "chdir", why, n)) <= 0)
		return r;
	if (identbuf[0] != '/') {
		snprintf(why, n, "chdir: \"%.64s\" is not an absolute path",
		    identbuf);
		return -1;
	}
	memcpy(identdir, identbuf, sizeof(identdir));
	id->dir = identdir;
	return 1;
}

/* Read the rlimit-* files. */
static int
load_rlimits(int dirfd, struct svc_ident *id, char *why, size_t n)
{
	size_t k;
	int r;

	for (k = 0; k < sizeof(rlims) / sizeof(rlims[0]); k++) {
		if ((r = read_value(dirfd, rlims[k].name, why, n)) < 0)
			return -1;
		if (r == 0)
			continue;
		if (parse_rlimit(identbuf, &id->rlim[id->nrlim].rl) < 0) {
			snprintf(why, n, "%s: \"%.32s\" is not SOFT[:HARD] "
			    "(numbers or unlimited, SOFT <= HARD)",
			    rlims[k].name, identbuf);
			return -1;
		}
		id->rlim[id->nrlim++].res = rlims[k].res;
	}
	return id->nrlim > 0;
}

int
ident_load(int dirfd, const char *svc, struct svc_ident *id, char *why,
    size_t n)
{
	char user[IDENT_LINE_MAX];
	int a, b, c, d, e;

	(void)svc;
	memset(id, 0, sizeof(*id));
	id->umask = -1;
	id->ngroups = -1;
	user[0] = '\0';
	if ((a = load_user(dirfd, id, user, sizeof(user), why, n)) < 0 ||
	    (b = load_group(dirfd, id, why, n)) < 0 ||
	    (c = load_numbers(dirfd, id, why, n)) < 0 ||
	    (d = load_dir(dirfd, id, why, n)) < 0 ||
	    (e = load_rlimits(dirfd, id, why, n)) < 0)
		return -1;
	if (a && !id->has_gid) {
		snprintf(why, n, "user: uid %u is not in %s; name a group",
		    (unsigned)id->uid, PINIT_PASSWD);
		return -1;
	}
	if ((a || b) && load_groups(id, user, why, n) < 0)
		return -1;
	return a || b || c || d || e;
}

/* Write v to /proc/self/oom_score_adj, without stdio. */
static int
write_oom(int v)
{
	char num[16], *p = num + sizeof(num);
	unsigned u = v < 0 ? (unsigned)-v : (unsigned)v;
	int fd, r;

	*--p = '\n';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = write(fd, p, (size_t)(num + sizeof(num) - p)) < 0 ? -1 : 0;
	close(fd);
	return r;
}

/* The steps that need privilege: limits, priority, oom score, umask. */
static int
apply_limits(const struct svc_ident *id, int *step)
{
	int k;

	*step = IDENT_S_RLIMIT;
	for (k = 0; k < id->nrlim; k++)
		if (setrlimit(id->rlim[k].res, &id->rlim[k].rl) < 0)
			return -1;
	*step = IDENT_S_NICE;
	if (id->has_nice && setpriority(PRIO_PROCESS, 0, id->nice) < 0)
		return -1;
	*step = IDENT_S_OOM;
	if (id->has_oom && write_oom(id->oom) < 0)
		return -1;
	if (id->umask >= 0)
		umask((mode_t)id->umask);
	return 0;
}

int
ident_apply(const struct svc_ident *id, int *code)
{
	int step = IDENT_S_NONE;

	if (apply_limits(id, &step) < 0)
		goto fail;
	step = IDENT_S_GROUPS;
	if (id->ngroups >= 0 && setgroups((size_t)id->ngroups, id->groups) < 0)
		goto fail;
	step = IDENT_S_SETGID;
	if (id->has_gid && setresgid(id->gid, id->gid, id->gid) < 0)
		goto fail;
	step = IDENT_S_SETUID;
	if (id->has_uid && setresuid(id->uid, id->uid, id->uid) < 0)
		goto fail;
	step = IDENT_S_CHDIR;
	if (id->dir != NULL && chdir(id->dir) < 0)
		goto fail;
	return 0;
fail:
	*code = IDENT_CODE(step, errno);
	return -1;
}

void
ident_describe(int code, char *buf, size_t n)
{
	int step = code >> 16;

	if (step > IDENT_S_NONE && step <= IDENT_S_CHDIR)
		snprintf(buf, n, "%s: %s", steps[step],
		    strerror(IDENT_CODE_ERRNO(code)));
	else
		snprintf(buf, n, "%s", strerror(IDENT_CODE_ERRNO(code)));
}
