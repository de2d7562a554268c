// Package vm checks seccomp filters in the kernels of other architectures: it fetches Debian's
// kernel for each (Fetch), builds the test agent for that arch (cmd/scc-vmagent, a static Go
// program), packs it with the checks into an initramfs, boots the kernel under qemu and reads
// the agent's results from the serial console (Run). One boot runs all of an arch's checks.
package vm

import (
	"fmt"
	"sort"
	"strings"
)

// Kernel is one pinned Debian kernel package.
type Kernel struct {
	Name    string // the cache's name for it: the Debian flavour (arm64, armmp, ...)
	Suite   string // Debian release it comes from
	DebArch string // Debian architecture
	Package string // the exact package, pinned
	Version string // the exact version, pinned
}

// The kernels, pinned. Debian 12 has no riscv64 port: its kernel comes from Debian 13.
var kernels = map[string]Kernel{
	"arm64":       {"arm64", "bookworm", "arm64", "linux-image-6.1.0-50-arm64", "6.1.176-1"},
	"armmp":       {"armmp", "bookworm", "armhf", "linux-image-6.1.0-50-armmp", "6.1.176-1"},
	"powerpc64le": {"powerpc64le", "bookworm", "ppc64el", "linux-image-6.1.0-50-powerpc64le", "6.1.176-1"},
	"s390x":       {"s390x", "bookworm", "s390x", "linux-image-6.1.0-50-s390x", "6.1.176-1"},
	"5kc-malta":   {"5kc-malta", "bookworm", "mips64el", "linux-image-6.1.0-50-5kc-malta", "6.1.176-1"},
	"686":         {"686", "bookworm", "i386", "linux-image-6.1.0-50-686", "6.1.176-1"},
	"amd64":       {"amd64", "bookworm", "amd64", "linux-image-6.1.0-50-amd64", "6.1.176-1"},
	"riscv64":     {"riscv64", "trixie", "riscv64", "linux-image-6.12.117+deb13-riscv64", "6.12.117-1"},
}

// Machine is how to boot one ABI's checks: the kernel, qemu, and the agent's build.
type Machine struct {
	ABI         string   // scc's arch name of the calls checked
	Kernel      string   // key of kernels
	QEMU        string   // the qemu binary
	QEMUPackage string   // the Debian package that has it
	Args        []string // machine and CPU arguments
	Console     string   // the kernel's console device
	Append      string   // more kernel command line
	Env         []string // GOARCH and its variants for the agent's build
}

// machines maps scc's arch names to the machine that checks their calls. arm runs in arm's
// own kernel (Debian's armmp, on qemu's virt board). x32 runs in an
// amd64 kernel booted with syscall.x32=y (Debian builds x32 in, off by default). Every machine
// is emulated (TCG): KVM, where a machine has it, is no help for the foreign arches, and qemu
// 7.2 fails to start an x86 guest under nested KVM here.
var machines = map[string]Machine{
	"aarch64": {ABI: "aarch64", Kernel: "arm64", QEMU: "qemu-system-aarch64", QEMUPackage: "qemu-system-arm",
		Args: []string{"-M", "virt", "-cpu", "cortex-a57"}, Console: "ttyAMA0", Env: []string{"GOARCH=arm64"}},
	"arm": {ABI: "arm", Kernel: "armmp", QEMU: "qemu-system-arm", QEMUPackage: "qemu-system-arm",
		Args: []string{"-M", "virt,highmem=off", "-cpu", "cortex-a15"}, Console: "ttyAMA0", Env: []string{"GOARCH=arm", "GOARM=7"}},
	"riscv64": {ABI: "riscv64", Kernel: "riscv64", QEMU: "qemu-system-riscv64", QEMUPackage: "qemu-system-misc",
		Args: []string{"-M", "virt", "-cpu", "rv64"}, Console: "ttyS0", Env: []string{"GOARCH=riscv64"}},
	"ppc64le": {ABI: "ppc64le", Kernel: "powerpc64le", QEMU: "qemu-system-ppc64", QEMUPackage: "qemu-system-ppc",
		Args: []string{"-M", "pseries,x-vof=on"}, Console: "hvc0", Env: []string{"GOARCH=ppc64le"}},
	"s390x": {ABI: "s390x", Kernel: "s390x", QEMU: "qemu-system-s390x", QEMUPackage: "qemu-system-misc",
		Args: []string{"-M", "s390-ccw-virtio", "-cpu", "max"}, Console: "ttysclp0", Env: []string{"GOARCH=s390x"}},
	"mips64le": {ABI: "mips64le", Kernel: "5kc-malta", QEMU: "qemu-system-mips64el", QEMUPackage: "qemu-system-mips",
		Args: []string{"-M", "malta", "-cpu", "5KEc"}, Console: "ttyS0", Env: []string{"GOARCH=mips64le", "GOMIPS64=softfloat"}},
	"i386": {ABI: "i386", Kernel: "686", QEMU: "qemu-system-i386", QEMUPackage: "qemu-system-x86",
		Args: []string{"-cpu", "max"}, Console: "ttyS0", Env: []string{"GOARCH=386", "GO386=softfloat"}},
	"x32": {ABI: "x32", Kernel: "amd64", QEMU: "qemu-system-x86_64", QEMUPackage: "qemu-system-x86",
		Args: []string{"-cpu", "max"}, Console: "ttyS0", Append: "syscall.x32=y", Env: []string{"GOARCH=amd64"}},
}

// MachineFor returns the machine that checks calls of an scc arch name.
func MachineFor(arch string) (Machine, bool) {
	m, ok := machines[arch]
	return m, ok
}

// ABIs lists the arch names Run can check, sorted.
func ABIs() []string {
	var out []string
	for name := range machines {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// KernelNames lists the kernels Fetch knows, sorted.
func KernelNames() []string {
	var out []string
	for name := range kernels {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// KernelFor resolves what `scc vm fetch` takes: a kernel's name, or an arch name whose
// machine uses it.
func KernelFor(name string) (Kernel, error) {
	if k, ok := kernels[name]; ok {
		return k, nil
	}
	if m, ok := machines[name]; ok {
		return kernels[m.Kernel], nil
	}
	return Kernel{}, fmt.Errorf("no kernel for %q: the arches are %s; the kernels %s (Debian has none for mips64 big-endian or loongarch64)",
		name, strings.Join(ABIs(), ", "), strings.Join(KernelNames(), ", "))
}
