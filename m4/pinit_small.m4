# pinit_small.m4 - the flags of a pinit built for size (--enable-small).
#
# PINIT_CHECK_SMALL(STATIC)
# Sets PINIT_SMALL_CFLAGS and PINIT_SMALL_LDFLAGS (substituted; the
# latter for pinit's link only) and pinit_small_how for the summary.
# STATIC is yes when pinit links statically.  The flags drop nothing
# pinit does, only bytes: every function and object in a section of its
# own and the unused ones dropped at link (-ffunction-sections
# -fdata-sections -Wl,--gc-sections), no unwind tables (C code without
# exceptions; a stripped binary has no debug information anyway), link
# time optimisation (-flto).  A static link also packs code and read-only
# data without page padding (-z noseparate-code: the code of a static
# non-PIE program lies at fixed addresses anyway), and, with a C library
# other than glibc, leaves out the RELRO segment: musl applies RELRO only
# in its dynamic loader, never in a static program, so there it is only
# padding.  -Os comes from CFLAGS (configure's default with
# --enable-small).  The test links with every flag (no program is run,
# so it holds when cross compiling); without -flto when that fails.
AC_DEFUN([PINIT_CHECK_SMALL], [
  pinit_small_c='-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables'
  pinit_small_ld='-Wl,--gc-sections'
  AS_IF([test "$1" = yes], [
    pinit_small_ld="$pinit_small_ld -Wl,-z,noseparate-code"
    AC_CACHE_CHECK([whether the C library is glibc], [pinit_cv_glibc], [
      AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <features.h>
#ifndef __GLIBC__
#error not glibc
#endif
]], [[return 0;]])],
        [pinit_cv_glibc=yes], [pinit_cv_glibc=no])
    ])
    AS_IF([test "$pinit_cv_glibc" = no],
      [pinit_small_ld="$pinit_small_ld -Wl,-z,norelro"])
    pinit_small_static=-static
  ], [pinit_small_static=])
  PINIT_SMALL_CFLAGS=
  for pinit_lto in '-flto' ''; do
    pinit_save_CFLAGS=$CFLAGS
    pinit_save_LDFLAGS=$LDFLAGS
    CFLAGS="$CFLAGS $pinit_small_c $pinit_lto"
    LDFLAGS="$LDFLAGS $pinit_small_static $pinit_small_ld"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <stdio.h>]],
        [[puts("pinit"); return 0;]])],
      [PINIT_SMALL_CFLAGS="$pinit_small_c $pinit_lto"])
    CFLAGS=$pinit_save_CFLAGS
    LDFLAGS=$pinit_save_LDFLAGS
    test -n "$PINIT_SMALL_CFLAGS" && break
  done
  AS_IF([test -z "$PINIT_SMALL_CFLAGS"],
    [AC_MSG_ERROR([--enable-small: $CC cannot link with $pinit_small_c $pinit_small_static $pinit_small_ld])])
  AC_MSG_CHECKING([the flags of a pinit built for size])
  PINIT_SMALL_LDFLAGS=$pinit_small_ld
  pinit_small_how="yes ($CFLAGS $PINIT_SMALL_CFLAGS; link $PINIT_SMALL_LDFLAGS)"
  AC_MSG_RESULT([$PINIT_SMALL_CFLAGS; link $PINIT_SMALL_LDFLAGS])
  AC_SUBST([PINIT_SMALL_CFLAGS])
  AC_SUBST([PINIT_SMALL_LDFLAGS])
])
