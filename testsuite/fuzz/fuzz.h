/*
 * fuzz.h - the entry point every fuzz target defines, for libFuzzer and
 * for replay.c, which runs a corpus through it with any compiler.
 */
#ifndef PINIT_FUZZ_H
#define PINIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* PINIT_FUZZ_H */
