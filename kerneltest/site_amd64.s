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

// sigsysHandler is the child's SA_SIGINFO handler for SIGSYS, entered by the kernel with
// DI = signal number, SI = *siginfo_t, DX = *ucontext_t, on the thread's signal stack. It
// touches no Go state: it copies si_errno (the filter's SECCOMP_RET_DATA), si_syscall and
// si_arch into Go variables and returns; the restorer then calls rt_sigreturn.
TEXT ·sigsysHandler(SB), NOSPLIT|NOFRAME, $0
	MOVL 4(SI), AX
	MOVL AX, ·trapData(SB)
	MOVL 24(SI), AX
	MOVL AX, ·trapNr(SB)
	MOVL 28(SI), AX
	MOVL AX, ·trapArch(SB)
	MOVL $1, ·trapFlag(SB)
	RET

// sigreturnTramp is the handler's sa_restorer: rt_sigreturn(2).
TEXT ·sigreturnTramp(SB), NOSPLIT|NOFRAME, $0
	MOVQ $15, AX
	SYSCALL
	INT  $3

// func trapAddrs() (handler, restorer uintptr)
TEXT ·trapAddrs(SB), NOSPLIT, $0-16
	MOVQ $·sigsysHandler(SB), AX
	MOVQ AX, handler+0(FP)
	MOVQ $·sigreturnTramp(SB), AX
	MOVQ AX, restorer+8(FP)
	RET
