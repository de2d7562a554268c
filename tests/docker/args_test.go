//go:build linux && cgo

package docker

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/oci"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

// vectorsPerCall is how many argument vectors each syscall with argument rules gets, per
// arch and kind (clean high halves, garbage high halves).
const vectorsPerCall = 1500

// argRules collects, by syscall name, the comparisons of the resolved profile's entries.
func argRules(r *oci.Resolved) map[string][]oci.Arg {
	out := map[string][]oci.Arg{}
	for _, e := range r.Entries {
		for _, name := range e.Names {
			out[name] = append(out[name], e.Args...)
		}
	}
	for name, args := range out {
		if len(args) == 0 {
			delete(out, name)
		}
	}
	return out
}

// candidates lists, per argument index, the values that probe the comparisons: each value,
// its neighbours, for a masked equality the value with each mask bit flipped and with bits
// outside the mask set, and the extremes.
func candidates(args []oci.Arg) map[uint][]uint64 {
	out := map[uint][]uint64{}
	add := func(i uint, vs ...uint64) { out[i] = append(out[i], vs...) }
	for _, a := range args {
		v := a.Value
		if a.Op == "SCMP_CMP_MASKED_EQ" {
			v = a.ValueTwo
			for rest := a.Value; rest != 0; rest &= rest - 1 {
				add(a.Index, v^(rest&-rest))
			}
			add(a.Index, v|^a.Value&0xffffffff, v|^a.Value)
		}
		add(a.Index, v, v+1, v-1, 0, 0xffffffff, ^uint64(0))
	}
	for i := range out {
		slices.Sort(out[i])
		out[i] = slices.Compact(out[i])
	}
	return out
}

// vectors generates n argument vectors with high halves of zero: the compared arguments
// take a candidate (three times in four) or a random 32-bit value; the others are random.
func vectors(rng *rand.Rand, cand map[uint][]uint64, n int) [][6]uint64 {
	out := make([][6]uint64, n)
	for k := range out {
		for i := range out[k] {
			out[k][i] = uint64(rng.Uint32())
			if c := cand[uint(i)]; len(c) > 0 && rng.IntN(4) > 0 {
				out[k][i] = c[rng.IntN(len(c))] & 0xffffffff
			}
		}
	}
	return out
}

// withGarbage gives every argument of the vector a random high half.
func withGarbage(rng *rand.Rand, args [6]uint64) [6]uint64 {
	for i := range args {
		args[i] = args[i]&0xffffffff | uint64(rng.Uint32()|1)<<32
	}
	return args
}

// narrowed is args as scc reads them for a syscall: the high half of every argument the
// kernel reads as a 32-bit int cleared.
func narrowed(arch, name string, args [6]uint64) [6]uint64 {
	sig, ok := stdlib.LookupSignature(arch, name)
	if !ok {
		return args
	}
	for i, p := range sig.Params {
		if i < len(args) && p.Bits == 32 {
			args[i] &= 0xffffffff
		}
	}
	return args
}

// rngFor is a generator seeded by the setup, arch and syscall: deterministic, independent.
func rngFor(parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(0x5cc, h.Sum64()))
}

// TestArgumentsAgree: for every syscall the profile gives argument rules, on every arch
// where it exists, scc's filter decides thousands of generated argument vectors as
// libseccomp's does. Vectors with high halves of zero must agree exactly. With garbage in
// the high halves (x86_64 and x32, whose registers are 64 bits), scc must decide as
// libseccomp does on the vector with the high halves of int arguments cleared: scc compares
// such arguments on their low 32 bits by design; how often that changes the verdict is
// logged. i386's arguments have no high half.
func TestArgumentsAgree(t *testing.T) {
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			p := build(t, s)
			a := &argCheck{clean: &mismatches{t: t}, garbage: &mismatches{t: t}}
			a.run(t, p, s.name, argRules(p.resolved), true)
			a.log(t)
		})
	}
}

// argCheck compares two filters on generated argument vectors.
type argCheck struct {
	names          []string
	clean, garbage *mismatches
	widthDiffs     int // garbage vectors where scc's verdict differs from libseccomp's
}

// run checks every syscall of rules on x86_64, i386 and x32; with garbage, also with garbage
// high halves on x86_64 and x32.
func (a *argCheck) run(t *testing.T, p pair, seed string, rules map[string][]oci.Arg, garbage bool) {
	t.Helper()
	for name := range rules {
		a.names = append(a.names, name)
	}
	slices.Sort(a.names)
	for _, arch := range []string{"x86_64", "i386", "x32"} {
		ap := p.arch(t, arch)
		for _, name := range a.names {
			if nr, ok := stdlib.SyscallNumber(arch, name); ok {
				a.syscall(t, p, ap, name, nr, rngFor(seed, arch, name), rules[name], garbage && arch != "i386")
			}
		}
	}
}

// syscall checks one syscall on one arch.
func (a *argCheck) syscall(t *testing.T, p pair, ap *ir.ArchPolicy, name string, nr uint32, rng *rand.Rand, rules []oci.Arg, garbage bool) {
	t.Helper()
	seen := map[uint32]bool{}
	for _, args := range vectors(rng, candidates(rules), vectorsPerCall) {
		d := program.SeccompData{Nr: int32(nr), Arch: ap.Arch.Audit, Args: args}
		scc, _ := p.runScc(t, d)
		lib, _ := p.runLib(t, d)
		a.clean.check(d, scc, lib, name+", high halves zero")
		seen[scc] = true
		if !garbage {
			continue
		}
		d.Args = withGarbage(rng, args)
		scc, _ = p.runScc(t, d)
		lib, _ = p.runLib(t, d)
		want, _ := p.runLib(t, program.SeccompData{Nr: d.Nr, Arch: d.Arch, Args: narrowed(ap.Arch.Name, name, d.Args)})
		a.garbage.check(d, scc, want, name+", garbage high halves, int arguments read on 32 bits")
		if scc != lib {
			a.widthDiffs++
		}
	}
	if len(seen) < 2 {
		t.Errorf("%s on %s: the vectors reach one verdict only: %v", name, ap.Arch.Name, seen)
	}
}

func (a *argCheck) log(t *testing.T) {
	t.Helper()
	t.Logf("syscalls with argument rules: %v", a.names)
	a.clean.log()
	if a.garbage.calls > 0 {
		a.garbage.log()
		t.Logf("garbage high halves: scc's 32-bit reading of int arguments changed %d verdicts of %d "+
			"from libseccomp's 64-bit comparison", a.widthDiffs, a.garbage.calls)
	}
}

// TestArgumentWidth pins the design difference down: on x86_64, an int argument with a
// garbage high half is decided by its low half in scc and compared on 64 bits by libseccomp;
// a 64-bit argument (clone's flags) is compared on 64 bits by both.
func TestArgumentWidth(t *testing.T) {
	p := build(t, setups[0])
	const hi = 0xdead_beef_0000_0000
	eperm, allow := ir.ErrnoAction(1).Ret(), ir.ActAllow.Ret()
	for _, tt := range []struct {
		name     string
		arg      uint64
		scc, lib uint32
	}{
		{"socket", unix.AF_INET, allow, allow},
		{"socket", hi | unix.AF_INET, allow, eperm},
		{"socket", hi | unix.AF_VSOCK, eperm, eperm},
		{"personality", 8, allow, allow},
		{"personality", hi | 8, allow, eperm},
		{"personality", hi | 0xffffffff, allow, eperm},
		{"clone", unix.CLONE_VM, allow, allow},
		{"clone", hi | unix.CLONE_VM, allow, allow}, // the mask has no high bits
		{"clone", hi | unix.CLONE_NEWUSER, eperm, eperm},
	} {
		nr, _ := stdlib.SyscallNumber("x86_64", tt.name)
		d := program.SeccompData{Nr: int32(nr), Arch: ir.AuditArchX86_64, Args: [6]uint64{tt.arg}}
		scc, _ := p.runScc(t, d)
		lib, _ := p.runLib(t, d)
		if scc != tt.scc || lib != tt.lib {
			t.Errorf("%s(%#x): scc %s, libseccomp %s; want %s, %s", tt.name, tt.arg,
				verdict(scc), verdict(lib), verdict(tt.scc), verdict(tt.lib))
		}
	}
}
