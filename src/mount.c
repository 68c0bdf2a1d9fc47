/*
 * mount.c - the file systems PID 1 mounts at start and lists at shutdown.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "pinit.h"

static const struct {
	const char	*path, *type, *data;
	unsigned long	flags;
} early[] = {
	{ "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "/sys", "sysfs", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "/dev", "devtmpfs", "mode=0755", MS_NOSUID },
	{ "/run", "tmpfs", "mode=0755", MS_NOSUID | MS_NODEV },
};

/* Is something mounted on path?  (Its device differs from the root's.) */
static int
mounted(const char *path)
{
	struct stat st, root;

	if (stat(path, &st) < 0 || stat("/", &root) < 0)
		return 0;
	return st.st_dev != root.st_dev;
}

void
mount_early(void)
{
	size_t i;

	for (i = 0; i < sizeof(early) / sizeof(early[0]); i++) {
		if (mounted(early[i].path))
			continue;
		if (mkdir(early[i].path, 0755) < 0 && errno != EEXIST)
			log_warn("unable to create %s: %s", early[i].path,
			    strerror(errno));
		if (mount(early[i].type, early[i].path, early[i].type,
		    early[i].flags, early[i].data) < 0)
			log_warn("unable to mount %s on %s: %s", early[i].type,
			    early[i].path, strerror(errno));
	}
}

/* Decode mountinfo's octal escapes (\040 for a space) in place. */
static void
unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 3;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

/* The mount point of one mountinfo line (the fifth field), or NULL. */
static char *
mount_point(char *line)
{
	char *p = line, *e;
	int f;

	for (f = 0; f < 4; f++) {
		p = strchr(p, ' ');
		if (p == NULL)
			return NULL;
		p++;
	}
	e = strchr(p, ' ');
	if (e == NULL)
		return NULL;
	*e = '\0';
	unescape(p);
	return p;
}

/*
 * Take the mount point of each whole line of buf[0..len) into v[*n],
 * until max.  When *skip, the first line is the end of one too long for
 * the buffer, and is left out.  Returns the bytes used (to the last
 * newline).
 */
static size_t
mount_lines(char *buf, size_t len, char **v, int max, int *n, int *skip)
{
	char *p = buf, *nl, *mp;

	while (*n < max &&
	    (nl = memchr(p, '\n', len - (size_t)(p - buf))) != NULL) {
		*nl = '\0';
		if (!*skip && (mp = mount_point(p)) != NULL &&
		    (v[*n] = strdup(mp)) != NULL)
			(*n)++;
		*skip = 0;
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

int
mount_list(char ***paths, int max)
{
	char buf[4096], **v;
	size_t len = 0, used;
	ssize_t r;
	int fd, n = 0, skip = 0;

	*paths = NULL;
	v = calloc(max, sizeof(*v));
	fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (v == NULL || fd < 0) {
		free(v);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (n < max && (r = read(fd, buf + len, sizeof(buf) - len)) > 0) {
		len += (size_t)r;
		used = mount_lines(buf, len, v, max, &n, &skip);
		len -= used;
		memmove(buf, buf + used, len);
		/* A line longer than the buffer is left out, as before. */
		if (len == sizeof(buf)) {
			len = 0;
			skip = 1;
		}
	}
	close(fd);
	*paths = v;
	return n;
}
