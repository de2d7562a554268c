//go:build linux

package loader_test

import (
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/tests/kernel"
)

// compile builds a policy and returns its filter.
func compile(t *testing.T, src string) *backend.Filter {
	t.Helper()
	out, errs := pipeline.BuildSource("t.sc", []byte(src), pipeline.Options{})
	if errs.HasErrors() {
		t.Fatalf("compiling: %v", errs)
	}
	return out.Filter
}

// blobOf compiles a policy to a blob.
func blobOf(t *testing.T, src string) []byte {
	t.Helper()
	data, err := compile(t, src).Blob().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

const getppidPolicy = `policy p {
    arch x86_64
    default allow
    %s getppid
}`

func policyWith(action string) string { return strings.Replace(getppidPolicy, "%s", action, 1) }

func TestLoadBlobMapsTheHeader(t *testing.T) {
	prog := []bpf.RawInstruction{{Op: 0x06, K: unix.SECCOMP_RET_ALLOW}}
	b := &program.Blob{
		Flags:       program.BlobProcessKilling,
		FilterFlags: program.FlagLog | program.FlagSpecAllow,
		Arches:      []uint32{unix.AUDIT_ARCH_X86_64, unix.AUDIT_ARCH_I386},
		Program:     prog,
	}
	data, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	f, err := loader.LoadBlob(data, loader.Options{Flags: program.FlagTSync, AcceptThreadKill: true,
		Arches: []uint32{unix.AUDIT_ARCH_AARCH64}})
	if err != nil {
		t.Fatal(err)
	}
	want := loader.Options{
		Flags:            program.FlagTSync | program.FlagLog | program.FlagSpecAllow,
		KillProcess:      true,
		AcceptThreadKill: true,
		Arches:           b.Arches, // the header's, not the caller's
	}
	if !slices.Equal(f.Program, prog) || !optionsEqual(f.Options, want) {
		t.Errorf("LoadBlob = %+v, want program %v and options %+v", f, prog, want)
	}
}

func optionsEqual(a, b loader.Options) bool {
	return a.Flags == b.Flags && a.KillProcess == b.KillProcess &&
		a.AcceptThreadKill == b.AcceptThreadKill && slices.Equal(a.Arches, b.Arches)
}

func TestLoadBlobRefusesDamage(t *testing.T) {
	good := blobOf(t, policyWith("errno(EPERM)"))
	flipped := slices.Clone(good)
	flipped[12] ^= 1 // the process-killing mark
	truncated := good[:len(good)-8]
	version := slices.Clone(good)
	binary.LittleEndian.PutUint16(version[8:], 2)
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"flipped mark":  {flipped, "checksum mismatch"},
		"truncated":     {truncated, "truncated"},
		"version 2":     {version, "unknown format version 2"},
		"not a blob":    {[]byte("policy p {}"), "bad magic"},
		"empty":         {nil, "bad magic"},
		"program only?": {good[40:], "bad magic"},
	} {
		f, err := loader.LoadBlob(c.data, loader.Options{})
		if f != nil || !errors.Is(err, loader.ErrBadFilter) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: LoadBlob = %v, %v; want an ErrBadFilter saying %q", name, f, err, c.want)
		}
	}
}

func TestLoadBlobRefusesTheOtherByteOrder(t *testing.T) {
	b := &program.Blob{Flags: program.BlobBigEndian, Program: []bpf.RawInstruction{{Op: 0x06, K: unix.SECCOMP_RET_ALLOW}}}
	data, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	_, err = loader.LoadBlob(data, loader.Options{})
	if !errors.Is(err, loader.ErrBadFilter) || !strings.Contains(err.Error(), "reads big-endian seccomp_data, this host is little-endian") {
		t.Errorf("a big-endian blob on x86_64: %v", err)
	}
}

func TestNewFilterTakesTheProgramValue(t *testing.T) {
	f := compile(t, policyWith("errno(EPERM)"))
	got, err := loader.NewFilter(f.Blob(), loader.Options{AcceptThreadKill: true})
	if err != nil {
		t.Fatal(err)
	}
	viaBlob, err := loader.LoadBlob(blobOf(t, policyWith("errno(EPERM)")), loader.Options{AcceptThreadKill: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Program, viaBlob.Program) || !optionsEqual(got.Options, viaBlob.Options) {
		t.Errorf("NewFilter = %+v; want what LoadBlob reads from the same program's blob, %+v", got, viaBlob)
	}
	// The filter keeps its own copy of the program.
	b := f.Blob()
	got, err = loader.NewFilter(b, loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b.Program[0].K ^= 0xff
	if got.Program[0] == b.Program[0] {
		t.Error("NewFilter's filter shares the caller's program")
	}
}

func TestNewFilterVerifies(t *testing.T) {
	for name, b := range map[string]*program.Blob{
		"empty":        {},
		"no final RET": {Program: []bpf.RawInstruction{{Op: 0x20, K: 0}}},
		"byte load":    {Program: []bpf.RawInstruction{{Op: 0x30, K: 0}, {Op: 0x06}}},
		"big-endian":   {Flags: program.BlobBigEndian, Program: []bpf.RawInstruction{{Op: 0x06}}},
	} {
		f, err := loader.NewFilter(b, loader.Options{})
		if f != nil || !errors.Is(err, loader.ErrBadFilter) {
			t.Errorf("%s: NewFilter = %v, %v; want ErrBadFilter", name, f, err)
		}
	}
}

func TestLoadRaw(t *testing.T) {
	f := compile(t, policyWith("errno(EPERM)"))
	got, err := loader.LoadRaw(f.Raw(), loader.Options{Flags: program.FlagLog})
	if err != nil {
		t.Fatal(err)
	}
	// The bad-arch kill makes the program process-killing, which LoadRaw sees by itself.
	want := loader.Options{Flags: program.FlagLog, KillProcess: true}
	if !slices.Equal(got.Program, f.Program) || !optionsEqual(got.Options, want) {
		t.Errorf("LoadRaw = %+v, want options %+v", got.Options, want)
	}
	allow := []byte{0x06, 0, 0, 0, 0, 0, 0xff, 0x7f}
	if got, err := loader.Load(allow, loader.Options{}); err != nil || got.Options.KillProcess {
		t.Errorf("Load(RET ALLOW) = %+v, %v; want no process-killing mark", got, err)
	}
	for name, data := range map[string][]byte{
		"7 bytes":      allow[:7],
		"empty":        nil,
		"no final RET": {0x20, 0, 0, 0, 0, 0, 0, 0},
	} {
		if _, err := loader.LoadRaw(data, loader.Options{}); !errors.Is(err, loader.ErrBadFilter) {
			t.Errorf("%s: %v, want ErrBadFilter", name, err)
		}
	}
}

// A raw program in the other byte order is for another kernel (built for s390x on x86_64, or
// the reverse): the loader names the order rather than installing what the kernel would
// misread.
func TestLoadRawRefusesTheOtherByteOrder(t *testing.T) {
	f := compile(t, policyWith("errno(EPERM)"))
	data := program.EncodeRaw(f.Program, !program.HostBigEndian())
	_, err := loader.LoadRaw(data, loader.Options{})
	if !errors.Is(err, loader.ErrBadFilter) || !strings.Contains(err.Error(), "byte order") {
		t.Errorf("LoadRaw(other order) = %v; want ErrBadFilter naming the byte order", err)
	}
}

func TestLoadChoosesByMagic(t *testing.T) {
	f, err := loader.Load(blobOf(t, policyWith("errno(EPERM)")), loader.Options{})
	if err != nil || len(f.Options.Arches) != 1 || f.Options.Arches[0] != unix.AUDIT_ARCH_X86_64 {
		t.Errorf("Load(blob) = %+v, %v; want the header's arch", f, err)
	}
}

func TestFilterCheckRefusesAForeignArch(t *testing.T) {
	data := blobOf(t, strings.Replace(policyWith("errno(EPERM)"), "x86_64", "aarch64", 1))
	f, err := loader.LoadBlob(data, loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Check(); !errors.Is(err, loader.ErrArch) {
		t.Errorf("Check of an aarch64 filter on x86_64: %v", err)
	}
	if _, err := loader.InstallBlob(data, loader.Options{}); !errors.Is(err, loader.ErrArch) {
		t.Errorf("InstallBlob of an aarch64 filter on x86_64: %v", err)
	}
}

// TestBlobInTheKernel installs blobs in child processes, where the harness makes each call
// on a thread of its own, never the thread-group leader: a process-killing filter must end
// the whole process, kill_thread only the calling thread.
func TestBlobInTheKernel(t *testing.T) {
	getppid := kernel.Syscall(unix.SYS_GETPPID).Named("getppid")
	getpid := kernel.Syscall(unix.SYS_GETPID).Named("getpid")
	for action, want := range map[string]kernel.Kind{
		"errno(EDQUOT)": kernel.Returned,
		"kill":          kernel.KilledProcess,
		"kill_thread":   kernel.KilledThread,
	} {
		f, err := loader.LoadBlob(blobOf(t, policyWith(action)), loader.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := kernel.Run(f.Program, f.Options, []kernel.Call{getppid, getpid})
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		if res.InstallErr != "" {
			t.Fatalf("%s: install: %s", action, res.InstallErr)
		}
		got := res.Outcomes[0]
		if got.Kind != want || want == kernel.Returned && got.Errno != unix.EDQUOT ||
			want == kernel.KilledProcess && got.Signal != unix.SIGSYS {
			t.Errorf("%s: getppid %v, want %v", action, got, want)
		}
		// After a thread kill the process goes on: its next call is allowed.
		if next := res.Outcomes[1]; want != kernel.KilledProcess && (next.Kind != kernel.Returned || next.Errno != 0) {
			t.Errorf("%s: getpid afterwards %v, want it returned", action, next)
		}
	}
}

func TestFromSockFilter(t *testing.T) {
	in := []unix.SockFilter{{Code: 0x15, Jt: 1, Jf: 2, K: 3}, {Code: 0x06, K: unix.SECCOMP_RET_ALLOW}}
	want := []bpf.RawInstruction{{Op: 0x15, Jt: 1, Jf: 2, K: 3}, {Op: 0x06, K: unix.SECCOMP_RET_ALLOW}}
	if got := loader.FromSockFilter(in); !slices.Equal(got, want) {
		t.Errorf("FromSockFilter = %v, want %v", got, want)
	}
}
