# pinit_so_peercred.m4 - can a server read the credentials of an AF_UNIX peer?
#
# PINIT_CHECK_SO_PEERCRED
# Sets pinit_cv_so_peercred to yes or no and defines HAVE_SO_PEERCRED.
# The socket backend lets root change state and everyone else only read;
# it tells them apart with getsockopt(SO_PEERCRED) and struct ucred.  This
# is a compile test (no program is run), so the answer is valid when cross
# compiling.
AC_DEFUN([PINIT_CHECK_SO_PEERCRED], [
  AC_CACHE_CHECK([for SO_PEERCRED and struct ucred], [pinit_cv_so_peercred], [
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[
#include <sys/socket.h>
#include <sys/types.h>
]], [[
	struct ucred cred;
	socklen_t len = sizeof cred;
	int r = getsockopt(-1, SOL_SOCKET, SO_PEERCRED, &cred, &len);
	return r + (int)cred.pid + (int)cred.uid + (int)cred.gid;
]])],
      [pinit_cv_so_peercred=yes],
      [pinit_cv_so_peercred=no])
  ])
  AS_IF([test "$pinit_cv_so_peercred" = yes],
    [AC_DEFINE([HAVE_SO_PEERCRED], [1],
      [Define to 1 if getsockopt(SO_PEERCRED) fills a struct ucred.])])
])
