# pinit_msgq.m4 - do SysV message queues work here?
#
# PINIT_CHECK_MSGQ
# Sets pinit_cv_msgq to yes or no.
# The sysv backend needs msgget, msgsnd and msgrcv at run time; a kernel
# without CONFIG_SYSVIPC, or a sandbox that forbids them, says no.  The
# test runs a program that makes a private queue, sends one message,
# receives it and removes the queue.  When cross compiling the answer is
# yes (the Linux default); the target then has to have CONFIG_SYSVIPC.
AC_DEFUN([PINIT_CHECK_MSGQ], [
  AC_CACHE_CHECK([whether SysV message queues work], [pinit_cv_msgq], [
    AC_RUN_IFELSE([AC_LANG_PROGRAM([[
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <string.h>
]], [[
	struct { long mtype; char text[16]; } m;
	int id, ok;
	id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (id == -1)
		return 1;
	m.mtype = 7;
	strcpy(m.text, "pinit");
	ok = msgsnd(id, &m, 6, IPC_NOWAIT) == 0 &&
	    msgrcv(id, &m, sizeof(m.text), 7, IPC_NOWAIT) == 6 &&
	    strcmp(m.text, "pinit") == 0;
	msgctl(id, IPC_RMID, 0);
	return !ok;
]])],
      [pinit_cv_msgq=yes],
      [pinit_cv_msgq=no],
      [# Cross compiling: assume the Linux default, CONFIG_SYSVIPC=y.
       pinit_cv_msgq=yes])
  ])
])
