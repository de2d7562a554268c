//go:build linux

#include "textflag.h"

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
