package backend

import (
	"slices"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
)

// Names holds, per AUDIT_ARCH value, the tables that name syscall numbers for the
// disassembler, the first table with a number naming it (optimizer.Program.Names).
type Names map[uint32]optimizer.NameTables

// Filter is a verified program with what the encoders need to know about it.
type Filter struct {
	Program        []bpf.RawInstruction
	FilterFlags    uint32   // kernel filter flags to pass to seccomp(2) (program.Flag*)
	Arches         []uint32 // AUDIT_ARCH values the program covers
	ProcessKilling bool     // the program kills processes (see ProcessKilling)
	BigEndian      bool     // the program reads big-endian seccomp_data
	Names          Names    // syscall names for the disassembly; may be nil
}

// Build emits and verifies p's program and gathers its metadata.
func Build(p *optimizer.Program) (*Filter, error) {
	raw, killsProcess, err := emitGraph(p)
	if err != nil {
		return nil, err
	}
	f := &Filter{
		Program:        raw,
		FilterFlags:    p.Flags,
		ProcessKilling: killsProcess, // what ProcessKilling(p) finds, without a second walk
		BigEndian:      p.BigEndian,
		Names:          Names(p.Names),
	}
	for _, a := range p.Arches {
		if !slices.Contains(f.Arches, a.Audit) { // x86_64 and x32 share one audit value
			f.Arches = append(f.Arches, a.Audit)
		}
	}
	return f, nil
}

// Blob returns the filter as a blob: the finished program and how to install it, what the
// loader takes.
func (f *Filter) Blob() *program.Blob {
	b := &program.Blob{FilterFlags: f.FilterFlags, Arches: f.Arches, Program: f.Program}
	if f.ProcessKilling {
		b.Flags |= program.BlobProcessKilling
	}
	if f.BigEndian {
		b.Flags |= program.BlobBigEndian
	}
	return b
}

// Instructions returns prog as bpf.Instructions that assemble back to exactly prog.
func Instructions(prog []bpf.RawInstruction) []bpf.Instruction {
	out := make([]bpf.Instruction, len(prog))
	for i, ri := range prog {
		out[i] = ri
	}
	return out
}

// Decode reads a blob (recognized by its magic) or a bare program in either byte order
// (program.DecodeRawEither). The program of a blob is verified; a bare program is returned
// with its byte order and no other metadata.
func Decode(data []byte) (*Filter, error) {
	if !program.IsBlob(data) {
		prog, big, err := program.DecodeRawEither(data)
		if err != nil {
			return nil, err
		}
		return &Filter{Program: prog, BigEndian: big}, nil
	}
	b, err := program.ParseBlob(data)
	if err != nil {
		return nil, err
	}
	return &Filter{
		Program:        b.Program,
		FilterFlags:    b.FilterFlags,
		Arches:         b.Arches,
		ProcessKilling: b.ProcessKilling(),
		BigEndian:      b.BigEndian(),
	}, nil
}
