//go:build linux && cgo

package libseccomp

import (
	"fmt"
	"slices"
	"strings"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/oci"
)

// BuildProfileRunc is BuildProfile with the stub runc's patchbpf prepends to libseccomp's
// program (RuncStub): the whole filter runc installs.
func BuildProfileRunc(profile []byte, arch string, caps []string, kernel string, optimize int) ([]bpf.RawInstruction, error) {
	prog, err := BuildProfile(profile, arch, caps, kernel, optimize)
	if err != nil {
		return nil, err
	}
	p, _, err := oci.Parse(profile)
	if err != nil {
		return nil, err
	}
	r, err := oci.Resolve(p, oci.EvalOptions{Arch: arch, Caps: caps, Kernel: kernel})
	if err != nil {
		return nil, err
	}
	stub, err := RuncStub(r)
	if err != nil {
		return nil, err
	}
	return append(stub, prog...), nil
}

// RuncHighest is what runc's stub compares with: for each arch of the profile (scc's name),
// the highest number libseccomp gives any name of the applicable entries there, whatever
// their action (names libseccomp does not know do not count; an arch with none is absent).
// It is empty when runc adds no stub: the profile lists no arches, or its default action is
// allow, log or trace.
func RuncHighest(r *oci.Resolved) (map[string]uint32, error) {
	out := map[string]uint32{}
	switch r.Default.Kind {
	case ir.Allow, ir.Log, ir.Trace:
		return out, nil
	}
	for _, a := range r.Arches {
		scmp := strings.ToLower(strings.TrimPrefix(a, "SCMP_ARCH_"))
		arch, err := seccomp.GetArchFromString(scmp)
		if err != nil {
			return nil, fmt.Errorf("libseccomp: arch %s: %w", a, err)
		}
		info, ok := archByScmp(arch)
		if !ok {
			return nil, fmt.Errorf("arch %s: not in archTable", a)
		}
		var top uint32
		for _, e := range r.Entries {
			for _, n := range e.Names {
				if nr, err := seccomp.GetSyscallFromNameByArch(n, arch); err == nil && nr > 0 {
					top = max(top, uint32(nr))
				}
			}
		}
		if top != 0 {
			out[info.name] = top
		}
	}
	return out, nil
}

// archByScmp is archTable's entry of a libseccomp arch.
func archByScmp(arch seccomp.ScmpArch) (archInfo, bool) {
	for _, a := range archTable {
		if b, err := seccomp.GetArchFromString(a.scmp); err == nil && b == arch {
			return a, true
		}
	}
	return archInfo{}, false
}

// RuncStub writes the program runc prepends to libseccomp's (libcontainer/seccomp/patchbpf,
// generateEnosysStub), laid out our own way with the same decisions: under each arch value
// with a highest number (RuncHighest), a number above it returns ERRNO(ENOSYS); on s390x,
// so does 0; on x86_64, numbers with the x32 bit are compared with x32's highest when the
// profile has x32 and go to the filter otherwise, and x32's numbers without the bit go to
// the filter. Everything else falls through to the filter that follows.
func RuncStub(r *oci.Resolved) ([]bpf.RawInstruction, error) {
	highest, err := RuncHighest(r)
	if err != nil || len(highest) == 0 {
		return nil, err
	}
	var s stubAsm
	audits := []uint32{}
	for _, a := range archTable {
		if _, ok := highest[a.name]; ok && !slices.Contains(audits, a.audit) {
			audits = append(audits, a.audit)
		}
	}
	s.emit(bpf.LoadAbsolute{Off: 4, Size: 4}, "", "")
	for _, audit := range audits {
		s.emit(bpf.JumpIf{Cond: bpf.JumpEqual, Val: audit}, fmt.Sprint(audit), "")
	}
	s.emit(bpf.Jump{}, "filter", "")
	for _, audit := range audits {
		s.label(fmt.Sprint(audit))
		s.emit(bpf.LoadAbsolute{Off: 0, Size: 4}, "", "")
		m86, has86 := highest["x86_64"]
		m32, has32 := highest["x32"]
		switch {
		case audit == ir.AuditArchX86_64 && has86 && has32:
			s.emit(bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: ir.X32SyscallBit}, "x32", "")
			s.emit(bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: m86}, "enosys", "filter")
			s.label("x32")
			s.emit(bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: m32}, "enosys", "filter")
		case audit == ir.AuditArchX86_64 && has86:
			s.emit(bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: ir.X32SyscallBit}, "filter", "")
			s.emit(bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: m86}, "enosys", "filter")
		case audit == ir.AuditArchX86_64:
			s.emit(bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: ir.X32SyscallBit}, "", "filter")
			s.emit(bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: m32}, "enosys", "filter")
		default:
			name := archNameOf(audit)
			if name == "s390x" || name == "s390" {
				s.emit(bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0}, "enosys", "")
			}
			s.emit(bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: highest[name]}, "enosys", "filter")
		}
	}
	s.label("enosys")
	s.emit(bpf.RetConstant{Val: uint32(ir.Action{Kind: ir.Errno, Data: 38}.Ret())}, "", "")
	s.label("filter")
	return s.assemble()
}

// archNameOf is scc's name of the one arch in archTable with this audit value and no
// number mask.
func archNameOf(audit uint32) string {
	for _, a := range archTable {
		if a.audit == audit && a.nrMask == 0 {
			return a.name
		}
	}
	return ""
}

// stubAsm assembles a short forward-jumping program with labels.
type stubAsm struct {
	insns  []bpf.Instruction
	jumps  [][2]string // per instruction: the labels of its true and false (or only) targets
	labels map[string]int
}

func (s *stubAsm) emit(in bpf.Instruction, jt, jf string) {
	s.insns = append(s.insns, in)
	s.jumps = append(s.jumps, [2]string{jt, jf})
}

func (s *stubAsm) label(name string) {
	if s.labels == nil {
		s.labels = map[string]int{}
	}
	s.labels[name] = len(s.insns)
}

// assemble resolves the labels (an empty one is the next instruction) and encodes.
func (s *stubAsm) assemble() ([]bpf.RawInstruction, error) {
	skip := func(i int, l string) (uint32, error) {
		if l == "" {
			return 0, nil
		}
		at, ok := s.labels[l]
		if !ok || at <= i || at-i-1 > 255 {
			return 0, fmt.Errorf("stub: bad jump from %d to %q", i, l)
		}
		return uint32(at - i - 1), nil
	}
	for i, in := range s.insns {
		jt, err := skip(i, s.jumps[i][0])
		if err != nil {
			return nil, err
		}
		jf, err := skip(i, s.jumps[i][1])
		if err != nil {
			return nil, err
		}
		switch in := in.(type) {
		case bpf.JumpIf:
			in.SkipTrue, in.SkipFalse = uint8(jt), uint8(jf)
			s.insns[i] = in
		case bpf.Jump:
			in.Skip = jt
			s.insns[i] = in
		}
	}
	return bpf.Assemble(s.insns)
}
