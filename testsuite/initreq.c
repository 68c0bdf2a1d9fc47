/*
 * initreq.c - write sysvinit init_requests, good and bad, to /run/initctl.
 *
 * The compat tests (testsuite/pinit.compat) use it for what sysvinit's own
 * tools never send: a wrong magic, a short or long write, two requests in
 * one write, one split over two writes, random bytes, unknown commands,
 * unterminated data.  It writes the struct the way sysvinit's initreq.h
 * lays it out, independently of compat/initctl.h.
 *
 * Exit status: 0 written, 2 bad usage, 3 nobody reads the FIFO (ENXIO),
 * 4 timed out, 5 any other failure.
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REQ_SIZE	384
#define REQ_DATA	368
#define REQ_MAGIC	0x03091969
#define BUF_MAX		(1024 * 1024)

struct opts {
	const char	*fifo;
	int		 timeout;	/* seconds */
	int		 block;		/* blocking open, under alarm() */
	int32_t		 magic, cmd, runlevel, sleeptime;
	int		 cmd_set;
	char		 data[REQ_DATA];
	size_t		 used;		/* bytes of data holding variables */
	int		 fill;		/* byte filling the rest, or -1 */
	long		 size;		/* bytes written per copy */
	long		 copies;
	long		 split;		/* first write's size, or 0 */
	long		 random;	/* random bytes instead, or 0 */
};

static void
usage(void)
{
	fputs("usage: initreq [--fifo=PATH] [--timeout=S] [--block]\n"
	    "               [--magic=N] [--cmd=N] [--runlevel=C|#N]\n"
	    "               [--sleeptime=N] [--env=VAR[=VAL]]... [--fill=C]\n"
	    "               [--size=N] [--copies=N] [--split=N] [--random=N]\n",
	    stderr);
	exit(2);
}

/* A number option: decimal, 0x hex or negative. */
static long
num(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (*s == '\0' || *end != '\0' || errno != 0)
		usage();
	return v;
}

/* Add "VAR[=VAL]" and its NUL to the data area. */
static void
add_env(struct opts *o, const char *kv)
{
	size_t n = strlen(kv) + 1;

	if (o->used + n > REQ_DATA)
		usage();
	memcpy(o->data + o->used, kv, n);
	o->used += n;
	if (!o->cmd_set)
		o->cmd = 6;
}

static void
parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "fifo", 1, NULL, 'f' }, { "timeout", 1, NULL, 'T' },
		{ "block", 0, NULL, 'b' }, { "magic", 1, NULL, 'm' },
		{ "cmd", 1, NULL, 'c' }, { "runlevel", 1, NULL, 'r' },
		{ "sleeptime", 1, NULL, 's' }, { "env", 1, NULL, 'e' },
		{ "fill", 1, NULL, 'F' }, { "size", 1, NULL, 'S' },
		{ "copies", 1, NULL, 'n' }, { "split", 1, NULL, 'p' },
		{ "random", 1, NULL, 'R' }, { NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'f': o->fifo = optarg; break;
		case 'T': o->timeout = (int)num(optarg); break;
		case 'b': o->block = 1; break;
		case 'm': o->magic = (int32_t)num(optarg); break;
		case 'c': o->cmd = (int32_t)num(optarg); o->cmd_set = 1; break;
		case 'r':
			o->runlevel = optarg[0] == '#' ?
			    (int32_t)num(optarg + 1) : (unsigned char)optarg[0];
			break;
		case 's': o->sleeptime = (int32_t)num(optarg); break;
		case 'e': add_env(o, optarg); break;
		case 'F': o->fill = (unsigned char)optarg[0]; break;
		case 'S': o->size = num(optarg); break;
		case 'n': o->copies = num(optarg); break;
		case 'p': o->split = num(optarg); break;
		case 'R': o->random = num(optarg); break;
		default: usage();
		}
	}
	if (optind != argc || o->size < 0 || o->copies < 1 ||
	    o->size * o->copies > BUF_MAX || o->random < 0 ||
	    o->random > BUF_MAX || o->split < 0)
		usage();
}

/* Build what will be written into buf; returns its length. */
static size_t
build(const struct opts *o, unsigned char *buf)
{
	unsigned char req[REQ_SIZE];
	size_t i, n = 0;
	long k;

	if (o->random > 0) {
		srand((unsigned)time(NULL) ^ (unsigned)getpid());
		for (i = 0; i < (size_t)o->random; i++)
			buf[i] = (unsigned char)rand();
		return (size_t)o->random;
	}
	memset(req, 0, sizeof(req));
	memcpy(req, &o->magic, 4);
	memcpy(req + 4, &o->cmd, 4);
	memcpy(req + 8, &o->runlevel, 4);
	memcpy(req + 12, &o->sleeptime, 4);
	memcpy(req + 16, o->data, o->used);
	if (o->fill >= 0)
		memset(req + 16 + o->used, o->fill, REQ_DATA - o->used);
	for (k = 0; k < o->copies; k++)
		for (i = 0; i < (size_t)o->size; i++)
			buf[n++] = i < REQ_SIZE ? req[i] : 'x';
	return n;
}

static void
on_alarm(int sig)
{
	(void)sig;
}

/* Open the FIFO; exits with the status that says why it failed. */
static int
open_fifo(const struct opts *o)
{
	struct sigaction sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)o->timeout);
	fd = open(o->fifo, O_WRONLY | O_CLOEXEC | (o->block ? 0 : O_NONBLOCK));
	alarm(0);
	if (fd >= 0)
		return fd;
	fprintf(stderr, "initreq: unable to open %s: %s\n", o->fifo,
	    strerror(errno));
	exit(errno == ENXIO ? 3 : errno == EINTR ? 4 : 5);
}

/* Write n bytes, waiting for room at most until the timeout. */
static void
write_all(int fd, const unsigned char *p, size_t n, const struct opts *o)
{
	struct pollfd pf;
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "initreq: unable to write: %s\n",
			    strerror(errno));
			exit(errno == EPIPE ? 3 : 5);
		}
		pf.fd = fd;
		pf.events = POLLOUT;
		if (poll(&pf, 1, o->timeout * 1000) == 0) {
			fputs("initreq: unable to write: timed out\n", stderr);
			exit(4);
		}
	}
}

int
main(int argc, char **argv)
{
	struct opts o;
	unsigned char *buf;
	size_t n, first;
	int fd;

	memset(&o, 0, sizeof(o));
	o.fifo = "/run/initctl";
	o.timeout = 5;
	o.magic = REQ_MAGIC;
	o.cmd = 1;
	o.runlevel = 'q';
	o.fill = -1;
	o.size = REQ_SIZE;
	o.copies = 1;
	signal(SIGPIPE, SIG_IGN);
	parse(argc, argv, &o);
	if ((buf = malloc(BUF_MAX)) == NULL)
		return 5;
	n = build(&o, buf);
	fd = open_fifo(&o);
	first = o.split > 0 && (size_t)o.split < n ? (size_t)o.split : n;
	write_all(fd, buf, first, &o);
	if (first < n) {
		usleep(300000);
		write_all(fd, buf + first, n - first, &o);
	}
	close(fd);
	free(buf);
	return 0;
}
