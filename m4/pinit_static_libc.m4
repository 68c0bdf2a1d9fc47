# pinit_static_libc.m4 - can pinit be linked statically?
#
# PINIT_CHECK_STATIC_LIBC
# Sets pinit_cv_static_libc to yes or no and substitutes
# PINIT_STATIC_LIBC with the same word.
# A static PID 1 keeps running across a libc upgrade and can re-exec
# itself before /usr is mounted.  The test links, with -static added to
# LDFLAGS, a program that uses what PID 1 uses: signalfd, an AF_UNIX
# socket and poll.  It only links (no program is run), so the answer is
# valid when cross compiling.  NB: for now the answer is only reported;
# issue 3 decides the default link from it.
AC_DEFUN([PINIT_CHECK_STATIC_LIBC], [
  AC_CACHE_CHECK([whether a program using signalfd, sockets and poll links with -static],
    [pinit_cv_static_libc], [
    pinit_save_LDFLAGS=$LDFLAGS
    LDFLAGS="$LDFLAGS -static"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
]], [[
	struct pollfd pfd[2];
	sigset_t set;
	sigemptyset(&set);
	pfd[0].fd = signalfd(-1, &set, SFD_CLOEXEC);
	pfd[1].fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	pfd[0].events = pfd[1].events = POLLIN;
	return poll(pfd, 2, 0);
]])],
      [pinit_cv_static_libc=yes],
      [pinit_cv_static_libc=no])
    LDFLAGS=$pinit_save_LDFLAGS
  ])
  AC_SUBST([PINIT_STATIC_LIBC], [$pinit_cv_static_libc])
])
