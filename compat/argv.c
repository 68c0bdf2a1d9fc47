/*
 * argv.c - is this pinit run as telinit?  The same answer whether the
 * /run/initctl shim is built or not (--disable-initctl), so it lives in a
 * file of its own that both configurations link.
 */
#include <config.h>

#include <string.h>

#include "initctl.h"

/*
 * Called as "telinit", or with a first argument that only telinit takes:
 * a runlevel letter, -t SEC or -e VAR (so "pinit q" is telinit, and
 * "init --svcdir=..." still boots).
 */
int
initctl_is_telinit(int argc, char **argv)
{
	const char *base;

	if (argc < 1 || argv[0] == NULL)
		return 0;
	base = strrchr(argv[0], '/');
	base = base != NULL ? base + 1 : argv[0];
	if (strcmp(base, "telinit") == 0)
		return 1;
	if (argc < 2)
		return 0;
	if (strncmp(argv[1], "-t", 2) == 0 || strncmp(argv[1], "-e", 2) == 0)
		return 1;
	return argv[1][0] != '\0' && argv[1][1] == '\0' &&
	    strchr("0123456789SsQqUuAaBbCc", argv[1][0]) != NULL;
}
