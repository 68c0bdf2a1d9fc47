## src/local.mk - PID 1 and its client; included by Makefile.am.

sbin_PROGRAMS += src/pinit src/pinitctl

# PID 1.  One file per concern; keep the list sorted by role as in
# DESIGN.md, headers after the .c files.
src_pinit_SOURCES = \
	src/main.c \
	src/loop.c \
	src/sig.c \
	src/mount.c \
	src/svc.c \
	src/load.c \
	src/deps.c \
	src/spawn.c \
	src/shutdown.c \
	src/control.c \
	src/utmp.c \
	src/log.c \
	src/util.c \
	src/pinit.h \
	src/svc.h \
	src/log.h \
	src/util.h \
	src/linux.h \
	src/paths.h \
	src/sigmap.h \
	$(pinit_ipc_sources) \
	$(pinit_compat_sources)

# The signal map is one table in one file, chosen by --with-signal-map.
if SIGMAP_CINIT
# NB: src/sigmap-cinit.c does not exist yet (configure refuses the cinit
# map); add "src_pinit_SOURCES += src/sigmap-cinit.c" here when it lands.
else
src_pinit_SOURCES += src/sigmap-pinit.c
endif

# A static PID 1 when the C library links statically (configure:
# --disable-static-init opts out).  pinitctl stays dynamic.
if STATIC_INIT
src_pinit_LDFLAGS = -static
endif

# The control client.
src_pinitctl_SOURCES = \
	src/pinitctl.c \
	$(pinit_ipc_sources)
