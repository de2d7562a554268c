//go:build linux && (mips64 || mips64le)

#include "textflag.h"

// func siteNative(nr, a0, a1, a2, a3, a4, a5 uintptr) (r1 uintptr)
// The call site: the only instruction whose system calls the harness's filters route to the
// policy under test. The kernel flags an error with a3 (R7) set and a positive errno in v0
// (R2); the site returns it negated, as the other arches do.
TEXT ·siteNative(SB), NOSPLIT, $0-64
	MOVV a0+8(FP), R4
	MOVV a1+16(FP), R5
	MOVV a2+24(FP), R6
	MOVV a3+32(FP), R7
	MOVV a4+40(FP), R8
	MOVV a5+48(FP), R9
	MOVV nr+0(FP), R2
	SYSCALL
	BEQ R7, ok
	SUBVU R2, R0, R2
ok:
	MOVV R2, r1+56(FP)
	RET

// func siteAddr() uintptr
TEXT ·siteAddr(SB), NOSPLIT, $0-8
	MOVV $·siteNative(SB), R2
	MOVV R2, ret+0(FP)
	RET
