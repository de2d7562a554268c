//go:build linux

#include "textflag.h"

// func siteNative(nr, a0, a1, a2, a3, a4, a5 uintptr) (r1 uintptr)
// The call site: the only instruction whose system calls the harness's filters route to the
// policy under test. BP carries the sixth argument and is kept on the frame around the call.
TEXT ·siteNative(SB), NOSPLIT, $4-32
	MOVL BP, 0(SP)
	MOVL a0+4(FP), BX
	MOVL a1+8(FP), CX
	MOVL a2+12(FP), DX
	MOVL a3+16(FP), SI
	MOVL a4+20(FP), DI
	MOVL a5+24(FP), BP
	MOVL nr+0(FP), AX
	INT  $0x80
	MOVL 0(SP), BP
	MOVL AX, r1+28(FP)
	RET

// func siteAddr() uintptr
TEXT ·siteAddr(SB), NOSPLIT, $0-4
	MOVL $·siteNative(SB), AX
	MOVL AX, ret+0(FP)
	RET
