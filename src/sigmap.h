/*
 * sigmap.h - which signal means what to PID 1.
 *
 * The table is chosen at configure time (--with-signal-map): exactly one
 * of sigmap-pinit.c and sigmap-cinit.c is linked.
 */
#ifndef PINIT_SIGMAP_H
#define PINIT_SIGMAP_H

struct sigmap {
	int	sig;		/* signal number, or offset from SIGRTMIN */
	int	rt;		/* 1: sig is SIGRTMIN + sig */
	int	ev;		/* enum pinit_event */
};

/* Ends with an entry whose ev is EV_NONE. */
extern const struct sigmap	sigmap[];
extern const char		sigmap_name[];

#endif /* PINIT_SIGMAP_H */
