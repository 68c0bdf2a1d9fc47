/*
 * fuzz-state.c - fuzz the reader of the state a hot update hands on
 * (src/state.c): the input is the whole state, applied to a small table
 * loaded from a scratch tree (services a, b and c), as the new image does.
 *
 * With STATE_TEST defined (testsuite/state-test.c links this file too),
 * state_test_table() gives that table to the corruption test.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "pinit.h"
#include "state.h"
#include "svc.h"

struct pinit	pinit;			/* PID 1's state: the reader sets it */

static char	svcdir[256];

/* Write a one-line file. */
static void
put_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/*
 * The scratch tree: init needs a; a (respawn) and b; c stands alone,
 * with a log file and a notification fd (the state's REC_SVCIO).
 */
static int
make_tree(void)
{
	static const char *names[] = { "init", "a", "b", "c", "init/needs" };
	char scratch[200], path[512];
	size_t i;

	snprintf(scratch, sizeof(scratch), "%s/pinit-state.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(scratch) == NULL)
		return -1;
	snprintf(svcdir, sizeof(svcdir), "%s/svc", scratch);
	mkdir(svcdir, 0755);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", svcdir, names[i]);
		mkdir(path, 0755);
	}
	for (i = 1; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s/on", svcdir, names[i]);
		if (symlink("/bin/true", path) < 0)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/a", svcdir);
	put_file(path, "respawn", "");
	put_file(path, "restart-limit", "5 60\n");
	snprintf(path, sizeof(path), "%s/c", svcdir);
	put_file(path, "log", "file /nonexistent/c.log\n");
	put_file(path, "notification-fd", "3\n");
	snprintf(path, sizeof(path), "%s/init/needs/a", svcdir);
	return symlink("../../a", path);
}

struct svctab *
state_test_table(void)
{
	if (svcdir[0] == '\0' && make_tree() < 0)
		return NULL;
	pinit.profile = "init";
	pinit.boot_profile = "init";
	pinit.runlevel = pinit.prevlevel = 'N';
	pinit.grace_ms = 3000;
	return load_tree(svcdir, "init", NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state_in si;
	struct svctab *t = state_test_table();

	if (t == NULL)
		return 0;
	memset(&si, 0, sizeof(si));
	si.apply = 1;
	(void)state_parse(data, size, t, &si);
	load_free(t);
	return 0;
}
