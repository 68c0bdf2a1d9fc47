# pinit_accept4.m4 - does the C library offer accept4(2)?
#
# PINIT_CHECK_ACCEPT4
# Sets pinit_cv_func_accept4 to yes or no and defines HAVE_ACCEPT4.
# The socket backend accepts clients non-blocking and close-on-exec in one
# call.  This is a link test (no program is run), so the answer is valid
# when cross compiling.
AC_DEFUN([PINIT_CHECK_ACCEPT4], [
  AC_CACHE_CHECK([for accept4], [pinit_cv_func_accept4], [
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <stddef.h>
#include <sys/socket.h>
]], [[
	return accept4(-1, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC) < 0;
]])],
      [pinit_cv_func_accept4=yes],
      [pinit_cv_func_accept4=no])
  ])
  AS_IF([test "$pinit_cv_func_accept4" = yes],
    [AC_DEFINE([HAVE_ACCEPT4], [1],
      [Define to 1 if accept4() is available.])])
])
