//go:build linux && cgo

package libseccomp

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/differential"
	"golang.org/x/net/bpf"
)

// assemble turns x/net/bpf instructions into raw ones.
func assemble(t *testing.T, ins ...bpf.Instruction) []bpf.RawInstruction {
	t.Helper()
	raw, err := bpf.Assemble(ins)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// dataWords lays out seccomp_data as 32-bit words, each holding the value a 32-bit load at
// its offset reads on an arch of d.Arch's byte order. It derives the layout from program's
// offsets, independently of the emulator's, for vmRun.
func dataWords(d program.SeccompData) [program.SeccompDataSize / 4]uint32 {
	be := bigEndianAudit(d.Arch)
	var w [program.SeccompDataSize / 4]uint32
	w[program.SeccompDataNrOffset/4] = uint32(d.Nr)
	w[program.SeccompDataArchOffset/4] = d.Arch
	put := func(lo, hi uint32, v uint64) {
		w[lo/4], w[hi/4] = uint32(v), uint32(v>>32)
	}
	ipLo, ipHi := uint32(program.SeccompDataIPOffset), uint32(program.SeccompDataIPOffset+4)
	if be {
		ipLo, ipHi = ipHi, ipLo
	}
	put(ipLo, ipHi, d.InstructionPointer)
	for i, a := range d.Args {
		put(ir.ArgOffset(i, false, be), ir.ArgOffset(i, true, be), a)
	}
	return w
}

// vmRun runs prog with x/net/bpf's VM, an interpreter independent of scc's emulator, which
// loads words big-endian: each 32-bit word of seccomp_data is stored big-endian so that a
// load yields the value the kernel's load does.
func vmRun(t *testing.T, prog []bpf.RawInstruction, d program.SeccompData) uint32 {
	t.Helper()
	ins, ok := bpf.Disassemble(prog)
	if !ok {
		t.Fatalf("x/net/bpf cannot decode the program")
	}
	vm, err := bpf.NewVM(ins)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, program.SeccompDataSize)
	for i, w := range dataWords(d) {
		binary.BigEndian.PutUint32(buf[4*i:], w)
	}
	ret, err := vm.Run(buf)
	if err != nil {
		t.Fatal(err)
	}
	return uint32(ret)
}

var x86 = program.SeccompData{
	Nr: 257, Arch: ir.AuditArchX86_64, InstructionPointer: 0x1122334455667788,
	Args: [6]uint64{0xffffffff00000064, 1, 2, 3, 4, 0xaaaaaaaabbbbbbbb},
}

func TestRunHandPrograms(t *testing.T) {
	be := x86
	be.Arch = 0x80000016 // s390x: high word first
	tests := []struct {
		name string
		prog []bpf.Instruction
		d    program.SeccompData
		want uint32
	}{
		{"ret", []bpf.Instruction{bpf.RetConstant{Val: program.RetAllow}}, x86, program.RetAllow},
		{"nr", []bpf.Instruction{
			bpf.LoadAbsolute{Off: 0, Size: 4},
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: 257, SkipFalse: 1},
			bpf.RetConstant{Val: program.RetAllow},
			bpf.RetConstant{Val: program.RetErrno | 1},
		}, x86, program.RetAllow},
		{"arch", []bpf.Instruction{bpf.LoadAbsolute{Off: 4, Size: 4}, bpf.RetA{}}, x86, ir.AuditArchX86_64},
		{"arg0 low LE", []bpf.Instruction{bpf.LoadAbsolute{Off: 16, Size: 4}, bpf.RetA{}}, x86, 0x64},
		{"arg0 high LE", []bpf.Instruction{bpf.LoadAbsolute{Off: 20, Size: 4}, bpf.RetA{}}, x86, 0xffffffff},
		{"arg5 high BE", []bpf.Instruction{bpf.LoadAbsolute{Off: 56, Size: 4}, bpf.RetA{}}, be, 0xaaaaaaaa},
		{"ip low LE", []bpf.Instruction{bpf.LoadAbsolute{Off: 8, Size: 4}, bpf.RetA{}}, x86, 0x55667788},
		{"alu and scratch", []bpf.Instruction{
			bpf.LoadConstant{Dst: bpf.RegA, Val: 6},
			bpf.ALUOpConstant{Op: bpf.ALUOpMul, Val: 7},
			bpf.StoreScratch{Src: bpf.RegA, N: 3},
			bpf.LoadConstant{Dst: bpf.RegX, Val: 2},
			bpf.LoadScratch{Dst: bpf.RegA, N: 3},
			bpf.ALUOpX{Op: bpf.ALUOpShiftLeft},
			bpf.TAX{},
			bpf.ALUOpConstant{Op: bpf.ALUOpXor, Val: 1},
			bpf.JumpIfX{Cond: bpf.JumpGreaterThan, SkipTrue: 1},
			bpf.RetConstant{Val: 0},
			bpf.RetA{},
		}, x86, 169},
		{"jset and ja", []bpf.Instruction{
			bpf.LoadAbsolute{Off: 24, Size: 4},
			bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: 1, SkipTrue: 1},
			bpf.Jump{Skip: 1},
			bpf.RetConstant{Val: program.RetLog},
			bpf.RetConstant{Val: program.RetTrap},
		}, x86, program.RetLog},
		{"divide by zero returns 0", []bpf.Instruction{
			bpf.LoadConstant{Dst: bpf.RegA, Val: 6},
			bpf.ALUOpX{Op: bpf.ALUOpDiv},
			bpf.RetConstant{Val: program.RetAllow},
		}, x86, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog := assemble(t, tt.prog...)
			got, err := Run(prog, tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Run = %#x, want %#x", got, tt.want)
			}
			if vm := vmRun(t, prog, tt.d); vm != tt.want {
				t.Errorf("x/net/bpf VM = %#x, want %#x", vm, tt.want)
			}
		})
	}
}

func TestRunSteps(t *testing.T) {
	prog := assemble(t,
		bpf.LoadAbsolute{Off: 0, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 257, SkipTrue: 1},
		bpf.RetConstant{Val: program.RetErrno | 1},
		bpf.RetConstant{Val: program.RetAllow},
	)
	for _, tt := range []struct {
		nr    int32
		ret   uint32
		steps int
	}{{257, program.RetAllow, 3}, {0, program.RetErrno | 1, 3}} {
		d := x86
		d.Nr = tt.nr
		ret, steps, err := Exec(prog, d)
		if err != nil || ret != tt.ret || steps != tt.steps {
			t.Errorf("Exec(nr %d) = %#x, %d, %v; want %#x, %d", tt.nr, ret, steps, err, tt.ret, tt.steps)
		}
	}
}

func TestRunRejectsInvalidPrograms(t *testing.T) {
	tests := map[string][]bpf.RawInstruction{
		"unaligned load":     {{Op: 0x20, K: 2}, {Op: 0x06, K: 0}},
		"load past the data": {{Op: 0x20, K: 64}, {Op: 0x06, K: 0}},
		"byte load":          {{Op: 0x30, K: 0}, {Op: 0x06, K: 0}},
		"runs off the end":   {{Op: 0x20, K: 0}},
		"jumps off the end":  {{Op: 0x05, K: 10}, {Op: 0x06, K: 0}},
		"bad scratch":        {{Op: 0x02, K: 16}, {Op: 0x06, K: 0}},
	}
	for name, prog := range tests {
		if _, err := Run(prog, x86); err == nil {
			t.Errorf("%s: Run accepted the program", name)
		}
	}
}

// TestRunMatchesVMOnLibseccompPrograms runs libseccomp's programs for random policies on both
// interpreters: scc's emulator (Run) and x/net/bpf's VM, each with its own layout of
// seccomp_data.
func TestRunMatchesVMOnLibseccompPrograms(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 20 {
		p := RandomPolicy(r, arches(t, archSets[i%len(archSets)]...)...)
		prog, err := Build(p, Options{Optimize: 1 + i%2})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range differential.Calls(r, p, 100) {
			if got, want := mustRun(t, prog, d), vmRun(t, prog, d); got != want {
				t.Fatalf("Run = %#x, x/net/bpf VM = %#x on %+v", got, want, d)
			}
		}
	}
}

func TestDecode(t *testing.T) {
	b := make([]byte, 16)
	binary.NativeEndian.PutUint16(b[0:], 0x15)
	b[2], b[3] = 1, 2
	binary.NativeEndian.PutUint32(b[4:], 0xc000003e)
	binary.NativeEndian.PutUint16(b[8:], 0x06)
	binary.NativeEndian.PutUint32(b[12:], program.RetAllow)
	prog, err := Decode(b)
	want := []bpf.RawInstruction{{Op: 0x15, Jt: 1, Jf: 2, K: 0xc000003e}, {Op: 0x06, K: program.RetAllow}}
	if err != nil || len(prog) != 2 || prog[0] != want[0] || prog[1] != want[1] {
		t.Errorf("Decode = %v, %v; want %v", prog, err, want)
	}
	for _, n := range []int{0, 7, 12} {
		if _, err := Decode(make([]byte, n)); err == nil {
			t.Errorf("Decode accepted %d bytes", n)
		}
	}
}
