/*
 * util.h - small bounded helpers shared by PID 1's modules.
 */
#ifndef PINIT_UTIL_H
#define PINIT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * Read the file NAME under directory fd DIRFD into buf (at most cap - 1
 * bytes) and NUL-terminate it.  Returns the length, or -1 with errno
 * (EFBIG when the file does not fit, EINVAL when it holds a NUL byte).
 */
ssize_t	util_read_file(int dirfd, const char *name, char *buf, size_t cap);
/*
 * Call fn(arg, NAME, TYPE) for each entry of directory fd DIRFD, read
 * through it from its offset ("." and ".." too), until fn returns non-zero;
 * TYPE is the entry's d_type, DT_UNKNOWN where the filesystem does not
 * tell.  0, or -1 with errno when the directory could not be read.
 */
int	util_dir_each(int dirfd, int (*fn)(void *, const char *, unsigned char),
	    void *arg);
/*
 * List directory fd DIRFD once (its offset ends at its end): until
 * util_dir_forget(), which must come before DIRFD is closed,
 * util_dir_has(DIRFD, NAME, &TYPE) is 1 for a name in it (with its d_type
 * in TYPE, when not NULL) and 0 for a name not in it, and
 * util_dir_lacks(DIRFD, NAME) is 1 for a name not in it; util_read_file()
 * of such a name fails with ENOENT without a system call.  Without a
 * listing of DIRFD (none made, or the directory had too many entries),
 * util_dir_has() is -1 and nothing is lacking.
 */
void	util_dir_list(int dirfd);
void	util_dir_forget(void);
int	util_dir_has(int dirfd, const char *name, unsigned char *type);
int	util_dir_lacks(int dirfd, const char *name);
/*
 * Split buf in place into lines; store at most max pointers in lines.
 * A last line without newline counts; the empty string after a final
 * newline does not.  Returns the number of lines, or -1 (E2BIG) when there
 * are more than max.
 */
int	util_split_lines(char *buf, char **lines, int max);
/* Parse decimal seconds ("2", "0.25") into milliseconds, at most max_ms. */
int	util_parse_ms(const char *s, int64_t max_ms, int64_t *out);
/*
 * Parse an unsigned number in base (8 or 10), at most max: digits only (no
 * space, no sign), up to the first byte that is not one, stored in *end.
 * 0, or -1 with errno (EINVAL: no digit first; ERANGE: over max).
 */
int	util_parse_u64(const char *s, unsigned base, uint64_t max,
	    uint64_t *out, const char **end);
/* Parse an unsigned decimal number, at most max, ending at s_end or space. */
int	util_parse_ulong(const char *s, unsigned long max, unsigned long *out,
	    const char **end);
/* What /proc/PID/stat says of a process: its state letter and ids. */
struct util_proc {
	char	state;
	pid_t	ppid, pgrp, session;
};
/* Read /proc/PID/stat into *p: 0, or -1 (gone, or not understood). */
int	util_proc_stat(pid_t pid, struct util_proc *p);
/* Sort n names in place in strcmp() order. */
void	util_sort_names(char **v, size_t n);
/* strlcpy: copy with truncation, always NUL-terminated; returns strlen(src). */
size_t	util_strlcpy(char *dst, const char *src, size_t size);
/* Set FD_CLOEXEC and O_NONBLOCK on fd. */
int	util_fd_cloexec_nonblock(int fd);
/* Set (on 0) or clear (on 1) FD_CLOEXEC of fd, when fd >= 0. */
void	util_fd_inherit(int fd, int on);
/*
 * Take over fd, inherited across the exec of a hot update: it must be
 * open, without FD_CLOEXEC (every fd this image opened has it, so does one
 * taken already), of file type type (S_IFIFO, S_IFREG, S_IFSOCK) and
 * opened for acc (O_RDONLY, O_WRONLY, O_RDWR).  FD_CLOEXEC is set again;
 * st gets what fstat() says.  0, or -1 with errno: EBADF (not open, or
 * not inherited: left alone), EINVAL (not of that kind: closed).
 */
int	util_fd_take(int fd, mode_t type, int acc, struct stat *st);

#endif /* PINIT_UTIL_H */
