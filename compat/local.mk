## compat/local.mk - the SysV /run/initctl shim; included by Makefile.am.

# Linked into pinit only.  --disable-initctl replaces the server and the
# telinit client with stubs, so that no function needs an #ifdef.
pinit_compat_sources = compat/initctl.h compat/argv.c
if ENABLE_INITCTL
pinit_compat_sources += compat/initctl.c compat/telinit.c
else
pinit_compat_sources += compat/initctl-none.c
endif
