package optimizer

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

var (
	ePerm  = ir.ErrnoAction(1)
	eNoSys = ir.ErrnoAction(38)
)

// dockerLike synthesizes a policy shaped like Docker's default profile: x86_64 (and x32, i386)
// with most syscalls allowed, holes of denied ones, a few argument rules, errno(EPERM) as
// default and errno(ENOSYS) for newer syscalls.
func dockerLike() *ir.Policy {
	denied := []uint32{134, 135, 136, 139, 153, 154, 155, 156, 163, 165, 166, 167, 168, 169,
		170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 212,
		214, 215, 236, 237, 238, 239, 246, 248, 249, 250, 256, 272, 279, 298, 300, 303, 304,
		305, 308, 310, 311, 312, 313, 320, 321, 323, 425, 426, 427, 428, 429, 430, 431, 432,
		433, 442, 443, 444, 445, 446}
	isDenied := make(map[uint32]bool)
	for _, nr := range denied {
		isDenied[nr] = true
	}
	allow := []ir.Rule{{Action: ir.ActAllow}}
	personality := []ir.Rule{{Action: ir.ActAllow, Cond: ir.Or{
		ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.EQ, Value: 0},
		ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.EQ, Value: 8},
		ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.EQ, Value: 0x20000},
		ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.EQ, Value: 0x20008},
		ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.EQ, Value: 0xffffffff},
	}}}
	clone := []ir.Rule{{Action: ir.ActAllow, Cond: ir.Cmp{Width: 64, Mask: 0x7e020000, Op: ir.EQ, Value: 0}}}
	socket := []ir.Rule{
		{Action: ir.ActAllow, Cond: ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.NE, Value: 40}},
		{Action: ir.ErrnoAction(97)},
	}
	x86 := func(a ir.Arch, last uint32) *ir.ArchPolicy {
		ap := &ir.ArchPolicy{Arch: a, Default: ePerm, Newer: &eNoSys, MaxKnown: a.NrMask | last,
			Rules: make(map[uint32][]ir.Rule), Names: make(map[uint32]string)}
		for nr := uint32(0); nr <= last; nr++ {
			if (nr > 334 && nr < 424) || isDenied[nr] {
				continue
			}
			ap.Rules[a.NrMask|nr] = allow
			ap.Names[a.NrMask|nr] = "sys" + itoa(nr)
		}
		ap.Rules[a.NrMask|135] = personality
		ap.Rules[a.NrMask|56] = clone
		ap.Rules[a.NrMask|41] = socket
		ap.Rules[a.NrMask|435] = []ir.Rule{{Action: eNoSys}}
		return ap
	}
	i386 := &ir.ArchPolicy{Arch: archI386, Default: ePerm, Newer: &eNoSys, MaxKnown: 462,
		Rules: make(map[uint32][]ir.Rule)}
	for nr := uint32(0); nr <= 462; nr++ {
		if nr%17 != 3 && nr%29 != 5 {
			i386.Rules[nr] = allow
		}
	}
	i386.Rules[136] = personality
	return &ir.Policy{Name: "docker", BadArch: ir.ActKillProcess, Flags: program.FlagTSync,
		Arches: []*ir.ArchPolicy{x86(archX86_64, 462), x86(archX32, 547), i386}}
}

// path returns the inner nodes tested on d.
func path(prog *Program, d program.SeccompData) []*Node {
	var out []*Node
	for n := prog.Root; !n.Leaf; {
		out = append(out, n)
		n = n.next(d, prog.BigEndian)
	}
	return out
}

// hotMix is the benchmarks' hot set on x86_64, with made-up counts.
var hotMix = map[uint32]float64{0: 3000, 1: 2500, 202: 4000, 232: 1500, 45: 1200, 44: 1100,
	9: 800, 3: 900, 257: 700, 5: 600}

// stepStats returns the mean and max steps over x86_64 numbers 0..MaxKnown, and the mean
// weighted by hotMix.
func stepStats(t *testing.T, prog *Program, maxKnown uint32) (mean float64, maxSteps int, hot float64) {
	t.Helper()
	var sum, hsum, hw float64
	for nr := uint32(0); nr <= maxKnown; nr++ {
		_, s := prog.Eval(program.SeccompData{Arch: ir.AuditArchX86_64, Nr: int32(nr)})
		sum += float64(s)
		maxSteps = max(maxSteps, s)
		if w, ok := hotMix[nr]; ok {
			hsum += w * float64(s)
			hw += w
		}
	}
	return sum / float64(maxKnown+1), maxSteps, hsum / hw
}

func TestDockerLikeSteps(t *testing.T) {
	p := dockerLike()
	x := p.Arches[0]
	bal, err := Optimize(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wt, err := Optimize(p, Options{Weights: hotMix})
	if err != nil {
		t.Fatal(err)
	}
	b := newBuilder(false, 0)
	spans, _, err := b.groupSpans([]*archRules{mustPrepare(t, b, x), mustPrepare(t, b, p.Arches[1])}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mean, maxS, hot := stepStats(t, bal, x.MaxKnown)
	wmean, wmax, whot := stepStats(t, wt, x.MaxKnown)
	t.Logf("x86_64+x32 ranges: %d (log2 %.2f)", len(spans), math.Log2(float64(len(spans))))
	t.Logf("balanced: mean %.2f max %d hot-mix %.2f steps", mean, maxS, hot)
	t.Logf("weighted: mean %.2f max %d hot-mix %.2f steps", wmean, wmax, whot)
	// One arch test, a balanced tree over the ranges, and the argument tests of a few syscalls.
	if bound := 1 + math.Ceil(math.Log2(float64(len(spans)))); mean > bound {
		t.Errorf("balanced mean %.2f steps > %v", mean, bound)
	}
	if maxS > 20 || wmax > 30 {
		t.Errorf("max steps %d balanced, %d weighted", maxS, wmax)
	}
	if whot >= hot || whot > 5 {
		t.Errorf("hot mix: weighted %.2f steps, balanced %.2f", whot, hot)
	}
	checkEquivalent(t, newGen(rand.NewPCG(1, 2)), p, 20000)
}

// newBuilder returns a builder with every pass on for arches of the given byte order, sized
// for about size inner nodes.
func newBuilder(bigEndian bool, size int) *builder {
	return &builder{bigEndian: bigEndian, inner: make(map[nodeKey]*Node, size)}
}

func mustPrepare(t *testing.T, b *builder, ap *ir.ArchPolicy) *archRules {
	t.Helper()
	ar, err := b.prepare(ap)
	if err != nil {
		t.Fatal(err)
	}
	return ar
}

// TestCacheFriendly: every syscall whose rules do not look at arguments is decided by loads
// of arch and nr only, with K-form jumps without AND, ending in its action.
func TestCacheFriendly(t *testing.T) {
	p := dockerLike()
	prog, err := Optimize(p, Options{Weights: hotMix})
	if err != nil {
		t.Fatal(err)
	}
	for _, ap := range p.Arches {
		for nr := ap.Arch.NrMask; nr <= ap.MaxKnown+10; nr++ {
			if rs := ap.Rules[nr]; len(rs) > 0 && rs[0].Cond != nil {
				continue
			}
			d := program.SeccompData{Arch: ap.Arch.Audit, Nr: int32(nr), Args: [6]uint64{1, 2, 3, 4, 5, 6}}
			for _, n := range path(prog, d) {
				if n.Load > program.SeccompDataArchOffset || n.HasMask {
					t.Fatalf("%s nr %d: test %+v on the path", ap.Arch.Name, nr, *n)
				}
			}
			if got, _ := prog.Eval(d); got != p.Decide(d) {
				t.Fatalf("%s nr %d: %v, want %v", ap.Arch.Name, nr, got, p.Decide(d))
			}
		}
	}
}

// TestRanges: maximal ranges, gaps absorbed, no equality test on the number, and the x32 bit.
func TestRanges(t *testing.T) {
	allow := []ir.Rule{{Action: ir.ActAllow}}
	cond := []ir.Rule{{Action: ir.ActAllow, Cond: ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.EQ, Value: 7}}}
	ap := &ir.ArchPolicy{Arch: archX86_64, Default: ePerm, MaxKnown: 20, Rules: map[uint32][]ir.Rule{
		0: allow, 1: allow, 2: allow, 3: cond, 4: allow, 5: {{Action: ePerm}}, 8: {{Action: ePerm}}, 9: allow,
	}}
	p := &ir.Policy{BadArch: ir.ActKillProcess, Arches: []*ir.ArchPolicy{ap}}
	b := newBuilder(false, 0)
	ar, err := b.prepare(ap)
	if err != nil {
		t.Fatal(err)
	}
	spans, _, err := b.groupSpans([]*archRules{ar}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// [0,3) allow, 3 args, 4 allow, [5,9) eperm, 9 allow, [10, 2^30) eperm,
	// [2^30, 2^32-1) bad, 2^32-1 (a skipped syscall) eperm.
	wantLo := []uint64{0, 3, 4, 5, 9, 10, 1 << 30, 1<<32 - 1}
	if len(spans) != len(wantLo) {
		t.Fatalf("got %d spans %+v, want %d", len(spans), spans, len(wantLo))
	}
	for i, s := range spans {
		if s.lo != wantLo[i] {
			t.Errorf("span %d starts at %#x, want %#x", i, s.lo, wantLo[i])
		}
	}
	prog, err := Optimize(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Syscall 3 is one number between two ranges: the parents pin it, no JEQ on nr.
	steps := path(prog, program.SeccompData{Arch: ir.AuditArchX86_64, Nr: 3, Args: [6]uint64{7}})
	if n := steps[len(steps)-1]; n.Load != ir.ArgOffset(0, false, false) || n.Op != JEQ || n.K != 7 {
		t.Errorf("last test %+v, want JEQ 7 on arg0", *n)
	}
	if len(steps) > 1+4+1 {
		t.Errorf("%d steps to syscall 3's argument test", len(steps))
	}
	for _, tc := range []struct {
		nr   uint32
		want ir.Action
	}{{ir.X32SyscallBit, ir.ActKillProcess}, {ir.X32SyscallBit | 1, ir.ActKillProcess}, {0x80000001, ir.ActKillProcess}, {0xfffffffe, ir.ActKillProcess}, {ir.SkippedSyscall, ePerm}} {
		if got, _ := prog.Eval(program.SeccompData{Arch: ir.AuditArchX86_64, Nr: int32(tc.nr)}); got != tc.want {
			t.Errorf("nr %#x: %v, want %v", tc.nr, got, tc.want)
		}
	}
}

// TestSharing: equal argument DAGs are one node across syscalls and arches; actions are one
// leaf each.
func TestSharing(t *testing.T) {
	p := dockerLike()
	prog, err := Optimize(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	argRoot := func(audit, nr uint32) *Node {
		for _, n := range path(prog, program.SeccompData{Arch: audit, Nr: int32(nr)}) {
			if n.Load >= program.SeccompDataArgsOffset {
				return n
			}
		}
		t.Fatalf("audit %#x nr %d: no argument test", audit, nr)
		return nil
	}
	if a, b := argRoot(ir.AuditArchX86_64, 135), argRoot(archI386.Audit, 136); a != b {
		t.Error("personality's DAG is not shared between x86_64 and i386")
	}
	if a, b := argRoot(ir.AuditArchX86_64, 56), argRoot(ir.AuditArchX86_64, ir.X32SyscallBit|56); a != b {
		t.Error("clone's DAG is not shared between x86_64 and x32")
	}
	leaves := make(map[ir.Action]*Node)
	visited := make(map[*Node]bool)
	var walk func(*Node)
	walk = func(n *Node) {
		if visited[n] {
			return
		}
		visited[n] = true
		if n.Leaf {
			if l, ok := leaves[n.Action]; ok && l != n {
				t.Errorf("two leaves for %v", n.Action)
			}
			leaves[n.Action] = n
			return
		}
		walk(n.True)
		walk(n.False)
	}
	walk(prog.Root)
	if len(leaves) != 5 { // allow, errno(EPERM), errno(ENOSYS), errno(EAFNOSUPPORT), kill
		t.Errorf("%d leaves: %v", len(leaves), leaves)
	}
}

// TestArgTests checks the shapes of single comparisons: JSET for masks, folded constants,
// 64-bit splits, ranges for consecutive sets.
func TestArgTests(t *testing.T) {
	lo0, hi0 := ir.ArgOffset(0, false, false), ir.ArgOffset(0, true, false)
	for _, tc := range []struct {
		name  string
		cond  ir.Cond
		nodes int // inner nodes of the DAG
		root  Node
	}{
		{"mask == 0 is JSET", ir.Cmp{Width: 32, Mask: 0x7e020000, Op: ir.EQ}, 1, Node{Load: lo0, Op: JSET, K: 0x7e020000}},
		{"mask != 0 is JSET", ir.Cmp{Width: 32, Mask: 0x7e020000, Op: ir.NE}, 1, Node{Load: lo0, Op: JSET, K: 0x7e020000}},
		{"single bit == bit is JSET", ir.Cmp{Width: 32, Mask: 4, Op: ir.EQ, Value: 4}, 1, Node{Load: lo0, Op: JSET, K: 4}},
		{"other masks AND", ir.Cmp{Width: 32, Mask: 0xff, Op: ir.EQ, Value: 3}, 1, Node{Load: lo0, HasMask: true, Mask: 0xff, Op: JEQ, K: 3}},
		{"x >= 0 folds", ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.GE}, 0, Node{}},
		{"x > 0xffffffff folds", ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.GT, Value: 0xffffffff}, 0, Node{}},
		{"32-bit == big value folds", ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.EQ, Value: 1 << 32}, 0, Node{}},
		{"64-bit == splits", ir.Cmp{Width: 64, Mask: ^uint64(0), Op: ir.EQ, Value: 5}, 2, Node{Load: hi0, Op: JEQ, K: 0}},
		{"64-bit > small: one high test", ir.Cmp{Width: 64, Mask: ^uint64(0), Op: ir.GT, Value: 5}, 2, Node{Load: hi0, Op: JGT, K: 0}},
		{"64-bit < big: three tests", ir.Cmp{Width: 64, Mask: ^uint64(0), Op: ir.LT, Value: 0x500000005}, 3, Node{Load: hi0, Op: JGT, K: 5}},
		{"64-bit low mask: no high test", ir.Cmp{Width: 64, Mask: 0xff, Op: ir.EQ, Value: 5}, 1, Node{Load: lo0, HasMask: true, Mask: 0xff, Op: JEQ, K: 5}},
		{"in {0,1,2,3} is one range", ir.Or{eq(0), eq(1), eq(2), eq(3)}, 1, Node{Load: lo0, Op: JGT, K: 3}},
		{"in {5..7, 9}", ir.Or{eq(5), eq(9), eq(6), eq(7)}, 3, Node{Load: lo0, Op: JGT, K: 7}},
		{"not in {1, 2}", ir.And{ne(1), ne(2)}, 2, Node{Load: lo0, Op: JGT, K: 2}},
		{"nested ors group", ir.Or{ir.Or{eq(1), eq(3)}, ir.Not{X: ne(2)}}, 2, Node{Load: lo0, Op: JGT, K: 3}},
	} {
		b := newBuilder(false, 0)
		yes, no := b.leaf(ir.ActAllow), b.leaf(ePerm)
		n, err := b.cond(tc.cond, yes, no)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := len(b.inner); got != tc.nodes {
			t.Errorf("%s: %d nodes, want %d", tc.name, got, tc.nodes)
		}
		if tc.nodes > 0 {
			got := *n
			got.True, got.False = nil, nil
			if got != tc.root {
				t.Errorf("%s: root %+v, want %+v", tc.name, got, tc.root)
			}
		}
		for _, x := range []uint64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xff, 0x7e020000, 1 << 32, 0x500000004, 0x500000005, 0x500000006, ^uint64(0)} {
			var args [6]uint64
			args[0] = x
			want := no
			if tc.cond.Eval(args) {
				want = yes
			}
			if got := evalFrom(n, program.SeccompData{Args: args}); got != want.Action {
				t.Errorf("%s: x=%#x: %v, want %v", tc.name, x, got, want.Action)
			}
		}
	}
}

func eq(v uint64) ir.Cmp { return ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.EQ, Value: v} }
func ne(v uint64) ir.Cmp { return ir.Cmp{Width: 32, Mask: 0xffffffff, Op: ir.NE, Value: v} }

func evalFrom(n *Node, d program.SeccompData) ir.Action {
	a, _ := (&Program{Root: n}).Eval(d)
	return a
}

// TestBigEndian: argument words come from the big-endian offsets.
func TestBigEndian(t *testing.T) {
	ap := &ir.ArchPolicy{Arch: archS390x, Default: ePerm, MaxKnown: 400, Rules: map[uint32][]ir.Rule{
		3: {{Action: ir.ActAllow, Cond: ir.Cmp{Arg: 1, Width: 64, Mask: ^uint64(0), Op: ir.EQ, Value: 0x100000002}}},
	}}
	p := &ir.Policy{BadArch: ir.ActKillProcess, Arches: []*ir.ArchPolicy{ap}}
	prog, err := Optimize(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !prog.BigEndian {
		t.Fatal("BigEndian not set")
	}
	for _, v := range []uint64{0x100000002, 0x200000001, 2, 0x100000000} {
		d := program.SeccompData{Arch: archS390x.Audit, Nr: 3, Args: [6]uint64{0, v}}
		if got, _ := prog.Eval(d); got != p.Decide(d) {
			t.Errorf("arg1 %#x: %v, want %v", v, got, p.Decide(d))
		}
	}
}

func TestProgramFields(t *testing.T) {
	p := dockerLike()
	p.Flags = program.FlagTSync | program.FlagLog
	prog, err := Optimize(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if prog.Flags != p.Flags || len(prog.Arches) != 3 || prog.Arches[1] != archX32 || prog.BigEndian {
		t.Errorf("fields: flags %#x arches %v big-endian %v", prog.Flags, prog.Arches, prog.BigEndian)
	}
	names := prog.Names[ir.AuditArchX86_64]
	n0, _ := names.Name(0)
	n1, _ := names.Name(ir.X32SyscallBit | 1)
	if n0 != "sys0x0" || n1 != "sys0x1" {
		t.Errorf("x86_64/x32 names not merged: %q %q", n0, n1)
	}
}

// heavy is dockerLike with argument rules on a third of the x86_64 syscalls.
func heavy() *ir.Policy {
	p := dockerLike()
	x := p.Arches[0]
	for nr := uint32(0); nr < 300; nr += 3 {
		x.Rules[nr] = []ir.Rule{
			{Action: ir.ActAllow, Cond: ir.And{ir.Cmp{Arg: 0, Width: 32, Mask: 0xffffffff, Op: ir.LT, Value: 1024},
				ir.Or{eq(uint64(nr)), eq(uint64(nr) + 1), ir.Cmp{Arg: 2, Width: 64, Mask: 4, Op: ir.EQ}}}},
			{Action: ir.ErrnoAction(uint16(nr % 7)), Cond: ir.Cmp{Arg: 1, Width: 64, Mask: ^uint64(0), Op: ir.GE, Value: uint64(nr) << 32}},
		}
	}
	return p
}

func TestHeavy(t *testing.T) {
	checkEquivalent(t, newGen(rand.NewPCG(3, 4)), heavy(), 20000)
}

// BenchmarkOptimize times Optimize on the Docker-like policy (x86_64, x32, i386: about 1200
// syscalls) and on its heavy variant with 100 argument-checked syscalls.
func BenchmarkOptimize(b *testing.B) {
	for _, bc := range []struct {
		name string
		p    *ir.Policy
		opts Options
	}{
		{"docker/balanced", dockerLike(), Options{}},
		{"docker/weighted", dockerLike(), Options{Weights: hotMix}},
		{"heavy/balanced", heavy(), Options{}},
		{"heavy/weighted", heavy(), Options{Weights: hotMix}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Optimize(bc.p, bc.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
