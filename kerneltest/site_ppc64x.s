//go:build linux && (ppc64 || ppc64le)

#include "textflag.h"

// func siteNative(nr, a0, a1, a2, a3, a4, a5 uintptr) (r1 uintptr)
// The call site: the only instruction whose system calls the harness's filters route to the
// policy under test. The kernel flags an error with CR0.SO and a positive errno in R3; the
// site returns it negated, as the other arches do.
TEXT ·siteNative(SB), NOSPLIT, $0-64
	MOVD a0+8(FP), R3
	MOVD a1+16(FP), R4
	MOVD a2+24(FP), R5
	MOVD a3+32(FP), R6
	MOVD a4+40(FP), R7
	MOVD a5+48(FP), R8
	MOVD nr+0(FP), R9
	SYSCALL R9
	BVC ok
	NEG R3, R3
ok:
	MOVD R3, r1+56(FP)
	RET

// func siteAddr() uintptr
TEXT ·siteAddr(SB), NOSPLIT, $0-8
	MOVD $·siteNative(SB), R3
	MOVD R3, ret+0(FP)
	RET
