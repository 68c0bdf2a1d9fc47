/*
 * load.c - read a service tree into a new service table.
 *
 * Everything the table needs is allocated here, from one arena that
 * load_free() releases whole, so the loop never allocates for services.
 * Every file is read with a size bound; a file that does not parse is
 * reported and its default used, so one bad file never stops the tree.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ident.h"
#include "log.h"
#include "paths.h"
#include "ready.h"
#include "svc.h"
#include "svclog.h"
#include "util.h"

extern char	**environ;

/*
 * The arena maps its chunks itself: a page takes memory only once it is
 * touched, whatever the C library's malloc does with big blocks, and
 * load_free() gives every page back.  Blocks are aligned for the widest
 * thing the table holds (int64_t and pointers), not max_align_t: its
 * size, 32 bytes on x86-64, would round every small string and array up
 * to 32.  Strings are not aligned.
 *
 * The chunks are shared mappings (MAP_SHARED | MAP_ANONYMOUS): fork()
 * copies no page table entry of a shared mapping, so the table costs
 * nothing in the fork of every start, in the child's execve() (which
 * unmaps what the fork copied) or in PID 1's first write to each page
 * after a fork (copy on write).  The table is most of PID 1's memory, and
 * those three were most of what a start cost PID 1 and its child beyond
 * a bare fork and exec (bench/README.md).  Sharing is safe because a
 * child of PID 1 only reads the table (path, argv, environment, identity)
 * before its execve() or _exit(), and an unmap by PID 1 (a reload) leaves
 * the child's own mapping.  The sparse blocks (texts, death rings) are
 * private chunks: they are read before they are written, and reading an
 * untouched private page takes no memory, where a shared page is
 * allocated by the read.  They are not passed to children at all
 * (MADV_DONTFORK): no child reads them, and the zero page a read maps
 * would be one more page table entry for every fork to copy.
 */
#define ARENA_ALIGN	sizeof(int64_t)
#define ARENA_CHUNK	65536		/* bytes of the first chunk, header included */
#define ARENA_CHUNK_MAX	(8 << 20)	/* of the largest */
#define LOAD_PER_SVC	1024		/* bytes a service takes, struct svc
					   aside (load_table()) */

struct chunk {
	struct chunk	*next;
	size_t		used, cap;	/* bytes of data */
	size_t		len;		/* bytes mapped */
	max_align_t	data[];
};

struct load {
	struct svctab	*t;
	struct chunk	*mem;
	size_t		chunk;		/* bytes of the next chunk mapped */
	int		failed;		/* an allocation failed */
	char		*real;		/* the service dir's canonical path */
	char		**names;	/* while walking */
	int		nnames, capnames;
	char		**env;		/* env_base(); NULL until made */
	int		nenv;
};

static char	filebuf[SVC_FILE_MAX + 1];

static const char *const hooks[] = {
	"last", "ctrlaltdel", "kbrequest", "powerfail", "powerfailnow",
	"powerok", "rescue", NULL
};

/*
 * Map a chunk for at least n bytes of data, MAP_SHARED or MAP_PRIVATE;
 * NULL on failure.
 */
static struct chunk *
arena_map(size_t n, int share, size_t at_least)
{
	size_t len = sizeof(struct chunk) + n;
	struct chunk *c;

	if (len < at_least)
		len = at_least;
	c = mmap(NULL, len, PROT_READ | PROT_WRITE, share | MAP_ANONYMOUS,
	    -1, 0);
	if (c == MAP_FAILED)
		return NULL;
	c->len = len;
	c->cap = len - sizeof(*c);
	return c;
}

/*
 * Allocate n zeroed bytes aligned to a (a power of two) from the arena;
 * NULL (and L->failed) on failure.  A big block gets a chunk of its own,
 * whose pages stay free until written.
 */
static void *
arena_bytes(struct load *L, size_t n, size_t a)
{
	struct chunk *c = L->mem;
	void *p;
	int own;

	if (c != NULL)
		c->used = (c->used + a - 1) & ~(a - 1);
	if (c == NULL || c->used > c->cap || c->cap - c->used < n) {
		own = n > L->chunk / 2 && L->mem != NULL;
		if ((c = arena_map(n, MAP_SHARED, own ? 0 : L->chunk)) == NULL) {
			L->failed = 1;
			return NULL;
		}
		/* A block of its own goes behind the chunk still in use. */
		if (own) {
			c->next = L->mem->next;
			L->mem->next = c;
			c->used = n;
			return c->data;
		}
		c->next = L->mem;
		L->mem = c;
		/* Fewer, larger chunks: every mapping costs each fork. */
		if (L->chunk < ARENA_CHUNK_MAX)
			L->chunk *= 2;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

static void *
arena_alloc(struct load *L, size_t n)
{
	return arena_bytes(L, n, ARENA_ALIGN);
}

/*
 * n zeroed bytes in a private chunk of their own, for a block read before
 * it is written (see above); NULL (and L->failed) on failure.
 */
static void *
arena_sparse(struct load *L, size_t n)
{
	struct chunk *c = arena_map(n, MAP_PRIVATE, 0);

	if (c == NULL) {
		L->failed = 1;
		return NULL;
	}
	/* A read maps the zero page, and fork() would copy each such entry. */
	(void)madvise(c, c->len, MADV_DONTFORK);
	c->used = c->cap;		/* nothing else goes in it */
	if (L->mem != NULL) {
		c->next = L->mem->next;
		L->mem->next = c;
	} else
		L->mem = c;
	return c->data;
}

/*
 * An array of n ints, or of n + 1 pointers the last of which is NULL; for
 * n == 0 a shared empty one, never written: most services have no needs,
 * no wants or no dependants.
 */
static int *
arena_ints(struct load *L, int n)
{
	static int none[1];

	return n > 0 ? arena_alloc(L, n * sizeof(int)) : none;
}

static char **
arena_ptrs(struct load *L, int n)
{
	static char *none[1];

	return n > 0 ? arena_alloc(L, (n + 1) * sizeof(char *)) : none;
}

static char *
arena_strndup(struct load *L, const char *s, size_t n)
{
	char *p = arena_bytes(L, n + 1, 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static char *
arena_strdup(struct load *L, const char *s)
{
	return arena_strndup(L, s, strlen(s));
}

static void
arena_free(struct chunk *c)
{
	struct chunk *next;

	for (; c != NULL; c = next) {
		next = c->next;
		munmap(c, c->len);
	}
}

/* Remember one service name found by the walk. */
static int
walk_add(struct load *L, const char *name)
{
	if (L->nnames == SVC_MAX) {
		log_warn("more than %d services; ignoring %s", SVC_MAX, name);
		return -1;
	}
	if (L->nnames == L->capnames) {
		int cap = L->capnames ? L->capnames * 2 : 256;
		char **p = realloc(L->names, cap * sizeof(*p));

		if (p == NULL) {
			L->failed = 1;
			return -1;
		}
		L->names = p;
		L->capnames = cap;
	}
	L->names[L->nnames] = arena_strdup(L, name);
	if (L->names[L->nnames] == NULL)
		return -1;
	L->nnames++;
	return 0;
}

/* Is this entry of a service directory not a service of its own? */
static int
walk_skip(const char *name, int depth)
{
	if (name[0] == '.')
		return 1;
	return depth > 0 && (strcmp(name, "needs") == 0 ||
	    strcmp(name, "wants") == 0);
}

/* Where the walk is: the directory it lists. */
struct walk_at {
	struct load	*L;
	int		dirfd;
	const char	*prefix;
	int		depth;
};

static void	walk(struct load *, int dirfd, const char *prefix, int depth);

/*
 * One entry of a directory the walk lists: a directory is a service, and
 * is walked in turn.  d_type spares a stat of every file of every service,
 * and of every service directory.
 */
static int
walk_entry(void *arg, const char *ent, unsigned char type)
{
	struct walk_at *w = arg;
	char name[PATH_MAX];
	struct stat st;
	int fd;

	if (w->L->failed)
		return 1;
	if (walk_skip(ent, w->depth))
		return 0;
	if (type != DT_DIR && (type != DT_UNKNOWN ||
	    fstatat(w->dirfd, ent, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISDIR(st.st_mode)))
		return 0;
	if (snprintf(name, sizeof(name), "%s%s%s", w->prefix,
	    *w->prefix ? "/" : "", ent) >= (int)sizeof(name) ||
	    !wire_name_ok(name, strlen(name))) {
		log_warn("unable to use service name %s/%s: too long "
		    "or not printable", w->prefix, ent);
		return 0;
	}
	if (walk_add(w->L, name) < 0)
		return 0;
	fd = openat(w->dirfd, ent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd >= 0)
		walk(w->L, fd, name, w->depth + 1);
	return 0;
}

/*
 * Walk the directories under dirfd, which it closes; symlinks are never
 * followed here.
 */
static void
walk(struct load *L, int dirfd, const char *prefix, int depth)
{
	struct walk_at w;

	if (depth >= SVC_DEPTH_MAX) {
		log_warn("service directories nested deeper than %d under %s",
		    SVC_DEPTH_MAX, prefix);
		close(dirfd);
		return;
	}
	w.L = L;
	w.dirfd = dirfd;
	w.prefix = prefix;
	w.depth = depth;
	(void)util_dir_each(dirfd, walk_entry, &w);
	close(dirfd);
}

/*
 * Read the lines of DIR/NAME into a NULL-terminated array in the arena,
 * after `first` leading slots that the caller fills.  A missing file gives
 * just the leading slots.  Returns NULL on failure (reported).
 */
static char **
read_lines(struct load *L, int dirfd, const char *svc, const char *name,
    int first, int max)
{
	char *lines[SVC_ARGS_MAX + 1];
	char **v;
	ssize_t len;
	int n = 0, i;

	len = util_read_file(dirfd, name, filebuf, sizeof(filebuf));
	if (len < 0 && errno != ENOENT) {
		log_warn("unable to read %s/%s: %s", svc, name, strerror(errno));
		return NULL;
	}
	if (len >= 0) {
		n = util_split_lines(filebuf, lines, max);
		if (n < 0) {
			log_warn("unable to use %s/%s: more than %d lines", svc,
			    name, max);
			return NULL;
		}
	}
	v = arena_ptrs(L, first + n);
	if (v == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if ((v[first + i] = arena_strdup(L, lines[i])) == NULL)
			return NULL;
	return v;
}

/* Does environment entry e set the key that k (KEY or KEY=...) names? */
static int
env_same_key(const char *e, const char *k)
{
	size_t n = strcspn(k, "=");

	return strncmp(e, k, n) == 0 && e[n] == '=';
}

/*
 * Add NOTIFY_SOCKET (ready.c's entry: its value is set once the socket
 * opens, before any service starts) to the environment of p.
 */
static void
env_notify(struct load *L, struct svc_prog *p)
{
	char *v = (char *)ready_env(), **env;
	int n = 0, i, k = 0;

	while (p->envp[n] != NULL)
		n++;
	if ((env = arena_alloc(L, (n + 2) * sizeof(*env))) == NULL)
		return;
	for (i = 0; i < n; i++)
		if (!env_same_key(p->envp[i], v))
			env[k++] = p->envp[i];
	env[k++] = v;
	env[k] = NULL;
	p->envp = env;
}

/*
 * The environment every program without entries of its own shares: PID
 * 1's own without PINIT_SERVICE (spawn.c sets it at each start), and PATH
 * when it has none.  Made once a load, in L->env (L->nenv entries).
 */
static char **
env_base(struct load *L)
{
	int n = 0, i, havepath = 0;

	if (L->env != NULL)
		return L->env;
	while (environ[n] != NULL)
		n++;
	if ((L->env = arena_alloc(L, (n + 2) * sizeof(*L->env))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (env_same_key(environ[i], SVC_ENV_SERVICE))
			continue;
		havepath |= env_same_key(environ[i], "PATH");
		L->env[L->nenv++] = environ[i];
	}
	if (!havepath)
		L->env[L->nenv++] = "PATH=" PINIT_DEFAULT_PATH;
	L->env[L->nenv] = NULL;
	return L->env;
}

/*
 * Build the environment of a program: the shared base (env_base()), then
 * the lines of FILE (KEY=VALUE sets, KEY alone unsets).  PINIT_SERVICE is
 * not one of them: spawn.c adds it, so FILE cannot change it.  A program
 * whose FILE changes nothing gets the base itself, so that 10,000
 * services do not hold 10,000 copies of PID 1's environment.
 */
static char **
build_env(struct load *L, int dirfd, const char *svc, const char *file)
{
	char **add, **env, **base = env_base(L);
	int na = 0, n, i, j;

	add = read_lines(L, dirfd, svc, file, 0, SVC_ARGS_MAX);
	if (add == NULL || base == NULL)
		return NULL;
	while (add[na] != NULL)
		na++;
	if (na == 0)
		return base;
	env = arena_alloc(L, (L->nenv + na + 1) * sizeof(*env));
	if (env == NULL)
		return NULL;
	n = L->nenv;
	memcpy(env, base, n * sizeof(*env));
	for (i = 0; i < na; i++) {
		if (add[i][0] == '\0' || add[i][0] == '=' || add[i][0] == '#' ||
		    env_same_key(add[i], SVC_ENV_SERVICE))
			continue;
		for (j = 0; j < n; j++)
			if (env_same_key(env[j], add[i]))
				break;
		if (strchr(add[i], '=') == NULL) {
			if (j < n)
				env[j] = env[--n];
			continue;
		}
		env[j < n ? j : n++] = add[i];
	}
	env[n] = NULL;
	return env;
}

/*
 * Load program PROG ("on" or "off") of a service: its path, argv from
 * PROG.params (argv[0] is the symlink's target, so that multi-call
 * binaries see their name) and its environment from PROG.env.
 * Returns 1 when the program exists, 0 when it does not, -1 on failure.
 */
static int
load_prog(struct load *L, int dirfd, const char *svc, const char *prog,
    struct svc_prog *p)
{
	char file[16], target[PATH_MAX];
	unsigned char type;
	struct stat st;
	ssize_t n;
	size_t len;

	switch (util_dir_has(dirfd, prog, &type)) {
	case 0:
		return 0;
	case 1:
		if (type != DT_UNKNOWN)
			break;
		/* FALLTHROUGH */
	default:
		if (fstatat(dirfd, prog, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return errno == ENOENT ? 0 : -1;
		type = S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
	}
	len = strlen(L->t->svcdir) + strlen(svc) + strlen(prog) + 3;
	if ((p->path = arena_bytes(L, len, 1)) == NULL)
		return -1;
	snprintf(p->path, len, "%s/%s/%s", L->t->svcdir, svc, prog);
	snprintf(file, sizeof(file), "%s.params", prog);
	p->argv = read_lines(L, dirfd, svc, file, 1, SVC_ARGS_MAX);
	snprintf(file, sizeof(file), "%s.env", prog);
	p->envp = build_env(L, dirfd, svc, file);
	if (p->argv == NULL || p->envp == NULL)
		return -1;
	n = type == DT_LNK ? readlinkat(dirfd, prog, target,
	    sizeof(target) - 1) : -1;
	if (n > 0) {
		target[n] = '\0';
		p->argv[0] = arena_strdup(L, target);
	} else
		p->argv[0] = p->path;
	return p->argv[0] != NULL ? 1 : -1;
}

/* Read a time file; keep *ms (the default) when absent or bad. */
static void
load_ms(int dirfd, const char *svc, const char *file, int64_t *ms)
{
	int64_t v;

	if (util_read_file(dirfd, file, filebuf, 64) < 0) {
		if (errno != ENOENT)
			log_warn("unable to read %s/%s: %s", svc, file,
			    strerror(errno));
		return;
	}
	if (util_parse_ms(filebuf, 3600000, &v) < 0) {
		log_warn("unable to parse %s/%s: %s (want seconds, e.g. 0.5)",
		    svc, file, strerror(errno));
		return;
	}
	*ms = v;
}

/* Read "restart-limit": "N SECONDS". */
static void
load_limit(int dirfd, const char *svc, struct svc *s)
{
	unsigned long n;
	const char *p;
	int64_t ms;

	if (util_read_file(dirfd, "restart-limit", filebuf, 64) < 0) {
		if (errno != ENOENT)
			log_warn("unable to read %s/restart-limit: %s", svc,
			    strerror(errno));
		return;
	}
	if (util_parse_ulong(filebuf, SVC_LIMIT_N_MAX, &n, &p) < 0 || n == 0 ||
	    util_parse_ms(p, 86400000, &ms) < 0 || ms == 0) {
		log_warn("unable to parse %s/restart-limit: want \"N SECONDS\" "
		    "with 1 <= N <= %d", svc, SVC_LIMIT_N_MAX);
		return;
	}
	s->limit = (int)n;
	s->window_ms = ms;
}

static const struct {
	const char	*name;
	int		 sig;
} stopsigs[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "PWR", SIGPWR },
	{ "WINCH", SIGWINCH }, { NULL, 0 }
};

/* Parse a signal: a name (TERM or SIGTERM) or a number; -1 if bad. */
static int
parse_signal(const char *s)
{
	unsigned long n;
	const char *end;
	int k;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (k = 0; stopsigs[k].name != NULL; k++)
		if (strcmp(s, stopsigs[k].name) == 0)
			return stopsigs[k].sig;
	if (util_parse_ulong(s, NSIG - 1, &n, &end) < 0 || n == 0 ||
	    *end != '\0')
		return -1;
	return (int)n;
}

/*
 * Read "stop-signal" and "stop-timeout"; a bad one is reported and its
 * default kept, as a bad restart-delay is.
 */
static void
load_stop(int dirfd, const char *svc, struct svc *s)
{
	int sig;

	if (util_read_file(dirfd, "stop-signal", filebuf, 64) >= 0) {
		filebuf[strcspn(filebuf, " \t\r\n")] = '\0';
		if ((sig = parse_signal(filebuf)) < 0)
			log_warn("unable to parse %s/stop-signal: want a name "
			    "(TERM, INT, HUP, QUIT, USR1...) or a number", svc);
		else
			s->stop_sig = sig;
	} else if (errno != ENOENT)
		log_warn("unable to read %s/stop-signal: %s", svc,
		    strerror(errno));
	load_ms(dirfd, svc, "stop-timeout", &s->stop_ms);
	if (s->stop_ms > PINIT_GRACE_MAX_MS) {
		log_warn("unable to use %s/stop-timeout: more than %d s", svc,
		    PINIT_GRACE_MAX_MS / 1000);
		s->stop_ms = -1;
	}
}

/* Read "restart": always, on-failure or never. */
static void
load_policy(int dirfd, const char *svc, struct svc *s)
{
	if (util_read_file(dirfd, "restart", filebuf, 64) < 0) {
		if (errno != ENOENT)
			log_warn("unable to read %s/restart: %s", svc,
			    strerror(errno));
		return;
	}
	filebuf[strcspn(filebuf, " \t\r\n")] = '\0';
	if (strcmp(filebuf, "always") == 0)
		s->policy = SVC_RESTART_ALWAYS;
	else if (strcmp(filebuf, "on-failure") == 0)
		s->policy = SVC_RESTART_ON_FAILURE;
	else if (strcmp(filebuf, "never") == 0)
		s->policy = SVC_RESTART_NEVER;
	else
		log_warn("unable to parse %s/restart: want always, on-failure "
		    "or never", svc);
}

/*
 * Normalise "a/b/../c" lexically into out; -1 when it climbs above the
 * top or does not fit.
 */
static int
norm_path(const char *in, char *out, size_t cap)
{
	size_t len = 0, n;
	const char *p = in, *e;

	out[0] = '\0';
	while (*p != '\0') {
		e = strchr(p, '/');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			;
		else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (len == 0)
				return -1;
			while (len > 0 && out[len - 1] != '/')
				len--;
			len = len > 0 ? len - 1 : 0;
			out[len] = '\0';
		} else {
			if (len + n + 2 > cap)
				return -1;
			if (len > 0)
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
			out[len] = '\0';
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return len > 0 ? 0 : -1;
}

/*
 * The service name an entry of SVC/KIND/ names: a symlink's target taken
 * lexically relative to the service directory (absolute targets must lie
 * inside it), or a plain entry's own name (entry, already in the arena).
 */
static char *
dep_name(struct load *L, int kindfd, const char *svc, const char *kind,
    char *entry)
{
	char target[PATH_MAX], rel[PATH_MAX], out[PATH_MAX];
	size_t rl = strlen(L->real), gl = strlen(L->t->svcdir);
	const char *t = target;
	ssize_t n;

	n = readlinkat(kindfd, entry, target, sizeof(target) - 1);
	if (n < 0)
		return entry;
	target[n] = '\0';
	if (target[0] == '/') {
		if (strncmp(target, L->real, rl) == 0 && target[rl] == '/')
			t = target + rl + 1;
		else if (strncmp(target, L->t->svcdir, gl) == 0 &&
		    target[gl] == '/')
			t = target + gl + 1;
		else
			return arena_strdup(L, target);
		snprintf(rel, sizeof(rel), "%s", t);
	} else if (snprintf(rel, sizeof(rel), "%s/%s/%s", svc, kind, target) >=
	    (int)sizeof(rel))
		return arena_strdup(L, target);
	if (norm_path(rel, out, sizeof(out)) < 0)
		return arena_strdup(L, target);
	return arena_strdup(L, out);
}

/* The entries of a dependency directory, as load_deps() collects them. */
struct entries {
	struct load	*L;
	const char	*svc, *kind;
	char		**v;
	int		n, cap;
};

/* Take one entry of a dependency directory (dot files skipped). */
static int
entry_take(void *arg, const char *name, unsigned char type)
{
	struct entries *e = arg;
	char **p;

	(void)type;
	if (name[0] == '.')
		return 0;
	if (e->n == SVC_DEPS_MAX) {
		log_warn("%s/%s: more than %d entries; the rest ignored",
		    e->svc, e->kind, SVC_DEPS_MAX);
		return 1;
	}
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		if ((p = realloc(e->v, e->cap * sizeof(*p))) == NULL) {
			e->L->failed = 1;
			return 1;
		}
		e->v = p;
	}
	if ((e->v[e->n] = arena_strdup(e->L, name)) == NULL)
		return 1;
	e->n++;
	return 0;
}

/* Read the entries of SVC/KIND/ (sorted) as names; returns how many. */
static int
load_deps(struct load *L, int svcfd, const char *svc, const char *kind,
    char ***names)
{
	struct entries e;
	int fd, i;

	*names = NULL;
	if (util_dir_lacks(svcfd, kind))
		return 0;
	fd = openat(svcfd, kind, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	memset(&e, 0, sizeof(e));
	e.L = L;
	e.svc = svc;
	e.kind = kind;
	(void)util_dir_each(fd, entry_take, &e);
	if (e.n > 1)
		util_sort_names(e.v, (size_t)e.n);
	*names = arena_alloc(L, (e.n + 1) * sizeof(**names));
	for (i = 0; *names != NULL && i < e.n; i++)
		(*names)[i] = dep_name(L, fd, svc, kind, e.v[i]);
	free(e.v);
	close(fd);
	return *names != NULL ? e.n : 0;
}

/* Is NAME one of the hook services started by their event? */
static int
is_hook(const char *name)
{
	int i;

	for (i = 0; hooks[i] != NULL; i++)
		if (strcmp(name, hooks[i]) == 0)
			return 1;
	return 0;
}

/* Mark a service whose files could not be read as failed. */
static void
load_broken(struct svc *s, const char *what)
{
	s->state = WIRE_S_FAILED;
	s->flags |= SVC_BROKEN;
	snprintf(s->info, SVC_INFO_SIZE, "unable to load %s", what);
	log_warn("unable to load service %s: %s", s->name, what);
}

/*
 * Read the identity and limits (ident.c) into the arena; a bad one
 * breaks the service: it must not run as someone else.
 */
static void
load_ident(struct load *L, int dirfd, struct svc *s)
{
	struct svc_ident id, *p;
	char why[WIRE_INFO_MAX - 16];
	int r;

	r = ident_load(dirfd, s->name, &id, why, sizeof(why));
	if (r < 0) {
		load_broken(s, why);
		return;
	}
	if (r == 0 || (p = arena_alloc(L, sizeof(*p))) == NULL)
		return;
	*p = id;
	if (id.dir != NULL && (p->dir = arena_strdup(L, id.dir)) == NULL)
		return;
	s->on.ident = p;
	if (s->off != NULL)
		s->off->ident = p;
}

/*
 * Read the service's log setting (svclog.c); a log/ directory is the log
 * service NAME/log, which the service needs: it starts first, and stops
 * last.
 */
static void
load_log(struct load *L, int fd, struct svc *s, char ***needs, int *nn)
{
	static struct svclog l;
	char **v;
	size_t len;

	if (svclog_parse(fd, L->t->svcdir, s->name, &l) == SVCLOG_CONSOLE)
		return;
	if ((s->log = arena_alloc(L, sizeof(*s->log))) == NULL)
		return;
	memcpy(s->log, &l, sizeof(l));
	if (l.mode != SVCLOG_PIPE)
		return;
	v = arena_alloc(L, (*nn + 2) * sizeof(*v));
	if (v == NULL)
		return;
	if (*nn > 0)
		memcpy(v, *needs, *nn * sizeof(*v));
	len = strlen(s->name) + sizeof("/log");
	if ((v[*nn] = arena_bytes(L, len, 1)) == NULL)
		return;
	snprintf(v[(*nn)++], len, "%s/log", s->name);
	*needs = v;
}

/* Read one service's directory. */
static void
load_one(struct load *L, int topfd, struct svc *s)
{
	struct svc_prog off;
	char **needs, **wants;
	struct stat st;
	int fd, nn, nw, r;

	s->delay_ms = SVC_DELAY_MS;
	s->delay_max_ms = SVC_DELAY_MAX_MS;
	s->limit = SVC_LIMIT_N;
	s->window_ms = SVC_LIMIT_MS;
	s->stop_sig = SIGTERM;
	s->stop_ms = -1;
	fd = openat(topfd, s->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		load_broken(s, strerror(errno));
		s->flags |= SVC_GROUP;
		return;
	}
	util_dir_list(fd);
	r = load_prog(L, fd, s->name, "on", &s->on);
	if (r == 0)
		s->flags |= SVC_GROUP;
	else if (r < 0)
		load_broken(s, "its on program or on.params/on.env");
	memset(&off, 0, sizeof(off));
	r = load_prog(L, fd, s->name, "off", &off);
	if (r < 0)
		load_broken(s, "its off program or off.params/off.env");
	else if (r > 0 && (s->off = arena_alloc(L, sizeof(off))) != NULL)
		memcpy(s->off, &off, sizeof(off));
	r = util_dir_has(fd, "respawn", NULL);
	if (r == 1 || (r < 0 &&
	    fstatat(fd, "respawn", &st, AT_SYMLINK_NOFOLLOW) == 0))
		s->flags |= SVC_RESPAWN;
	ready_load(fd, s);
	if ((s->readyhow & READY_SOCKET) && s->on.envp != NULL)
		env_notify(L, &s->on);
	if (is_hook(s->name))
		s->flags |= SVC_HOOK;
	load_ms(fd, s->name, "restart-delay", &s->delay_ms);
	load_ms(fd, s->name, "restart-delay-max", &s->delay_max_ms);
	if (s->delay_max_ms < s->delay_ms)
		s->delay_max_ms = s->delay_ms;
	load_limit(fd, s->name, s);
	load_stop(fd, s->name, s);
	load_policy(fd, s->name, s);
	load_ident(L, fd, s);
	nn = load_deps(L, fd, s->name, "needs", &needs);
	load_log(L, fd, s, &needs, &nn);
	nw = load_deps(L, fd, s->name, "wants", &wants);
	util_dir_forget();
	close(fd);
	s->depname = arena_ptrs(L, nn + nw);
	s->needs = arena_ints(L, nn);
	s->wants = arena_ints(L, nw);
	if (s->depname == NULL || s->needs == NULL || s->wants == NULL)
		return;
	s->nneeds = nn;
	s->nwants = nw;
	if (nn > 0)
		memcpy(s->depname, needs, nn * sizeof(*needs));
	if (nw > 0)
		memcpy(s->depname + nn, wants, nw * sizeof(*wants));
}

/* Turn dependency names into indices and fill the reverse lists. */
static void
load_resolve(struct load *L)
{
	struct svctab *t = L->t;
	struct svc *s, *d;
	int i, j, k;

	for (i = 0; i < t->n; i++) {
		s = &t->v[i];
		for (j = 0; j < s->nneeds + s->nwants; j++) {
			const char *dn = s->depname[j];

			k = dn != NULL ? svc_find(t, dn, strlen(dn)) : -1;
			if (j < s->nneeds)
				s->needs[j] = k;
			else
				s->wants[j - s->nneeds] = k;
			if (k < 0 && j >= s->nneeds)
				log_warn("%s wants %s, which does not exist",
				    s->name, dn != NULL ? dn : "?");
			if (k >= 0)
				t->v[k].nrdeps++;
		}
	}
	for (i = 0; i < t->n; i++) {
		t->v[i].rdeps = arena_ints(L, t->v[i].nrdeps);
		t->v[i].nrdeps = 0;
	}
	for (i = 0; i < t->n && !L->failed; i++) {
		s = &t->v[i];
		for (j = 0; j < s->nneeds + s->nwants; j++) {
			k = j < s->nneeds ? s->needs[j] : s->wants[j - s->nneeds];
			if (k < 0)
				continue;
			d = &t->v[k];
			d->rdeps[d->nrdeps++] = i;
		}
	}
}

/* Size the pid hash for the table: twice the services, a power of two. */
static int
load_pidhash(struct load *L)
{
	struct svctab *t = L->t;
	unsigned cap = 64;

	while (cap < 4u * (unsigned)t->n + 16)
		cap *= 2;
	t->pidcap = cap;
	t->pidkey = arena_alloc(L, cap * sizeof(*t->pidkey));
	t->pidval = arena_alloc(L, cap * sizeof(*t->pidval));
	return t->pidkey != NULL && t->pidval != NULL ? 0 : -1;
}

/*
 * Give every service its info text and its STATUS= text (before anything
 * can fail it) or its
 * ring of death times (once its restart-limit is known), each kind in one
 * block of the arena written by nothing here: most services never have a
 * text (a running one has none) and never die, so most pages of these
 * blocks never take memory.  svc_set_info() writes a text only when it
 * changes.
 */
static int
load_info(struct load *L)
{
	struct svctab *t = L->t;
	char *info, *text;
	int i;

	info = arena_sparse(L, (size_t)t->n * SVC_INFO_SIZE);
	text = arena_sparse(L, (size_t)t->n * SVC_INFO_SIZE);
	if (info == NULL || text == NULL)
		return -1;
	for (i = 0; i < t->n; i++) {
		t->v[i].info = info + (size_t)i * SVC_INFO_SIZE;
		t->v[i].text = text + (size_t)i * SVC_INFO_SIZE;
	}
	return 0;
}

/*
 * List the services with a log setting (s->log, set at load only): the
 * loop's scans of the log pipes and reports walk them alone.
 */
static void
load_logs(struct load *L)
{
	struct svctab *t = L->t;
	int i, n = 0;

	for (i = 0; i < t->n; i++)
		n += t->v[i].log != NULL;
	if ((t->logs = arena_ints(L, n)) == NULL)
		return;
	for (i = 0; i < t->n; i++)
		if (t->v[i].log != NULL)
			t->logs[t->nlogs++] = i;
}

static void
load_deaths(struct load *L)
{
	struct svctab *t = L->t;
	size_t nd = 0;
	int64_t *d;
	int i;

	for (i = 0; i < t->n; i++)
		nd += (size_t)t->v[i].limit + 1;
	if ((d = arena_sparse(L, nd * sizeof(*d))) == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		t->v[i].deaths = d;
		d += t->v[i].limit + 1;
	}
}

/*
 * Mark in named[] (n bytes) the services that service i names in needs/
 * or wants/; NULL when it names none or on failure.
 */
static unsigned char *
load_named(const struct svctab *t, int i)
{
	const struct svc *s = &t->v[i];
	unsigned char *named;
	const char *dn;
	int j, k;

	if (s->nneeds + s->nwants == 0 ||
	    (named = calloc((size_t)t->n, 1)) == NULL)
		return NULL;
	for (j = 0; j < s->nneeds + s->nwants; j++)
		if ((dn = s->depname[j]) != NULL &&
		    (k = svc_find(t, dn, strlen(dn))) >= 0)
			named[k] = 1;
	return named;
}

/*
 * Make the table for the L->nnames services the walk found (their names
 * sorted) in L->t, in chunks of its own.  Every chunk is one more mapping
 * for each fork to copy and each child's execve() to undo, so the first
 * is sized from the count to hold the whole table (what a service takes
 * is about sizeof(struct svc) and LOAD_PER_SVC; its pages that are never
 * touched take no memory), and the walk's chunks, which held the names,
 * are unmapped: they are copied.  -1 on failure.
 */
static int
load_table(struct load *L, const char *svcdir)
{
	struct chunk *walked = L->mem;
	struct svctab *t;
	int i, n = L->nnames;

	L->mem = NULL;
	L->chunk = (size_t)n * (sizeof(struct svc) + LOAD_PER_SVC) +
	    ARENA_CHUNK;
	t = L->t = arena_alloc(L, sizeof(*t));
	if (t != NULL) {
		t->root = -1;
		t->inflight = -1;
		t->svcdir = arena_strdup(L, svcdir);
		t->v = arena_alloc(L, (n + 1) * sizeof(*t->v));
	}
	for (i = 0; t != NULL && t->v != NULL && i < n; i++)
		if ((t->v[i].name = arena_strdup(L, L->names[i])) == NULL)
			break;
	arena_free(walked);
	L->nnames = 0;
	if (t == NULL || t->svcdir == NULL || t->v == NULL || i < n)
		return -1;
	t->n = n;
	return 0;
}

/*
 * Walk SVCDIR and build the table in L->t.  With early, the root is
 * loaded first, and each service the root names is passed to early as
 * soon as it is loaded, while the rest still loads: the table then has
 * its names, its pid hash and that service, and nothing that
 * load_resolve() or deps_order() makes.
 */
static int
load_build(struct load *L, const char *svcdir, const char *root,
    load_early_fn *early)
{
	struct svctab *t;
	unsigned char *named = NULL;
	int topfd, i, r = -1;

	topfd = open(svcdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (topfd < 0) {
		log_warn("unable to open service directory %s: %s", svcdir,
		    strerror(errno));
		return load_table(L, svcdir) < 0 ? -1 : load_pidhash(L);
	}
	walk(L, dup(topfd), "", 0);
	if (L->nnames > 1)
		util_sort_names(L->names, (size_t)L->nnames);
	if (load_table(L, svcdir) < 0)
		goto out;
	t = L->t;
	/*
	 * No fd is open before a service loads (load_one() leaves them): a
	 * start while the rest loads counts the exec pipes (svc_inflight()).
	 */
	for (i = 0; i < t->n; i++)
		t->v[i].execfd = t->v[i].notifyfd = -1;
	t->root = svc_find(t, root, strlen(root));
	if (load_info(L) < 0 || load_pidhash(L) < 0)
		goto out;
	if (early != NULL && t->root >= 0) {
		load_one(L, topfd, &t->v[t->root]);
		named = load_named(t, t->root);
	}
	for (i = 0; i < t->n && !L->failed; i++) {
		if (named != NULL && i == t->root)
			continue;
		load_one(L, topfd, &t->v[i]);
		if (named != NULL && named[i] && !L->failed)
			early(t, i);
	}
	load_deaths(L);
	load_logs(L);
	if (!L->failed) {
		load_resolve(L);
		r = 0;
	}
out:
	free(named);
	close(topfd);
	return r;
}

/*
 * A load that fails leaves no table to supervise what early started:
 * those sessions are killed, and reaped as strangers.
 */
static void
load_kill_early(const struct svctab *t)
{
	int i;

	for (i = 0; t->v != NULL && i < t->n; i++)
		if (t->v[i].pid > 0) {
			log_warn("%s: stopped, since the tree did not load",
			    t->v[i].name);
			(void)kill(-t->v[i].pid, SIGKILL);
		}
}

/*
 * The canonical path of svcdir, as realpath() says, but from what /proc
 * says of an fd opened on it: realpath() is over 1 KiB of the small
 * static build.  Without /proc (PID 1 mounts it before the tree loads),
 * svcdir as given.  NULL when out of memory.
 */
static char *
load_real(const char *svcdir)
{
	char link[32], buf[PATH_MAX];
	ssize_t n = -1;
	int fd;

	buf[0] = '\0';
	fd = open(svcdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0 || buf[0] != '/')
		return strdup(svcdir);
	buf[n] = '\0';
	return strdup(buf);
}

/* The bit maps of svc.h: every service hot and live, none held. */
static void
load_bits(struct load *L, struct svctab *t)
{
	size_t w = SVC_WORDS(t->n + 1);

	t->hot = arena_alloc(L, w * sizeof(uint64_t));
	t->was = arena_alloc(L, w * sizeof(uint64_t));
	t->held = arena_alloc(L, w * sizeof(uint64_t));
	t->live = arena_alloc(L, w * sizeof(uint64_t));
	if (L->failed)
		return;
	svc_hot_all(t);		/* the arena's bytes are zeroed */
	memcpy(t->live, t->hot, w * sizeof(uint64_t));
}

struct svctab *
load_tree(const char *svcdir, const char *root, load_early_fn *early)
{
	struct load L;
	struct svctab *t;

	memset(&L, 0, sizeof(L));
	L.chunk = ARENA_CHUNK;
	L.real = load_real(svcdir);
	if (L.real == NULL || load_build(&L, svcdir, root, early) < 0)
		L.failed = 1;
	t = L.t;
	if (!L.failed) {
		t->order = arena_alloc(&L, (t->n + 1) * sizeof(int));
		t->pos = arena_alloc(&L, (t->n + 1) * sizeof(int));
		load_bits(&L, t);
		/* Two ints a service, written only by a status. */
		t->dfs = arena_sparse(&L, 2 * ((size_t)t->n + 1) * sizeof(int));
	}
	free(L.real);
	free(L.names);
	if (L.failed || deps_order(t) < 0) {
		log_error("unable to load %s: out of memory", svcdir);
		if (t != NULL)
			load_kill_early(t);
		arena_free(L.mem);
		return NULL;
	}
	t->mem = L.mem;
	return t;
}

void
load_free(struct svctab *t)
{
	if (t != NULL)
		arena_free(t->mem);
}
