//go:build linux

#include "textflag.h"

// The call sites: the only instructions whose system calls the harness's filters route to the
// policy under test (by the instruction pointer in seccomp_data). Nothing else in the child
// enters the kernel from here.

// func site64(nr, a0, a1, a2, a3, a4, a5 uintptr) (r1 uintptr)
// A native x86_64 call by SYSCALL (an x32 call when nr has __X32_SYSCALL_BIT).
TEXT ·site64(SB), NOSPLIT, $0-64
	MOVQ a0+8(FP), DI
	MOVQ a1+16(FP), SI
	MOVQ a2+24(FP), DX
	MOVQ a3+32(FP), R10
	MOVQ a4+40(FP), R8
	MOVQ a5+48(FP), R9
	MOVQ nr+0(FP), AX
	SYSCALL
	MOVQ AX, r1+56(FP)
	RET

// func site32(nr, a0, a1, a2, a3, a4, a5 uint32) (r1 uintptr)
// An i386 call by INT $0x80, with the 32-bit argument registers (MOVL clears their upper
// halves, as a 32-bit process has them); BP carries the sixth argument and is saved in R12
// around the call. The result is eax, sign-extended.
TEXT ·site32(SB), NOSPLIT, $0-40
	MOVQ BP, R12
	MOVL a0+4(FP), BX
	MOVL a1+8(FP), CX
	MOVL a2+12(FP), DX
	MOVL a3+16(FP), SI
	MOVL a4+20(FP), DI
	MOVL a5+24(FP), BP
	MOVL nr+0(FP), AX
	INT  $0x80
	MOVQ R12, BP
	MOVLQSX AX, AX
	MOVQ AX, r1+32(FP)
	RET

// func siteCode() (p64, p32 *byte)
TEXT ·siteCode(SB), NOSPLIT, $0-16
	MOVQ $·site64(SB), AX
	MOVQ AX, p64+0(FP)
	MOVQ $·site32(SB), AX
	MOVQ AX, p32+8(FP)
	RET
