package stdlib

// The lookup API, implemented in lookup.go over the generated tables (zarches.go, ztables.go):
//
//	func Arches() []Arch                                 // every supported arch, in a stable order
//	func LookupArch(name string) (Arch, bool)            // by canonical name or alias
//	func HostArch() Arch                                 // the arch of the running program's native ABI
//	func SyscallNumber(arch, name string) (uint32, bool) // numbers include Arch.NrMask
//	func SyscallNumbers(nrs []int64, name string, arches []string) ([]int64, bool) // on many arches
//	func SyscallName(arch string, nr uint32) (string, bool)
//	func SyscallNames(arch string) []string              // sorted
//	func MaxSyscall(arch string) uint32                  // highest number in the table
//	func NewerGaps(arch string) [][2]uint32              // room for newer syscalls below it
//	func KnownSyscall(name string) bool                  // exists on at least one arch
//	func AllSyscallNames() []string                      // sorted union over every arch
//	func ArchesWith(name string) []string                // the arches that have a syscall
//	func LookupSignature(arch, name string) (Signature, bool)
//	func Constant(arch, name string) (uint64, bool)
//	func ConstantNames(arch string) []string             // sorted, for "did you mean"
//	func ConstantsWithPrefix(arch, prefix string) ([]string, []uint64) // a family (AF_, CLONE_), by name
//
// Every arch argument accepts an alias ("amd64", "arm64", ...).

// Sources names the versions of the sources the tables were generated from (see the package
// comment): what `scc version` reports.
type Sources struct {
	XSys          string // golang.org/x/sys's module version: numbers, constants, audit values
	KernelHeaders string // the kernel version of linux-headers-*-common: signatures, arm's own calls
	LibcDev       string // Debian's linux-libc-dev: x32's numbers, linux/futex.h
	ManPages      string // Debian's manpages-dev: the parameters' names
}

// TableSources returns the versions of the sources the tables were generated from.
func TableSources() Sources { return tableSources }
