# pinit_lib_rt_static.m4 - do the POSIX IPC calls link statically?
#
# PINIT_CHECK_LIB_RT_STATIC
# Sets pinit_cv_lib_rt_static to yes or no (no also when
# PINIT_CHECK_LIB_RT found no library).  Needs PINIT_CHECK_LIB_RT first.
# A static pinit that used POSIX IPC would need librt.a (and, with old
# glibc, libpthread.a) to link; this says whether it does.  This is a link
# test (no program is run), so the answer is valid when cross compiling.
AC_DEFUN([PINIT_CHECK_LIB_RT_STATIC], [
  AC_REQUIRE([PINIT_CHECK_LIB_RT])
  AC_CACHE_CHECK([whether shm_open and mq_open link with -static],
    [pinit_cv_lib_rt_static], [
    pinit_cv_lib_rt_static=no
    AS_IF([test "$pinit_cv_lib_rt" != no], [
      pinit_save_LIBS=$LIBS
      pinit_save_LDFLAGS=$LDFLAGS
      LIBS="$PINIT_LIBRT $LIBS"
      LDFLAGS="$LDFLAGS -static"
      AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <fcntl.h>
#include <mqueue.h>
#include <sys/mman.h>
]], [[
	int fd = shm_open("/conftest", O_RDONLY, 0);
	return fd + (int)mq_open("/conftest", O_RDONLY);
]])],
        [pinit_cv_lib_rt_static=yes])
      LIBS=$pinit_save_LIBS
      LDFLAGS=$pinit_save_LDFLAGS
    ])
  ])
])
