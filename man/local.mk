## man/local.mk - the manual pages; included by Makefile.am.

# Written in roff, shipped in the tarball and installed as they are.
# testsuite/pinit.pkg/man.exp checks them with groff's warnings and checks
# that every option of 'pinit --help' and 'pinitctl --help' is in them.
dist_man_MANS = \
	man/pinit.8 \
	man/pinitctl.8 \
	man/pinit-service.5 \
	man/pinit-initctl.5
