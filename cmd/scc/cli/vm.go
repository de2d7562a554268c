package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/vm"
)

func newVMCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vm",
		Short: "Fetch the kernels that scc test --kernel --vm boots for other arches",
		Long: "vm manages the kernels `scc test --kernel --vm` boots under qemu to check a policy's\n" +
			"expectations in another arch's own kernel. See docs/other-arches.md.",
	}
	cmd.AddCommand(newVMFetchCmd())
	return cmd
}

func newVMFetchCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "fetch ARCH|KERNEL|all…",
		Short: "Download pinned Debian kernels into the cache",
		Long: "fetch downloads the pinned Debian kernel package of each arch (or kernel) named, with\n" +
			"apt-get on a private apt state (the system's sources and packages are untouched), checks\n" +
			"that its config has CONFIG_SECCOMP_FILTER=y, and keeps its image in the cache:\n" +
			"$SCC_VM_CACHE, else /var/cache/scc/vm for root, else $XDG_CACHE_HOME/scc/vm\n" +
			"(~/.cache/scc/vm). A kernel already there is kept. all fetches every kernel.\n\n" +
			"Arches: " + strings.Join(vm.ABIs(), ", ") + ".\nKernels: " + strings.Join(vm.KernelNames(), ", ") + ".\n" +
			"Debian has no kernel for mips64 (big-endian) or loongarch64: those are checked by\n" +
			"scc's emulator and the differential tests only.",
		Args: wantArgs(1, -1, "one or more ARCHes or KERNELs"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cache, err := vm.CacheDir()
			if err != nil {
				return err
			}
			var names []string
			for _, a := range args {
				if a == "all" {
					names = append(names, vm.KernelNames()...)
				} else {
					names = append(names, a)
				}
			}
			var kernels []vm.Kernel
			for _, n := range names {
				k, err := vm.KernelFor(n)
				if err != nil {
					return err
				}
				kernels = append(kernels, k)
			}
			failed := false
			for _, k := range kernels {
				if err := vm.Fetch(cache, k, cmd.ErrOrStderr()); err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "scc: %v\n", err)
					failed = true
				}
			}
			if failed {
				return exitError{1}
			}
			return nil
		},
	}
}
