package oci

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/ir"
)

// DefaultCaps is the capability set Docker gives a container by default.
var DefaultCaps = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
}

// EvalOptions chooses the host and container a Docker profile is evaluated for.
type EvalOptions struct {
	// Arch is the host arch in Docker's naming (amd64, arm64, x86, …; Go's and scc's names
	// are accepted too); empty means the arch this program runs on.
	Arch string
	// Caps is the container's capability set (CAP_ prefix optional); nil means DefaultCaps.
	Caps []string
	// Kernel is the host's kernel release ("6.1" or "6.1.0-18-amd64"); empty means the
	// running kernel's.
	Kernel string
	// NoNewerENOSYS leaves out runc's ENOSYS stub: without it, when the profile lists its
	// arches and its default action is not allow, log or trace, the policy says `default
	// newer named errno(ENOSYS)`, as runc's filter does.
	NoNewerENOSYS bool
}

// Resolved is a profile evaluated for one host and container: what Docker hands the runtime.
type Resolved struct {
	Native   string   // Docker's name of the host arch, e.g. "amd64"
	Arches   []string // SCMP_ARCH_* names the filter covers; empty: the native arch only
	Caps     []string // the capability set it was evaluated with
	Kernel   [2]uint64
	Default  ir.Action
	Flags    []string
	Listener string // listenerPath
	// ListenerMetadata is listenerMetadata, which the runtime passes to the listener.
	ListenerMetadata string
	Entries          []Entry // the entries that apply, in profile order
}

// Entry is one applicable syscalls entry: the names, the action, and the comparisons.
type Entry struct {
	Names   []string
	Action  ir.Action
	Args    []Arg
	Comment string
}

// Resolve evaluates a profile as Docker's setupSeccomp does: the archMap entry of the host
// arch gives the filter's arches; an entry applies when its excludes match nothing and its
// includes match all (arches by the host's native name, caps against the container's set,
// minKernel against the host's kernel).
func Resolve(p *Profile, opts EvalOptions) (*Resolved, error) {
	r, err := newResolved(p, opts)
	if err != nil {
		return nil, err
	}
	if len(p.Architectures) > 0 && len(p.ArchMap) > 0 {
		return nil, errors.New("the profile has both architectures and archMap")
	}
	r.Arches = append(r.Arches, p.Architectures...)
	r.Entries = make([]Entry, 0, len(p.Syscalls))
	for _, m := range p.ArchMap {
		if m.Arch == nativeToScmp[r.Native] {
			r.Arches = append(append(r.Arches, m.Arch), m.SubArches...)
			break
		}
	}
	for i := range p.Syscalls {
		e, keep, err := r.entry(&p.Syscalls[i])
		if err != nil {
			return nil, fmt.Errorf("syscalls[%d]: %w", i, err)
		}
		if keep {
			r.Entries = append(r.Entries, e)
		}
	}
	return r, nil
}

// newResolved checks the options and the profile's global fields.
func newResolved(p *Profile, opts EvalOptions) (*Resolved, error) {
	native, err := nativeArch(cmpOr(opts.Arch, runtime.GOARCH))
	if err != nil {
		return nil, err
	}
	r := &Resolved{Native: native, Caps: normalizeCaps(opts.Caps), Flags: p.Flags,
		Listener: p.ListenerPath, ListenerMetadata: p.ListenerMetadata}
	if r.Kernel, err = kernelVersion(opts.Kernel); err != nil {
		return nil, err
	}
	if r.Default, err = parseAction(p.DefaultAction, p.DefaultErrnoRet); err != nil {
		return nil, fmt.Errorf("defaultAction: %w", err)
	}
	return r, nil
}

// entry converts one syscalls entry and tells whether it applies.
func (r *Resolved) entry(s *Syscall) (Entry, bool, error) {
	if s.Name != "" && len(s.Names) > 0 {
		return Entry{}, false, errors.New("both name and names")
	}
	act, err := parseAction(s.Action, s.ErrnoRet)
	if err != nil {
		return Entry{}, false, err
	}
	for _, a := range s.Args {
		if a.Index > 5 {
			return Entry{}, false, fmt.Errorf("argument index %d: a syscall has 6 arguments", a.Index)
		}
		if _, ok := opWords[a.Op]; !ok && a.Op != opMaskedEQ {
			return Entry{}, false, fmt.Errorf("unknown comparison %q", a.Op)
		}
	}
	keep, err := r.applies(s)
	return Entry{Names: s.names(), Action: act, Args: s.Args, Comment: s.Comment}, keep, err
}

// applies evaluates an entry's excludes and includes.
func (r *Resolved) applies(s *Syscall) (bool, error) {
	if ex := s.Excludes; ex != nil {
		if slices.Contains(ex.Arches, r.Native) || slices.ContainsFunc(ex.Caps, r.hasCap) {
			return false, nil
		}
		if ex.MinKernel != "" {
			ge, err := r.kernelAtLeast(ex.MinKernel)
			if err != nil || ge {
				return false, err
			}
		}
	}
	if in := s.Includes; in != nil {
		if len(in.Arches) > 0 && !slices.Contains(in.Arches, r.Native) {
			return false, nil
		}
		for _, c := range in.Caps {
			if !r.hasCap(c) {
				return false, nil
			}
		}
		if in.MinKernel != "" {
			return r.kernelAtLeast(in.MinKernel)
		}
	}
	return true, nil
}

func (r *Resolved) hasCap(c string) bool { return slices.Contains(r.Caps, c) }

// kernelAtLeast compares the host kernel with a "major.minor" minimum.
func (r *Resolved) kernelAtLeast(min string) (bool, error) {
	v, ok := kernelNumbers(min)
	if !ok || strings.Count(min, ".") != 1 {
		return false, fmt.Errorf("bad minKernel %q, want \"<kernel>.<major>\"", min)
	}
	return r.Kernel[0] > v[0] || r.Kernel[0] == v[0] && r.Kernel[1] >= v[1], nil
}

// kernelVersion parses a kernel release, or reads the running kernel's when it is empty.
// Only the first two numbers count: "3.12.25-gentoo" and "3.12-1-amd64" are both 3.12.
func kernelVersion(release string) ([2]uint64, error) {
	if release == "" {
		var uts unix.Utsname
		if err := unix.Uname(&uts); err != nil {
			return [2]uint64{}, fmt.Errorf("reading the kernel version: %w", err)
		}
		release = unix.ByteSliceToString(uts.Release[:])
	}
	v, ok := kernelNumbers(release)
	if !ok {
		return v, fmt.Errorf("bad kernel version %q", release)
	}
	return v, nil
}

// kernelNumbers reads the "MAJOR.MINOR" a kernel release starts with as fmt.Sscanf(s,
// "%d.%d", …) reads it, at a fraction of its cost: white space but no newline before each
// number, decimal digits that fit 64 bits, the dot right after the first number; what
// follows is not read.
func kernelNumbers(s string) (v [2]uint64, ok bool) {
	for i := range v {
		rest := strings.TrimLeftFunc(s, unicode.IsSpace)
		if strings.ContainsRune(s[:len(s)-len(rest)], '\n') {
			return v, false
		}
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		x, err := strconv.ParseUint(rest[:n], 10, 64)
		if err != nil {
			return v, false
		}
		v[i], s = x, rest[n:]
		if i == 0 {
			if !strings.HasPrefix(s, ".") {
				return v, false
			}
			s = s[1:]
		}
	}
	return v, true
}

// normalizeCaps upper-cases capability names and adds the CAP_ prefix; nil → DefaultCaps.
func normalizeCaps(caps []string) []string {
	if caps == nil {
		return DefaultCaps
	}
	out := make([]string, 0, len(caps))
	for _, c := range caps {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" {
			continue
		}
		if !strings.HasPrefix(c, "CAP_") {
			c = "CAP_" + c
		}
		out = append(out, c)
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
