# pinit_so_reuseaddr.m4 - does SO_REUSEADDR let bind() reuse a stale
# AF_UNIX socket file?
#
# PINIT_CHECK_SO_REUSEADDR_UNIX
# Sets pinit_cv_so_reuseaddr_unix to yes or no.
# cinit found that a socket file left by a dead server blocks a restart,
# and that SO_REUSEADDR does not help on AF_UNIX.  The test binds a
# socket, closes it (leaving the file), and binds a new one with
# SO_REUSEADDR at the same path.  Linux says no, which is why the socket
# backend tests a stale socket with connect() and removes it itself; the
# answer is reported only.  When cross compiling the answer is no, the
# Linux behaviour.
AC_DEFUN([PINIT_CHECK_SO_REUSEADDR_UNIX], [
  AC_CACHE_CHECK([whether SO_REUSEADDR lets bind() reuse a stale AF_UNIX socket],
    [pinit_cv_so_reuseaddr_unix], [
    rm -f conftest.sock
    AC_RUN_IFELSE([AC_LANG_PROGRAM([[
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
]], [[
	struct sockaddr_un sa;
	int fd, one = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, "conftest.sock");
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1)
		return 2;
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		return 1;
	return bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1;
]])],
      [pinit_cv_so_reuseaddr_unix=yes],
      [pinit_cv_so_reuseaddr_unix=no],
      [# Cross compiling: assume Linux, where it does not.
       pinit_cv_so_reuseaddr_unix=no])
    rm -f conftest.sock
  ])
])
