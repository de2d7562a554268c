package oci

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lang/token"
	"github.com/scc-dev/scc/stdlib"
)

// ImportOptions tune Import.
type ImportOptions struct {
	EvalOptions
	// Name is the policy's name; empty means one made from Source, else "imported".
	Name string
	// Source is the profile's file name, for the header comment.
	Source string
	// File is the name of the policy's file, lang.File.Name of Imported.File: the name the
	// compiler's diagnostics would give. Empty means "imported.sc".
	File string
}

// Imported is a profile imported as a policy.
type Imported struct {
	// File is the policy's syntax tree, what the compiler takes. It is built, not parsed:
	// its nodes carry no lines and columns, only the file's name at the policy. Text is the
	// same policy as text, where diagnostics can point.
	File *lang.File
	// Warnings say what of the profile the policy leaves out, one a line: every syscall name
	// that is not a syscall on the policy's arches (unknown to scc's tables, or of other
	// arches only), and every arch scc has no tables for. The policy's comments say the same
	// where it leaves them out.
	Warnings []string

	im *importer // for Text: the body's comments and the evaluation the header tells
}

// piece is one element of an imported policy's body, as its text writes it: a statement (of
// File's policy), a comment, or else a blank line.
type piece struct {
	stmt    lang.Stmt
	comment string
}

// ImportPolicy reads a Docker or OCI seccomp profile and makes a policy with the same
// decisions: the profile is evaluated for opts' arch, capabilities and kernel as Docker does,
// and each syscall's rules are ordered so that scc's first match gives libseccomp's answer
// (see decide). Syscall names that exist on none of the policy's arches are left out, listed
// in a comment and in the warnings.
func ImportPolicy(profile []byte, opts ImportOptions) (*Imported, error) {
	p, format, err := Parse(profile)
	if err != nil {
		return nil, err
	}
	r, err := Resolve(p, opts.EvalOptions)
	if err != nil {
		return nil, err
	}
	im, err := newImporter(r, format, opts)
	if err != nil {
		return nil, err
	}
	im.build()
	if len(im.errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(im.errs, "\n"))
	}
	return &Imported{File: im.file, Warnings: im.warnings(), im: im}, nil
}

// Import is ImportPolicy's policy as text (Imported.Text).
func Import(profile []byte, opts ImportOptions) ([]byte, error) {
	src, _, err := ImportWithWarnings(profile, opts)
	return src, err
}

// ImportWithWarnings is Import, and also says what of the profile the policy leaves out
// (Imported.Warnings).
func ImportWithWarnings(profile []byte, opts ImportOptions) ([]byte, []string, error) {
	p, err := ImportPolicy(profile, opts)
	if err != nil {
		return nil, nil, err
	}
	src, err := p.Text()
	if err != nil {
		return nil, nil, err
	}
	return src, p.Warnings, nil
}

// Text writes the policy with its comments, which say where it came from, how it was
// evaluated and what it leaves out, in scc fmt's layout (lang.Format).
func (p *Imported) Text() ([]byte, error) {
	var b strings.Builder
	for _, c := range p.im.header() {
		writeComment(&b, "", c)
	}
	pol := p.File.Decls[0].(*lang.PolicyDecl)
	b.WriteString("\npolicy " + pol.Name.Name + " {\n")
	for _, pc := range p.im.body {
		switch {
		case pc.stmt != nil:
			b.WriteString(lang.FormatStmt(pc.stmt))
		case pc.comment != "":
			writeComment(&b, "    ", pc.comment)
		default:
			b.WriteString("\n")
		}
	}
	b.WriteString("}\n")
	return layOut([]byte(b.String()))
}

// writeComment writes text as # lines at the given indent, wrapped near 100 columns.
func writeComment(b *strings.Builder, indent, text string) {
	for _, para := range strings.Split(text, "\n") {
		words := strings.Fields(para)
		line := indent + "#"
		for _, w := range words {
			if len(line)+1+len(w) > 100 && line != indent+"#" {
				b.WriteString(line + "\n")
				line = indent + "#  "
			}
			line += " " + w
		}
		b.WriteString(line + "\n")
	}
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
	seen := make([]bool, len(im.names.list))
	suggested := 0
	for _, ids := range im.entryIDs {
		for _, id := range ids {
			if seen[id] || im.names.known[id] {
				continue
			}
			seen[id] = true
			n := im.names.list[id]
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

// importer builds one resolved profile's policy.
type importer struct {
	r           *Resolved
	format      Format
	opts        ImportOptions
	arches      []string // scc's names of the filter's arches
	unsupported []string // SCMP_ARCH_* names scc has no tables for
	sym         *symbols
	names       syscallNames // the profile's syscall names
	entryIDs    [][]int      // the names of each entry of r.Entries, each once
	file        *lang.File
	policy      *lang.PolicyDecl
	body        []piece  // the policy's body as its text writes it
	notes       []string // for the rule being built: values scc reads otherwise than libseccomp
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
	im.internNames()
	return im, nil
}

// build makes the whole policy.
func (im *importer) build() {
	name := cmpOr(im.opts.File, "imported.sc")
	im.policy = &lang.PolicyDecl{At: diag.Pos{File: name}, Name: ident(im.policyName())}
	im.file = &lang.File{Name: name, Decls: []lang.Decl{im.policy}}
	im.stmt(&lang.ArchStmt{Arches: idents(im.arches)})
	im.stmt(&lang.DefaultStmt{Action: im.action(im.r.Default)})
	im.flags()
	pl := im.plan()
	im.newerNamed(pl)
	for _, l := range pl.lines {
		im.blank()
		im.line(l)
	}
	im.conflicts(pl)
}

// stmt adds a statement to the policy.
func (im *importer) stmt(s lang.Stmt) {
	im.policy.Body = append(im.policy.Body, s)
	im.body = append(im.body, piece{stmt: s})
}

// comment adds a comment to the policy's text, before what comes next.
func (im *importer) comment(text string) { im.body = append(im.body, piece{comment: text}) }

// blank adds a blank line to the policy's text.
func (im *importer) blank() { im.body = append(im.body, piece{}) }

// header is the comments before the policy, one paragraph each: where it came from and how
// it was evaluated.
func (im *importer) header() []string {
	src := cmpOr(im.opts.Source, "a profile")
	out := []string{fmt.Sprintf("Imported by scc from %s (%s).", src, im.format)}
	if im.format == FormatDocker {
		out = append(out, fmt.Sprintf("Evaluated as Docker does for host arch %s, Linux %d.%d and the capabilities %s.",
			im.r.Native, im.r.Kernel[0], im.r.Kernel[1], strings.Join(im.r.Caps, ", ")))
	}
	if len(im.unsupported) > 0 {
		out = append(out, "Left out, scc has no tables for them: "+strings.Join(im.unsupported, ", ")+".")
	}
	return append(out, "libseccomp compares all 64 bits of an argument; scc compares int arguments on "+
		"their low 32 bits, as the kernel reads them.")
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
	if s := strings.Trim(b.String(), "_"); s != "" && !reserved(s) {
		return s
	}
	return "imported"
}

// reserved tells whether a word is never a name: the keywords of conditions.
func reserved(s string) bool {
	t := token.Lookup(s)
	return t == token.If || t == token.In
}

// flags adds the profile's filter flags and notes what scc cannot carry.
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
		im.comment("Unknown filter flags, left out: " + strings.Join(unknown, ", "))
	}
	if len(words) > 0 {
		im.stmt(&lang.FlagsStmt{Flags: idents(words)})
	}
	if im.r.Listener != "" || im.r.ListenerMetadata != "" {
		im.stmt(&lang.ListenerStmt{Path: im.r.Listener, Metadata: im.r.ListenerMetadata, HasMetadata: im.r.ListenerMetadata != ""})
	}
}

// action is an action in scc's words, with errno names where scc knows them.
func (im *importer) action(a ir.Action) *lang.Action {
	switch a.Kind {
	case ir.Errno:
		return &lang.Action{Name: token.Errno.String(), Arg: im.sym.errno(a.Data)}
	case ir.Trap:
		return &lang.Action{Name: token.Trap.String(), Arg: number(uint64(a.Data))}
	case ir.Trace:
		return &lang.Action{Name: token.Trace.String(), Arg: number(uint64(a.Data))}
	case ir.KillThread:
		return &lang.Action{Name: token.KillThread.String()}
	case ir.KillProcess:
		return &lang.Action{Name: token.Kill.String()}
	}
	return &lang.Action{Name: a.String()}
}

// ident is a name of the policy.
func ident(name string) *lang.Ident { return &lang.Ident{Name: name} }

// idents are names of the policy, allocated together.
func idents(names []string) []*lang.Ident {
	ids := make([]lang.Ident, len(names))
	out := make([]*lang.Ident, len(names))
	for i, n := range names {
		ids[i].Name = n
		out[i] = &ids[i]
	}
	return out
}
