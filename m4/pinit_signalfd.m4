# pinit_signalfd.m4 - does the C library offer signalfd(2)?
#
# PINIT_CHECK_SIGNALFD
# Sets pinit_cv_func_signalfd to yes or no and defines HAVE_SIGNALFD.
# PID 1 reads every handled signal from one signalfd.  This is a link
# test (no program is run), so the answer is valid when cross compiling.
AC_DEFUN([PINIT_CHECK_SIGNALFD], [
  AC_CACHE_CHECK([for signalfd with sys/signalfd.h], [pinit_cv_func_signalfd], [
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <signal.h>
#include <sys/signalfd.h>
]], [[
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC) < 0;
]])],
      [pinit_cv_func_signalfd=yes],
      [pinit_cv_func_signalfd=no])
  ])
  AS_IF([test "$pinit_cv_func_signalfd" = yes],
    [AC_DEFINE([HAVE_SIGNALFD], [1],
      [Define to 1 if signalfd() and <sys/signalfd.h> are available.])])
])
