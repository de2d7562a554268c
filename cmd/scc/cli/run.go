//go:build linux

package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/scc-dev/scc/internal/plural"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/loader"
	"github.com/scc-dev/scc/program"
)

// Exit statuses of scc run when the command cannot be started, as env(1) and the shells use
// them; once the command runs, its own status is scc run's.
const (
	exitCannotExec = 126
	exitNotFound   = 127
)

const runLong = `run installs a filter on itself and then executes CMD, which runs under it: CMD's exit
status and the signal that ends it are scc run's own (a call the filter kills ends CMD by
SIGSYS: a shell shows status 159). POLICY is compiled first; a blob (docs/blob-format.md) or
a raw program, told by its content, is installed as it is. POLICY - reads stdin (the
command then finds stdin at its end).

The filter applies to scc run's own execve of CMD, and then to everything CMD does, from the
dynamic loader on. scc run therefore refuses a filter that does not allow execve, and one
that kills prlimit64 when scc makes that call before execve (Go restores the open-file limit
it raised). A dynamically linked CMD also needs the loader's calls (openat, read, mmap and
mprotect with PROT_EXEC, close, ...): if they are denied CMD fails or dies as it starts.

--log compiles the policy with every action other than allow turned into log: would-be
denied calls go through, and the kernel logs them (see dmesg or the audit log).

Exit status: CMD's own; 2 when the filter cannot be made or installed; 126 when CMD cannot
be executed; 127 when it is not found.`

// runFlags are scc run's flags.
type runFlags struct {
	bf               buildFlags
	log              bool
	acceptThreadKill bool
}

func newRunCmd() *cobra.Command {
	var rf runFlags
	cmd := &cobra.Command{
		Use:   "run [--log] [--accept-thread-kill] POLICY|FILTER -- CMD [ARG...]",
		Short: "Run a command under a policy's filter",
		Long:  runLong,
		Args:  runArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return rf.run(cmd, args[0], args[1:])
		},
	}
	rf.bf.register(cmd)
	cmd.Flags().BoolVar(&rf.log, "log", false, "turn every action but allow into log, to try the policy out")
	cmd.Flags().BoolVar(&rf.acceptThreadKill, "accept-thread-kill", false,
		"install a process-killing filter even where the kernel can only kill threads")
	return cmd
}

// runArgs wants the filter, then "--", then the command.
func runArgs(cmd *cobra.Command, args []string) error {
	dash := cmd.ArgsLenAtDash()
	var msg string
	switch {
	case dash < 0:
		msg = "run takes a POLICY or FILTER, then -- and the command to run: no -- given"
	case dash != 1:
		msg = fmt.Sprintf("run takes one POLICY or FILTER before --, got %s", plural.Count(dash, "argument", "arguments"))
	case len(args) == 1:
		msg = "run takes a command after --, got none"
	default:
		return nil
	}
	return usageError{cmd: cmd, msg: msg}
}

// run makes the filter, checks it and the command, installs the filter on this thread and
// executes the command there. It returns only when something failed.
func (rf *runFlags) run(cmd *cobra.Command, path string, argv []string) error {
	f, err := rf.load(cmd, path)
	if err != nil {
		return err
	}
	bin, err := lookCommand(argv[0])
	if err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "scc run: %v\n", err)
		return exitError{execStatus(err)}
	}
	if err := checkArch(f, path); err != nil {
		return err
	}
	if err := checkBeforeExec(f, argv[0]); err != nil {
		return err
	}
	if err := f.Check(); err != nil {
		return err
	}
	return installAndExec(cmd, f, bin, argv)
}

// load compiles the policy at path, or reads the compiled filter there.
func (rf *runFlags) load(cmd *cobra.Command, path string) (*loader.Filter, error) {
	opts := loader.Options{AcceptThreadKill: rf.acceptThreadKill}
	rf.bf.logOnly = rf.log
	src, err := rf.bf.load(cmd, path)
	if err != nil {
		return nil, err
	}
	if src.Filter != nil {
		if rf.log {
			return nil, fmt.Errorf("%s is a compiled filter: --log needs the policy, to compile it anew", src.Input.Name)
		}
		f, err := loader.Load(src.Input.Data, opts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Input.Name, err)
		}
		return f, nil
	}
	out, err := buildPolicy(cmd, src, rf.bf.policy)
	if err != nil {
		return nil, err
	}
	return loader.NewFilter(out.Filter.Blob(), opts)
}

// checkArch refuses a filter whose arches, when it names them, leave out this machine's: it
// would kill every call, scc run's own execve first.
func checkArch(f *loader.Filter, path string) error {
	if len(f.Options.Arches) == 0 || loader.CheckArch(f.Options.Arches) == nil {
		return nil
	}
	names := make([]string, len(f.Options.Arches))
	for i, a := range f.Options.Arches {
		names[i] = loader.ArchName(a)
	}
	return fmt.Errorf("%s does not cover this machine's architecture (%s): it covers %s; build the policy with --arch %s",
		path, loader.ArchName(loader.NativeArch()), strings.Join(names, ", "), loader.ArchName(loader.NativeArch()))
}

// checkBeforeExec refuses a filter under which scc run could not reach the command: the
// filter runs on the calls scc makes after installing it, execve above all. The calls are
// emulated with their arguments 0.
func checkBeforeExec(f *loader.Filter, name string) error {
	if a, err := decide(f, unix.SYS_EXECVE); err != nil {
		return err
	} else if a.Kind != ir.Allow && a.Kind != ir.Log {
		return fmt.Errorf("the policy does not allow execve (it returns %v), so scc run cannot start %s: "+
			"the filter applies to scc run's own execve of the command", a, name)
	}
	if !goRestoresFileLimit() {
		return nil
	}
	a, err := decide(f, unix.SYS_PRLIMIT64)
	if err != nil {
		return err
	}
	switch a.Kind {
	case ir.KillProcess, ir.KillThread, ir.Trap, ir.UserNotif:
		return fmt.Errorf("the policy returns %v for prlimit64, so scc run cannot start %s: "+
			"scc run calls prlimit64 under the filter right before execve, to give the command "+
			"back the open-file limit it inherited", a, name)
	}
	return nil
}

// decide emulates the filter on a call of this process's own arch with arguments 0.
func decide(f *loader.Filter, nr int) (ir.Action, error) {
	// The kernel hands the filter seccomp_data in the host's byte order (and the loader
	// refuses a program built for the other one).
	vm, err := program.NewVM(f.Program, program.HostBigEndian())
	if err != nil {
		return ir.Action{}, fmt.Errorf("emulating the filter: %w", err)
	}
	ret, _ := vm.Run(program.SeccompData{Nr: int32(nr), Arch: loader.NativeArch()})
	return ir.ActionFromRet(ret), nil
}

// goRestoresFileLimit tells whether the Go runtime raised the soft RLIMIT_NOFILE at start,
// which it does to Max-1 and then undoes with prlimit64 in syscall.Exec.
func goRestoresFileLimit() bool {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return true // assume the worst
	}
	return lim.Max > 0 && lim.Cur == lim.Max-1
}

// installAndExec installs the filter on the calling thread only, and executes the command
// from that same thread. execve ends every other thread of scc, and the command inherits the
// filter of the thread that called it; the Go runtime's other threads stay unfiltered until
// then, so none of their calls (futex, madvise, ...) can trip the filter meanwhile.
//
// Between install and exec this thread must make no call the filter may refuse, and the Go
// runtime must not stop it for a collection: the environment is read first, and the
// collector is off from here on (exec replaces the process, and failure ends it).
func installAndExec(cmd *cobra.Command, f *loader.Filter, bin string, argv []string) error {
	env := os.Environ()
	debug.SetGCPercent(-1)
	runtime.LockOSThread() // Install keeps the thread locked on success; so do we on failure
	if _, err := f.Install(); err != nil {
		return err
	}
	err := unix.Exec(bin, argv, env)
	fmt.Fprintf(cmd.ErrOrStderr(), "scc run: %s: %v\n", bin, err)
	return exitError{execStatus(err)}
}

// lookCommand finds the program of a command as the shells do: a name with a slash is a
// path, another is looked up in $PATH. A directory or a file without execute permission
// (at the path, or in $PATH where no executable one is) fails with fs.ErrPermission, a
// missing one with fs.ErrNotExist or exec.ErrNotFound.
func lookCommand(name string) (string, error) {
	if !strings.Contains(name, "/") {
		bin, err := exec.LookPath(name)
		if errors.Is(err, exec.ErrNotFound) && inPath(name) {
			return "", fmt.Errorf("%s: in $PATH, but not executable: %w", name, fs.ErrPermission)
		}
		return bin, err
	}
	fi, err := os.Stat(name)
	switch {
	case err != nil:
		return "", err
	case fi.IsDir():
		return "", fmt.Errorf("%s: is a directory: %w", name, fs.ErrPermission)
	case fi.Mode()&0o111 == 0:
		return "", fmt.Errorf("%s: not executable: %w", name, fs.ErrPermission)
	}
	return name, nil
}

// inPath tells whether a file that is not a directory has the name in a directory of $PATH.
func inPath(name string) bool {
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" {
			dir = "."
		}
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && !fi.IsDir() {
			return true
		}
	}
	return false
}

// execStatus is scc run's exit status when the command could not be started: 127 when it
// does not exist (ENOENT, including a script's missing interpreter), 126 otherwise (a
// directory, no execute permission, not a program).
func execStatus(err error) int {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, exec.ErrNotFound) {
		return exitNotFound
	}
	return exitCannotExec
}
