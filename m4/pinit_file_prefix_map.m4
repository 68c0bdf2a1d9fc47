# pinit_file_prefix_map.m4 - does the compiler take -ffile-prefix-map?
#
# PINIT_CHECK_FILE_PREFIX_MAP
# Sets pinit_cv_file_prefix_map to yes or no, and PINIT_PREFIX_MAP_CFLAGS
# (substituted) to the options that map the source and build directories
# to "." in what the compiler writes (debug information, __FILE__), so
# that two builds of the same sources in different directories give the
# same bytes (reproducible builds).  GCC >= 8 and Clang >= 10 have it; an
# older compiler gets nothing (-fdebug-prefix-map alone would miss
# __FILE__).  A compile test (no program is run), so the answer is valid
# when cross compiling.
AC_DEFUN([PINIT_CHECK_FILE_PREFIX_MAP], [
  AC_CACHE_CHECK([whether $CC accepts -ffile-prefix-map],
    [pinit_cv_file_prefix_map], [
    pinit_save_CFLAGS=$CFLAGS
    CFLAGS="$CFLAGS -ffile-prefix-map=/pinit-probe=. -Werror"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[]], [[return 0;]])],
      [pinit_cv_file_prefix_map=yes],
      [pinit_cv_file_prefix_map=no])
    CFLAGS=$pinit_save_CFLAGS
  ])
  dnl The build directory comes last: GCC takes the last map that matches,
  dnl and a build directory often lies inside the source tree (_build/).
  AS_IF([test "$pinit_cv_file_prefix_map" = yes],
    [PINIT_PREFIX_MAP_CFLAGS='-ffile-prefix-map=$(abs_top_srcdir)=. -ffile-prefix-map=$(abs_top_builddir)=.'],
    [PINIT_PREFIX_MAP_CFLAGS=])
  AC_SUBST([PINIT_PREFIX_MAP_CFLAGS])
])
