# pinit_af_unix.m4 - do AF_UNIX sequenced-packet sockets work?
#
# PINIT_CHECK_AF_UNIX
# Sets pinit_cv_af_unix to yes or no.
# The socket backend needs SOCK_SEQPACKET on AF_UNIX, and --with-ipc=auto
# picks it only when this says yes.  The test runs a program that sends a
# packet over a socket pair and reads it back whole.  When cross
# compiling the answer is yes: every Linux since 2.6.4 has them.
AC_DEFUN([PINIT_CHECK_AF_UNIX], [
  AC_CACHE_CHECK([whether AF_UNIX SOCK_SEQPACKET sockets work],
    [pinit_cv_af_unix], [
    AC_RUN_IFELSE([AC_LANG_PROGRAM([[
#include <sys/socket.h>
#include <unistd.h>
]], [[
	int sv[2];
	char buf[8];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		return 1;
	if (write(sv[0], "pinit", 5) != 5)
		return 1;
	return read(sv[1], buf, sizeof(buf)) != 5;
]])],
      [pinit_cv_af_unix=yes],
      [pinit_cv_af_unix=no],
      [# Cross compiling: Linux has had them since 2.6.4.
       pinit_cv_af_unix=yes])
  ])
])
