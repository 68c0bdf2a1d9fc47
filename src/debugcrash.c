/*
 * debugcrash.c - the crash trigger of debug builds: testsuite/pinit-crashy
 * is src/pinit built with PINIT_DEBUG_CRASH and this file; src/pinit has
 * neither (src/debugcrash.h).
 */
#include <config.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "debugcrash.h"
#include "log.h"

/*
 * Debug builds only (testsuite/pinit-crashy; never src/pinit): fault on
 * purpose, as $PINIT_DEBUG_CRASH or the kernel word pinit.crash=SIG says
 * (the kernel keeps dotted words from init, hence /proc/cmdline): SEGV,
 * BUS, ILL, FPE or ABRT; SEGV by default.  For the crash tests.
 */
void
debug_crash(void)
{
	static char how[8] = "SEGV";
	char line[4096], *w;
	volatile int seven = 7, zero = 0, *volatile null = NULL;
	volatile char *p;
	ssize_t n;
	int fd;

	if ((w = getenv("PINIT_DEBUG_CRASH")) != NULL)
		snprintf(how, sizeof(how), "%s", w);
	else if ((fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, line, sizeof(line) - 1);
		close(fd);
		line[n > 0 ? n : 0] = '\0';
		if ((w = strstr(line, "pinit.crash=")) != NULL &&
		    (n = strspn(w + 12, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) > 0) {
			if (n >= (ssize_t)sizeof(how))
				n = sizeof(how) - 1;
			memcpy(how, w + 12, n);
			how[n] = '\0';
		}
	}
	log_warn("debug: crashing on purpose (%s)", how);
	if (strcmp(how, "BUS") == 0) {
		/* A page past the end of a file. */
		fd = memfd_create("pinit-crash", MFD_CLOEXEC);
		p = fd < 0 ? NULL : mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
		if (p != NULL && p != MAP_FAILED)
			p[0] = 1;
	} else if (strcmp(how, "ILL") == 0)
		__builtin_trap();
	else if (strcmp(how, "FPE") == 0)
		zero = seven / zero;	/* not 1 / x: gcc makes that a test */
	else if (strcmp(how, "ABRT") == 0)
		raise(SIGABRT);
	/* cppcheck-suppress nullPointer ; the fault asked for */
	*null = 1;
}
