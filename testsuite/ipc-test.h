/*
 * ipc-test.h - the driver shared by the unit tests of the IPC backends.
 *
 * ipc-test.c holds main(), the wire codec's cases and the cases every
 * backend must pass through ipc.h alone; each ipc-test-BACKEND.c adds
 * the cases only its backend has, and is linked with that backend alone.
 * Every case prints "PASS: BACKEND: name" or "FAIL: BACKEND: name".
 */
#ifndef PINIT_IPC_TEST_H
#define PINIT_IPC_TEST_H

#include <sys/types.h>
#include <sys/resource.h>

#include <stddef.h>
#include <stdint.h>

#include "ipc.h"
#include "wire.h"

#define TEST_WAIT_MS	5000	/* longest wait for anything expected */
#define TEST_SERVER_MS	60000	/* a server child gives up after this */

/* What each ipc-test-BACKEND.c defines. */
extern const char	backend_name[];		/* "socket", "fifo", "sysv" */
extern const int	backend_uid_known;	/* its peers' uids are known */
void	backend_test(void);			/* its own cases */
void	backend_cleanup(void);			/* what is left outside dirs */

/* Record and print the result of one case. */
void	test_report(const char *name, int ok);
/* Make a new empty directory (0700) under the run's base directory. */
void	test_dir(char *buf, size_t size);
/* The number of directories test_dir() made, and the name of the n-th. */
int	test_dirs(void);
void	test_dir_name(int n, char *buf, size_t size);
/* Sleep for ms milliseconds. */
void	test_nap(int ms);
/* Wait for pid at most ms, killing it when it overstays; its status. */
int	test_reap(pid_t pid, int ms, struct rusage *ru);
/* Fork a server on dir (fds limited to nofile when > 0); -1 on failure. */
pid_t	server_start(const char *dir, int nofile);
/* Stop a server child. */
void	server_stop(pid_t pid, struct rusage *ru);
/* Make a valid request of type with payload text. */
void	test_request(struct wire_msg *m, uint16_t type, const char *text);
/* One call with payload text through the open client; 1 if echoed. */
int	client_echo(const char *text, int64_t deadline);

#endif /* PINIT_IPC_TEST_H */
