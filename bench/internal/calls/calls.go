// Package calls times system calls in the running process, under whatever seccomp filter it
// has installed: the kernel side of the benchmarks, run by bench/cmd/benchhelper in a fresh
// process per filter.
package calls

import (
	"fmt"
	"runtime"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/loader"
)

// Call is one system call the kernel table times.
type Call struct {
	Name string // how the table names it: "getppid", "personality(0xffffffff)", …
	// What says what it stands for: a cached call, an argument-checked one, a denied one.
	What string
	nr   uintptr
	args [3]uintptr
}

// addKeyType is add_key's key type, "user", in memory that outlives the calls.
var addKeyType = [...]byte{'u', 's', 'e', 'r', 0}

// Calls are the timed calls, in the table's order: a call Docker's default profile allows
// unconditionally (the kernel's action cache answers it without running the filter), one
// it allows after checking the argument (personality(0xffffffff) only reads the persona),
// and one it denies with EPERM (add_key with a bad keyring: without a filter, EINVAL).
var Calls = []Call{
	{Name: "getppid", What: "cached: allowed for any arguments", nr: unix.SYS_GETPPID},
	{Name: "personality(0xffffffff)", What: "allowed after an argument check", nr: unix.SYS_PERSONALITY, args: [3]uintptr{0xffffffff}},
	{Name: "add_key", What: "denied: errno(EPERM)", nr: unix.SYS_ADD_KEY},
}

func init() {
	Calls[2].args = [3]uintptr{uintptr(unsafe.Pointer(&addKeyType[0]))}
}

// Install installs the raw program in data (struct sock_filter records, as scc build
// --format raw and libseccomp's seccomp_export_bpf write them) on every thread of the
// process.
func Install(data []byte) error {
	f, err := loader.LoadRaw(data, loader.Options{})
	if err != nil {
		return err
	}
	_, err = f.InstallGo()
	return err
}

// Chunks is how many pieces Time splits a call's n repetitions into: the fastest piece is
// the one the machine's load disturbed least.
const Chunks = 20

// Time makes each call n times on one thread, after n/10 calls to warm up, in Chunks
// pieces, and returns the nanoseconds per call of each call's fastest piece, in the order
// of Calls.
func Time(n int) []float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	out := make([]float64, len(Calls))
	per := max(n/Chunks, 1)
	for i, c := range Calls {
		for range n / 10 {
			syscall.RawSyscall6(c.nr, c.args[0], c.args[1], c.args[2], 0, 0, 0)
		}
		for k := range Chunks {
			start := time.Now()
			for range per {
				syscall.RawSyscall6(c.nr, c.args[0], c.args[1], c.args[2], 0, 0, 0)
			}
			ns := float64(time.Since(start).Nanoseconds()) / float64(per)
			if k == 0 || ns < out[i] {
				out[i] = ns
			}
		}
	}
	return out
}

// Format writes times as Time returns them, one "NAME NS" line a call, for Parse.
func Format(times []float64) string {
	var s string
	for i, t := range times {
		s += fmt.Sprintf("%s %.2f\n", Calls[i].Name, t)
	}
	return s
}
