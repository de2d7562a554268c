//go:build linux

#include "textflag.h"

// func siteNative(nr, a0, a1, a2, a3, a4, a5 uintptr) (r1 uintptr)
// The call site: the only instruction whose system calls the harness's filters route to the
// policy under test (EABI: the number in R7, SWI 0).
TEXT ·siteNative(SB), NOSPLIT, $0-32
	MOVW a0+4(FP), R0
	MOVW a1+8(FP), R1
	MOVW a2+12(FP), R2
	MOVW a3+16(FP), R3
	MOVW a4+20(FP), R4
	MOVW a5+24(FP), R5
	MOVW nr+0(FP), R7
	SWI $0
	MOVW R0, r1+28(FP)
	RET

// func siteAddr() uintptr
TEXT ·siteAddr(SB), NOSPLIT, $0-4
	MOVW $·siteNative(SB), R0
	MOVW R0, ret+0(FP)
	RET
