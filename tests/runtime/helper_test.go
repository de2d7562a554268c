//go:build linux

package runtime

import (
	"fmt"
	"os"
	goruntime "runtime"
	"time"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/loader"
)

// envHelper names the environment variable that turns the test binary into a helper program:
// "thread" makes getppid on a second thread and reports what became of it; "installblob"
// installs the blob at $SCC_RUNTIME_BLOB with loader.InstallBlob and makes the directory
// given as its argument.
const envHelper = "SCC_RUNTIME_HELPER"

// Lines the thread helper prints.
const (
	callReturned = "getppid returned on the second thread"
	threadKilled = "the second thread was killed; the process lives on"
)

// init runs a helper instead of the tests when envHelper says so. It runs during package
// initialization, when the main goroutine is locked to the main thread: so any other
// goroutine's thread is a second thread, never the thread-group leader.
func init() {
	switch os.Getenv(envHelper) {
	case "":
		return
	case "thread":
		os.Exit(threadHelper())
	case "installblob":
		os.Exit(installBlobHelper())
	}
	fmt.Fprintf(os.Stderr, "unknown %s=%q\n", envHelper, os.Getenv(envHelper))
	os.Exit(2)
}

// threadHelper makes getppid on a second thread and watches it: the call returns, or the
// thread vanishes (a thread kill; a process kill never lets it tell).
func threadHelper() int {
	tids := make(chan int, 1)
	returned := make(chan struct{})
	go func() {
		goruntime.LockOSThread() // never unlocked: a killed thread takes nothing else with it
		tids <- unix.Gettid()
		unix.Syscall(unix.SYS_GETPPID, 0, 0, 0)
		close(returned)
	}()
	tid := <-tids
	if tid == unix.Getpid() {
		fmt.Println("the second thread is the thread-group leader")
		return 2
	}
	task := fmt.Sprintf("/proc/self/task/%d", tid)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		select {
		case <-returned:
			fmt.Println(callReturned)
			return 0
		default:
		}
		if _, err := os.Stat(task); err != nil {
			fmt.Println(threadKilled)
			return 0
		}
	}
	fmt.Println("the second thread neither returned nor died")
	return 1
}

// installBlobHelper installs a blob into itself, then makes a directory and reports the
// errno.
func installBlobHelper() int {
	data, err := os.ReadFile(os.Getenv("SCC_RUNTIME_BLOB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if _, err := loader.InstallBlob(data, loader.Options{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Println(os.Mkdir(os.Args[1], 0o755))
	return 0
}
