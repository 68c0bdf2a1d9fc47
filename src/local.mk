## src/local.mk - PID 1 and its client; included by Makefile.am.

sbin_PROGRAMS += src/pinit src/pinitctl

# PID 1.  One file per concern; keep the list sorted by role as in
# DESIGN.md, headers after the .c files.
pinit_common_sources = \
	src/main.c \
	src/loop.c \
	src/sig.c \
	src/mount.c \
	src/svc.c \
	src/svclog.c \
	src/load.c \
	src/deps.c \
	src/spawn.c \
	src/ready.c \
	src/ident.c \
	src/shutdown.c \
	src/rescue.c \
	src/update.c \
	src/adopt.c \
	src/state.c \
	src/control.c \
	src/utmp.c \
	src/log.c \
	src/util.c \
	src/pinit.h \
	src/svc.h \
	src/svclog.h \
	src/ready.h \
	src/ident.h \
	src/state.h \
	src/log.h \
	src/util.h \
	src/linux.h \
	src/paths.h \
	src/sigmap.h \
	src/debugcrash.h \
	$(pinit_ipc_sources) \
	$(pinit_compat_sources)

# The signal map is one table in one file, chosen by --with-signal-map.
# pinit_common_sources is everything else (the test suite builds a pinit
# with the other map too).
src_pinit_SOURCES = $(pinit_common_sources)
if SIGMAP_CINIT
src_pinit_SOURCES += src/sigmap-cinit.c
else
src_pinit_SOURCES += src/sigmap-pinit.c
endif


# A static PID 1 when the C library links statically (configure:
# --disable-static-init opts out).  With --enable-small,
# PINIT_SMALL_LDFLAGS drops unused code and padding.
if STATIC_INIT
src_pinit_LDFLAGS = -static $(PINIT_SMALL_LDFLAGS)
else
src_pinit_LDFLAGS = $(PINIT_SMALL_LDFLAGS)
endif

# pinitctl too (--disable-static-pinitctl opts out): services call it in
# early boot and in the shutdown, before /usr is mounted and after it is
# unmounted, and a static client starts in half the time of a dynamic one
# (bench/README.md, "pinitctl status").
if STATIC_PINITCTL
src_pinitctl_LDFLAGS = -static
endif

# The control client, and sysvinit's halt, poweroff, reboot, shutdown
# and telinit when it is called by those names (src/frontend.c).
src_pinitctl_SOURCES = \
	src/pinitctl.c \
	src/frontend.c \
	src/pinitctl.h \
	$(pinit_ipc_sources)

# --enable-sysv-links: sysvinit's names as symlinks to pinitctl, in
# $(sysvlinksdir) (--with-sysv-links-dir, default $(sbindir)).  Relative
# when beside pinitctl, else absolute (DESTDIR is not part of it).
# 'make install' never makes /sbin/init: a packager or the administrator
# does (contrib/debian: the pinit-sysv package).
sysv_link_names = halt poweroff reboot shutdown telinit
if SYSV_LINKS
install-exec-hook: src-install-sysv-links
uninstall-hook: src-uninstall-sysv-links
endif
src-install-sysv-links:
	$(AM_V_at)$(MKDIR_P) "$(DESTDIR)$(sysvlinksdir)"
	$(AM_V_GEN)if test "$(sysvlinksdir)" = "$(sbindir)"; then \
	  t=pinitctl$(EXEEXT); else t="$(sbindir)/pinitctl$(EXEEXT)"; fi; \
	for n in $(sysv_link_names); do \
	  rm -f "$(DESTDIR)$(sysvlinksdir)/$$n" && \
	  $(LN_S) "$$t" "$(DESTDIR)$(sysvlinksdir)/$$n" || exit 1; \
	done
src-uninstall-sysv-links:
	-for n in $(sysv_link_names); do \
	  test -h "$(DESTDIR)$(sysvlinksdir)/$$n" && \
	    rm -f "$(DESTDIR)$(sysvlinksdir)/$$n"; \
	done; :
.PHONY: src-install-sysv-links src-uninstall-sysv-links

# 'make installcheck': the installed programs run and name this version.
installcheck-local: src-installcheck
src-installcheck:
	$(AM_V_at)for p in pinit pinitctl; do \
	  f="$(DESTDIR)$(sbindir)/$$p$(EXEEXT)"; \
	  v=`"$$f" --version` || { echo "$$f --version failed" >&2; exit 1; }; \
	  case $$v in \
	  "$$p $(PACKAGE_VERSION) "*) echo "$$f: $$v";; \
	  *) echo "$$f --version said '$$v', not $$p $(PACKAGE_VERSION)" >&2; \
	     exit 1;; \
	  esac; \
	done
.PHONY: src-installcheck
