# pinit_static_libc.m4 - can pinit be linked statically?
#
# PINIT_CHECK_STATIC_LIBC
# Sets pinit_cv_static_libc to yes or no.
# A static PID 1 keeps running across a libc upgrade and can re-exec
# itself before /usr is mounted, so configure links pinit with -static
# when this says yes (--disable-static-init opts out).  The test links,
# with -static added to LDFLAGS, a program that uses what PID 1 uses
# whatever the backend: signalfd, poll, an AF_UNIX socket, a FIFO and a
# SysV message queue.  It only links (no program is run), so the answer
# is valid when cross compiling.  It says no when the static C library is
# not installed, or when CFLAGS asks for sanitizers (they cannot link
# statically).
AC_DEFUN([PINIT_CHECK_STATIC_LIBC], [
  AC_CACHE_CHECK([whether a program using signalfd, sockets, FIFOs and message queues links with -static],
    [pinit_cv_static_libc], [
    pinit_save_LDFLAGS=$LDFLAGS
    LDFLAGS="$LDFLAGS -static"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <poll.h>
#include <signal.h>
]], [[
	struct pollfd pfd[2];
	sigset_t set;
	sigemptyset(&set);
	pfd[0].fd = signalfd(-1, &set, SFD_CLOEXEC);
	pfd[1].fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	pfd[0].events = pfd[1].events = POLLIN;
	if (mkfifo("conftest.fifo", 0600) == 0 || msgget(IPC_PRIVATE, 0600) == 0)
		return 2;
	return poll(pfd, 2, 0);
]])],
      [pinit_cv_static_libc=yes],
      [pinit_cv_static_libc=no])
    LDFLAGS=$pinit_save_LDFLAGS
  ])
])
