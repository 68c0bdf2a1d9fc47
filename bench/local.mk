## bench/local.mk - the benchmarks (not tests: they never fail the suite).
## 'make bench' and './quickstart bench' run bench/run, which builds its
## own helpers from bench/*.c (and a static pinit from the same sources)
## into BUILDDIR/bench-tmp; see bench/README.md.

EXTRA_DIST += \
	bench/README.md \
	bench/run \
	bench/report.sh \
	bench/boot.c \
	bench/ctl.c \
	bench/floor.c \
	bench/mem.sh \
	bench/mktree.c \
	bench/overlay.c \
	bench/reap.c \
	bench/svc.c

# Options of bench/run: make bench BENCHFLAGS=--quick (or --full).
BENCHFLAGS =

bench: src/pinit$(EXEEXT) src/pinitctl$(EXEEXT) testsuite/pinit-ns$(EXEEXT)
	$(SHELL) $(srcdir)/bench/run "$(abs_top_builddir)" $(BENCHFLAGS)
.PHONY: bench

clean-local: bench-clean-local
bench-clean-local:
	-rm -rf bench-tmp
.PHONY: bench-clean-local
