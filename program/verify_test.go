package program

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
)

func TestVerifyAcceptsTheSeccompSubset(t *testing.T) {
	prog := []bpf.RawInstruction{
		{Op: 0x20, K: 60},              // A = args[5] hi
		{Op: 0x80},                     // A = len
		{Op: 0x81},                     // X = len
		{Op: 0x00, K: 1},               // A = 1
		{Op: 0x01, K: 1},               // X = 1
		{Op: 0x02, K: 15},              // M[15] = A
		{Op: 0x03, K: 0},               // M[0] = X
		{Op: 0x60, K: 15},              // A = M[15]
		{Op: 0x61, K: 0},               // X = M[0]
		{Op: 0x04, K: 1},               // A += 1
		{Op: 0x0c},                     // A += X
		{Op: 0x34, K: 2},               // A /= 2
		{Op: 0x3c},                     // A /= X
		{Op: 0x64, K: 31},              // A <<= 31
		{Op: 0xa4, K: 1},               // A ^= 1
		{Op: 0x84},                     // A = -A
		{Op: 0x07},                     // X = A
		{Op: 0x87},                     // A = X
		{Op: 0x15, Jt: 0, Jf: 1},       // JEQ K
		{Op: 0x1d, Jt: 1, Jf: 0},       // JEQ X
		{Op: 0x45, Jt: 0, Jf: 0, K: 1}, // JSET K
		{Op: 0x05, K: 1},               // JA
		{Op: 0x06, K: 0x7fff0000},      // RET K
		{Op: 0x16},                     // RET A
	}
	if err := Verify(prog); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyRejects(t *testing.T) {
	ret := bpf.RawInstruction{Op: 0x06}
	long := make([]bpf.RawInstruction, 5210)
	for i := range long {
		long[i] = ret
	}
	for _, tc := range []struct {
		name string
		prog []bpf.RawInstruction
		pc   int
		want string
	}{
		{"empty", nil, -1, "program is empty"},
		{"too long", long, -1, "program has 5210 instructions; the kernel's limit is 4096"},
		{"unaligned load", []bpf.RawInstruction{{Op: 0x20, K: 6}, ret}, 0, "offset 6"},
		{"load past 64", []bpf.RawInstruction{{Op: 0x20, K: 64}, ret}, 0, "offset 64"},
		{"byte load", []bpf.RawInstruction{{Op: 0x30, K: 0}, ret}, 0, "opcode 0x30 is not allowed"},
		{"packet index load", []bpf.RawInstruction{{Op: 0x40, K: 0}, ret}, 0, "not allowed"},
		{"LDX ABS", []bpf.RawInstruction{{Op: 0x21, K: 0}, ret}, 0, "not allowed"},
		{"mod", []bpf.RawInstruction{{Op: 0x94, K: 3}, ret}, 0, "not allowed"},
		{"ret X", []bpf.RawInstruction{{Op: 0x0e}}, 0, "not allowed"},
		{"div by constant 0", []bpf.RawInstruction{{Op: 0x34, K: 0}, ret}, 0, "division by constant 0"},
		{"shift by 32", []bpf.RawInstruction{{Op: 0x74, K: 32}, ret}, 0, "shift by 32"},
		{"scratch slot 16", []bpf.RawInstruction{{Op: 0x02, K: 16}, ret}, 0, "scratch slot 16"},
		{"cond jump past the end", []bpf.RawInstruction{{Op: 0x15, Jt: 1}, ret}, 0, "jump to 2"},
		{"ja past the end", []bpf.RawInstruction{{Op: 0x05, K: 1}, ret}, 0, "jump to 2"},
		{"ja huge", []bpf.RawInstruction{{Op: 0x05, K: 0xffffffff}, ret}, 0, "past the last"},
		{"no final ret", []bpf.RawInstruction{ret, {Op: 0x00, K: 1}}, 1, "not a RET"},
		{"read before write", []bpf.RawInstruction{{Op: 0x60, K: 3}, ret}, 0, "scratch slot 3"},
		{"written on one path only", []bpf.RawInstruction{
			{Op: 0x15, Jt: 0, Jf: 1}, {Op: 0x02, K: 3}, {Op: 0x61, K: 3}, ret,
		}, 2, "scratch slot 3 before"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Verify(tc.prog)
			var ve *VerifyError
			if !errors.As(err, &ve) || ve.PC != tc.pc || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Verify = %v; want pc %d and %q", err, tc.pc, tc.want)
			}
		})
	}
}

func TestVerifyScratchOnEveryPath(t *testing.T) {
	// Written on both paths before the join: accepted.
	prog := []bpf.RawInstruction{
		{Op: 0x15, Jt: 0, Jf: 2}, {Op: 0x02, K: 3}, {Op: 0x05, K: 1}, {Op: 0x02, K: 3},
		{Op: 0x60, K: 3}, {Op: 0x16},
	}
	if err := Verify(prog); err != nil {
		t.Error(err)
	}
}
