/*
 * telinit.c - pinit run as telinit: one request into /run/initctl.
 *
 * sysvinit's shutdown ends by running "/sbin/init 0" and people type
 * "init 6", so when pinit is not PID 1 and is called that way it builds
 * the same 384-byte request sysvinit's telinit would and writes it to the
 * FIFO of PID 1.  The FIFO is opened without following a symlink and
 * checked to be a FIFO, and every step has a deadline: with nobody
 * reading, the call fails at once (ENXIO) instead of hanging.
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "initctl.h"
#include "ipc.h"
#include "paths.h"
#include "util.h"

#define TELINIT_LEVELS	"0123456SsQqUu"

/* Print the usage of telinit to f. */
static void
telinit_usage(FILE *f)
{
	fprintf(f,
	    "Usage: telinit [-t SECONDS] RUNLEVEL\n"
	    "       telinit -e VAR[=VALUE] [-e ...]\n"
	    "Ask PID 1 through %s, as sysvinit's telinit does.\n"
	    "\n"
	    "  0        halt or power off (by INIT_HALT: HALT halts)\n"
	    "  6        reboot\n"
	    "  2 to 5   switch to profile runlevelN (else the default)\n"
	    "  Q, q     read the service tree again\n"
	    "  S, s, 1  rescue;  U, u  update (not implemented yet)\n"
	    "  -t SEC   TERM-to-KILL grace from now on (PID 1: 0 to %d)\n"
	    "  -e V=X   set INIT_* variable V for programs started later;\n"
	    "           -e V alone unsets it\n", PINIT_INITCTL_PATH,
	    INITCTL_SLEEP_MAX);
}

/* Append "VAR[=VALUE]" and its NUL to the data area; -1 when full. */
static int
telinit_env(struct initctl_request *r, size_t *used, const char *kv)
{
	size_t n = strlen(kv);

	if (n == 0 || kv[0] == '=' || *used + n + 2 > sizeof(r->data))
		return -1;
	memcpy(r->data + *used, kv, n + 1);
	*used += n + 1;
	return 0;
}

/*
 * The next option of argv, as getopt(argc, argv, "+t:e:h") with opterr 0
 * gives it, without getopt(), which is over 1 KiB of the small static
 * build: -1 at the first operand, or after "--"; '?' for an unknown
 * option or one that lacks its argument.  *i is the word, *j the letter
 * in it (0: a new word); *arg gets the argument of -t and -e.
 */
static int
telinit_opt(int argc, char **argv, int *i, int *j, const char **arg)
{
	const char *w;
	int c;

	if (*j == 0) {
		if (*i >= argc || argv[*i][0] != '-' || argv[*i][1] == '\0')
			return -1;
		if (strcmp(argv[*i], "--") == 0) {
			(*i)++;
			return -1;
		}
		*j = 1;
	}
	w = argv[*i];
	c = (unsigned char)w[(*j)++];
	if (c == 't' || c == 'e') {
		if (w[*j] != '\0')
			*arg = w + *j;
		else if (*i + 1 < argc)
			*arg = argv[++*i];
		else
			c = '?';
		(*i)++;
		*j = 0;
		return c;
	}
	if (w[*j] == '\0') {
		(*i)++;
		*j = 0;
	}
	return c == 'h' ? c : '?';
}

/* Parse the command line into r; 0, or 2 after a usage message. */
static int
telinit_parse(int argc, char **argv, struct initctl_request *r)
{
	size_t used = 0;
	const char *end, *arg = NULL;
	uint64_t t;
	int c, k = 1, letter = 0;

	r->cmd = INITCTL_CMD_RUNLVL;
	r->sleeptime = 3;		/* sysvinit's default grace */
	while ((c = telinit_opt(argc, argv, &k, &letter, &arg)) != -1) {
		if (c == 't') {
			if (util_parse_u64(arg, 10, INT32_MAX, &t,
			    &end) < 0 || *end != '\0') {
				fprintf(stderr, "telinit: -t %s: want "
				    "seconds (PID 1 uses at most %d)\n",
				    arg, INITCTL_SLEEP_MAX);
				return 2;
			}
			r->sleeptime = (int32_t)t;
		} else if (c == 'e') {
			r->cmd = INITCTL_CMD_SETENV;
			if (telinit_env(r, &used, arg) < 0) {
				fprintf(stderr, "telinit: -e %s: bad or too "
				    "long (the variables share %d bytes)\n",
				    arg, INITCTL_DATA_SIZE - 1);
				return 2;
			}
		} else {
			telinit_usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? 1 : 2;
		}
	}
	if (r->cmd == INITCTL_CMD_SETENV && k == argc)
		return 0;
	if (r->cmd == INITCTL_CMD_SETENV || k + 1 != argc ||
	    argv[k][0] == '\0' || argv[k][1] != '\0' ||
	    strchr(TELINIT_LEVELS, argv[k][0]) == NULL) {
		telinit_usage(stderr);
		return 2;
	}
	r->runlevel = (unsigned char)argv[k][0];
	return 0;
}

/* Open the FIFO for writing: never through a symlink, never anything else. */
static int
telinit_open(const char *path)
{
	struct stat st;
	int fd;

	fd = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC |
	    O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

/* Write the request whole before the deadline; 0 or -1 with errno. */
static int
telinit_write(int fd, const struct initctl_request *r, int64_t deadline)
{
	struct pollfd p;
	ssize_t n;
	int64_t left;

	for (;;) {
		n = write(fd, r, sizeof(*r));
		if (n == (ssize_t)sizeof(*r))
			return 0;
		if (n >= 0) {
			errno = EIO;
			return -1;
		}
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		left = deadline - ipc_now();
		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		p.fd = fd;
		p.events = POLLOUT;
		poll(&p, 1, (int)left);
	}
}

int
initctl_telinit(int argc, char **argv)
{
	struct initctl_request r;
	int fd, rc;

	memset(&r, 0, sizeof(r));
	r.magic = INITCTL_MAGIC;
	if ((rc = telinit_parse(argc, argv, &r)) != 0)
		return rc == 1 ? 0 : rc;
	fd = telinit_open(PINIT_INITCTL_PATH);
	if (fd < 0) {
		fprintf(stderr, "telinit: unable to open %s: %s\n",
		    PINIT_INITCTL_PATH, errno == ENXIO ? "nobody reads it "
		    "(PID 1 closed it, or is not an init that serves it)" :
		    errno == EINVAL ? "not a FIFO" : strerror(errno));
		return 1;
	}
	if (telinit_write(fd, &r, ipc_now() + PINIT_TELINIT_MS) < 0) {
		fprintf(stderr, "telinit: unable to write to %s: %s\n",
		    PINIT_INITCTL_PATH, strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}
