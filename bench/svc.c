/*
 * svc.c - the service of every benchmark tree, and the do-nothing program.
 *
 * With a FIFO path it opens the FIFO for writing, writes one byte and
 * pauses with the FIFO still open: the bench sees the byte when the
 * service is up, and end of file once every service is gone.  Run under
 * the name "run" (a runit or s6 service directory) it uses ./fifo
 * whatever its arguments.
 * Without either it exits 0 at once: the static binary whose exec the
 * control benchmark takes as the floor of a client's start-up.  It is
 * linked statically so that its own start-up costs as little as it can.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	const char	*fifo = NULL, *base;
	int		 fd;

	base = argc > 0 ? strrchr(argv[0], '/') : NULL;
	base = base != NULL ? base + 1 : argc > 0 ? argv[0] : "";
	/* NB: s6-supervise passes the service's name as argv[1]. */
	if (strcmp(base, "run") == 0)
		fifo = "fifo";
	else if (argc >= 2)
		fifo = argv[1];
	if (fifo == NULL)
		return 0;
	fd = open(fifo, O_WRONLY | O_CLOEXEC);
	if (fd == -1 || write(fd, "u", 1) != 1)
		return 1;
	for (;;)
		pause();
}
