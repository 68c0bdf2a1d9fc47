## examples/local.mk - the sample service tree; included by Makefile.am.

# examples/ is in EXTRA_DIST whole (Makefile.am).  'make install' copies
# examples/svc to $(docdir)/examples/svc with its symlinks (on -> /bin/sh,
# needs/hello -> ../../hello), which install(1) would follow.
examplesdir = $(docdir)/examples
dist_examples_DATA = examples/README

install-data-local: examples-install-data-local
examples-install-data-local:
	$(AM_V_at)$(MKDIR_P) "$(DESTDIR)$(examplesdir)"
	$(AM_V_at)rm -rf "$(DESTDIR)$(examplesdir)/svc"
	$(AM_V_GEN)cp -PR "$(srcdir)/examples/svc" "$(DESTDIR)$(examplesdir)/svc"
## A read-only source tree (distcheck) gives read-only copies.
	$(AM_V_at)find "$(DESTDIR)$(examplesdir)/svc" ! -type l \
	  -exec chmod u+w,go-w {} +

uninstall-local: examples-uninstall-local
examples-uninstall-local:
	-rm -rf "$(DESTDIR)$(examplesdir)/svc"

.PHONY: examples-install-data-local examples-uninstall-local
