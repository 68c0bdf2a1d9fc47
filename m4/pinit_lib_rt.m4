# pinit_lib_rt.m4 - do the POSIX IPC calls need -lrt?
#
# PINIT_CHECK_LIB_RT
# Sets pinit_cv_lib_rt to "none needed", "-lrt" or "no", and substitutes
# PINIT_LIBRT with the flag to add ("" or "-lrt").
# cinit found that POSIX shared memory needs -lrt (and with it
# -lpthread), which was awkward with a static glibc; glibc >= 2.34 and
# musl have these calls in libc itself.  No backend uses them today; the
# answer is reported and is there for any POSIX-IPC code.  This is a link
# test (no program is run), so the answer is valid when cross compiling.
AC_DEFUN([PINIT_CHECK_LIB_RT], [
  AC_CACHE_CHECK([for the library of shm_open, mq_open and timer_create],
    [pinit_cv_lib_rt], [
    pinit_cv_lib_rt=no
    pinit_save_LIBS=$LIBS
    for pinit_lib in '' -lrt; do
      LIBS="$pinit_lib $pinit_save_LIBS"
      AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
]], [[
	timer_t t;
	int fd = shm_open("/conftest", O_RDONLY, 0);
	mqd_t q = mq_open("/conftest", O_RDONLY);
	return fd + (int)q + timer_create(CLOCK_MONOTONIC, 0, &t);
]])],
        [pinit_cv_lib_rt=${pinit_lib:-none needed}])
      test "$pinit_cv_lib_rt" != no && break
    done
    LIBS=$pinit_save_LIBS
  ])
  AS_CASE([$pinit_cv_lib_rt],
    [-lrt], [PINIT_LIBRT=-lrt],
    [PINIT_LIBRT=])
  AC_SUBST([PINIT_LIBRT])
])
