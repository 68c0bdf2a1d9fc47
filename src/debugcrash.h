/*
 * debugcrash.h - the crash trigger, only in debug builds (the crash tests'
 * testsuite/pinit-crashy): SIGRTMIN+8 makes PID 1 fault on purpose.  In
 * every other build DEBUG_CRASH_SIG is 0 and the code that would use it
 * is dead.
 */
#ifndef PINIT_DEBUGCRASH_H
#define PINIT_DEBUGCRASH_H

#include <signal.h>

#ifdef PINIT_DEBUG_CRASH
#define DEBUG_CRASH_SIG	(SIGRTMIN + 8)
void	debug_crash(void);
#else
#define DEBUG_CRASH_SIG	0
static inline void
debug_crash(void)
{
}
#endif

#endif
