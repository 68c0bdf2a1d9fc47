# pinit_pipe2.m4 - does the C library offer pipe2(2)?
#
# PINIT_CHECK_PIPE2
# Sets pinit_cv_func_pipe2 to yes or no and defines HAVE_PIPE2.
# pinit makes every pipe close-on-exec atomically (the exec-failure pipe
# of a starting service must not leak into its siblings).  This is a link
# test (no program is run), so the answer is valid when cross compiling.
AC_DEFUN([PINIT_CHECK_PIPE2], [
  AC_CACHE_CHECK([for pipe2], [pinit_cv_func_pipe2], [
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <fcntl.h>
#include <unistd.h>
]], [[
	int fd[2];
	return pipe2(fd, O_CLOEXEC | O_NONBLOCK) < 0;
]])],
      [pinit_cv_func_pipe2=yes],
      [pinit_cv_func_pipe2=no])
  ])
  AS_IF([test "$pinit_cv_func_pipe2" = yes],
    [AC_DEFINE([HAVE_PIPE2], [1],
      [Define to 1 if pipe2() is available.])])
])
