//go:build linux

package cli

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/kerneltest"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/vm"
)

// vmParallel is how many VMs boot at once: the machines this runs on have two cores.
const vmParallel = 2

// vmJob is one expectation checked in a VM: which build and which of its expectations.
type vmJob struct {
	out, expect int
	why         string // why the call is not made for real, when it is not safe to
}

// runVMs checks, in a VM per arch, every expectation of outs whose arch the running kernel
// cannot run, and returns what each VM showed, per build and by index in its Expects. A
// missing kernel or qemu is an error naming what to install, before any VM boots.
func runVMs(cmd *cobra.Command, outs []*pipeline.Output, always bool) ([]map[int]kernelResult, error) {
	jobs := map[string][]vmJob{}      // by machine
	checks := map[string][]vm.Check{} // by machine, in the order of jobs
	results := make([]map[int]kernelResult, len(outs))
	for oi, out := range outs {
		results[oi] = map[int]kernelResult{}
		for ei, e := range out.Expects {
			name, ok := vmMachineFor(e.Arch.Name, e.Data.Arch, always)
			if _, known := vm.MachineFor(e.Arch.Name); !known && !hostRuns(e.Arch.Name, e.Data.Arch) {
				results[oi][ei] = kernelResult{status: kernelOtherArch,
					msg: "no kernel to boot for " + e.Arch.Name + " (Debian has none): the emulator's verdict only"}
			}
			if !ok {
				continue
			}
			safe, why := kerneltest.SafeToMake(e.Arch.Name, e.Data)
			f := out.Filter
			checks[name] = append(checks[name], vm.Check{ID: len(checks[name]), Audit: e.Data.Arch,
				Program: f.Program, Flags: f.FilterFlags, KillProcess: f.ProcessKilling, Nr: uint64(uint32(e.Data.Nr)), Args: e.Data.Args, Safe: safe})
			jobs[name] = append(jobs[name], vmJob{out: oi, expect: ei, why: why})
		}
	}
	if len(jobs) == 0 {
		return results, nil
	}
	var names []string
	for name := range jobs {
		names = append(names, name)
	}
	sort.Strings(names)
	opts, cleanup, err := vmOptions(names)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	type booted struct {
		res  []vm.Result
		err  error
		took time.Duration
	}
	done := make([]booted, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, vmParallel)
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			m, _ := vm.MachineFor(name)
			start := time.Now()
			res, err := vm.Run(m, checks[name], opts)
			done[i] = booted{res, err, time.Since(start)}
		}()
	}
	wg.Wait()
	for i, name := range names {
		b := done[i]
		m, _ := vm.MachineFor(name)
		k, _ := vm.KernelFor(m.Kernel)
		if b.err == nil {
			fmt.Fprintf(cmd.OutOrStdout(), "vm %s: %d calls checked in Debian's %s %s (%.1fs)\n",
				name, len(jobs[name]), k.Package, k.Version, b.took.Seconds())
		}
		for j, job := range jobs[name] {
			kc := newKernelChecker(outs[job.out])
			e := outs[job.out].Expects[job.expect]
			var kr kernelResult
			switch {
			case b.err != nil:
				kr = kernelResult{status: kernelFailed, msg: "the " + name + " VM failed: " + b.err.Error()}
			case b.res[j].Err != "":
				kr = kernelResult{status: kernelFailed, msg: "in the " + name + " VM: " + b.res[j].Err}
			default:
				r := b.res[j]
				if os.Getenv("SCC_VM_DEBUG") != "" {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: check %d: %dms %v\n", name, j, r.Millis, r.Runs)
				}
				v := kerneltest.Verdict{Data: r.Data, Unresolved: r.Unresolved}
				for _, kind := range r.Kinds {
					v.Kinds = append(v.Kinds, ir.ActionKind(kind))
				}
				kr = kc.judge(e, v, nil, job.why)
				kr.msg = "in " + name + "'s kernel: " + kr.msg
			}
			results[job.out][job.expect] = kr
		}
	}
	return results, nil
}

// vmMachineFor tells which VM checks calls of an arch, when the running kernel cannot: none
// for the arches the host runs (x32 only where the host's kernel makes x32 calls) unless
// always, and none for an arch without a Debian kernel (mips64, loongarch64).
func vmMachineFor(arch string, audit uint32, always bool) (string, bool) {
	if !always && hostRuns(arch, audit) {
		return "", false
	}
	if _, ok := vm.MachineFor(arch); !ok || arch == "x86_64" {
		return "", false
	}
	return arch, true
}

// hostRuns tells whether the running kernel makes calls of the arch for kerneltest.
func hostRuns(arch string, audit uint32) bool {
	if arch == "x32" {
		return kerneltest.SupportsX32() == nil
	}
	abi, ok := kerneltest.ABIFor(audit)
	return ok && kerneltest.Supports(abi) == nil
}

// vmOptions finds the cache and the source, checks every machine is ready, and makes the
// work directory.
func vmOptions(names []string) (vm.Options, func(), error) {
	var opts vm.Options
	cache, err := vm.CacheDir()
	if err != nil {
		return opts, nil, err
	}
	var missing []string
	for _, name := range names {
		m, _ := vm.MachineFor(name)
		if err := vm.Ready(cache, m); err != nil {
			missing = append(missing, err.Error())
		}
	}
	if len(missing) > 0 {
		return opts, nil, errors.New("--vm cannot boot every arch:\n  " + strings.Join(missing, "\n  "))
	}
	source, err := vm.SourceDir()
	if err != nil {
		return opts, nil, err
	}
	work, err := os.MkdirTemp("", "scc-vm-*")
	if err != nil {
		return opts, nil, err
	}
	opts = vm.Options{Cache: cache, Source: source, Work: work, Log: os.Stderr}
	return opts, func() { os.RemoveAll(work) }, nil
}
