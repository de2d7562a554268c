//go:build linux

// Package kernel proves seccomp filters in the real kernel: it installs a program in a child
// process, makes system calls there with chosen arguments, and reports what happened to each
// one: returned (with its value and errno), trapped (SIGSYS caught, with the filter's data),
// thread killed, process killed, or blocked.
//
// The child is the running test binary itself, re-executed with an environment variable
// that this package's init function recognizes: any test binary that imports the package can
// use it, with no TestMain. The child installs the filter with loader.InstallGo (so TSYNC is
// always added), catches SIGSYS with a handler of its own, then makes every call on a fresh
// OS thread that is not the thread-group leader, and writes each call's result to a pipe
// before it makes the next one. So a call that kills the process is known, a call that kills
// its thread is seen by the main thread (the thread vanishes, the process lives on), and the
// child's wait status tells the rest. A call that has not returned after 3 seconds is
// reported Blocked. On amd64 a trap is caught by an assembly SIGSYS handler (the Go runtime
// would crash on it, and os/signal cannot catch SIGSYS) that records the siginfo.
//
// The filter must allow what the harness and the Go runtime need after installation (write,
// futex, mmap, clone, rt_sigreturn, exit, nanosleep, ...): test filters decide a few syscalls
// and allow the rest.
//
// An errno from the filter and an errno from the real syscall look alike to the caller; tests
// should have filters return errno values no real call would (1000 and up) where it matters.
package kernel

// Call is one system call for the child to make: a number and six raw argument registers.
// Build it with Syscall and the With methods.
type Call struct {
	Name string    // for messages; defaults to "syscall(nr)"
	Nr   uint64    // the raw syscall number, x32 bit included
	Args [6]uint64 // the raw argument registers, high halves included
	// Strings replaces argument i by a pointer to a NUL-terminated copy of the string.
	Strings map[int]string `json:",omitempty"`
	// Buffers replaces argument i by a pointer to a zeroed buffer of that many bytes.
	Buffers map[int]int `json:",omitempty"`
	// CloseFD closes the returned file descriptor when the call succeeds.
	CloseFD bool `json:",omitempty"`
}

// Syscall returns a call of syscall nr with the given argument registers (missing ones are 0).
func Syscall(nr uintptr, args ...uint64) Call {
	if len(args) > 6 {
		panic("kernel.Syscall: more than 6 arguments")
	}
	c := Call{Nr: uint64(nr)}
	copy(c.Args[:], args)
	return c
}

// Named returns the call with a name for messages.
func (c Call) Named(name string) Call {
	c.Name = name
	return c
}

// WithString returns the call with argument i pointing to a NUL-terminated copy of s.
func (c Call) WithString(i int, s string) Call {
	c.Strings = cloneSet(c.Strings, i, s)
	return c
}

// WithBuffer returns the call with argument i pointing to a zeroed buffer of n bytes.
func (c Call) WithBuffer(i, n int) Call {
	c.Buffers = cloneSet(c.Buffers, i, n)
	return c
}

// ClosingFD returns the call marked to close the file descriptor it returns.
func (c Call) ClosingFD() Call {
	c.CloseFD = true
	return c
}

// String is the call's name.
func (c Call) String() string {
	if c.Name != "" {
		return c.Name
	}
	return "syscall(" + hex(c.Nr) + ")"
}

func cloneSet[V any](m map[int]V, i int, v V) map[int]V {
	if i < 0 || i > 5 {
		panic("kernel: argument index out of 0..5")
	}
	out := make(map[int]V, len(m)+1)
	for k, x := range m {
		out[k] = x
	}
	out[i] = v
	return out
}
