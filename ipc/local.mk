## ipc/local.mk - the control channel; included by Makefile.am.

# Every program that speaks the native protocol links the interface, the
# wire format and exactly one backend, chosen by --with-ipc.
pinit_ipc_sources = ipc/ipc.h ipc/wire.h ipc/wire.c
if IPC_SOCKET
pinit_ipc_sources += ipc/socket.c
endif
# NB: ipc/fifo.c and ipc/sysv.c do not exist yet and configure refuses
# those backends.  Automake distributes the sources of every branch, so
# list them only once the files are there:
#   if IPC_FIFO
#   pinit_ipc_sources += ipc/fifo.c
#   endif
#   if IPC_SYSV
#   pinit_ipc_sources += ipc/sysv.c
#   endif
