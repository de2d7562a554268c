package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/oci"
	"github.com/scc-dev/scc/pipeline"
)

// buildFlags are the flags every command that compiles a policy takes.
type buildFlags struct {
	arches []string
	policy string
	// caps, capAdd and kernel evaluate a Docker profile (.json), as scc import's flags do.
	caps, capAdd []string
	kernel       string
	// profile is --profile's file; weights, its counts by name once read (applyProfile).
	profile string
	weights map[string]float64
	// logOnly builds with pipeline.Options.LogOnly (scc run --log); no flag of its own here.
	logOnly bool
}

func (bf *buildFlags) register(cmd *cobra.Command) {
	bf.registerArch(cmd)
	bf.registerPolicy(cmd)
	bf.registerProfile(cmd)
}

// registerArch adds --arch, which replaces the policy's arches; for a Docker/OCI profile it is
// the host arch the profile is evaluated for, as scc import's --arch.
func (bf *buildFlags) registerArch(cmd *cobra.Command) {
	cmd.Flags().StringSliceVar(&bf.arches, "arch", nil, "build for these arches instead of the policy's own (for a Docker/OCI profile: the host arch, e.g. amd64)")
}

// registerPolicy adds the flags that pick and read the policy.
func (bf *buildFlags) registerPolicy(cmd *cobra.Command) {
	cmd.Flags().StringVar(&bf.policy, "policy", "", "the policy to build, when the file has several")
	cmd.Flags().StringSliceVar(&bf.caps, "caps", nil, "for a Docker/OCI profile: the container's capabilities (default: Docker's)")
	cmd.Flags().StringSliceVar(&bf.capAdd, "cap-add", nil, "for a Docker/OCI profile: capabilities to add to the set, as docker run --cap-add")
	cmd.Flags().StringVar(&bf.kernel, "kernel", "", "for a Docker/OCI profile: the host's kernel version for minKernel, e.g. 6.1 (default: the running kernel's)")
}

// build compiles the policy at path; a .json file is read as a Docker or OCI profile.
// Diagnostics are printed to stderr; the error is then an exitError.
func (bf *buildFlags) build(cmd *cobra.Command, path string) (*pipeline.Output, error) {
	opts := pipeline.Options{}
	opts.Compile.Arches = bf.arches
	opts.Compile.Policy = bf.policy
	opts.LogOnly = bf.logOnly
	if err := bf.applyProfile(cmd, &opts.Optimize); err != nil {
		return nil, err
	}
	var out *pipeline.Output
	var errs diag.List
	if strings.EqualFold(filepath.Ext(path), ".json") {
		src, err := bf.importProfile(path)
		if err != nil {
			return nil, err
		}
		// --arch was the host arch the profile was evaluated for: the filter's arches are
		// its archMap's (amd64: x86_64, i386, x32), as runc's are, not --arch alone.
		opts.Compile.Arches = nil
		out, errs = pipeline.BuildSource(path+".sc", src, opts)
	} else {
		out, errs = pipeline.BuildFile(path, opts)
	}
	if err := reportDiags(cmd.ErrOrStderr(), errs, out.Sources); err != nil {
		return nil, err
	}
	return out, nil
}

// importProfile turns a Docker/OCI profile into policy source.
func (bf *buildFlags) importProfile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	opts := oci.ImportOptions{Source: filepath.Base(path)}
	opts.Kernel = bf.kernel
	opts.Caps = capSet(bf.caps, bf.capAdd)
	switch len(bf.arches) {
	case 0:
	case 1:
		opts.Arch = bf.arches[0]
	default:
		return nil, fmt.Errorf("%s: a profile is evaluated for one host arch, not --arch %s", path, strings.Join(bf.arches, ","))
	}
	src, err := oci.Import(data, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return src, nil
}

func newBuildCmd() *cobra.Command {
	var bf buildFlags
	var output, format, name, pkg string
	cmd := &cobra.Command{
		Use:   "build [-o FILE] [--format blob|raw|c|go|text] [--arch A] POLICY",
		Short: "Compile a policy (or a Docker/OCI profile) into a seccomp filter",
		Long: "build compiles POLICY into a verified seccomp filter. The default format is an scc\n" +
			"blob (docs/blob-format.md), written to the policy's name with .bpf; raw is the bare\n" +
			"program (what bwrap --seccomp takes); c and go are source to embed; text disassembles.\n" +
			"Text formats go to stdout unless -o is given; -o - means stdout. The output file is\n" +
			"written atomically: a failed build leaves no file and an existing one untouched.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			form, err := backend.ParseFormat(format)
			if err != nil {
				return err
			}
			out, err := bf.build(cmd, args[0])
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := backend.Encode(&buf, form, out.Filter, backend.Options{Name: name, Package: pkg}); err != nil {
				return err
			}
			return writeOutput(cmd.OutOrStdout(), outputPath(output, form, args[0]), buf.Bytes())
		},
	}
	bf.register(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "", "output file (- for stdout)")
	cmd.Flags().StringVar(&format, "format", "blob", "output format: blob, raw, c, go, text")
	cmd.Flags().StringVar(&name, "name", "", "identifier for the c and go formats")
	cmd.Flags().StringVar(&pkg, "package", "", "package name for the go format")
	return cmd
}

// outputPath is where build writes: -o, else POLICY.bpf for the binary formats, else stdout.
func outputPath(output string, form backend.Format, policy string) string {
	if output != "" {
		return output
	}
	switch form {
	case backend.FormatBlob, backend.FormatRaw:
		base := strings.TrimSuffix(filepath.Base(policy), filepath.Ext(policy))
		return base + ".bpf"
	}
	return "-"
}
