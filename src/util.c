/*
 * util.c - small bounded helpers shared by PID 1's modules.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#define UTIL_DIR_BYTES	4096		/* names of one listed directory */

/* A record of getdents64(2). */
struct util_dirent {
	uint64_t	ino;
	int64_t		off;
	unsigned short	reclen;
	unsigned char	type;
	char		name[];
};

/*
 * The entries of one directory (util_dir_list): each its d_type byte, its
 * name and a NUL; fd -1: none.  Loading a service asks for some twenty
 * files that most services lack: with the listing, one that is not there
 * costs no system call, and one that is there needs no stat() to be known
 * to exist.  (The fd lies outside the struct, so that the names are not
 * initialised data in the binary.)
 */
static int	dirls_fd = -1;
static struct {
	size_t	len;
	char	names[UTIL_DIR_BYTES];
} dirls;

int
util_dir_each(int dirfd, int (*fn)(void *, const char *, unsigned char),
    void *arg)
{
	char buf[2048] __attribute__((aligned(8)));
	const struct util_dirent *de;
	long n, at;

	while ((n = syscall(SYS_getdents64, dirfd, buf, sizeof(buf))) > 0)
		for (at = 0; at < n; at += de->reclen) {
			de = (const struct util_dirent *)(buf + at);
			if (de->reclen == 0 || de->reclen > n - at) {
				errno = EIO;
				return -1;
			}
			if (fn(arg, de->name, de->type) != 0)
				return 0;
		}
	return n < 0 ? -1 : 0;
}

/* Append one entry to the listing; -1 when it is full. */
static int
dir_take(void *arg, const char *name, unsigned char type)
{
	size_t k = strlen(name) + 1;

	(void)arg;
	if (dirls.len + 1 + k > sizeof(dirls.names)) {
		dirls.len = SIZE_MAX;
		return -1;
	}
	dirls.names[dirls.len] = (char)type;
	memcpy(dirls.names + dirls.len + 1, name, k);
	dirls.len += 1 + k;
	return 0;
}

void
util_dir_list(int dirfd)
{
	util_dir_forget();
	dirls.len = 0;
	if (util_dir_each(dirfd, dir_take, NULL) == 0 && dirls.len != SIZE_MAX)
		dirls_fd = dirfd;
}

void
util_dir_forget(void)
{
	dirls_fd = -1;
}

int
util_dir_has(int dirfd, const char *name, unsigned char *type)
{
	size_t at, k;

	if (dirls_fd < 0 || dirfd != dirls_fd || strchr(name, '/') != NULL)
		return -1;
	for (at = 0; at < dirls.len; at += k + 2) {
		k = strlen(dirls.names + at + 1);
		if (strcmp(dirls.names + at + 1, name) == 0) {
			if (type != NULL)
				*type = (unsigned char)dirls.names[at];
			return 1;
		}
	}
	return 0;
}

int
util_dir_lacks(int dirfd, const char *name)
{
	return util_dir_has(dirfd, name, NULL) == 0;
}

ssize_t
util_read_file(int dirfd, const char *name, char *buf, size_t cap)
{
	ssize_t n, len = 0;
	int fd;

	if (cap == 0) {
		errno = EINVAL;
		return -1;
	}
	if (util_dir_lacks(dirfd, name)) {
		errno = ENOENT;
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	for (;;) {
		if ((size_t)len == cap - 1) {
			char c;

			n = read(fd, &c, 1);
			if (n > 0) {
				close(fd);
				errno = EFBIG;
				return -1;
			}
			break;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL) {
		errno = EINVAL;
		return -1;
	}
	return len;
}

int
util_split_lines(char *buf, char **lines, int max)
{
	char *p = buf, *nl;
	int n = 0;

	while (*p != '\0') {
		if (n == max) {
			errno = E2BIG;
			return -1;
		}
		lines[n++] = p;
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return n;
}

/* Skip spaces, tabs and newlines. */
static const char *
skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

int
util_parse_u64(const char *s, unsigned base, uint64_t max, uint64_t *out,
    const char **end)
{
	uint64_t v = 0;
	unsigned d;

	if (*s < '0' || (unsigned)(*s - '0') >= base) {
		errno = EINVAL;
		return -1;
	}
	for (; *s >= '0' && (d = (unsigned)(*s - '0')) < base; s++) {
		if (d > max || v > (max - d) / base) {
			errno = ERANGE;
			return -1;
		}
		v = v * base + d;
	}
	*end = s;
	*out = v;
	return 0;
}

int
util_parse_ulong(const char *s, unsigned long max, unsigned long *out,
    const char **end)
{
	uint64_t v;
	const char *p;

	if (util_parse_u64(skip_space(s), 10, max, &v, &p) < 0)
		return -1;
	if (end != NULL)
		*end = p;
	else if (*skip_space(p) != '\0') {
		errno = EINVAL;
		return -1;
	}
	*out = (unsigned long)v;
	return 0;
}

int
util_proc_stat(pid_t pid, struct util_proc *p)
{
	char path[64], buf[512], *q;
	unsigned long v[3];
	const char *end;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "PID (COMM) S PPID PGRP SESSION ...": COMM may hold ")". */
	if ((q = strrchr(buf, ')')) == NULL || q[1] != ' ' || q[2] == '\0')
		return -1;
	p->state = q[2];
	for (end = q + 3, i = 0; i < 3; i++)
		if (util_parse_ulong(end, INT_MAX, &v[i], &end) < 0)
			return -1;
	p->ppid = (pid_t)v[0];
	p->pgrp = (pid_t)v[1];
	p->session = (pid_t)v[2];
	return 0;
}

int
util_parse_ms(const char *s, int64_t max_ms, int64_t *out)
{
	unsigned long sec, frac = 0, scale = 1000;
	const char *p;

	if (util_parse_ulong(s, (unsigned long)(max_ms / 1000), &sec, &p) < 0)
		return -1;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale > 1) {
				scale /= 10;
				frac += (unsigned long)(*p - '0') * scale;
			}
		}
	}
	if (*skip_space(p) != '\0') {
		errno = EINVAL;
		return -1;
	}
	if ((int64_t)sec * 1000 + (int64_t)frac > max_ms) {
		errno = ERANGE;
		return -1;
	}
	*out = (int64_t)sec * 1000 + (int64_t)frac;
	return 0;
}

size_t
util_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

int
util_fd_cloexec_nonblock(int fd)
{
	int fl;

	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -1;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

void
util_fd_inherit(int fd, int on)
{
	if (fd >= 0)
		fcntl(fd, F_SETFD, on ? 0 : FD_CLOEXEC);
}

int
util_fd_take(int fd, mode_t type, int acc, struct stat *st)
{
	int fdfl, fl;

	if (fd <= STDERR_FILENO || (fdfl = fcntl(fd, F_GETFD)) < 0 ||
	    (fdfl & FD_CLOEXEC)) {
		errno = EBADF;
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fstat(fd, st) < 0 || (st->st_mode & S_IFMT) != type ||
	    (fl & O_ACCMODE) != acc || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * Shell sort (Knuth's gaps): a few dozen bytes of code where the C
 * library's qsort is kilobytes in a static build, and at most some
 * n^1.5 comparisons, a million for 10000 names.
 */
void
util_sort_names(char **v, size_t n)
{
	size_t gap, i, j;
	char *x;

	for (gap = 1; gap < n / 3; gap = gap * 3 + 1)
		;
	for (; gap > 0; gap /= 3)
		for (i = gap; i < n; i++) {
			x = v[i];
			for (j = i; j >= gap && strcmp(v[j - gap], x) > 0;
			    j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
}
