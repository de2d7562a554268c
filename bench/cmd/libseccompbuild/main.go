// Command libseccompbuild is libseccomp's side of the whole-process benchmarks: it builds a
// Docker or OCI seccomp profile with libseccomp's C API the way runc does
// (tests/libseccomp.BuildProfile: the profile evaluated as Docker does, then
// seccomp_rule_add per name and seccomp_export_bpf) and writes the exported program, as
// `scc build PROFILE.json --format raw` writes scc's. benchtable times it as a whole process,
// interleaved with scc's.
//
//	libseccompbuild [-arch amd64] [-kernel 6.8] [-level 2] -o OUT PROFILE.json
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"os"

	"github.com/scc-dev/scc/tests/libseccomp"
)

func main() {
	arch := flag.String("arch", "amd64", "the host arch the profile is evaluated for (Docker's name)")
	kernel := flag.String("kernel", "6.8", "the kernel release the profile's minKernel entries are evaluated for")
	level := flag.Int("level", libseccomp.OptimizeBinaryTree, "SCMP_FLTATR_CTL_OPTIMIZE: 1 linear, 2 binary tree")
	out := flag.String("o", "", "the file to write the program to")
	flag.Parse()
	if flag.NArg() != 1 || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: libseccompbuild [-arch A] [-kernel K] [-level N] -o OUT PROFILE.json")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out, *arch, *kernel, *level); err != nil {
		fmt.Fprintln(os.Stderr, "libseccompbuild:", err)
		os.Exit(1)
	}
}

func run(in, out, arch, kernel string, level int) error {
	profile, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	prog, err := libseccomp.BuildProfile(profile, arch, nil, kernel, level)
	if err != nil {
		return err
	}
	raw := make([]byte, 0, 8*len(prog))
	for _, ins := range prog {
		raw = binary.NativeEndian.AppendUint16(raw, ins.Op)
		raw = append(raw, ins.Jt, ins.Jf)
		raw = binary.NativeEndian.AppendUint32(raw, ins.K)
	}
	return os.WriteFile(out, raw, 0o644)
}
