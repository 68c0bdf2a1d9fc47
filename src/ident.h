/*
 * ident.h - a service's identity and limits: user, group, umask, nice,
 * chdir, rlimit-*, oom-score-adj.
 *
 * ident_load() reads the files at load time in PID 1 and resolves names
 * to numbers there (through /etc/passwd and /etc/group, read with bounds);
 * ident_apply() runs in the child between fork and exec and only makes
 * system calls: it allocates nothing.
 */
#ifndef PINIT_IDENT_H
#define PINIT_IDENT_H

#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#define IDENT_GROUPS_MAX	64	/* supplementary groups kept */
#define IDENT_RLIM_MAX		16	/* resources an rlimit-* names */

/* The step of ident_apply() that failed, in the order they run. */
enum ident_step {
	IDENT_S_NONE = 0,
	IDENT_S_RLIMIT,
	IDENT_S_NICE,
	IDENT_S_OOM,
	IDENT_S_UMASK,
	IDENT_S_GROUPS,
	IDENT_S_SETGID,
	IDENT_S_SETUID,
	IDENT_S_CHDIR
};

struct ident_rlim {
	int		res;		/* RLIMIT_*; -1: not set */
	struct rlimit	rl;
};

struct svc_ident {
	uid_t		uid;
	gid_t		gid;
	unsigned char	has_uid, has_gid, has_nice, has_oom;
	int		umask;		/* -1: keep PID 1's */
	int		nice;		/* -20..19 */
	int		oom;		/* -1000..1000 */
	int		ngroups;	/* supplementary groups; -1: keep */
	gid_t		groups[IDENT_GROUPS_MAX];
	int		nrlim;
	struct ident_rlim rlim[IDENT_RLIM_MAX];
	char		*dir;		/* chdir; NULL: "/" */
};

/*
 * Read the identity files of service svc (directory dirfd) into *id.
 * Returns 1 when at least one exists, 0 when none does, -1 when one is
 * bad: why (size n) then says which and why.  id->dir points to a static
 * buffer the caller copies.
 */
int	ident_load(int dirfd, const char *svc, struct svc_ident *id,
	    char *why, size_t n);
/*
 * In the child before exec: apply id.  -1 with errno on failure, and the
 * code to report (ident_code) in *code.
 */
int	ident_apply(const struct svc_ident *id, int *code);
/* The code the child reports for a failed step: step and errno. */
#define IDENT_CODE(step, err)	((int)(step) << 16 | ((err) & 0xffff))
#define IDENT_CODE_ERRNO(code)	((code) & 0xffff)
/* Describe a code: "setuid: Operation not permitted", or strerror. */
void	ident_describe(int code, char *buf, size_t n);

#endif /* PINIT_IDENT_H */
