## ipc/local.mk - the control channel; included by Makefile.am.

# The files of each backend.  All three share serve.c (validate, dispatch,
# seal a reply); sysv.h names the queues for sysv.c and the tests.
ipc_socket_sources = ipc/socket.c ipc/serve.c ipc/serve.h
ipc_fifo_sources = ipc/fifo.c ipc/serve.c ipc/serve.h
ipc_sysv_sources = ipc/sysv.c ipc/sysv.h ipc/serve.c ipc/serve.h

# Every program that speaks the native protocol links the interface, the
# wire format and exactly one backend, chosen by --with-ipc.  The tests
# link each backend into a program of its own (testsuite/local.mk).
pinit_ipc_sources = ipc/ipc.h ipc/wire.h ipc/wire.c
if IPC_SOCKET
pinit_ipc_sources += $(ipc_socket_sources)
endif
if IPC_FIFO
pinit_ipc_sources += $(ipc_fifo_sources)
endif
if IPC_SYSV
pinit_ipc_sources += $(ipc_sysv_sources)
endif
