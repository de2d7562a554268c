package backend

import (
	"errors"
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
)

func leaf(a ir.Action) *optimizer.Node { return &optimizer.Node{Leaf: true, Action: a} }

func test(load uint32, op optimizer.JumpOp, k uint32, t, f *optimizer.Node) *optimizer.Node {
	return &optimizer.Node{Load: load, Op: op, K: k, True: t, False: f}
}

func masked(load, mask uint32, op optimizer.JumpOp, k uint32, t, f *optimizer.Node) *optimizer.Node {
	n := test(load, op, k, t, f)
	n.HasMask, n.Mask = true, mask
	return n
}

// values are the words random programs test and random data hold, so that tests go both ways.
var values = []uint32{0, 1, 2, 3, 4, 0x10, 0xff, 0x80000000, 0xffffffff}

// randomDAG builds a DAG of n inner nodes whose children are earlier nodes.
func randomDAG(r *rand.Rand, n int) *optimizer.Node {
	pool := []*optimizer.Node{
		leaf(ir.ActAllow), leaf(ir.ErrnoAction(1)), leaf(ir.ActKillProcess), leaf(ir.ActLog),
		leaf(ir.ActAllow), // a second leaf with the same action: must share the RET
	}
	offsets := []uint32{0, 4, 16, 20, 24, 60}
	for range n {
		nd := test(offsets[r.IntN(len(offsets))], optimizer.JumpOp(r.IntN(4)), values[r.IntN(len(values))],
			pool[r.IntN(len(pool))], pool[r.IntN(len(pool))])
		if r.IntN(3) == 0 {
			nd.HasMask, nd.Mask = true, values[r.IntN(len(values))]
		}
		// Bias towards recent nodes for depth.
		if len(pool) > 8 {
			nd.True = pool[len(pool)-1-r.IntN(4)]
		}
		pool = append(pool, nd)
	}
	return pool[len(pool)-1]
}

func randomData(r *rand.Rand) program.SeccompData {
	w := func() uint64 {
		return uint64(values[r.IntN(len(values))])<<32 | uint64(values[r.IntN(len(values))])
	}
	d := program.SeccompData{Nr: int32(values[r.IntN(len(values))]), Arch: values[r.IntN(len(values))]}
	for i := range d.Args {
		d.Args[i] = w()
	}
	return d
}

// checkAgrees emits p and compares the emulator with p.Eval on n random inputs.
func checkAgrees(t *testing.T, p *optimizer.Program, r *rand.Rand, n int) []bpf.RawInstruction {
	t.Helper()
	insns, err := Emit(p)
	if err != nil {
		t.Fatalf("Emit: %v", err)
	}
	raw, err := bpf.Assemble(insns)
	if err != nil {
		t.Fatalf("Assemble: %v", err)
	}
	vm := newVM(t, p, raw)
	for range n {
		agree(t, p, vm, randomData(r))
	}
	return raw
}

// newVM verifies the emitted program raw of p and returns an emulator that runs it.
func newVM(t *testing.T, p *optimizer.Program, raw []bpf.RawInstruction) *program.VM {
	t.Helper()
	vm, err := program.NewVM(raw, p.BigEndian)
	if err != nil {
		t.Fatalf("emitted program does not verify: %v", err)
	}
	return vm
}

func agree(t *testing.T, p *optimizer.Program, vm *program.VM, d program.SeccompData) {
	t.Helper()
	want, _ := p.Eval(d)
	if got, _ := vm.Run(d); got != want.Ret() {
		t.Fatalf("on %+v: program returns %#x, DAG says %v (%#x)", d, got, want, want.Ret())
	}
}

func TestEmitRandomDAGs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		p := &optimizer.Program{Root: randomDAG(r, 1+r.IntN(40)), BigEndian: i%5 == 0}
		checkAgrees(t, p, r, 200)
	}
}

func TestEmitLeafOnly(t *testing.T) {
	insns, err := Emit(&optimizer.Program{Root: leaf(ir.ErrnoAction(38))})
	if err != nil {
		t.Fatal(err)
	}
	if len(insns) != 1 || insns[0] != (bpf.RetConstant{Val: program.RetErrno | 38}) {
		t.Errorf("Emit = %v; want one RET ERRNO(38)", insns)
	}
}

func TestEmitSkipsReloads(t *testing.T) {
	allow, deny := leaf(ir.ActAllow), leaf(ir.ErrnoAction(1))
	// nr == 1 || nr == 2 → allow: the second test needs no load.
	second := test(0, optimizer.JEQ, 2, allow, deny)
	// Shared node reached from two parents loading different words: must reload.
	shared := test(16, optimizer.JEQ, 7, allow, deny)
	viaArg := test(20, optimizer.JEQ, 0, shared, deny)
	viaArch := test(4, optimizer.JEQ, 5, shared, viaArg)
	// Masked tests: (arg0 & 0xff) then (arg0 & 0x0f) needs only an AND; the same mask none.
	m2 := masked(16, 0x0f, optimizer.JSET, 1, allow, deny)
	m1b := masked(16, 0x0f, optimizer.JEQ, 3, allow, m2)
	m1 := masked(16, 0xff, optimizer.JGT, 0x10, m1b, viaArch)
	root := test(0, optimizer.JEQ, 1, allow, test(0, optimizer.JGE, 3, m1, second))
	p := &optimizer.Program{Root: root}
	raw := checkAgrees(t, p, rand.New(rand.NewPCG(3, 4)), 2000)
	loads, ands := 0, 0
	for _, ri := range raw {
		switch ri.Op {
		case opLdAbsW:
			loads++
		case opAndK:
			ands++
		}
	}
	// Loads: root nr, m1 arg0, viaArch arch, viaArg arg0-hi, shared arg0 (parents differ).
	// ANDs: m1 0xff, m1b 0x0f (narrower mask, no reload); m2 needs none.
	if loads != 5 || ands != 2 {
		t.Errorf("program has %d loads and %d ANDs; want 5 and 2:\n%v", loads, ands, raw)
	}
}

func TestEmitFallThrough(t *testing.T) {
	// if (arch == X86_64) {nr tests} else kill: the true branch is the straight path.
	allow, kill := leaf(ir.ActAllow), leaf(ir.ActKillProcess)
	root := test(4, optimizer.JEQ, ir.AuditArchX86_64, test(0, optimizer.JEQ, 0, allow, kill), kill)
	raw := checkAgrees(t, &optimizer.Program{Root: root}, rand.New(rand.NewPCG(1, 1)), 10)
	if raw[1].Jt != 0 || raw[1].Jf == 0 {
		t.Errorf("arch check is %+v; want jt = 0", raw[1])
	}
	if len(raw) != 6 {
		t.Errorf("program has %d instructions; want 6 (two shared RETs)", len(raw))
	}
}

// chain builds nr == k0 ? a0 : nr == k1 ? a1 : ... : last.
func chain(n int, action func(i int) *optimizer.Node, last *optimizer.Node) *optimizer.Node {
	next := last
	for i := n - 1; i >= 0; i-- {
		next = test(0, optimizer.JEQ, uint32(i), action(i), next)
	}
	return next
}

func TestEmitLongJumpsToSharedRets(t *testing.T) {
	allow, deny, kill := leaf(ir.ActAllow), leaf(ir.ErrnoAction(1)), leaf(ir.ActKillProcess)
	root := test(4, optimizer.JEQ, ir.AuditArchX86_64, chain(700, func(i int) *optimizer.Node {
		if i%3 == 0 {
			return deny
		}
		return allow
	}, deny), kill)
	p := &optimizer.Program{Root: root}
	raw := checkAgrees(t, p, rand.New(rand.NewPCG(5, 6)), 10)
	vm := newVM(t, p, raw)
	for nr := int32(-1); nr < 710; nr++ {
		agree(t, p, vm, program.SeccompData{Nr: nr, Arch: ir.AuditArchX86_64})
	}
	agree(t, p, vm, program.SeccompData{Nr: 5, Arch: 3})
	if len(raw) > 700+2+12 {
		t.Errorf("program has %d instructions; want few RET copies", len(raw))
	}
	for pc, ri := range raw {
		if ri.Op == opJA {
			t.Errorf("instruction %d: trampoline where a RET copy does", pc)
		}
	}
}

func TestEmitTrampoline(t *testing.T) {
	allow, deny := leaf(ir.ActAllow), leaf(ir.ErrnoAction(1))
	// The false branch of the root is an inner node laid out after a 400-node chain.
	far := test(16, optimizer.JEQ, 42, allow, deny)
	long := chain(400, func(int) *optimizer.Node { return allow }, far)
	root := test(4, optimizer.JEQ, ir.AuditArchX86_64, long, far)
	p := &optimizer.Program{Root: root}
	raw := checkAgrees(t, p, rand.New(rand.NewPCG(7, 8)), 10)
	jas := 0
	for _, ri := range raw {
		if ri.Op == opJA {
			jas++
		}
	}
	if jas == 0 {
		t.Fatal("no JA trampoline in a program that needs one")
	}
	vm := newVM(t, p, raw)
	for _, d := range []program.SeccompData{
		{Arch: 1, Args: [6]uint64{42}}, {Arch: 1, Args: [6]uint64{41}},
		{Arch: ir.AuditArchX86_64, Nr: 500, Args: [6]uint64{42}}, {Arch: ir.AuditArchX86_64, Nr: 399},
	} {
		agree(t, p, vm, d)
	}
}

func TestEmitTooLarge(t *testing.T) {
	allow := leaf(ir.ActAllow)
	root := chain(5000, func(int) *optimizer.Node { return allow }, leaf(ir.ErrnoAction(1)))
	_, err := Emit(&optimizer.Program{Root: root})
	var ve *program.VerifyError
	if !errors.As(err, &ve) || err.Error() != "program has 5003 instructions; the kernel's limit is 4096" {
		t.Errorf("Emit error = %v; want the size named", err)
	}
}

func TestEmitRejectsBadNodes(t *testing.T) {
	allow := leaf(ir.ActAllow)
	for _, n := range []*optimizer.Node{
		test(2, optimizer.JEQ, 0, allow, allow),
		test(64, optimizer.JEQ, 0, allow, allow),
		test(0, optimizer.JumpOp(9), 0, allow, allow),
		test(0, optimizer.JEQ, 0, allow, nil),
	} {
		if _, err := Emit(&optimizer.Program{Root: n}); err == nil {
			t.Errorf("Emit accepted %+v", n)
		}
	}
}

func TestProcessKilling(t *testing.T) {
	allow := leaf(ir.ActAllow)
	if ProcessKilling(&optimizer.Program{Root: test(0, optimizer.JEQ, 0, allow, leaf(ir.ActKillThread))}) {
		t.Error("thread kill reported as process-killing")
	}
	if !ProcessKilling(&optimizer.Program{Root: test(0, optimizer.JEQ, 0, allow, leaf(ir.ActKillProcess))}) {
		t.Error("process kill not reported")
	}
}

func TestEmitInstructionsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	insns, err := Emit(&optimizer.Program{Root: randomDAG(r, 30)})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range insns {
		if _, ok := in.(bpf.RawInstruction); ok {
			t.Errorf("Emit returned a raw instruction %v; want typed ones", in)
		}
	}
}

func TestEmitLargeRandomDAGs(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 5 {
		p := &optimizer.Program{Root: randomDAG(r, 400+r.IntN(400))}
		raw := checkAgrees(t, p, r, 3000)
		jas := 0
		for _, ri := range raw {
			if ri.Op == opJA {
				jas++
			}
		}
		t.Logf("%d instructions, %d trampolines", len(raw), jas)
	}
}
