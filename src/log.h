/*
 * log.h - PID 1's messages, one line each, to its standard error.
 */
#ifndef PINIT_LOG_H
#define PINIT_LOG_H

#include <stdarg.h>

/*
 * Give PID 1 a non-blocking description of its standard error for its
 * own lines (the services keep the blocking one): 0, or -1 with errno
 * when the system refuses, and lines go to standard error as they are.
 */
int	log_open(void);
/* "pinit: TEXT" */
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "pinit: warning: TEXT" */
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "pinit: error: TEXT" */
void	log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A warning caused by outside input: at most LOG_BURST a second, then one
 * line saying how many were dropped.
 */
void	log_warn_rl(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Decide how status lines look, once at start: in colour when standard
 * error is a terminal, TERM is not "dumb" and NO_COLOR is unset or empty.
 * With kmsg set they also go to /dev/kmsg when it opens for writing.
 */
void	log_console(int kmsg);
/*
 * A service's state change for the console: "[ OK ] TEXT" (ok) or
 * "[FAIL] TEXT"; to /dev/kmsg as "<6>pinit: TEXT" ("<4>" for FAIL).
 */
void	log_status(int ok, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Hold the lines from now on and write them together, with one write(2),
 * at log_flush() (or as soon as LOG_HOLD_MAX bytes are held): the loop
 * holds the lines of a turn.
 */
void	log_hold(void);
/* Write the lines held so far (and go on holding). */
void	log_flush(void);
/*
 * In a child of PID 1, just after the fork: forget the lines held (PID 1
 * writes them) and hold no more, so that the child's lines are written.
 */
void	log_forked(void);
/* From the crash handler: write the lines held, async-signal-safe. */
void	log_flush_crash(void);
/* Turn debug lines on (pinit.debug). */
void	log_set_debug(int on);
/* "pinit: debug: TEXT", only after log_set_debug(1). */
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define LOG_LINE_MAX	1024
#define LOG_KMSG_MAX	512	/* longest line written to /dev/kmsg */
#define LOG_BURST	10
#define LOG_HOLD_MAX	4096	/* PIPE_BUF: a pipe takes it whole or not */

#endif /* PINIT_LOG_H */
