## testsuite/fuzz/local.mk - fuzz targets: a plain replay of each seed
## corpus in make check (any compiler), and 'make fuzz' with libFuzzer.

# One replay program per target: replay.c runs a corpus through the
# target's LLVMFuzzerTestOneInput once (testsuite/pinit.fuzz/replay.exp).
check_PROGRAMS += testsuite/fuzz/replay-wire testsuite/fuzz/replay-svcdir \
	testsuite/fuzz/replay-initctl testsuite/fuzz/replay-state \
	testsuite/fuzz/replay-notify
testsuite_fuzz_replay_wire_SOURCES = testsuite/fuzz/fuzz-wire.c \
	testsuite/fuzz/replay.c testsuite/fuzz/fuzz.h $(pinit_wire_sources)
testsuite_fuzz_replay_svcdir_SOURCES = testsuite/fuzz/fuzz-svcdir.c \
	testsuite/fuzz/replay.c testsuite/fuzz/fuzz.h $(pinit_svctree_sources)

testsuite_fuzz_replay_initctl_SOURCES = testsuite/fuzz/fuzz-initctl.c \
	testsuite/fuzz/replay.c testsuite/fuzz/fuzz.h $(pinit_initctl_sources)

testsuite_fuzz_replay_state_SOURCES = testsuite/fuzz/fuzz-state.c \
	testsuite/fuzz/replay.c testsuite/fuzz/fuzz.h $(pinit_state_sources)

testsuite_fuzz_replay_notify_SOURCES = testsuite/fuzz/fuzz-notify.c \
	testsuite/fuzz/replay.c testsuite/fuzz/fuzz.h $(pinit_svctree_sources)
# The hot update's state, written and read back (testsuite/pinit.unit):
# round trip, every byte corrupted in turn, versions refused.
check_PROGRAMS += testsuite/state-test
testsuite_state_test_SOURCES = testsuite/state-test.c \
	testsuite/fuzz/fuzz-state.c testsuite/fuzz/fuzz.h \
	src/adopt.c $(pinit_state_sources)

# What the loader target links: the service table without PID 1's loop.
pinit_wire_sources = ipc/wire.c ipc/wire.h
pinit_svctree_sources = src/load.c src/deps.c src/svc.c src/spawn.c \
	src/ready.c src/ready.h \
	src/ident.c src/ident.h \
	src/svclog.c src/svclog.h \
	src/util.c src/log.c $(pinit_wire_sources)
# The state target: the reader of a hot update's state, and the table.
pinit_state_sources = src/state.c src/state.h $(pinit_svctree_sources)
# The initctl target: the reader, with a dispatcher that checks its output.
pinit_initctl_sources = compat/initctl.c compat/initctl.h src/log.c \
	src/util.c $(pinit_wire_sources)

EXTRA_DIST += testsuite/fuzz/corpus testsuite/fuzz/make-seeds

# make fuzz [FUZZ_SECONDS=60] [FUZZ_CC=clang]: build each target with
# libFuzzer, ASan and UBSan, and run it on a copy of its corpus.  New
# inputs stay in testsuite/fuzz/work/; a crash stops the run.
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
FUZZ_TARGETS = wire svcdir initctl state notify
fuzz_wire_src = testsuite/fuzz/fuzz-wire.c $(pinit_wire_sources)
fuzz_svcdir_src = testsuite/fuzz/fuzz-svcdir.c $(pinit_svctree_sources)
fuzz_initctl_src = testsuite/fuzz/fuzz-initctl.c $(pinit_initctl_sources)
fuzz_state_src = testsuite/fuzz/fuzz-state.c $(pinit_state_sources)
fuzz_notify_src = testsuite/fuzz/fuzz-notify.c $(pinit_svctree_sources)

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  case $$t in \
	  wire) src='$(fuzz_wire_src)' ;; \
	  svcdir) src='$(fuzz_svcdir_src)' ;; \
	  initctl) src='$(fuzz_initctl_src)' ;; \
	  state) src='$(fuzz_state_src)' ;; \
	  notify) src='$(fuzz_notify_src)' ;; \
	  esac; \
	  files=; for f in $$src; do case $$f in *.c) files="$$files $(srcdir)/$$f" ;; esac; done; \
	  echo "  FUZZ     $$t ($(FUZZ_SECONDS) s)"; \
	  $(FUZZ_CC) $(FUZZ_CFLAGS) -I$(top_builddir) $(AM_CPPFLAGS) \
	    -I$(srcdir)/testsuite/fuzz -o testsuite/fuzz/fuzz-$$t $$files; \
	  mkdir -p testsuite/fuzz/work/$$t; \
	  cp $(srcdir)/testsuite/fuzz/corpus/$$t/* testsuite/fuzz/work/$$t/; \
	  ./testsuite/fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
	    -close_fd_mask=2 -artifact_prefix=testsuite/fuzz/work/crash-$$t- \
	    testsuite/fuzz/work/$$t 2>&1 | tail -n 3; \
	done
.PHONY: fuzz

clean-local: fuzz-clean-local
fuzz-clean-local:
	-rm -rf testsuite/fuzz/work testsuite/fuzz/fuzz-wire \
	    testsuite/fuzz/fuzz-svcdir testsuite/fuzz/fuzz-initctl \
	    testsuite/fuzz/fuzz-state testsuite/fuzz/fuzz-notify
.PHONY: fuzz-clean-local
