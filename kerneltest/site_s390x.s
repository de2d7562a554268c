//go:build linux

#include "textflag.h"

// func siteNative(nr, a0, a1, a2, a3, a4, a5 uintptr) (r1 uintptr)
// The call site: the only instruction whose system calls the harness's filters route to the
// policy under test.
TEXT ·siteNative(SB), NOSPLIT, $0-64
	MOVD a0+8(FP), R2
	MOVD a1+16(FP), R3
	MOVD a2+24(FP), R4
	MOVD a3+32(FP), R5
	MOVD a4+40(FP), R6
	MOVD a5+48(FP), R7
	MOVD nr+0(FP), R1
	SYSCALL
	MOVD R2, r1+56(FP)
	RET

// func siteAddr() uintptr
TEXT ·siteAddr(SB), NOSPLIT, $0-8
	MOVD $·siteNative(SB), R2
	MOVD R2, ret+0(FP)
	RET
