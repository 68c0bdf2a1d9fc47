/*
 * log.c - PID 1's messages.
 *
 * Each message is formatted into a bounded buffer and written with one
 * write(2), so lines from PID 1 never interleave with each other.  A write
 * that fails is dropped: logging never stops PID 1.
 *
 * PID 1 must not block on a slow console either (a serial line, a pipe
 * nobody drains).  log_open() reopens standard error through /proc, which
 * gives PID 1 a file description of its own that it can make non-blocking
 * while the services keep the blocking one they inherit; a line that does
 * not fit is dropped and counted, and the count is reported with the next
 * line that does.  Where the reopen is refused (a terminal owned by
 * another user), PID 1 keeps writing to its standard error.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int	log_fd = STDERR_FILENO;	/* non-blocking after log_open() */
static unsigned	log_dropped;		/* lines the console had no room for */
static long	rl_second = -1;		/* the second being counted */
static int	rl_count;		/* warnings in that second */
static int	rl_dropped;		/* dropped since the last line */

int
log_open(void)
{
	int fd;

	fd = open("/proc/self/fd/2", O_WRONLY | O_APPEND | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	log_fd = fd;
	return 0;
}

/* Write one line; report lines dropped before it when there is room. */
static void
log_write(const char *buf, size_t n)
{
	char note[80];
	ssize_t w;
	int m;

	if (log_dropped > 0) {
		m = snprintf(note, sizeof(note), "pinit: warning: %u log lines "
		    "dropped: the console was too slow\n", log_dropped);
		if (write(log_fd, note, m) == m)
			log_dropped = 0;
		else {
			log_dropped++;
			return;
		}
	}
	do
		w = write(log_fd, buf, n);
	while (w < 0 && errno == EINTR);
	if (w < 0 && errno == EAGAIN)
		log_dropped++;
}

/* Write "pinit: PREFIX" + the formatted text + newline as one line. */
static void
log_vline(const char *prefix, const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX];
	int n, m, saved = errno;

	n = snprintf(buf, sizeof(buf), "pinit: %s", prefix);
	if (n < 0)
		n = 0;
	m = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if (m < 0)
		m = 0;
	n += m;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	log_write(buf, n);
	errno = saved;
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("warning: ", fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("error: ", fmt, ap);
	va_end(ap);
}

void
log_warn_rl(const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (ts.tv_sec != rl_second) {
		if (rl_dropped > 0)
			log_warn("%d similar warnings dropped", rl_dropped);
		rl_second = ts.tv_sec;
		rl_count = 0;
		rl_dropped = 0;
	}
	if (++rl_count > LOG_BURST) {
		rl_dropped++;
		return;
	}
	va_start(ap, fmt);
	log_vline("warning: ", fmt, ap);
	va_end(ap);
}
