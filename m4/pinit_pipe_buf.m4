# pinit_pipe_buf.m4 - how many bytes does one write to a FIFO keep whole?
#
# PINIT_CHECK_PIPE_BUF
# Sets pinit_cv_pipe_buf to PIPE_BUF from <limits.h>, or 0 when it is not
# defined there.
# The fifo backend sends every message with one write() of at most
# WIRE_MSG_MAX (4096) bytes; POSIX keeps such a write whole, never
# interleaved with another writer's, only up to PIPE_BUF, so the fifo
# backend needs PIPE_BUF >= 4096 (cinit's 4.1 KB messages were not).  The
# value is found by compiling only (AC_COMPUTE_INT), so the answer is
# valid when cross compiling.
AC_DEFUN([PINIT_CHECK_PIPE_BUF], [
  AC_CACHE_CHECK([for PIPE_BUF], [pinit_cv_pipe_buf], [
    AC_COMPUTE_INT([pinit_cv_pipe_buf], [PIPE_BUF],
      [[#include <limits.h>]],
      [pinit_cv_pipe_buf=0])
  ])
])
