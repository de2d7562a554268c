package cli

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// rawSyscall is the rawsyscall program: rawsyscall NR makes syscall NR with zero arguments
// and prints its errno's name (or "ok"), so that a script can see what a filter returns for
// a number no tool calls.
func rawSyscall() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: rawsyscall NR")
		os.Exit(2)
	}
	nr, err := strconv.ParseUint(os.Args[1], 0, 32)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	_, _, errno := unix.RawSyscall(uintptr(nr), 0, 0, 0)
	if errno == 0 {
		fmt.Println("ok")
	} else {
		fmt.Println(unix.ErrnoName(errno))
	}
	os.Exit(0)
}
