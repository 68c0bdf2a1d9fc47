/*
 * initctl.c - the SysV /run/initctl FIFO, served by PID 1.
 *
 * The FIFO is made 0600 whatever the umask, opened O_RDWR|O_NONBLOCK (so
 * it never reads end of file) and never through a symlink, and checked
 * to be a FIFO owned by pinit's own user.  Its inode is looked at on every
 * read and every PINIT_INITCTL_CHECK_MS: a FIFO that was removed or
 * replaced (by a file, a symlink, another FIFO) is made again.
 *
 * Framing is strict (doc/decisions.md, SysV compatibility): one read takes
 * what the FIFO holds, at most PINIT_INITCTL_BATCH requests.  A read that
 * is a whole number of 384-byte requests is taken request by request; a
 * read that is not is dropped whole, since its boundaries cannot be known.
 * Nothing is carried over from one read to the next, so a stray write
 * never shifts the framing of the requests that follow, and no request is
 * ever glued together from two writes.  Each request is checked and turned
 * into native requests for control.c.
 */
#include <config.h>

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "initctl.h"
#include "log.h"
#include "paths.h"
#include "pinit.h"
#include "util.h"

#define INITCTL_ORIGIN	"by /run/initctl"
#define INITCTL_RETRY_MS 1000		/* after a failure to open */

/*
 * The path and the buffer live apart from the struct: with its fd = -1
 * the struct is initialised data, stored in the binary.
 */
static char		ic_path[PATH_MAX];
static unsigned char	ic_buf[PINIT_INITCTL_BATCH * INITCTL_SIZE];

static struct {
	int		fd;		/* -1 while closed */
	int		held;		/* closed on request: stay closed */
	int		failed;		/* opens failed in a row, up to 2 */
	dev_t		dev;		/* of the open FIFO */
	ino_t		ino;
	int64_t		check;		/* next look at the path */
} ic = { .fd = -1 };

/* Copy at most 32 bytes of s into out, unprintable ones as '?'. */
static const char *
initctl_show(char *out, size_t size, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 32 && i + 1 < size && s[i] != '\0'; i++)
		out[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	out[i] = '\0';
	return out;
}

/*
 * Make sure the path is a FIFO of ours, replacing anything else found
 * there (a file, a symlink, a FIFO of another user) without opening it.
 */
static int
initctl_make(void)
{
	struct stat st;

	if (lstat(ic_path, &st) == 0) {
		if (S_ISFIFO(st.st_mode) && st.st_uid == geteuid())
			return 0;
		if (ic.failed == 0)
			log_warn_rl("%s is not a FIFO owned by uid %d; "
			    "replacing it", ic_path, (int)geteuid());
		if (unlink(ic_path) < 0)
			return -1;
	} else if (errno != ENOENT)
		return -1;
	if (mkfifo(ic_path, 0600) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Open the FIFO at the path, making it first; 0 or -1 with errno. */
static int
initctl_open(void)
{
	struct stat st;
	int fd, err;

	if (initctl_make() < 0)
		return -1;
	fd = open(ic_path, O_RDWR | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC |
	    O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		err = errno;
	else if (!S_ISFIFO(st.st_mode) || st.st_uid != geteuid())
		err = EPERM;
	else if (fchmod(fd, 0600) < 0)
		err = errno;
	else
		err = 0;
	if (err != 0) {
		close(fd);
		errno = err;
		return -1;
	}
	ic.fd = fd;
	ic.dev = st.st_dev;
	ic.ino = st.st_ino;
	return 0;
}

/* Close the FIFO if it is open. */
static void
initctl_shut(void)
{
	if (ic.fd >= 0)
		close(ic.fd);
	ic.fd = -1;
}

/*
 * Try to open the FIFO.  A failure is said once, at the second one in a
 * row: a subreaper's rundir only appears in the loop's first turn.
 */
static void
initctl_try(int64_t now)
{
	if (initctl_open() == 0) {
		if (ic.failed > 1)
			log_info("initctl: serving %s again", ic_path);
		ic.failed = 0;
		ic.check = now + PINIT_INITCTL_CHECK_MS;
		return;
	}
	if (ic.failed == 1)
		log_warn("unable to open %s: %s; retrying every %d s",
		    ic_path, strerror(errno), INITCTL_RETRY_MS / 1000);
	if (ic.failed < 2)
		ic.failed++;
	ic.check = now + INITCTL_RETRY_MS;
}

/* Is the path still the FIFO we hold open? */
static int
initctl_same(void)
{
	struct stat st;

	return lstat(ic_path, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    st.st_dev == ic.dev && st.st_ino == ic.ino &&
	    st.st_uid == geteuid();
}

/* Look at the path: open a closed FIFO, make a replaced one again. */
static void
initctl_check(int64_t now)
{
	if (ic.held)
		return;
	if (ic.fd >= 0 && initctl_same()) {
		ic.check = now + PINIT_INITCTL_CHECK_MS;
		return;
	}
	if (ic.fd >= 0) {
		log_warn_rl("%s was removed or replaced; making it again",
		    ic_path);
		initctl_shut();
	}
	initctl_try(now);
}

void
initctl_setup(const char *path, int64_t now)
{
	util_strlcpy(ic_path, path, sizeof(ic_path));
	initctl_try(now);
}

int
initctl_fds(struct pollfd *pfd, int max)
{
	if (ic.fd < 0 || max < 1)
		return 0;
	pfd->fd = ic.fd;
	pfd->events = POLLIN;
	pfd->revents = 0;
	return 1;
}

int64_t
initctl_deadline(void)
{
	return ic.held ? -1 : ic.check;
}

int
initctl_export(int *held)
{
	*held = ic.held;
	if (ic.fd < 0 || fcntl(ic.fd, F_SETFD, 0) < 0)
		return -1;
	return ic.fd;
}

void
initctl_adopt(const char *path, int fd, int held, int64_t now)
{
	struct stat st;

	util_strlcpy(ic_path, path, sizeof(ic_path));
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 &&
	    fcntl(fd, F_SETFL, O_NONBLOCK) == 0) {
		ic.fd = fd;
		ic.dev = st.st_dev;
		ic.ino = st.st_ino;
		if (!initctl_same())
			initctl_shut();
	} else if (fd >= 0)
		close(fd);
	if (held) {
		initctl_shut();
		ic.held = 1;
		return;
	}
	if (ic.fd < 0)
		initctl_try(now);
	else
		ic.check = now + PINIT_INITCTL_CHECK_MS;
}

int
initctl_request(int open, const char *by)
{
	if (!open) {
		initctl_shut();
		ic.held = 1;
		ic.failed = 0;
		log_info("initctl: closed %s; it stays closed until reopened "
		    "(%s)", ic_path, by);
		return 0;
	}
	ic.held = 0;
	ic.failed = 0;
	if (ic.fd >= 0 && initctl_same()) {
		log_info("initctl: %s is open already (%s)", ic_path, by);
		return 0;
	}
	initctl_shut();
	initctl_try(ipc_now());
	if (ic.fd >= 0)
		log_info("initctl: opened %s (%s)", ic_path, by);
	else {
		log_warn("unable to open %s: %s; retrying every %d s (%s)",
		    ic_path, strerror(errno), INITCTL_RETRY_MS / 1000, by);
		ic.failed = 2;
	}
	return 0;
}

/* Hand one native request to the dispatcher as root; its reply code. */
static int
initctl_send(uint16_t type, const void *p, size_t n)
{
	struct wire_msg req, rep;

	wire_init(&req, type, 0);
	if (wire_put(&req, p, n) < 0)
		return WIRE_E_BADREQ;
	wire_init(&rep, type, 0);
	rep.h.flags = WIRE_F_REPLY;
	control_dispatch_by(INITCTL_ORIGIN, &req, &rep);
	return rep.h.code;
}

/* The sleeptime of a request as a grace in ms, clamped to 0-300 s. */
static int
initctl_grace(int32_t sleeptime)
{
	if (sleeptime < 0 || sleeptime > INITCTL_SLEEP_MAX) {
		log_warn_rl("unable to use sleeptime %ld from %s: outside 0-%d "
		    "s; clamped", (long)sleeptime, ic_path, INITCTL_SLEEP_MAX);
		sleeptime = sleeptime < 0 ? 0 : INITCTL_SLEEP_MAX;
	}
	return (int)sleeptime * 1000;
}

/*
 * RUNLVL: a runlevel letter becomes a native RUNLEVEL request.  The
 * sleeptime sets the TERM-to-KILL grace when the request changes the
 * runlevel (not for Q and U), and only when it was accepted.
 */
static void
initctl_runlevel(const struct initctl_request *r)
{
	int busy = pinit.shutdown != CMD_NONE, grace;
	char c;

	if (r->runlevel < 0 || r->runlevel > 127 || !isprint(r->runlevel)) {
		log_warn_rl("unable to use runlevel 0x%lx from %s: not a "
		    "printable letter; ignored", (unsigned long)r->runlevel,
		    ic_path);
		return;
	}
	c = (char)r->runlevel;
	if (strchr("0123456Ss", c) == NULL) {
		initctl_send(WIRE_T_RUNLEVEL, &c, 1);
		return;
	}
	grace = initctl_grace(r->sleeptime);
	if (initctl_send(WIRE_T_RUNLEVEL, &c, 1) == WIRE_OK && !busy &&
	    grace != pinit.grace_ms) {
		log_info("initctl: TERM-to-KILL grace set to %d s",
		    grace / 1000);
		pinit.grace_ms = grace;
	}
}

/* SETENV: each "KEY=VALUE" sets, each "KEY" unsets, within 368 bytes. */
static void
initctl_setenv(const struct initctl_request *r)
{
	const char *d = r->data, *eq;
	char show[40];
	size_t off = 0, n;

	while (off < INITCTL_DATA_SIZE && d[off] != '\0') {
		n = strnlen(d + off, INITCTL_DATA_SIZE - off);
		if (off + n == INITCTL_DATA_SIZE) {
			log_warn_rl("unable to use variable %s... from %s: not "
			    "terminated within the data area; ignored",
			    initctl_show(show, sizeof(show), d + off, n),
			    ic_path);
			return;
		}
		eq = memchr(d + off, '=', n);
		initctl_send(eq != NULL ? WIRE_T_SETENV : WIRE_T_UNSETENV,
		    d + off, n);
		off += n + 1;
	}
}

/* POWERFAIL, POWERFAILNOW, POWEROK: a native POWER request. */
static void
initctl_power(int cmd)
{
	char c = cmd == INITCTL_CMD_POWERFAIL ? 'F' :
	    cmd == INITCTL_CMD_POWERFAILNOW ? 'L' : 'O';

	initctl_send(WIRE_T_POWER, &c, 1);
}

/* The name of a command pinit does not carry out, for the log. */
static const char *
initctl_cmd_name(int32_t cmd)
{
	switch (cmd) {
	case INITCTL_CMD_START:
		return "START";
	case INITCTL_CMD_BSD:
		return "BSD";
	case INITCTL_CMD_UNSETENV:
		return "UNSETENV (never sent by sysvinit; use SETENV KEY)";
	case INITCTL_CMD_CHANGECONS:
		return "CHANGECONS";
	default:
		return "unknown";
	}
}

/* Check one 384-byte request and carry it out. */
static void
initctl_one(const unsigned char *p)
{
	struct initctl_request r;

	memcpy(&r, p, sizeof(r));
	if (r.magic != INITCTL_MAGIC) {
		log_warn_rl("unable to use a request from %s: bad magic "
		    "0x%08lx; dropped", ic_path,
		    (unsigned long)(uint32_t)r.magic);
		return;
	}
	switch (r.cmd) {
	case INITCTL_CMD_RUNLVL:
		initctl_runlevel(&r);
		return;
	case INITCTL_CMD_POWERFAIL:
	case INITCTL_CMD_POWERFAILNOW:
	case INITCTL_CMD_POWEROK:
		initctl_power(r.cmd);
		return;
	case INITCTL_CMD_SETENV:
		initctl_setenv(&r);
		return;
	default:
		log_warn_rl("unable to use command %ld from %s: %s, not "
		    "implemented; ignored", (long)r.cmd, ic_path,
		    initctl_cmd_name(r.cmd));
	}
}

/* Read once what the FIFO holds and carry out the whole requests. */
static void
initctl_read(void)
{
	ssize_t n, off;

	do
		n = read(ic.fd, ic_buf, sizeof(ic_buf));
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return;
	if (n % INITCTL_SIZE != 0) {
		log_warn_rl("unable to use %ld bytes from %s: not a whole "
		    "number of %d-byte requests; dropped", (long)n, ic_path,
		    INITCTL_SIZE);
		return;
	}
	for (off = 0; off < n && ic.fd >= 0; off += INITCTL_SIZE)
		initctl_one(ic_buf + off);
}

void
initctl_run(struct pollfd *pfd, int n, int64_t now)
{
	if (n > 0 && ic.fd >= 0 && pfd->fd == ic.fd &&
	    (pfd->revents & (POLLIN | POLLERR | POLLHUP)) != 0) {
		initctl_read();
		if (!ic.held && ic.fd >= 0 && !initctl_same())
			ic.check = now;
	}
	if (!ic.held && ic.check != 0 && now >= ic.check)
		initctl_check(now);
}
