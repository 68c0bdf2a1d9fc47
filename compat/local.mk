## compat/local.mk - the SysV /run/initctl shim; included by Makefile.am.

# Linked into pinit only.
pinit_compat_sources = compat/initctl.h
# NB: compat/initctl.c is not written yet.  When it lands, add it under
# ENABLE_INITCTL (with a stub file for --disable-initctl in the else
# branch, so that no function needs an #ifdef):
#   if ENABLE_INITCTL
#   pinit_compat_sources += compat/initctl.c
#   endif
