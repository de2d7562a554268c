// Package bench measures scc's filters side by side with libseccomp's on the same policies:
// Docker's default profile, the shipped examples and a large generated policy. It holds the
// policies, the builds (scc's default, balanced and profile-weighted trees; libseccomp's
// linear and binary-tree programs) and the measurements that `make bench` writes to
// BENCHMARKS.md (see cmd/benchtable); its Go benchmarks time scc's compile in process. The
// whole-process table (MeasureProcesses) times scc and libseccomp's C API
// (cmd/libseccompbuild) as processes on Docker's default profile, and the filters' cost per
// call in the kernel in fresh processes (cmd/benchhelper, internal/calls); the growth table
// (GrowthPolicy, RunGrowth) times whole scc and libseccomp processes on generated policies
// of growing size.
package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/scc-dev/scc/oci"
	"github.com/scc-dev/scc/stdlib"
)

// Arch is the arch every case is measured on, and the one the hot mix profiles.
const Arch = "x86_64"

// DockerKernel is the kernel release Docker's profile is evaluated for (its minKernel
// entries), so that the measurement does not depend on the machine's kernel.
const DockerKernel = "6.8"

// HotMix is the hot set of the profile benchmarks: syscall counts in the proportions of a busy network server
// (an event loop with worker threads). The counts are illustrative, not a trace; what matters
// is that a few syscalls dominate.
var HotMix = map[string]float64{
	"futex": 4000, "read": 3000, "write": 2500, "epoll_wait": 1500, "recvfrom": 1200,
	"sendto": 1100, "close": 900, "mmap": 800, "openat": 700, "fstat": 600,
}

// HotMixNumbers returns HotMix keyed by syscall number on Arch.
func HotMixNumbers() (map[uint32]float64, error) {
	w := make(map[uint32]float64, len(HotMix))
	for name, n := range HotMix {
		nr, ok := stdlib.SyscallNumber(Arch, name)
		if !ok {
			return nil, fmt.Errorf("hot mix: %s is not a syscall on %s", name, Arch)
		}
		w[nr] = n
	}
	return w, nil
}

// Case is one policy to measure.
type Case struct {
	Name   string
	File   string // the source's file name, for diagnostics
	Source []byte // the policy in scc's language
	// Profile, when set, is the Docker profile Source was imported from: libseccomp builds
	// it the way runc does instead of building scc's compiled IR.
	Profile []byte
}

// DockerCase imports Docker's default profile for amd64 (x86_64, i386, x32) with Docker's
// default capabilities on DockerKernel: its Source is the policy scc import writes.
func DockerCase() (Case, error) {
	profile, err := DockerProfile()
	if err != nil {
		return Case{}, err
	}
	imp, err := ImportDocker(profile)
	if err != nil {
		return Case{}, fmt.Errorf("importing Docker's default profile: %w", err)
	}
	src, err := imp.Text()
	if err != nil {
		return Case{}, fmt.Errorf("importing Docker's default profile: %w", err)
	}
	return Case{Name: "docker-default", File: "docker-default.sc", Source: src, Profile: profile}, nil
}

// ImportDocker imports a Docker profile as `scc build --arch amd64 --kernel DockerKernel`
// does before it compiles: it decodes the JSON, evaluates it and builds the policy's syntax
// tree, what the compiler takes.
func ImportDocker(profile []byte) (*oci.Imported, error) {
	return oci.ImportPolicy(profile, oci.ImportOptions{EvalOptions: oci.EvalOptions{Arch: "amd64", Kernel: DockerKernel},
		Source: "docker-default.json", File: "docker-default.json.sc"})
}

// ExampleCases reads the shipped examples (*.sc in dir), in name order.
func ExampleCases(dir string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.sc"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	var cases []Case
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		name := filepath.Base(f)
		cases = append(cases, Case{Name: name, File: name, Source: src})
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("no examples in %s", dir)
	}
	return cases, nil
}

// Cases returns every case: Docker's default, the examples under root/examples, and the large
// generated policy.
func Cases(root string) ([]Case, error) {
	docker, err := DockerCase()
	if err != nil {
		return nil, err
	}
	examples, err := ExampleCases(filepath.Join(root, "examples"))
	if err != nil {
		return nil, err
	}
	return append(append([]Case{docker}, examples...), LargeCase()), nil
}
