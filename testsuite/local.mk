## testsuite/local.mk - the DejaGnu suite; included by Makefile.am.
##
## 'make check' builds the programs and check_PROGRAMS, writes site.exp,
## then runs: runtest --tool pinit --srcdir $(srcdir)/testsuite.  Tests
## live in testsuite/pinit.AREA/*.exp; the tool init files are
## testsuite/config/unix.exp and testsuite/lib/pinit.exp.

# Helpers the .exp files run; built by 'make check', never installed.
check_PROGRAMS += testsuite/pinit-ns testsuite/probe
# pinit linked dynamically, whatever --enable-static-init says: valgrind's
# memcheck (testsuite/pinit.lint) cannot follow malloc in a static glibc.
check_PROGRAMS += testsuite/pinit-dynamic
testsuite_pinit_dynamic_SOURCES = $(src_pinit_SOURCES)
# pinit with cinit's signal map (--with-signal-map=cinit), whatever map
# the build chose: testsuite/pinit.sig/cinit.exp.
check_PROGRAMS += testsuite/pinit-cinit
testsuite_pinit_cinit_SOURCES = $(pinit_common_sources) src/sigmap-cinit.c
# For the boots in a real kernel (testsuite/pinit.vm): the guest has no
# shared libraries, so pinitctl is linked statically there, and a pinit
# with the debug-only crash trigger (sig.c, PINIT_DEBUG_CRASH) stands in
# for the release one in the crash tests (and reboots 2 s, not 30 s, after
# a crash program that cannot start).  Only when the C library links
# statically (configure's STATIC_INIT).
if STATIC_INIT
check_PROGRAMS += testsuite/pinitctl-static testsuite/pinit-crashy
testsuite_pinitctl_static_SOURCES = $(src_pinitctl_SOURCES)
testsuite_pinitctl_static_LDFLAGS = -static
testsuite_pinit_crashy_SOURCES = $(src_pinit_SOURCES) src/debugcrash.c
testsuite_pinit_crashy_CPPFLAGS = $(AM_CPPFLAGS) -DPINIT_DEBUG_CRASH=1 \
	-DPINIT_CRASH_SLEEP_S=2
testsuite_pinit_crashy_LDFLAGS = -static
endif
# Writes good and bad sysvinit init_requests (testsuite/pinit.compat).
check_PROGRAMS += testsuite/initreq
testsuite_initreq_SOURCES = testsuite/initreq.c

# Runs a program as PID 1 in new namespaces (see DESIGN.md, Tests).
testsuite_pinit_ns_SOURCES = testsuite/pinit-ns.c
testsuite_probe_SOURCES = testsuite/probe.c

# The IPC unit tests: one program per backend, each linked with its backend
# alone, whatever --with-ipc says (testsuite/pinit.unit/ipc.exp runs all
# three); ipc-test-tool drives the configured one from inside the tests'
# namespaces (testsuite/pinit.ipc).
check_PROGRAMS += testsuite/ipc-test-socket testsuite/ipc-test-fifo \
	testsuite/ipc-test-sysv testsuite/ipc-test-tool
ipc_test_sources = testsuite/ipc-test.c testsuite/ipc-test.h \
	ipc/ipc.h ipc/wire.h ipc/wire.c
testsuite_ipc_test_socket_SOURCES = testsuite/ipc-test-socket.c \
	$(ipc_test_sources) $(ipc_socket_sources)
testsuite_ipc_test_fifo_SOURCES = testsuite/ipc-test-fifo.c \
	$(ipc_test_sources) $(ipc_fifo_sources)
testsuite_ipc_test_sysv_SOURCES = testsuite/ipc-test-sysv.c \
	$(ipc_test_sources) $(ipc_sysv_sources)
testsuite_ipc_test_tool_SOURCES = testsuite/ipc-test-tool.c ipc/sysv.h \
	$(pinit_ipc_sources)

DEJATOOL = pinit
# The suite lives in testsuite/, not at the top as automake assumes.
# Overriding RUNTESTDEFAULTFLAGS is the documented way to say so; it is
# the only override here, so automake's warning about it is turned off.
RUNTESTDEFAULTFLAGS = --tool $(DEJATOOL) --srcdir $(srcdir)/testsuite
AUTOMAKE_OPTIONS = -Wno-override

# Project variables for the .exp files, appended to the site.exp that
# automake writes.  Every path is absolute.
EXTRA_DEJAGNU_SITE_CONFIG = pinit-site.exp
DISTCLEANFILES += pinit-site.exp
# configure's summary; testsuite/pinit.unit/config.exp reads it.
DISTCLEANFILES += config.summary
pinit-site.exp: Makefile
	$(AM_V_GEN)top=`cd "$(top_srcdir)" && pwd` && { \
	  echo '# Written by make from Makefile; do not edit.'; \
	  echo 'set PINIT "$(abs_top_builddir)/src/pinit$(EXEEXT)"'; \
	  echo 'set PINITCTL "$(abs_top_builddir)/src/pinitctl$(EXEEXT)"'; \
	  echo 'set PINIT_DYNAMIC "$(abs_top_builddir)/testsuite/pinit-dynamic$(EXEEXT)"'; \
	  echo 'set PINIT_NS "$(abs_top_builddir)/testsuite/pinit-ns$(EXEEXT)"'; \
	  echo 'set PROBE "$(abs_top_builddir)/testsuite/probe$(EXEEXT)"'; \
	  echo 'set IPC_TESTS [list "$(abs_top_builddir)/testsuite/ipc-test-socket$(EXEEXT)" "$(abs_top_builddir)/testsuite/ipc-test-fifo$(EXEEXT)" "$(abs_top_builddir)/testsuite/ipc-test-sysv$(EXEEXT)"]'; \
	  echo 'set IPC_TOOL "$(abs_top_builddir)/testsuite/ipc-test-tool$(EXEEXT)"'; \
	  echo 'set PINIT_BACKEND "$(PINIT_IPC)"'; \
	  echo 'set PINIT_SIGNAL_MAP "$(PINIT_SIGNAL_MAP)"'; \
	  echo 'set PINIT_INITCTL "$(PINIT_INITCTL_PATH)"'; \
	  echo 'set PINIT_INITCTL_ENABLED "$(PINIT_ENABLE_INITCTL)"'; \
	  echo 'set PINIT_VERSION "$(PACKAGE_VERSION)"'; \
	  echo "set PINIT_SRCDIR \"$$top\""; \
	  echo 'set PINIT_BUILDDIR "$(abs_top_builddir)"'; \
	  echo "set PINIT_EXAMPLES \"$$top/examples/svc\""; \
	} >$@-t && mv -f $@-t $@

# The .exp files, the tool init files and anything the tests read, found
# by name so that a new testsuite/pinit.AREA/ directory is never left out
# of the tarball.  Missing directories are skipped (an empty suite).
testsuite-dist-hook:
	$(AM_V_at)$(MKDIR_P) "$(distdir)/testsuite"
	$(AM_V_at)for d in "$(srcdir)"/testsuite/config "$(srcdir)"/testsuite/lib \
	    "$(srcdir)"/testsuite/$(DEJATOOL).*; do \
	  test -d "$$d" || continue; \
	  cp -fpR "$$d" "$(distdir)/testsuite/" || exit 1; \
	done
.PHONY: testsuite-dist-hook

# The tests' scratch trees (testsuite/lib/pinit.exp: pinit_tmpdir).
clean-local: testsuite-clean-local
testsuite-clean-local:
	-rm -rf tmp
.PHONY: testsuite-clean-local

# sysvinit's tools, fetched once per build tree by
# testsuite/pinit.compat/fetch-sysvinit; kept by 'make clean'.
distclean-local: testsuite-distclean-local
testsuite-distclean-local:
	-rm -rf cache
.PHONY: testsuite-distclean-local
