//go:build linux

package loader

import (
	"errors"
	"fmt"
	"slices"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/program"
)

// ErrBadFilter is wrapped by every error about the bytes of a compiled filter (a damaged or
// foreign blob, a raw program of the wrong length, a program the verifier rejects): test for
// it with errors.Is.
var ErrBadFilter = errors.New("bad filter data")

// Filter is a program and how to install it: what LoadBlob reads from a blob's header (and
// NewFilter from a program.Blob), or what the caller says about a raw program. Its methods
// check and install it.
type Filter struct {
	Program []bpf.RawInstruction
	Options Options
}

// Load reads a compiled filter: a blob when data starts with the blob magic (see LoadBlob),
// else a raw program (see LoadRaw).
func Load(data []byte, opts Options) (*Filter, error) {
	if program.IsBlob(data) {
		return LoadBlob(data, opts)
	}
	return LoadRaw(data, opts)
}

// LoadBlob reads an scc blob (docs/blob-format.md): program.ParseBlob checks its magic,
// version, lengths and checksum and verifies the program. The header then maps onto Options
// as NewFilter maps a program.Blob.
func LoadBlob(data []byte, opts Options) (*Filter, error) {
	b, err := program.ParseBlob(data)
	if err != nil {
		return nil, fmt.Errorf("loader: %w: %w", ErrBadFilter, err)
	}
	return fromBlob(b, opts)
}

// NewFilter takes a finished program as a value, with no blob bytes in between: what a Go
// program that compiles its policy at run time hands the loader (backend's Filter.Blob). The
// program is verified, as ParseBlob verifies a blob's.
//
// The blob's header maps onto Options: the kernel filter flags, the process-killing mark
// (KillProcess) and the architectures. opts adds the caller's part: its Flags are added to
// the header's (program.FlagTSync for a Go program, say), its KillProcess adds the mark, and
// AcceptThreadKill is the caller's alone. The header's arches are used when it lists any,
// else opts.Arches. A header never loses a demand to opts.
//
// NewFilter (and LoadBlob) ask nothing of the running kernel except its byte order: a
// program built for big-endian seccomp_data is refused on a little-endian host and the
// reverse. Install (or Filter.Check) makes the kernel checks.
func NewFilter(b *program.Blob, opts Options) (*Filter, error) {
	if err := program.Verify(b.Program); err != nil {
		return nil, fmt.Errorf("loader: %w: %w", ErrBadFilter, err)
	}
	return fromBlob(b, opts)
}

// fromBlob is NewFilter on a verified program.
func fromBlob(b *program.Blob, opts Options) (*Filter, error) {
	if big := b.BigEndian(); big != program.HostBigEndian() {
		return nil, fmt.Errorf("loader: %w: the blob's program reads %s seccomp_data, this host is %s",
			ErrBadFilter, endianName(big), endianName(!big))
	}
	opts.Flags |= b.FilterFlags
	opts.KillProcess = opts.KillProcess || b.ProcessKilling()
	if len(b.Arches) > 0 {
		opts.Arches = slices.Clone(b.Arches)
	}
	return &Filter{Program: slices.Clone(b.Program), Options: opts}, nil
}

// LoadRaw reads a bare program: struct sock_filter records in the host's byte order, as scc
// build --format raw and libseccomp's seccomp_export_bpf write them. A program in the other
// byte order (built for s390x on x86_64, say) is refused. There is no header, so
// opts says how to install it; the program is verified, and it is marked process-killing
// (KillProcess) when opts says so or when any of its RET K instructions returns
// SECCOMP_RET_KILL_PROCESS, so that an old kernel fails closed. opts.Arches is usually empty
// for a raw program: the architecture check is then left to the program itself.
func LoadRaw(data []byte, opts Options) (*Filter, error) {
	prog, big, err := program.DecodeRawEither(data)
	if err == nil {
		err = program.Verify(prog)
	}
	if err == nil && big != program.HostBigEndian() {
		err = fmt.Errorf("the program is written in %s byte order, for another kernel: this host is %s",
			endianName(big), endianName(!big))
	}
	if err != nil {
		return nil, fmt.Errorf("loader: %w: %w", ErrBadFilter, err)
	}
	opts.KillProcess = opts.KillProcess || program.ReturnsKillProcess(prog)
	opts.Arches = slices.Clone(opts.Arches)
	return &Filter{Program: prog, Options: opts}, nil
}

// InstallBlob installs a blob into the calling Go program, on every thread: LoadBlob, then
// InstallGo. opts is the caller's part, as for LoadBlob (typically
// Options{AcceptThreadKill: true} or nothing). It returns the listener fd when the filter
// asks for one, else -1. Nothing is installed when any check fails.
func InstallBlob(data []byte, opts Options) (listener int, err error) {
	f, err := LoadBlob(data, opts)
	if err != nil {
		return -1, err
	}
	return f.InstallGo()
}

// Check makes every check Install makes against the running kernel, and installs nothing.
func (f *Filter) Check() error { return Check(f.Program, f.Options) }

// Install installs the filter with exactly its options' flags; see the package function
// Install for what that means for the threads of a Go program.
func (f *Filter) Install() (listener int, err error) { return Install(f.Program, f.Options) }

// InstallGo installs the filter on every thread of the process; see the package function
// InstallGo.
func (f *Filter) InstallGo() (listener int, err error) { return InstallGo(f.Program, f.Options) }

func endianName(big bool) string {
	if big {
		return "big-endian"
	}
	return "little-endian"
}

// FromSockFilter converts a program held as []unix.SockFilter, as scc build --format go
// writes it, to the instructions Install takes.
func FromSockFilter(filter []unix.SockFilter) []bpf.RawInstruction {
	prog := make([]bpf.RawInstruction, len(filter))
	for i, f := range filter {
		prog[i] = bpf.RawInstruction{Op: f.Code, Jt: f.Jt, Jf: f.Jf, K: f.K}
	}
	return prog
}
