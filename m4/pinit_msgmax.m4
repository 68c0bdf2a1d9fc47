# pinit_msgmax.m4 - the largest SysV message the kernel accepts.
#
# PINIT_CHECK_MSGMAX
# Sets pinit_cv_msgmax to the kernel's msgmax here (bytes), or "unknown".
# The sysv backend sends messages of up to WIRE_MSG_MAX (4096) bytes;
# Linux's default msgmax is 8192.  It is a run-time setting
# (/proc/sys/kernel/msgmax), so this only reports the build machine's
# value, and pinit checks the real one when it opens its queues.  The test
# runs a program that asks msgctl(IPC_INFO).  When cross compiling the
# answer is 8192, the Linux default.
AC_DEFUN([PINIT_CHECK_MSGMAX], [
  AC_CACHE_CHECK([for the kernel's msgmax], [pinit_cv_msgmax], [
    rm -f conftest.val
    AC_RUN_IFELSE([AC_LANG_PROGRAM([[
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <stdio.h>
]], [[
	struct msginfo mi;
	FILE *f;
	if (msgctl(0, IPC_INFO, (struct msqid_ds *)(void *)&mi) == -1)
		return 1;
	if ((f = fopen("conftest.val", "w")) == NULL)
		return 1;
	fprintf(f, "%d\n", mi.msgmax);
	return fclose(f) != 0;
]])],
      [pinit_cv_msgmax=`cat conftest.val`],
      [pinit_cv_msgmax=unknown],
      [# Cross compiling: assume the Linux default.
       pinit_cv_msgmax=8192])
    rm -f conftest.val
  ])
])
