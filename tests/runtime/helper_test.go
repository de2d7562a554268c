//go:build linux

package runtime

import (
	"fmt"
	"os"
	goruntime "runtime"
	"time"

	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/internal/reexec"
	"github.com/scc-dev/scc/loader"
)

// The test binary's helper roles (package reexec): "runtime-thread" makes getppid on a
// second thread and reports what became of it; "runtime-installblob" installs the blob at
// $SCC_RUNTIME_BLOB with loader.InstallBlob and makes the directory given as its argument.
const (
	threadRole      = "runtime-thread"
	installBlobRole = "runtime-installblob"
)

// Lines the thread helper prints.
const (
	callReturned = "getppid returned on the second thread"
	threadKilled = "the second thread was killed; the process lives on"
)

// init registers the helpers: they then run during package initialization, when the main
// goroutine is locked to the main thread, so any other goroutine's thread is a second
// thread, never the thread-group leader.
func init() {
	reexec.Register(threadRole, threadHelper)
	reexec.Register(installBlobRole, installBlobHelper)
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
