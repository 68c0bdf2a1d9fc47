/*
 * probe.c - small probes the test suite runs inside the namespaces of the
 * init under test: count zombies, make orphans, talk to a control socket
 * wait for a file, leave a stale socket behind, and send a signal storm.
 */
#define _GNU_SOURCE

#include <config.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE	2
#define SECONDS_MAX	600UL
#define ORPHANS_MAX	100000UL
#define REPLY_MS	3000
#define POLL_NS		10000000L	/* How often wait-file looks. */
#define MESSAGE_MAX	65536		/* Largest message sent or received. */

struct command {
	const char	*name;
	int		 argc;		/* Arguments after the command name. */
	int		 (*run)(char **);
	const char	*args;
};

static int	probe_zombies(char **);
static int	probe_hold(char **);
static int	probe_send(char **);
static int	probe_orphans(char **);
static int	probe_wait_file(char **);
static int	probe_stale(char **);
static int	probe_signals(char **);
static int	probe_hog(char **);
static int	probe_notify(char **);
static int	probe_fds(char **);

static const struct command commands[] = {
	{ "zombies", 0, probe_zombies, "" },
	{ "hold", 2, probe_hold, " PATH SECONDS" },
	{ "send", 2, probe_send, " PATH HEXBYTES" },
	{ "orphans", 1, probe_orphans, " N" },
	{ "wait-file", 2, probe_wait_file, " PATH SECONDS" },
	{ "stale", 1, probe_stale, " PATH" },
	{ "signals", 3, probe_signals, " PID SIGNO COUNT" },
	{ "hog", 0, probe_hog, "" },
	{ "notify", 2, probe_notify, " SIZE TEXT" },
	{ "fds", 0, probe_fds, "" },
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *fp)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "%s probe %s%s\n", i == 0 ? "usage:" : "      ",
		    commands[i].name, commands[i].args);
}

/* Parse a decimal number in [min, max], or exit with a usage message. */
static unsigned long
parse_number(const char *s, unsigned long min, unsigned long max)
{
	unsigned long	 v;
	char		*end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || errno != 0 || *end != '\0' || v < min ||
	    v > max) {
		fprintf(stderr, "probe: unable to use %s: expected a number "
		    "in %lu..%lu\n", s, min, max);
		exit(EXIT_USAGE);
	}
	return v;
}

/* Return the current CLOCK_MONOTONIC time in milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Return the state letter of /proc/NAME/stat, or 0 if it is gone. */
static char
proc_state(const char *name)
{
	char	 path[64], buf[512], *p;
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses; skip past it. */
	p = strrchr(buf, ')');
	if (p == NULL || p[1] != ' ')
		return 0;
	return p[2];
}

/* Print how many processes in /proc are zombies. */
static int
probe_zombies(char **argv)
{
	struct dirent	*de;
	unsigned long	 count = 0;
	DIR		*dir;

	(void)argv;
	dir = opendir("/proc");
	if (dir == NULL) {
		fprintf(stderr, "probe: unable to open /proc: %s\n",
		    strerror(errno));
		return 1;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (proc_state(de->d_name) == 'Z')
			count++;
	}
	closedir(dir);
	printf("%lu\n", count);
	return 0;
}

/* Connect a SOCK_SEQPACKET socket to path; print why not on failure. */
static int
connect_to(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "probe: unable to connect to %s: %s\n", path,
		    strerror(ENAMETOOLONG));
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&sun,
	    sizeof(sun)) == -1) {
		fprintf(stderr, "probe: unable to connect to %s: %s\n", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

/*
 * Wait until fd has a message or the deadline passes.  Return the length
 * of the message (read and thrown away), -1 on timeout, -2 if the peer
 * closed the connection.
 */
static long
await_message(int fd, long long deadline)
{
	static char	 buf[MESSAGE_MAX];
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	long long	 left;
	ssize_t		 n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			return -2;
		if (pfd.revents == 0)
			continue;
		/* MSG_TRUNC makes recv(2) return the whole message's size. */
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC | MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		/*
		 * NB: recv(2) returns 0 both for an empty message and at the
		 * end of the connection; only POLLHUP tells them apart.
		 */
		if (n == -1 || (n == 0 && (pfd.revents & POLLHUP) != 0))
			return -2;
		return n;
	}
}

/* Connect to PATH and stay silent for SECONDS, or until the peer closes. */
static int
probe_hold(char **argv)
{
	long long	 deadline;
	unsigned long	 seconds;
	int		 fd;

	seconds = parse_number(argv[1], 0, SECONDS_MAX);
	fd = connect_to(argv[0]);
	if (fd == -1)
		return 1;
	printf("probe: holding\n");
	fflush(stdout);
	deadline = now_ms() + (long long)seconds * 1000;
	for (;;) {
		if (await_message(fd, deadline) == -2) {
			printf("probe: closed\n");
			break;
		}
		if (now_ms() >= deadline)
			break;
	}
	close(fd);
	return 0;
}

/* Return the value of one hex digit, or -1. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode a string of hex digit pairs into buf; return the length or -1. */
static long
decode_hex(const char *hex, unsigned char *buf, size_t cap)
{
	size_t	 len = strlen(hex), i;
	int	 hi, lo;

	if (len % 2 != 0 || len / 2 > cap)
		return -1;
	for (i = 0; i < len / 2; i++) {
		hi = hex_value(hex[2 * i]);
		lo = hex_value(hex[2 * i + 1]);
		if (hi == -1 || lo == -1)
			return -1;
		buf[i] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(len / 2);
}

/* Send HEXBYTES to PATH as one message and say what came back. */
static int
probe_send(char **argv)
{
	static unsigned char	 msg[MESSAGE_MAX];
	long			 len, n;
	int			 fd;

	len = decode_hex(argv[1], msg, sizeof(msg));
	if (len == -1) {
		fprintf(stderr, "probe: unable to decode %s: expected pairs "
		    "of hex digits, at most %d bytes\n", argv[1], MESSAGE_MAX);
		return EXIT_USAGE;
	}
	fd = connect_to(argv[0]);
	if (fd == -1)
		return 1;
	if (send(fd, msg, (size_t)len, MSG_NOSIGNAL) != len) {
		fprintf(stderr, "probe: unable to send to %s: %s\n", argv[0],
		    strerror(errno));
		close(fd);
		return 1;
	}
	n = await_message(fd, now_ms() + REPLY_MS);
	if (n == -1)
		printf("probe: no reply\n");
	else if (n == -2)
		printf("probe: closed\n");
	else
		printf("probe: reply %ld bytes\n", n);
	close(fd);
	return 0;
}

/*
 * Fork N children that exit at once, and exit without waiting for them,
 * so that their zombies pass to the nearest subreaper or PID 1.
 */
static int
probe_orphans(char **argv)
{
	unsigned long	 n, i;
	pid_t		 pid;

	n = parse_number(argv[0], 1, ORPHANS_MAX);
	/* An ignored SIGCHLD would let the kernel reap them for us. */
	signal(SIGCHLD, SIG_DFL);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid == -1) {
			fprintf(stderr, "probe: unable to fork child %lu of "
			    "%lu: %s\n", i + 1, n, strerror(errno));
			return 1;
		}
	}
	printf("probe: released %lu orphans\n", n);
	return 0;
}

/* Wait until PATH exists, checking every 10 ms for at most SECONDS. */
static int
probe_wait_file(char **argv)
{
	static const struct timespec	 tick = { 0, POLL_NS };
	struct stat			 st;
	long long			 deadline;
	unsigned long			 seconds;

	seconds = parse_number(argv[1], 0, SECONDS_MAX);
	deadline = now_ms() + (long long)seconds * 1000;
	for (;;) {
		if (lstat(argv[0], &st) == 0)
			return 0;
		if (now_ms() >= deadline)
			break;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "probe: unable to find %s: not there after %lu s\n",
	    argv[0], seconds);
	return 1;
}

/* Send buf (len bytes) to sa with fd attached (SCM_RIGHTS). */
static int
notify_send(int sock, const struct sockaddr_un *sa, socklen_t salen,
    const char *buf, size_t len, int fd)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec	 iov = { (void *)buf, len };
	struct msghdr	 mh;
	struct cmsghdr	*c;

	memset(&mh, 0, sizeof(mh));
	memset(&cm, 0, sizeof(cm));
	mh.msg_name = (void *)sa;
	mh.msg_namelen = salen;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.b;
	mh.msg_controllen = sizeof(cm.b);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) < 0 ? -1 : 0;
}

/*
 * Send TEXT as one datagram to $NOTIFY_SOCKET ("@NAME": abstract), as
 * sd_notify(3) does; with SIZE above its length, a newline and 'x' up to
 * SIZE bytes (an oversized datagram that would be taken if it were read).
 * A pipe's write end goes with it, and the probe waits until pinit has
 * closed it (sd_notify_barrier(3)): pinit has then read the message.
 */
static int
probe_notify(char **argv)
{
	static char		 buf[MESSAGE_MAX];
	const char		*e = getenv("NOTIFY_SOCKET");
	struct sockaddr_un	 sa;
	struct pollfd		 pfd;
	size_t			 n, len;
	socklen_t		 salen;
	int			 fd, p[2];

	n = parse_number(argv[0], 0, MESSAGE_MAX);
	len = strlen(argv[1]);
	if (e == NULL || e[0] == '\0' || strlen(e) >= sizeof(sa.sun_path) ||
	    len > sizeof(buf)) {
		fprintf(stderr, "probe: unable to notify: no NOTIFY_SOCKET\n");
		return 1;
	}
	memcpy(buf, argv[1], len);
	if (n > len + 1) {
		buf[len] = '\n';
		memset(buf + len + 1, 'x', n - len - 1);
		len = n;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, e, strlen(e));
	if (e[0] == '@')
		sa.sun_path[0] = '\0';
	salen = offsetof(struct sockaddr_un, sun_path) + strlen(e);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || pipe2(p, O_CLOEXEC) < 0 ||
	    notify_send(fd, &sa, salen, buf, len, p[1]) < 0) {
		fprintf(stderr, "probe: unable to notify %s: %s\n", e,
		    strerror(errno));
		return 1;
	}
	close(fd);
	close(p[1]);
	/* The barrier: pinit closes the fd once it has read the message. */
	pfd.fd = p[0];
	pfd.events = POLLIN;
	return poll(&pfd, 1, REPLY_MS) == 1 ? 0 : 1;
}

/* Print the open fds of this process (the directory's own left out). */
static int
probe_fds(char **argv)
{
	struct dirent	*de;
	DIR		*d;
	int		 fd;

	(void)argv;
	if ((d = opendir("/proc/self/fd")) == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		fd = atoi(de->d_name);
		if (fd != dirfd(d))
			printf("%d\n", fd);
	}
	closedir(d);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	for (i = 0; argc >= 2 && i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (argc - 2 != commands[i].argc)
			break;
		return commands[i].run(argv + 2);
	}
	fprintf(stderr, "probe: unable to parse the command line\n");
	usage(stderr);
	return EXIT_USAGE;
}

/*
 * Bind a SOCK_SEQPACKET socket at PATH and exit without unlinking it, as
 * a crashed instance would: the file stays, and nobody listens on it.
 */
static int
probe_stale(char **argv)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(argv[0]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "probe: unable to use %s: path too long\n",
		    argv[0]);
		return EXIT_USAGE;
	}
	strcpy(sun.sun_path, argv[0]);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "probe: unable to bind %s: %s\n", argv[0],
		    strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

/* Send signal SIGNO to PID COUNT times, as fast as kill(2) goes. */
static int
probe_signals(char **argv)
{
	unsigned long pid, sig, count, i;

	pid = parse_number(argv[0], 1, 4194304);
	sig = parse_number(argv[1], 1, 64);
	count = parse_number(argv[2], 1, 10000000);
	for (i = 0; i < count; i++) {
		if (kill((pid_t)pid, (int)sig) == -1) {
			fprintf(stderr, "probe: unable to signal %lu: %s\n",
			    pid, strerror(errno));
			return 1;
		}
	}
	printf("probe: sent %lu signals\n", count);
	return 0;
}

/*
 * Allocate and touch memory in 1 MiB steps until the allocation fails
 * (run it under a limit: ulimit -v), then exit 1 saying how far it got.
 */
static int
probe_hog(char **argv)
{
	unsigned long mib;
	char *p;

	(void)argv;
	for (mib = 0; mib < 1024UL * 1024; mib++) {
		if ((p = malloc(1024 * 1024)) == NULL)
			break;
		memset(p, 1, 1024 * 1024);
	}
	printf("probe: out of memory after %lu MiB\n", mib);
	return 1;
}
