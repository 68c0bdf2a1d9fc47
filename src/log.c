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
 *
 * Status lines ("[ OK ] started sshd") copy theirs to /dev/kmsg, opened
 * once non-blocking; a write there that fails is ignored.
 *
 * The loop holds the lines of a turn (log_hold()) and writes them with one
 * write(2) before it waits again (log_flush()), or sooner when LOG_HOLD_MAX
 * bytes are held: a shutdown of 1000 services told 2000 lines with 2000
 * writes, and every write woke whoever reads the console, which took the
 * CPU from PID 1 while it was still signalling the services.  A batch is
 * at most PIPE_BUF bytes, so a pipe takes it whole or not at all, and it
 * holds whole lines only: lines still never interleave.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

_Static_assert(LOG_LINE_MAX <= LOG_HOLD_MAX && LOG_HOLD_MAX <= PIPE_BUF,
    "a line fits a batch, and a pipe takes a batch whole");

static int	log_fd = STDERR_FILENO;	/* non-blocking after log_open() */
static char	log_held[LOG_HOLD_MAX];	/* whole lines held for one write */
static size_t	log_nheld;		/* bytes in log_held */
static unsigned	log_lheld;		/* lines in log_held */
static int	log_holding;		/* lines go to log_held */
static int	log_kmsg = -1;		/* /dev/kmsg, or -1 */
static int	log_color;		/* status tags in colour */
static int	log_verbose;		/* debug lines too */
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

/* Lines of buf[0, n) not wholly written when write(2) took w bytes. */
static unsigned
log_lost(const char *buf, size_t n, ssize_t w, unsigned lines)
{
	unsigned k = 0;
	size_t i;

	if (w < 0)
		return lines;
	for (i = (size_t)w; i < n; i++)
		if (buf[i] == '\n')
			k++;
	return k;
}

/*
 * Write n bytes holding lines whole lines; report lines dropped before
 * them when there is room, and count those the console had no room for.
 */
static void
log_put(const char *buf, size_t n, unsigned lines)
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
			log_dropped += lines;
			return;
		}
	}
	do
		w = write(log_fd, buf, n);
	while (w < 0 && errno == EINTR);
	if (w < 0 && errno != EAGAIN)
		return;
	log_dropped += log_lost(buf, n, w, lines);
}

/* Write one line, or hold it for log_flush() while the loop holds. */
static void
log_write(const char *buf, size_t n)
{
	if (!log_holding) {
		log_put(buf, n, 1);
		return;
	}
	if (n > sizeof(log_held) - log_nheld)
		log_flush();
	memcpy(log_held + log_nheld, buf, n);
	log_nheld += n;
	log_lheld++;
}

void
log_hold(void)
{
	log_holding = 1;
}

void
log_flush(void)
{
	int saved;

	/*
	 * Nothing held, nothing written: this runs before every fork, and
	 * a write to a page PID 1 shares with a child just forked (errno
	 * too) costs PID 1 a copy-on-write fault.
	 */
	if (log_nheld == 0)
		return;
	saved = errno;
	log_put(log_held, log_nheld, log_lheld);
	log_nheld = 0;
	log_lheld = 0;
	errno = saved;
}

/*
 * In a child: PID 1's held lines are not its own.  Only what is set is
 * written: PID 1 flushed before the fork, and the child's write to a page
 * still shared with PID 1 would copy that page.
 */
void
log_forked(void)
{
	if (log_nheld != 0 || log_lheld != 0)
		log_nheld = log_lheld = 0;
	if (log_holding != 0)
		log_holding = 0;
}

void
log_flush_crash(void)
{
	if (log_nheld > 0 && write(log_fd, log_held, log_nheld) < 0)
		return;
}

/* Format head + the text + newline into buf (size bytes); its length. */
static int
log_format(char *buf, size_t size, const char *head, const char *fmt,
    va_list ap)
{
	int n, m;

	n = snprintf(buf, size, "%s", head);
	if (n < 0)
		n = 0;
	if (n > (int)size - 2)
		n = size - 2;
	m = vsnprintf(buf + n, size - n, fmt, ap);
	if (m < 0)
		m = 0;
	n += m;
	if (n > (int)size - 2)
		n = size - 2;
	buf[n++] = '\n';
	return n;
}

/* Write "pinit: PREFIX" + the formatted text + newline as one line. */
static void
log_vline(const char *prefix, const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX], head[32];
	int saved = errno;

	snprintf(head, sizeof(head), "pinit: %s", prefix);
	log_write(buf, log_format(buf, sizeof(buf), head, fmt, ap));
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

void
log_console(int kmsg)
{
	const char *s;

	log_color = isatty(STDERR_FILENO) &&
	    ((s = getenv("NO_COLOR")) == NULL || s[0] == '\0') &&
	    ((s = getenv("TERM")) == NULL || strcmp(s, "dumb") != 0);
	if (kmsg && log_kmsg < 0)
		log_kmsg = open("/dev/kmsg", O_WRONLY | O_NONBLOCK | O_NOCTTY |
		    O_CLOEXEC);
}

void
log_status(int ok, const char *fmt, ...)
{
	static const char *const tag[2][2] = {
		{ "[FAIL] ", "[\033[31mFAIL\033[0m] " },
		{ "[ OK ] ", "[ \033[32mOK\033[0m ] " }
	};
	char buf[LOG_LINE_MAX];
	va_list ap;
	int n, saved = errno;

	ok = ok != 0;
	va_start(ap, fmt);
	log_write(buf, log_format(buf, sizeof(buf), tag[ok][log_color], fmt,
	    ap));
	va_end(ap);
	if (log_kmsg >= 0) {
		va_start(ap, fmt);
		n = log_format(buf, LOG_KMSG_MAX, ok ? "<6>pinit: " :
		    "<4>pinit: ", fmt, ap);
		va_end(ap);
		if (write(log_kmsg, buf, n) < 0)
			n = 0;		/* NB: a full or refused kmsg loses it */
	}
	errno = saved;
}

void
log_set_debug(int on)
{
	log_verbose = on;
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vline("debug: ", fmt, ap);
	va_end(ap);
}
