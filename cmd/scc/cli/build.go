package cli

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/backend"
	"github.com/scc-dev/scc/pipeline"
)

// buildFlags are the flags every command that compiles a policy takes.
type buildFlags struct {
	arches []string
	policy string
	input  inputFlags
	// caps, capAdd and kernel evaluate a Docker/OCI profile input, as scc import's flags do.
	caps, capAdd []string
	kernel       string
	noENOSYS     bool
	// profile is --profile's file; weights, its counts by name once read (applyProfile).
	profile string
	weights map[string]float64
	// logOnly builds with pipeline.Options.LogOnly (scc run --log); no flag of its own here.
	logOnly bool
	// built is what the last build made, for the commands that say more than the filter does.
	built *pipeline.Output
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
	bf.input.register(cmd)
	cmd.Flags().StringSliceVar(&bf.caps, "caps", nil, "for a Docker/OCI profile: the container's capabilities (default: Docker's)")
	cmd.Flags().StringSliceVar(&bf.capAdd, "cap-add", nil, "for a Docker/OCI profile: capabilities to add to the set, as docker run --cap-add")
	cmd.Flags().StringVar(&bf.kernel, "kernel", "", "for a Docker/OCI profile: the host's kernel version for minKernel, e.g. 6.1 (default: the running kernel's)")
	cmd.Flags().BoolVar(&bf.noENOSYS, "no-enosys", false, noENOSYSUsage)
}

// options are the pipeline's options from the flags, --profile read.
func (bf *buildFlags) options(cmd *cobra.Command) (pipeline.Options, error) {
	opts := pipeline.Options{LogOnly: bf.logOnly}
	opts.Compile.Arches = bf.arches
	opts.Compile.Policy = bf.policy
	opts.Import.Kernel = bf.kernel
	opts.Import.Caps = capSet(bf.caps, bf.capAdd)
	opts.Import.NoNewerENOSYS = bf.noENOSYS
	err := bf.applyProfile(cmd, &opts.Optimize)
	return opts, err
}

// load reads the input at path ("-": stdin) and makes it ready to build.
func (bf *buildFlags) load(cmd *cobra.Command, path string) (*pipeline.Source, error) {
	if path == "-" && bf.profile == "-" {
		return nil, errors.New("the policy and --profile cannot both be read from stdin")
	}
	opts, err := bf.options(cmd)
	if err != nil {
		return nil, err
	}
	return bf.input.load(cmd, path, opts)
}

// build builds the policy --policy names, or the only one, of the input at path.
// Diagnostics are printed to stderr; the error is then an exitError.
func (bf *buildFlags) build(cmd *cobra.Command, path string) (*pipeline.Output, *pipeline.Source, error) {
	src, err := bf.load(cmd, path)
	if err != nil {
		return nil, nil, err
	}
	out, err := buildPolicy(cmd, src, bf.policy)
	bf.built = out
	return out, src, err
}

// buildPolicy builds one policy of src, printing its diagnostics.
func buildPolicy(cmd *cobra.Command, src *pipeline.Source, policy string) (*pipeline.Output, error) {
	out, errs := src.Build(policy)
	if err := reportDiags(cmd.ErrOrStderr(), errs, out.Sources); err != nil {
		return nil, err
	}
	return out, nil
}

func newBuildCmd() *cobra.Command {
	var bf buildFlags
	var output, format, name, pkg string
	var prove bool
	cmd := &cobra.Command{
		Use:   "build [-o FILE] [--format blob|raw|c|go|text] [--arch A] POLICY",
		Short: "Compile a policy (or a Docker/OCI profile) into a seccomp filter",
		Long: "build compiles POLICY into a verified seccomp filter. The default format is an scc\n" +
			"blob (docs/blob-format.md), written without -o to the file's name with .bpf in the\n" +
			"current directory (sub/web.sc gives web.bpf, whatever the policy is called); raw is\n" +
			"the bare program (what bwrap --seccomp takes), named with .raw; c and go are source\n" +
			"to embed; text disassembles. POLICY - reads stdin; its kind is told by its content\n" +
			"(a policy, or a Docker/OCI profile), or by --input-format.\n" +
			"Text formats go to stdout unless -o is given; -o - means stdout. The output file is\n" +
			"written atomically: a failed build leaves no file and an existing one untouched, and\n" +
			"an output that is one of the inputs (by any path or link) is refused.",
		Args: wantArgs(1, 1, "one POLICY file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			form, err := backend.ParseFormat(format)
			if err != nil {
				return err
			}
			path, err := outputPath(output, form, args[0])
			if err != nil {
				return err
			}
			src, err := bf.load(cmd, args[0])
			if err != nil {
				return err
			}
			if src.Imported != nil {
				printWarnings(cmd.ErrOrStderr(), "warning", src.Input.Name, src.Imported.Warnings)
			}
			out, err := buildPolicy(cmd, src, bf.policy)
			if err != nil {
				return err
			}
			if prove {
				if err := proveBuild(cmd, out, bf.logOnly); err != nil {
					return err
				}
			}
			var buf bytes.Buffer
			if err := backend.Encode(&buf, form, out.Filter, backend.Options{Name: name, Package: pkg}); err != nil {
				return err
			}
			return writeOutputOf(cmd.OutOrStdout(), path, buf.Bytes(), src.Inputs())
		},
	}
	bf.register(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "", "output file (- for stdout)")
	cmd.Flags().StringVar(&format, "format", "blob", "output format: blob, raw, c, go, text")
	cmd.Flags().StringVar(&name, "name", "", "identifier for the c and go formats")
	cmd.Flags().StringVar(&pkg, "package", "", "package name for the go format")
	registerProve(cmd, &prove)
	return cmd
}

// outputPath is where build writes: -o; else, for the binary formats, the input file's
// name with .bpf (a blob) or .raw (a raw program), in the current directory; else stdout.
func outputPath(output string, form backend.Format, input string) (string, error) {
	if output != "" {
		return output, nil
	}
	ext := ""
	switch form {
	case backend.FormatBlob:
		ext = ".bpf"
	case backend.FormatRaw:
		ext = ".raw"
	default:
		return "-", nil
	}
	if input == "-" {
		return "", errors.New("the policy comes from stdin: name the output with -o (-o - for stdout)")
	}
	base := filepath.Base(input)
	return strings.TrimSuffix(base, filepath.Ext(base)) + ext, nil
}
