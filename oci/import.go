package oci

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/stdlib"
)

// ImportOptions tune Import.
type ImportOptions struct {
	EvalOptions
	// Name is the policy's name; empty means one made from Source, else "imported".
	Name string
	// Source is the profile's file name, for the header comment.
	Source string
}

// Import reads a Docker or OCI seccomp profile and writes it as a .sc policy with the same
// decisions: the profile is evaluated for opts' arch, capabilities and kernel as Docker does,
// and each syscall's rules are ordered so that scc's first match gives libseccomp's answer
// (see decide). Syscall names that exist on none of the policy's arches are left out, listed
// in a comment. The policy is in scc fmt's layout (lang.Format).
func Import(profile []byte, opts ImportOptions) ([]byte, error) {
	src, _, err := ImportWithWarnings(profile, opts)
	return src, err
}

// ImportWithWarnings is Import, and also says what of the profile the policy leaves out,
// one warning a line: every syscall name that is not a syscall on the policy's arches
// (unknown to scc's tables, or of other arches only), and every arch scc has no tables for.
// The policy's comments say the same where it leaves them out.
func ImportWithWarnings(profile []byte, opts ImportOptions) ([]byte, []string, error) {
	p, format, err := Parse(profile)
	if err != nil {
		return nil, nil, err
	}
	r, err := Resolve(p, opts.EvalOptions)
	if err != nil {
		return nil, nil, err
	}
	im, err := newImporter(r, format, opts)
	if err != nil {
		return nil, nil, err
	}
	out := im.write()
	if len(im.errs) > 0 {
		return nil, nil, fmt.Errorf("%s", strings.Join(im.errs, "\n"))
	}
	src, err := layOut(out)
	if err != nil {
		return nil, nil, err
	}
	return src, im.warnings(), nil
}

// maxSuggestions bounds the names warnings looks for a close name for: a profile of
// generated names stays fast to import.
const maxSuggestions = 20

// warnings lists what the policy leaves out: the arches without tables, the names unknown
// to every table (with a close known name when there is one), and the names that are
// syscalls of other arches only, in the profile's order.
func (im *importer) warnings() []string {
	var out []string
	for _, a := range im.unsupported {
		out = append(out, fmt.Sprintf("arch %s left out: scc has no syscall tables for it", a))
	}
	var elsewhere []string
	seen := map[string]bool{}
	suggested := 0
	for _, e := range im.r.Entries {
		for _, n := range e.Names {
			if seen[n] || im.exists(n) {
				continue
			}
			seen[n] = true
			if stdlib.KnownSyscall(n) {
				elsewhere = append(elsewhere, n)
				continue
			}
			hint := ""
			if suggested < maxSuggestions {
				if s := diag.Suggest(n, stdlib.AllSyscallNames()); s != "" {
					hint = " (did you mean " + s + "?)"
				}
				suggested++
			}
			out = append(out, fmt.Sprintf("syscall %s left out: no arch in scc's tables has it%s", n, hint))
		}
	}
	if len(elsewhere) > 0 {
		out = append(out, fmt.Sprintf("left out, not syscalls on %s (other arches have them): %s",
			strings.Join(im.arches, ", "), strings.Join(elsewhere, ", ")))
	}
	return out
}

// layOut puts the policy in scc fmt's layout, so that fmt of an imported policy changes
// nothing.
func layOut(src []byte) ([]byte, error) {
	f, errs := lang.Parse("imported.sc", src)
	if errs.HasErrors() {
		return nil, fmt.Errorf("the imported policy does not parse (a bug in scc import): %w", errs.Err())
	}
	return lang.Format(f), nil
}

// importer writes one resolved profile as a policy.
type importer struct {
	r           *Resolved
	format      Format
	opts        ImportOptions
	arches      []string // scc's names of the filter's arches
	unsupported []string // SCMP_ARCH_* names scc has no tables for
	sym         *symbols
	out         strings.Builder
	notes       []string // for the line being written: values scc reads otherwise than libseccomp
	errs        []string // what the policy cannot say
}

func newImporter(r *Resolved, format Format, opts ImportOptions) (*importer, error) {
	im := &importer{r: r, format: format, opts: opts}
	scmp := r.Arches
	if len(scmp) == 0 {
		scmp = []string{nativeToScmp[r.Native]}
	}
	for _, a := range scmp {
		if name, ok := scmpToScc[a]; ok && !slices.Contains(im.arches, name) {
			im.arches = append(im.arches, name)
		} else if !ok {
			im.unsupported = append(im.unsupported, a)
		}
	}
	if len(im.arches) == 0 {
		return nil, fmt.Errorf("scc has no tables for any arch of the profile (%s)", strings.Join(scmp, ", "))
	}
	im.sym = newSymbols(im.arches)
	return im, nil
}

// write renders the whole policy.
func (im *importer) write() []byte {
	im.header()
	fmt.Fprintf(&im.out, "policy %s {\n", im.policyName())
	fmt.Fprintf(&im.out, "    arch %s\n", strings.Join(im.arches, ", "))
	fmt.Fprintf(&im.out, "    default %s\n", im.action(im.r.Default))
	im.flags()
	pl := im.plan()
	im.newerNamed(pl)
	for _, l := range pl.lines {
		im.out.WriteString("\n")
		im.line(l)
	}
	im.conflicts(pl)
	im.out.WriteString("}\n")
	return []byte(im.out.String())
}

// header writes the comment that says where the policy came from and how it was evaluated.
func (im *importer) header() {
	src := cmpOr(im.opts.Source, "a profile")
	im.comment("", fmt.Sprintf("Imported by scc from %s (%s).", src, im.format))
	if im.format == FormatDocker {
		im.comment("", fmt.Sprintf("Evaluated as Docker does for host arch %s, Linux %d.%d and the capabilities %s.",
			im.r.Native, im.r.Kernel[0], im.r.Kernel[1], strings.Join(im.r.Caps, ", ")))
	}
	if len(im.unsupported) > 0 {
		im.comment("", "Left out, scc has no tables for them: "+strings.Join(im.unsupported, ", ")+".")
	}
	im.comment("", "libseccomp compares all 64 bits of an argument; scc compares int arguments on "+
		"their low 32 bits, as the kernel reads them.")
	im.out.WriteString("\n")
}

// comment writes text as # lines at the given indent, wrapped near 100 columns.
func (im *importer) comment(indent, text string) {
	for _, para := range strings.Split(text, "\n") {
		words := strings.Fields(para)
		line := indent + "#"
		for _, w := range words {
			if len(line)+1+len(w) > 100 && line != indent+"#" {
				im.out.WriteString(line + "\n")
				line = indent + "#  "
			}
			line += " " + w
		}
		im.out.WriteString(line + "\n")
	}
}

// policyName is the name given in the options or one made from the source file's name.
func (im *importer) policyName() string {
	name := im.opts.Name
	if name == "" && im.opts.Source != "" {
		name = strings.TrimSuffix(filepath.Base(im.opts.Source), filepath.Ext(im.opts.Source))
	}
	var b strings.Builder
	for i, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', i > 0 && c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			b.WriteRune('_')
		}
	}
	if s := strings.Trim(b.String(), "_"); s != "" {
		return s
	}
	return "imported"
}

// flags writes the profile's filter flags and notes what scc cannot carry.
func (im *importer) flags() {
	var words, unknown []string
	for _, f := range im.r.Flags {
		if w, ok := flagWords[f]; ok {
			words = append(words, w)
		} else {
			unknown = append(unknown, f)
		}
	}
	if len(unknown) > 0 {
		im.comment("    ", "Unknown filter flags, left out: "+strings.Join(unknown, ", "))
	}
	if len(words) > 0 {
		fmt.Fprintf(&im.out, "    flags %s\n", strings.Join(words, ", "))
	}
	if im.r.Listener != "" || im.r.ListenerMetadata != "" {
		fmt.Fprintf(&im.out, "    listener %s", strconv.Quote(im.r.Listener))
		if im.r.ListenerMetadata != "" {
			fmt.Fprintf(&im.out, " metadata %s", strconv.Quote(im.r.ListenerMetadata))
		}
		im.out.WriteString("\n")
	}
}

// action writes an action in scc's words, with errno names where scc knows them.
func (im *importer) action(a ir.Action) string {
	switch a.Kind {
	case ir.Errno:
		return "errno(" + im.sym.errno(a.Data) + ")"
	case ir.KillThread:
		return "kill_thread"
	case ir.KillProcess:
		return "kill"
	}
	return a.String()
}

// exists tells whether a syscall name exists on any of the policy's arches.
func (im *importer) exists(name string) bool {
	for _, a := range im.arches {
		if _, ok := stdlib.SyscallNumber(a, name); ok {
			return true
		}
	}
	return false
}
