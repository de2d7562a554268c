//go:build linux && cgo

package libseccomp

import (
	"errors"
	"strings"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/program"
)

const full = ^uint64(0)

func eq(arg int, v uint64) ir.Cmp {
	return ir.Cmp{Arg: arg, Width: 64, Mask: full, Op: ir.EQ, Value: v}
}
func lt(arg int, v uint64) ir.Cmp {
	return ir.Cmp{Arg: arg, Width: 64, Mask: full, Op: ir.LT, Value: v}
}
func eq32(arg int, v uint64) ir.Cmp {
	return ir.Cmp{Arg: arg, Width: 32, Mask: 0xffffffff, Op: ir.EQ, Value: v}
}
func masked(arg int, mask, v uint64) ir.Cmp {
	return ir.Cmp{Arg: arg, Width: 64, Mask: mask, Op: ir.EQ, Value: v}
}

// onePolicy is a policy on one arch with rules for syscall 1 (write on x86_64).
func onePolicy(t *testing.T, arch string, def ir.Action, rules ...ir.Rule) *ir.Policy {
	a := arches(t, arch)[0]
	nr := uint32(1) | a.NrMask
	if arch == "i386" {
		nr = 4 // write
	}
	return &ir.Policy{BadArch: ir.ActKillProcess, Arches: []*ir.ArchPolicy{{
		Arch: a, Default: def, Rules: map[uint32][]ir.Rule{nr: rules},
	}}}
}

var (
	allow = ir.ActAllow
	eperm = ir.ErrnoAction(1)
)

func TestBuildRefuses(t *testing.T) {
	tests := []struct {
		name string
		p    *ir.Policy
		why  string
	}{
		{"first match with two actions", onePolicy(t, "x86_64", eperm,
			ir.Rule{Cond: eq(0, 1), Action: allow}, ir.Rule{Cond: eq(1, 1), Action: ir.ActLog}), "different actions"},
		{"conditional then another fallback", onePolicy(t, "x86_64", eperm,
			ir.Rule{Cond: eq(0, 1), Action: allow}, ir.Rule{Action: ir.ErrnoAction(97)}), "override"},
		{"default rule shadowing a later one", onePolicy(t, "x86_64", eperm,
			ir.Rule{Cond: eq(0, 1), Action: eperm}, ir.Rule{Cond: eq(1, 1), Action: allow}), "different actions"},
		{"one argument twice", onePolicy(t, "x86_64", eperm,
			ir.Rule{Cond: ir.And{lt(0, 9), ir.Cmp{Arg: 0, Width: 64, Mask: full, Op: ir.GT, Value: 2}}, Action: allow}), "two comparisons of arg0"},
		{"32-bit order on a 64-bit arch", onePolicy(t, "x86_64", eperm,
			ir.Rule{Cond: ir.Cmp{Arg: 0, Width: 32, Mask: 0xffffffff, Op: ir.LT, Value: 9}, Action: allow}), "no masked or 32-bit <"},
		{"masked !=", onePolicy(t, "aarch64", eperm,
			ir.Rule{Cond: ir.Not{X: masked(2, 4, 0)}, Action: allow}), "no masked or 32-bit !="},
		{"high mask on a 32-bit arch", onePolicy(t, "x32", eperm,
			ir.Rule{Cond: masked(2, 1<<40, 0), Action: allow}), "low 32 bits"},
		{"trap data", onePolicy(t, "x86_64", eperm, ir.Rule{Action: ir.Action{Kind: ir.Trap, Data: 3}}), "no data"},
		{"errno 4095", onePolicy(t, "x86_64", eperm, ir.Rule{Action: ir.ErrnoAction(4095)}), "below 4095"},
		{"x32 number on x86_64", &ir.Policy{BadArch: ir.ActKillProcess, Arches: []*ir.ArchPolicy{{
			Arch: arches(t, "x86_64")[0], Default: eperm, Rules: map[uint32][]ir.Rule{0x40000001: {{Action: allow}}},
		}}}, "outside the arch's ABI"},
		{"socketcall family on i386", &ir.Policy{BadArch: ir.ActKillProcess, Arches: []*ir.ArchPolicy{{
			Arch: arches(t, "i386")[0], Default: eperm, Rules: map[uint32][]ir.Rule{359: {{Action: allow}}},
			Names: map[uint32]string{359: "socket"},
		}}}, "socketcall"},
		{"unknown arch", &ir.Policy{Arches: []*ir.ArchPolicy{{Arch: ir.Arch{Name: "vax"}}}}, "unknown"},
		{"no arch", &ir.Policy{}, "no arch"},
		{"per-arch defaults", &ir.Policy{BadArch: ir.ActKillProcess, Arches: []*ir.ArchPolicy{
			{Arch: arches(t, "x86_64")[0], Default: eperm}, {Arch: arches(t, "i386")[0], Default: allow},
		}}, "filter-wide"},
		{"newer syscalls", func() *ir.Policy {
			p := onePolicy(t, "x86_64", eperm)
			enosys := ir.ErrnoAction(38)
			p.Arches[0].Newer = &enosys
			return p
		}(), "newer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(tt.p, Options{})
			if !errors.Is(err, ErrNotExpressible) || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("Build error = %v, want ErrNotExpressible with %q", err, tt.why)
			}
		})
	}
}

func TestPlanSyscall(t *testing.T) {
	tests := []struct {
		name  string
		rules []ir.Rule
		wide  bool
		want  string // "" for no rule, "A" for unconditional A, else "A: n conjunctions"
	}{
		{"no rules", nil, true, ""},
		{"unconditional, then dead rules", []ir.Rule{{Action: allow}, {Cond: eq(0, 1), Action: ir.ActLog}}, true, "allow"},
		{"unconditional default", []ir.Rule{{Action: eperm}}, true, ""},
		{"never matches", []ir.Rule{{Cond: ir.Const(false), Action: allow}}, true, ""},
		{"always matches", []ir.Rule{{Cond: ir.Or{eq(0, 1), ir.Const(true)}, Action: allow}}, true, "allow"},
		{"trailing default rules", []ir.Rule{
			{Cond: eq(0, 1), Action: allow}, {Cond: eq(1, 1), Action: eperm}, {Action: eperm},
		}, true, "allow: 1"},
		{"or expands", []ir.Rule{{Cond: ir.Or{eq(0, 1), eq(0, 2), ir.And{eq(1, 1), eq(2, 2)}}, Action: allow}}, true, "allow: 3"},
		{"de morgan", []ir.Rule{{Cond: ir.Not{X: ir.Or{eq(0, 1), lt(1, 5)}}, Action: allow}}, true, "allow: 1"},
		{"rules or", []ir.Rule{{Cond: eq(0, 1), Action: allow}, {Cond: ir.Const(false), Action: ir.ActLog}, {Cond: eq(0, 2), Action: allow}}, true, "allow: 2"},
		{"value outside mask never equal", []ir.Rule{{Cond: masked(0, 4, 8), Action: allow}}, true, ""},
		{"zero mask always equal", []ir.Rule{{Cond: ir.And{masked(0, 0, 0), eq(1, 3)}, Action: allow}}, true, "allow: 1"},
		{"32-bit order on 32-bit arch", []ir.Rule{{Cond: ir.Cmp{Arg: 0, Width: 32, Mask: 0xffffffff, Op: ir.LT, Value: 9}, Action: allow}}, false, "allow: 1"},
		{"32-bit value above 32 bits", []ir.Rule{{Cond: ir.Cmp{Arg: 0, Width: 64, Mask: 0xffffffff, Op: ir.LT, Value: 1 << 33}, Action: allow}}, false, "allow"},
		{"duplicate comparisons merge", []ir.Rule{{Cond: ir.And{eq(0, 1), eq(0, 1)}, Action: allow}}, true, "allow: 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sr, err := planSyscall(tt.rules, eperm, tt.wide)
			if err != nil {
				t.Fatal(err)
			}
			if got := planString(sr); got != tt.want {
				t.Errorf("plan = %q, want %q", got, tt.want)
			}
		})
	}
}

func planString(sr *sysRules) string {
	switch {
	case sr == nil:
		return ""
	case sr.Conjs == nil:
		return sr.Action.String()
	}
	return sr.Action.String() + ": " + string(rune('0'+len(sr.Conjs)))
}

// TestWidth32EqualityIsMasked checks the lowering of a 32-bit equality on a 64-bit arch: the
// high half of the argument is ignored, as scc's semantics require.
func TestWidth32EqualityIsMasked(t *testing.T) {
	p := onePolicy(t, "x86_64", eperm, ir.Rule{Cond: eq32(0, 2), Action: allow})
	prog, err := Build(p, Options{Optimize: OptimizeBinaryTree})
	if err != nil {
		t.Fatal(err)
	}
	for _, arg := range []uint64{2, 0xdeadbeef00000002, 3, 1 << 32} {
		d := program.SeccompData{Nr: 1, Arch: ir.AuditArchX86_64, Args: [6]uint64{arg}}
		if got, want := mustRun(t, prog, d), p.Decide(d).Ret(); got != want {
			t.Errorf("arg0 %#x: libseccomp %#x, ir %#x", arg, got, want)
		}
	}
}
