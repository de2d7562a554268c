//go:build linux

#include "textflag.h"

// func siteNative(nr, a0, a1, a2, a3, a4, a5 uintptr) (r1 uintptr)
// The call site: the only instruction whose system calls the harness's filters route to the
// policy under test.
TEXT ·siteNative(SB), NOSPLIT, $0-64
	MOV a0+8(FP), A0
	MOV a1+16(FP), A1
	MOV a2+24(FP), A2
	MOV a3+32(FP), A3
	MOV a4+40(FP), A4
	MOV a5+48(FP), A5
	MOV nr+0(FP), A7
	ECALL
	MOV A0, r1+56(FP)
	RET

// func siteAddr() uintptr
TEXT ·siteAddr(SB), NOSPLIT, $0-8
	MOV $·siteNative(SB), A0
	MOV A0, ret+0(FP)
	RET
