package cli

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/meaning"
	"github.com/scc-dev/scc/program"
)

const dumpLong = `dump reads the seccomp filters process PID is under, with PTRACE_SECCOMP_GET_FILTER
(the process is stopped for the time of the reading), and writes every stacked filter in the
order they were installed (filter 0 is the oldest, as the kernel numbers them; the kernel runs
them all and takes the most restrictive decision, the newest filter's on a tie). It needs CAP_SYS_ADMIN, ptrace access to the process, and a kernel
with CONFIG_CHECKPOINT_RESTORE.

--format text (the default) disassembles each filter to stdout. --format raw and blob write
one file per filter, PREFIX.N.raw or PREFIX.N.bpf (PREFIX: -o, default pid-PID), in the
kernel's own form (raw) or as an scc blob whose arches and process-killing mark are read off
the program. scc diff pid:PID POLICY compares the stack itself with a policy.`

func newDumpCmd() *cobra.Command {
	var format, output string
	cmd := &cobra.Command{
		Use:   "dump [--format text|raw|blob] [-o PREFIX] PID",
		Short: "Write the seccomp filters a running process is under",
		Long:  dumpLong,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pid, err := strconv.Atoi(args[0])
			if err != nil || pid <= 0 {
				return fmt.Errorf("%q is not a process id", args[0])
			}
			form, err := backend.ParseFormat(format)
			if err != nil || (form != backend.FormatText && form != backend.FormatRaw && form != backend.FormatBlob) {
				return fmt.Errorf("unknown --format %q: want text, raw or blob", format)
			}
			progs, err := readFilters(pid)
			if err != nil {
				return err
			}
			if output == "" {
				output = fmt.Sprintf("pid-%d", pid)
			}
			return writeDump(cmd, pid, progs, form, output)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, raw or blob")
	cmd.Flags().StringVarP(&output, "output", "o", "", "prefix of the files of --format raw and blob (default pid-PID)")
	return cmd
}

func writeDump(cmd *cobra.Command, pid int, progs [][]bpf.RawInstruction, form backend.Format, prefix string) error {
	w := cmd.OutOrStdout()
	if len(progs) == 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "process %d is under no seccomp filter\n", pid)
		return nil
	}
	for i, prog := range progs {
		f := dumpedFilter(prog)
		if form == backend.FormatText {
			fmt.Fprintf(w, "# filter %d of %d (in the order installed): %d instructions\n", i, len(progs), len(prog))
			if err := backend.Encode(w, form, f, backend.Options{}); err != nil {
				return err
			}
			continue
		}
		var buf bytes.Buffer
		if err := backend.Encode(&buf, form, f, backend.Options{}); err != nil {
			return err
		}
		ext := ".raw"
		if form == backend.FormatBlob {
			ext = ".bpf"
		}
		path := fmt.Sprintf("%s.%d%s", prefix, i, ext)
		if err := writeOutput(w, path, buf.Bytes()); err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "filter %d of %d (%d instructions): %s\n", i, len(progs), len(prog), path)
	}
	return nil
}

// dumpedFilter is a filter read from the kernel, with what a blob records read off its
// meaning: the arch values it tells apart, and whether it kills processes.
func dumpedFilter(prog []bpf.RawInstruction) *backend.Filter {
	f := &backend.Filter{Program: prog, BigEndian: program.HostBigEndian(), Names: allNames()}
	s := meaning.NewSpace()
	m, err := s.Program(prog, f.BigEndian)
	if err != nil {
		return f
	}
	arches, err := s.Intervals(m, 0)
	if err != nil {
		return f
	}
	for _, r := range arches {
		if r.Lo == r.Hi {
			f.Arches = append(f.Arches, r.Lo)
		}
	}
	for _, ret := range s.Decisions(m) {
		if ret == program.RetKillProcess {
			f.ProcessKilling = true
		}
	}
	return f
}
