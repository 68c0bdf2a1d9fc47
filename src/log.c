/*
 * log.c - PID 1's messages.
 *
 * Each message is formatted into a bounded buffer and written with one
 * write(2), so lines from PID 1 never interleave with each other.  A write
 * that fails is dropped: logging never stops PID 1.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static long	rl_second = -1;		/* the second being counted */
static int	rl_count;		/* warnings in that second */
static int	rl_dropped;		/* dropped since the last line */

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
	while (write(STDERR_FILENO, buf, n) < 0 && errno == EINTR)
		continue;
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
