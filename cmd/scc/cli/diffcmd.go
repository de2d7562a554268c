package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/irmeaning"
	"github.com/scc-dev/scc/meaning"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
)

const diffLong = `diff tells whether A and B decide alike on every call, exactly: no sampling. Each of A and
B is a policy (.sc), a Docker/OCI profile (evaluated for --arch and --caps), an scc blob, a
raw program (told apart by content), or pid:N, the filters a running process is under
(see scc dump; needs CAP_SYS_ADMIN).

For every arch and syscall where they differ, diff prints the region of arguments in the
policy language, the two decisions (A's → B's) and a witness: one concrete call of the
region, as scc sim takes it. --format json prints a list of objects with arch, syscall, nr
(and nr_hi for a range of numbers), region, left, right and witness (arch, nr, args).

Exit status: 0 when A and B decide alike, 1 when they differ, 2 for bad input.`

func newDiffCmd() *cobra.Command {
	var bf buildFlags
	var format string
	cmd := &cobra.Command{
		Use:   "diff [--format text|json] A B",
		Short: "Tell exactly where two policies, profiles, programs or processes decide differently",
		Long:  diffLong,
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("unknown --format %q: want text or json", format)
			}
			if args[0] == "-" && args[1] == "-" {
				return fmt.Errorf("A and B cannot both be read from stdin")
			}
			var inputs [2]*pipeline.Input
			for i, arg := range args {
				if strings.HasPrefix(arg, "pid:") {
					continue
				}
				in, err := bf.input.read(cmd, arg)
				if err != nil {
					return err
				}
				inputs[i] = in
			}
			policyArches := policyArchesFor(bf.arches, inputs)
			s := meaning.NewSpace()
			var sides [2]meaning.Node
			for i, arg := range args {
				n, err := loadMeaning(cmd, &bf, s, arg, inputs[i], policyArches)
				if err != nil {
					return err
				}
				sides[i] = n
			}
			diffs, err := s.Diff(sides[0], sides[1])
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				err = writeDiffJSON(w, diffs)
			} else {
				writeDiffText(w, diffs)
			}
			if err != nil {
				return err
			}
			if len(diffs) > 0 {
				return exitError{exitFindings}
			}
			return nil
		},
	}
	bf.registerArch(cmd)
	bf.registerPolicy(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// policyArchesFor is the --arch a policy side is built with: --arch as given, unless a side
// is a Docker/OCI profile. --arch is then the profile's host arch (amd64), evaluated as
// Docker does into the arches its filter covers, and a policy compared with it keeps its own
// arches: `scc diff --arch amd64 profile.json policy.sc` compares the profile's x86_64, i386
// and x32 with the policy as it is written, not the policy cut down to x86_64.
func policyArchesFor(arches []string, inputs [2]*pipeline.Input) []string {
	for _, in := range inputs {
		if in != nil && in.Kind == pipeline.Profile {
			return nil
		}
	}
	return arches
}

// loadMeaning reads one side of a comparison: a policy or profile (its IR's meaning), a
// compiled filter, or pid:N. in is the side's input, read (nil for pid:N); a policy is built
// for policyArches (nil: its own).
func loadMeaning(cmd *cobra.Command, bf *buildFlags, s *meaning.Space, arg string, in *pipeline.Input, policyArches []string) (meaning.Node, error) {
	if strings.HasPrefix(arg, "pid:") {
		return processMeaning(s, arg)
	}
	p, prog, bigEndian, err := loadInput(cmd, bf, in, policyArches)
	if err != nil {
		return 0, err
	}
	if p != nil {
		return irmeaning.Policy(s, p)
	}
	n, err := s.Program(prog, bigEndian)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", arg, err)
	}
	return n, nil
}

// processMeaning is the meaning of the filters the process pid:N runs, stacked as the kernel
// stacks them.
func processMeaning(s *meaning.Space, arg string) (meaning.Node, error) {
	pid, err := strconv.Atoi(strings.TrimPrefix(arg, "pid:"))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("%s: a process is pid:N, N a process id", arg)
	}
	progs, err := readFilters(pid)
	if err != nil {
		return 0, err
	}
	slices.Reverse(progs) // Stack takes the newest first
	return s.Stack(progs, program.HostBigEndian())
}

// loadInput makes a read input a policy or profile, compiled to its IR, or a compiled filter.
// A policy is built for policyArches (nil: its own), a profile for the host arch --arch names.
func loadInput(cmd *cobra.Command, bf *buildFlags, in *pipeline.Input, policyArches []string) (*ir.Policy, []bpf.RawInstruction, bool, error) {
	opts, err := bf.options(cmd)
	if err != nil {
		return nil, nil, false, err
	}
	if in.Kind != pipeline.Profile {
		opts.Compile.Arches = policyArches
	}
	src, err := pipeline.Load(in, opts)
	if err != nil {
		return nil, nil, false, err
	}
	if f := src.Filter; f != nil {
		return nil, f.Program, f.BigEndian, nil
	}
	res, errs := src.Compile(bf.policy)
	if err := reportDiags(cmd.ErrOrStderr(), errs, res.Sources); err != nil {
		return nil, nil, false, err
	}
	return res.Policy, nil, false, nil
}

// diffNames are a difference's names: its arch, syscall, region and decisions as the
// language writes them.
type diffNames struct {
	arch, syscall, region, left, right, witness string
}

func nameDiff(d meaning.Difference) diffNames {
	arch, known := archOf(d.ArchLo, d.NrLo)
	known = known && d.ArchLo == d.ArchHi
	sys := syscallText(arch, known, d.NrLo, d.NrHi)
	args := argNamer(arch, known && d.NrLo == d.NrHi, sys)
	region := ""
	if len(d.Region.Terms) != 1 || len(d.Region.Terms[0]) != 0 {
		region = d.Region.Format(args, constNamer(arch, known, sys, args))
	}
	return diffNames{
		arch:    archText(d.ArchLo, d.ArchHi, d.NrLo),
		syscall: sys,
		region:  region,
		left:    actionText(arch, known, d.Left),
		right:   actionText(arch, known, d.Right),
		witness: callText(arch, known, d.Witness),
	}
}

func writeDiffText(w io.Writer, diffs []meaning.Difference) {
	if len(diffs) == 0 {
		fmt.Fprintln(w, "no difference")
		return
	}
	for _, d := range diffs {
		n := nameDiff(d)
		cond := ""
		if n.region != "" {
			cond = " if " + n.region
		}
		sep := ": "
		if d.ArchLo != d.ArchHi {
			sep = ", "
		}
		fmt.Fprintf(w, "%s%s%s%s: %s → %s\n", n.arch, sep, n.syscall, cond, n.left, n.right)
		if d.ArchLo != d.ArchHi {
			fmt.Fprintf(w, "    witness: arch=%#x %s\n", d.Witness.Arch, n.witness)
		} else {
			fmt.Fprintf(w, "    witness: %s\n", n.witness)
		}
	}
	noun := "difference"
	if len(diffs) > 1 {
		noun = "differences"
	}
	fmt.Fprintf(w, "%d %s\n", len(diffs), noun)
}

// diffJSON is one difference in --format json.
type diffJSON struct {
	Arch    string      `json:"arch"`
	Syscall string      `json:"syscall"`
	Nr      uint32      `json:"nr"`
	NrHi    *uint32     `json:"nr_hi,omitempty"`
	Region  string      `json:"region"`
	Left    string      `json:"left"`
	Right   string      `json:"right"`
	Witness witnessJSON `json:"witness"`
}

type witnessJSON struct {
	Arch uint32    `json:"arch"`
	Nr   uint32    `json:"nr"`
	Args [6]uint64 `json:"args"`
}

func writeDiffJSON(w io.Writer, diffs []meaning.Difference) error {
	out := []diffJSON{}
	for _, d := range diffs {
		n := nameDiff(d)
		j := diffJSON{Arch: n.arch, Syscall: n.syscall, Nr: d.NrLo, Region: n.region, Left: n.left, Right: n.right,
			Witness: witnessJSON{Arch: d.Witness.Arch, Nr: uint32(d.Witness.Nr), Args: d.Witness.Args}}
		if d.NrHi != d.NrLo {
			hi := d.NrHi
			j.NrHi = &hi
		}
		if d.NrLo != d.NrHi {
			j.Syscall = ""
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
