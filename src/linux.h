/*
 * linux.h - Linux system calls that a C library may not wrap yet.
 *
 * The only place where pinit names a system call by number.  Numbers at
 * 424 and above are the same on every architecture but alpha.
 */
#ifndef PINIT_LINUX_H
#define PINIT_LINUX_H

#include <sys/syscall.h>

#ifndef SYS_close_range
#define SYS_close_range	436		/* Linux 5.9 */
#endif

#endif /* PINIT_LINUX_H */
