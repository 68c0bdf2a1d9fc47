/*
 * replay.c - run every file of the corpus directories (or files) named
 * on the command line through a fuzz target once: the corpus as a plain
 * regression test that make check runs with any compiler.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define INPUT_MAX	(1024 * 1024)

static unsigned char	buf[INPUT_MAX];

/* Run one file through the target; -1 when it cannot be read. */
static int
replay_file(const char *path)
{
	ssize_t n, len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)len < sizeof(buf) &&
	    (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	close(fd);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	return 0;
}

/* Run every regular file of dir; returns how many, or -1. */
static int
replay_dir(const char *dir)
{
	char path[4096];
	struct dirent *de;
	int n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (replay_file(path) == 0)
			n++;
	}
	closedir(d);
	return n;
}

int
main(int argc, char **argv)
{
	struct stat st;
	int i, n, total = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			n = replay_dir(argv[i]);
		else
			n = replay_file(argv[i]) == 0 ? 1 : -1;
		if (n < 0) {
			fprintf(stderr, "replay: unable to read %s: %s\n",
			    argv[i], strerror(errno));
			return 1;
		}
		total += n;
	}
	printf("replay: %d inputs, no crash\n", total);
	return total > 0 ? 0 : 1;
}
