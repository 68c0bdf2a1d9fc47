## contrib/local.mk - what distributions use; included by Makefile.am.

# Bash completion of pinitctl, into the directory configure chose
# (--with-bash-completion-dir; none with --without-bash-completion-dir).
if BASH_COMPLETION
bashcompletion_DATA = contrib/completion/pinitctl
endif
EXTRA_DIST += contrib/completion/pinitctl

# Debian packaging: copied to debian/ by a packager (README, Packaging)
# and by testsuite/pinit.pkg/debian.exp.
EXTRA_DIST += contrib/debian
