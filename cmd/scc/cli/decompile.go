package cli

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/irmeaning"
	"github.com/scc-dev/scc/meaning"
	"github.com/scc-dev/scc/pipeline"
	"github.com/scc-dev/scc/program"
	"github.com/scc-dev/scc/stdlib"
)

const decompileLong = `decompile turns a seccomp program (a raw program, an scc blob, or pid:N, the filters of a
running process) into a policy that builds into an equivalent program: one that decides
exactly as PROGRAM on every call. The policy names the arches and syscalls, writes each
syscall's arguments by the names of its signature and constants by name where the value is
certain, and groups rules by action.

decompile checks its own output: it compiles the policy and compares its meaning with the
program's, as scc diff does, before writing it. The decision for the arches the program does
not name is written default foreign (libseccomp's bad-arch action), a comparison of the high
half of a 32-bit argument u64(ARG), a syscall decided differently on two arches with arch
conditions (allow map_shadow_stack if arch != x32), a number of no known syscall by number
(allow nr=1000). A program that does what the language cannot say (arches it does not name
decided otherwise than by one action that fails closed, two arches with different defaults,
hundreds of numbers of no known syscall decided otherwise than the default) is refused,
exit status 2, with what is missing.`

func newDecompileCmd() *cobra.Command {
	var bf buildFlags
	var output, name string
	var arches []string
	cmd := &cobra.Command{
		Use:   "decompile [-o FILE] [--name NAME] [--arch A,...] PROGRAM",
		Short: "Turn a seccomp program into a policy that builds into an equivalent program",
		Long:  decompileLong,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s := meaning.NewSpace()
			m, err := loadProgramMeaning(cmd, &bf, s, args[0])
			if err != nil {
				return err
			}
			if name == "" {
				name = "decompiled"
			}
			if len(arches) > 0 {
				if m, err = onlyArches(s, m, arches); err != nil {
					return err
				}
			}
			src, err := decompileChecked(s, m, name)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			if output == "" {
				output = "-"
			}
			return writeOutput(cmd.OutOrStdout(), output, src)
		},
	}
	bf.input.register(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "", "output file (default: stdout)")
	cmd.Flags().StringVar(&name, "name", "", "the policy's name (default: decompiled)")
	cmd.Flags().StringSliceVar(&arches, "arch", nil,
		"decompile only these arches' part of the program (the calls of the others are then killed, as the policy says)")
	return cmd
}

// loadProgramMeaning reads a compiled program, or pid:N, as a meaning.
func loadProgramMeaning(cmd *cobra.Command, bf *buildFlags, s *meaning.Space, arg string) (meaning.Node, error) {
	if strings.HasPrefix(arg, "pid:") {
		return processMeaning(s, arg)
	}
	src, err := bf.load(cmd, arg)
	if err != nil {
		return 0, err
	}
	if src.Filter == nil {
		return 0, fmt.Errorf("%s is a %s, not a program: decompile reads a raw program, a blob or pid:N", src.Input.Name, src.Input.Kind)
	}
	n, err := s.Program(src.Filter.Program, src.Filter.BigEndian)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", arg, err)
	}
	return n, nil
}

// onlyArches is m on the named arches' audit values, and kill on every other.
func onlyArches(s *meaning.Space, m meaning.Node, names []string) (meaning.Node, error) {
	in := s.False
	for _, n := range names {
		a, ok := stdlib.LookupArch(n)
		if !ok {
			return 0, fmt.Errorf("--arch %s: unknown arch", n)
		}
		in = s.Or(in, s.ArchIs(a.Audit))
	}
	return s.ITE(in, m, s.Ret(program.RetKillProcess)), nil
}

// errNotAlike is checkDecompiled's error when the policy does not decide as the program.
var errNotAlike = errors.New("the decompiled policy does not decide as the program")

// checkDecompiled compiles the policy and proves that it decides as the program.
func checkDecompiled(s *meaning.Space, m meaning.Node, src []byte) error {
	in := &pipeline.Input{Name: "decompiled.sc", Data: src, Kind: pipeline.Policy}
	ps, err := pipeline.Load(in, pipeline.Options{})
	if err != nil {
		return err
	}
	res, errs := ps.Compile("")
	if errs.HasErrors() {
		return fmt.Errorf("the decompiled policy does not compile (a decompiler bug): %v\n%s", errs, src)
	}
	pm, err := irmeaning.Policy(s, res.Policy)
	if err != nil {
		return err
	}
	diffs, err := s.Diff(m, pm)
	if err != nil {
		return err
	}
	if len(diffs) > 0 {
		var b bytes.Buffer
		writeDiffText(&b, diffs)
		return fmt.Errorf("%w (a decompiler bug):\n%s\n%s", errNotAlike, b.String(), src)
	}
	return nil
}

// decompileChecked writes the policy of meaning m and proves that it decides as m. The
// rules of the arches whose long is 32 bits are first taken to be those of the 64-bit arches
// where these need u64(ARG) (one rule for all, as libseccomp's programs have it); when the
// proof says that they decide otherwise, each arch gets its own rules.
func decompileChecked(s *meaning.Space, m meaning.Node, name string) ([]byte, error) {
	var widened bool
	src, err := decompile(s, m, name, true, &widened)
	if err != nil {
		return nil, fmt.Errorf("cannot decompile: %w", err)
	}
	err = checkDecompiled(s, m, src)
	if widened && errors.Is(err, errNotAlike) {
		if src, err = decompile(s, m, name, false, &widened); err != nil {
			return nil, fmt.Errorf("cannot decompile: %w", err)
		}
		err = checkDecompiled(s, m, src)
	}
	if err != nil {
		return nil, err
	}
	return src, nil
}

// archPart is one arch of the policy being written: the program's decisions on it.
type archPart struct {
	arch stdlib.Arch
	fn   meaning.Node // a function of the number and the arguments
	// skipped tells that -1, the number of a call a tracer skipped, is this arch's: the
	// first named of arches sharing an audit value.
	skipped bool
}

// owns tells whether nr is one of the part's numbers.
func (p archPart) owns(nr uint32) bool {
	if nr == ir.SkippedSyscall {
		return p.skipped
	}
	return owns(p.arch, nr)
}

// decompile writes the policy of meaning m. widened is set when the rules of an arch whose
// long is 32 bits were taken to be those of a 64-bit arch that need u64(ARG): the proof of
// the policy then tells whether they decide alike.
func decompile(s *meaning.Space, m meaning.Node, name string, widen bool, widened *bool) ([]byte, error) {
	foreign, err := foreignOf(s, m)
	if err != nil {
		return nil, err
	}
	parts, err := splitArches(s, m, foreign)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Decompiled by scc decompile: this policy builds into a program that decides\n# exactly as the original on every call.\n")
	fmt.Fprintf(&b, "policy %s {\n", name)
	var names []string
	for _, p := range parts {
		names = append(names, p.arch.Name)
	}
	fmt.Fprintf(&b, "    arch %s\n", strings.Join(names, ", "))
	if d, _ := s.Const(foreign); d != program.RetKillProcess {
		fmt.Fprintf(&b, "    default foreign %s\n", actionText(parts[0].arch, true, d))
	}
	body, err := archBodies(s, parts, widen, widened)
	if err != nil {
		return nil, err
	}
	b.WriteString(body)
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// foreignOf is the program's decision for the calls of the arches it does not name (`default
// foreign`): what it decides for arch value 0, which is no arch's. A policy gives them one
// action, and one that fails closed.
func foreignOf(s *meaning.Space, m meaning.Node) (meaning.Node, error) {
	arches, err := s.Intervals(m, 0)
	if err != nil {
		return 0, err
	}
	r := arches[0] // the arch values from 0 up
	d, ok := s.Const(r.Node)
	if !ok {
		return 0, fmt.Errorf("calls of arches %#x..%#x are decided by their number or arguments; a policy gives the calls of every arch it does not name one action", r.Lo, r.Hi)
	}
	switch ir.ActionFromRet(d).Kind {
	case ir.KillProcess, ir.KillThread, ir.Trap, ir.Errno:
		return r.Node, nil
	}
	return 0, fmt.Errorf("calls of arches %#x..%#x get %s; a policy's default foreign must fail closed (kill, kill_thread, trap or errno)",
		r.Lo, r.Hi, actionText(stdlib.Arch{}, false, d))
}

// splitArches finds the arches the program tells apart: every arch value it decides on
// otherwise than with foreign, the decision of the arches it does not name, split into
// x86_64 and x32 by number.
func splitArches(s *meaning.Space, m, foreign meaning.Node) ([]archPart, error) {
	var parts []archPart
	arches, err := s.Intervals(m, 0)
	if err != nil {
		return nil, err
	}
	for _, r := range arches {
		if r.Node == foreign {
			continue
		}
		if r.Lo != r.Hi {
			d := s.Decisions(r.Node)
			f, _ := s.Const(foreign)
			return nil, fmt.Errorf("calls of arches %#x..%#x get %s, unlike the other arches the program does not name (%s); a policy gives them all one action",
				r.Lo, r.Hi, actionText(stdlib.Arch{}, false, d[0]), actionText(stdlib.Arch{}, false, f))
		}
		var found []stdlib.Arch
		for _, a := range stdlib.Arches() {
			if a.Audit == r.Lo {
				found = append(found, a)
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("the program decides calls of arch %#x, which scc does not know", r.Lo)
		}
		sort.Slice(found, func(i, j int) bool { return found[i].NrMask < found[j].NrMask }) // x86_64 before x32
		first := true
		for _, a := range found {
			if len(found) > 1 && allForeign(s, r.Node, a, foreign) {
				continue
			}
			parts = append(parts, archPart{arch: a, fn: r.Node, skipped: first})
			first = false
		}
	}
	if len(parts) == 0 { // one decision for every call: a policy of any arch with that default says it
		a, _ := stdlib.LookupArch("x86_64")
		parts = append(parts, archPart{arch: a, fn: foreign, skipped: true})
	}
	return parts, nil
}

// owns tells whether nr is one of arch's numbers (-1 is the first named's: x86_64's).
func owns(a stdlib.Arch, nr uint32) bool {
	if a.Audit != ir.AuditArchX86_64 {
		return true
	}
	x32 := nr >= ir.X32SyscallBit && nr != ir.SkippedSyscall
	return x32 == (a.NrMask != 0)
}

// allForeign tells whether fn decides every call of arch a's numbers as foreign.
func allForeign(s *meaning.Space, fn meaning.Node, a stdlib.Arch, foreign meaning.Node) bool {
	ranges, err := s.Intervals(fn, 1)
	if err != nil {
		return false // named: rulesOf then reports the error
	}
	for _, r := range ranges {
		if r.Node == foreign {
			continue
		}
		for _, nr := range []uint32{r.Lo, r.Hi} {
			if nr == ir.SkippedSyscall { // -1 alone names no arch: it goes to the first named
				if r.Lo == nr {
					continue
				}
				nr--
			}
			if owns(a, nr) {
				return false
			}
		}
		if r.Lo < ir.X32SyscallBit && r.Hi >= ir.X32SyscallBit { // spans both ABIs
			return false
		}
	}
	return true
}

// archRules is what one arch decides, as a policy writes it.
type archRules struct {
	def, newer uint32
	hasNewer   bool
	rules      map[string][]string // syscall name → its rules ("ACTION" or "ACTION if COND"), in order
}

// archBodies writes the policy body shared by every arch: the defaults, then the rules,
// grouped by action.
func archBodies(s *meaning.Space, parts []archPart, widen bool, widened *bool) (string, error) {
	var all []archRules
	def, err := defaultOf(s, parts[0])
	if err != nil {
		return "", err
	}
	for _, p := range parts {
		ar, err := rulesOf(s, p, def)
		if err != nil {
			return "", fmt.Errorf("%s: %w", p.arch.Name, err)
		}
		all = append(all, ar)
	}
	first := all[0]
	a0 := parts[0].arch
	for i, ar := range all[1:] {
		if ar.def != first.def || ar.hasNewer != first.hasNewer || ar.newer != first.newer {
			return "", fmt.Errorf("%s and %s have different defaults; a policy has one for every arch (decompile one arch at a time with --arch)",
				a0.Name, parts[i+1].arch.Name)
		}
	}
	merged := map[string][]string{}
	for _, name := range ruleNames(all) {
		rules, ok := commonRules(parts, all, name, widen, widened)
		if !ok {
			rules = perArchRules(parts, all, name)
		}
		merged[name] = rules
	}
	var b strings.Builder
	fmt.Fprintf(&b, "    default %s\n", actionText(a0, true, first.def))
	if first.hasNewer {
		fmt.Fprintf(&b, "    default newer %s\n", actionText(a0, true, first.newer))
	}
	writeRules(&b, merged)
	return b.String(), nil
}

// ruleNames are the syscalls that some arch's rules name, sorted.
func ruleNames(all []archRules) []string {
	var names []string
	for _, ar := range all {
		for name := range ar.rules {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// commonRules is the one rule list that says syscall name on every arch that has it, if
// there is one: the arches agree, or (with widen) they differ only in that the rules of
// the arches whose long is 64 bits need u64(ARG), which on the others is ARG compared as a
// number: their rules are then the 64-bit arches' (and widened is set: the proof of the
// whole policy checks that they decide alike there too). An arch on which the syscall
// exists without rules of its own gives it the default, and agrees only with that.
func commonRules(parts []archPart, all []archRules, name string, widen bool, widened *bool) ([]string, bool) {
	var common []string
	found, lp64 := false, false // lp64: common came from an arch whose long is 64 bits
	for i, p := range parts {
		if !syscallOn(p.arch, name) {
			continue
		}
		rules := all[i].rules[name] // nil: the default
		wide := p.arch.LongBits == 64
		switch {
		case !found || slices.Equal(common, rules):
			common, found, lp64 = rules, true, lp64 || wide
		case widen && wide && !lp64 && hasWide(rules) && common != nil:
			common, lp64, *widened = rules, true, true
		case widen && !wide && lp64 && hasWide(common) && rules != nil:
			*widened = true
		default:
			return nil, false
		}
	}
	return common, true
}

// perArchRules writes syscall name's rules for the arches that decide it differently: the
// arches with the same rules share them, each rule under an arch condition (arch == A, or
// arch in {A, B}); the arches where it gets the default need none. Different arch
// conditions never hold together, so the order of the groups does not matter.
func perArchRules(parts []archPart, all []archRules, name string) []string {
	var keys, having []string // having: the arches that have the syscall
	arches := map[string][]string{}
	rules := map[string][]string{}
	for i, p := range parts {
		if syscallOn(p.arch, name) {
			having = append(having, p.arch.Name)
		}
		rs, ok := all[i].rules[name]
		if !ok {
			continue // the default, or no such syscall
		}
		key := strings.Join(rs, "\n")
		if _, seen := arches[key]; !seen {
			keys = append(keys, key)
			rules[key] = rs
		}
		arches[key] = append(arches[key], p.arch.Name)
	}
	var out []string
	for _, key := range keys {
		cond := archCondition(arches[key], having)
		for _, r := range rules[key] {
			act, c, conditional := strings.Cut(r, " if ")
			if conditional {
				out = append(out, act+" if "+cond+" && "+parenOr(c))
			} else {
				out = append(out, act+" if "+cond)
			}
		}
	}
	return out
}

// archCondition is the condition that holds on the arches in, among those in having: arch ==
// A for one, arch != B when all but one, arch in {A, B, …} otherwise.
func archCondition(in, having []string) string {
	switch {
	case len(in) == 1:
		return "arch == " + in[0]
	case len(in) == len(having)-1:
		for _, a := range having {
			if !slices.Contains(in, a) {
				return "arch != " + a
			}
		}
	}
	return "arch in {" + strings.Join(in, ", ") + "}"
}

// parenOr puts a condition in parentheses when it has || outside them, so that it can be
// the right side of &&.
func parenOr(cond string) string {
	depth := 0
	for i := 0; i < len(cond); i++ {
		switch {
		case cond[i] == '(' || cond[i] == '{':
			depth++
		case cond[i] == ')' || cond[i] == '}':
			depth--
		case depth == 0 && strings.HasPrefix(cond[i:], "||"):
			return "(" + cond + ")"
		}
	}
	return cond
}

// hasWide tells whether rules use u64(ARG).
func hasWide(rules []string) bool {
	return slices.ContainsFunc(rules, func(r string) bool { return strings.Contains(r, "u64(") })
}

// writeRules writes unconditional rules grouped by action (one line per action, names
// sorted), then each syscall's conditional rules.
func writeRules(b *strings.Builder, rules map[string][]string) {
	byAction := map[string][]string{}
	var conditional []string
	for name, rs := range rules {
		if len(rs) == 1 && !strings.Contains(rs[0], " if ") {
			byAction[rs[0]] = append(byAction[rs[0]], name)
		} else {
			conditional = append(conditional, name)
		}
	}
	actions := make([]string, 0, len(byAction))
	for a := range byAction {
		actions = append(actions, a)
	}
	sort.Slice(actions, func(i, j int) bool { return actionOrder(actions[i]) < actionOrder(actions[j]) })
	for _, a := range actions {
		names := byAction[a]
		sort.Strings(names)
		b.WriteString("\n")
		writeWrapped(b, "    "+a+" ", names)
	}
	sort.Strings(conditional)
	if len(conditional) > 0 {
		b.WriteString("\n")
	}
	for _, name := range conditional {
		for _, r := range rules[name] {
			act, cond, _ := strings.Cut(r, " if ")
			if cond == "" {
				fmt.Fprintf(b, "    %s %s\n", act, name)
			} else {
				fmt.Fprintf(b, "    %s %s if %s\n", act, name, cond)
			}
		}
	}
}

// actionOrder sorts actions: allow first, then the others by name.
func actionOrder(a string) string {
	if a == "allow" {
		return "0"
	}
	return "1" + a
}

// writeWrapped writes prefix then names separated by commas, wrapped under 100 columns.
func writeWrapped(b *strings.Builder, prefix string, names []string) {
	line := prefix
	for i, n := range names {
		piece := n
		if i < len(names)-1 {
			piece += ","
		}
		if len(line)+len(piece)+1 > 100 && line != prefix {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = strings.Repeat(" ", len(prefix))
		}
		line += piece + " "
	}
	b.WriteString(strings.TrimRight(line, " ") + "\n")
}

// rulesOf reads one arch's defaults and rules off the program's decisions.
func rulesOf(s *meaning.Space, p archPart, policyDefault uint32) (archRules, error) {
	a := p.arch
	ar := archRules{rules: map[string][]string{}}
	ranges, err := s.Intervals(p.fn, 1)
	if err != nil {
		return ar, err
	}
	at := func(nr uint32) meaning.Node {
		i := sort.Search(len(ranges), func(i int) bool { return ranges[i].Hi >= nr })
		return ranges[i].Node
	}
	names := stdlib.SharedSyscallTable(a.Name)
	// The default: what -1 gets (it always gets the default), on the arch that owns it.
	def := policyDefault
	ar.def = def
	// Newer numbers: one decision on all of them, or the default.
	newer, hasNewer, err := newerOf(s, p, ranges)
	if err != nil {
		return ar, err
	}
	if hasNewer && newer != def {
		ar.newer, ar.hasNewer = newer, true
	}
	// Every number must be a syscall's, or get the default (or the newer action), or be
	// named by number: nr=N.
	maxKnown := stdlib.MaxSyscall(a.Name)
	unnamed, err := unnamedNumbers(s, p, ranges, names, func(nr uint32) uint32 {
		if ar.hasNewer && isNewer(a, nr, maxKnown) {
			return ar.newer
		}
		return def
	})
	if err != nil {
		return ar, err
	}
	for _, nr := range unnamed {
		name := numberName(nr)
		rules, err := syscallRules(s, a, name, at(nr), def)
		if err != nil {
			return ar, fmt.Errorf("%s: %w", name, err)
		}
		ar.rules[name] = rules
	}
	nrs := make([]uint32, 0, len(names))
	for nr := range names {
		if p.owns(nr) {
			nrs = append(nrs, nr)
		}
	}
	slices.Sort(nrs)
	for _, nr := range nrs {
		name := names[nr]
		fn := at(nr)
		want := def
		if ar.hasNewer && isNewer(a, nr, maxKnown) {
			want = ar.newer
		}
		if d, ok := s.Const(fn); ok && d == def && want == def {
			continue
		}
		rules, err := syscallRules(s, a, name, fn, def)
		if err != nil {
			return ar, fmt.Errorf("%s: %w", name, err)
		}
		ar.rules[name] = rules
	}
	return ar, nil
}

// maxNumberRules bounds the numbers of no known syscall that decompile names by number in
// one arch's rules: a program that decides more of them otherwise than the default (or the
// newer action) is refused.
const maxNumberRules = 256

// unnamedNumbers are the numbers of part p that no syscall of its tables has and whose
// decision is not want(nr), what the policy gives them without a rule: the ones to name by
// number.
func unnamedNumbers(s *meaning.Space, p archPart, ranges []meaning.Range, names map[uint32]string, want func(uint32) uint32) ([]uint32, error) {
	var out []uint32
	maxKnown := stdlib.MaxSyscall(p.arch.Name)
	for _, r := range ranges {
		lo, hi, ok := ownedSpan(p.arch, r.Lo, r.Hi)
		if !ok {
			continue
		}
		d, constant := s.Const(r.Node)
		for nr := lo; ; nr++ {
			if constant && nr > maxKnown && d == want(nr) {
				break // want is the same for every number above the tables
			}
			if _, named := names[nr]; !named && (!constant || d != want(nr)) {
				if len(out) == maxNumberRules {
					return nil, fmt.Errorf("more than %d numbers of no known syscall (%#x and %#x among them) get a decision other than the default or the newer action; a policy names them one by one (nr=N)",
						maxNumberRules, out[0], nr)
				}
				out = append(out, nr)
			}
			if nr == hi {
				break
			}
		}
	}
	return out, nil
}

// ownedSpan is the part of lo..hi that is arch a's numbers (x86_64's without x32's bit,
// x32's with it), -1 left out.
func ownedSpan(a stdlib.Arch, lo, hi uint32) (uint32, uint32, bool) {
	hi = min(hi, ir.SkippedSyscall-1)
	if a.Audit == ir.AuditArchX86_64 {
		if a.NrMask != 0 {
			lo = max(lo, ir.X32SyscallBit)
		} else {
			hi = min(hi, ir.X32SyscallBit-1)
		}
	}
	return lo, hi, lo <= hi
}

// numberName is the name of a syscall by number, nr=N, in decimal or, from 0x10000 up (x32's
// numbers), in hex.
func numberName(nr uint32) string {
	if nr >= 0x10000 {
		return fmt.Sprintf("nr=%#x", nr)
	}
	return fmt.Sprintf("nr=%d", nr)
}

// syscallOn tells whether name, a syscall's name or nr=N, names a syscall of arch a.
func syscallOn(a stdlib.Arch, name string) bool {
	if text, ok := strings.CutPrefix(name, "nr="); ok {
		nr, err := strconv.ParseUint(text, 0, 32)
		return err == nil && owns(a, uint32(nr))
	}
	_, ok := stdlib.SyscallNumber(a.Name, name)
	return ok
}

// isNewer tells whether nr is one of the numbers "default newer" covers on arch a.
func isNewer(a stdlib.Arch, nr, maxKnown uint32) bool {
	if nr > maxKnown {
		return nr != ir.SkippedSyscall
	}
	for _, g := range stdlib.NewerGaps(a.Name) {
		if nr >= g[0] && nr <= g[1] {
			return true
		}
	}
	return false
}

// defaultOf is the policy's default: the decision of -1, the number of a call a tracer
// skipped, which a policy always gives the default.
func defaultOf(s *meaning.Space, p archPart) (uint32, error) {
	if !p.skipped {
		return 0, fmt.Errorf("%s is named without x86_64, which a policy cannot say of an x86_64 filter", p.arch.Name)
	}
	ranges, err := s.Intervals(p.fn, 1)
	if err != nil {
		return 0, err
	}
	if d, ok := s.Const(ranges[len(ranges)-1].Node); ok {
		return d, nil
	}
	return 0, errors.New("syscall number -1 (a call skipped by a tracer) is decided by its arguments; a policy gives it the default")
}

// newerOf is the decision of the newer numbers the part owns: that of the highest of them
// (the numbers above the tables run up to -2); the newer numbers decided otherwise are named
// by number (see unnamedNumbers). found is false when the part owns no newer number.
func newerOf(s *meaning.Space, p archPart, ranges []meaning.Range) (d uint32, found bool, err error) {
	maxKnown := stdlib.MaxSyscall(p.arch.Name)
	newer := append([][2]uint32{}, stdlib.NewerGaps(p.arch.Name)...)
	if maxKnown < ir.SkippedSyscall-1 {
		newer = append(newer, [2]uint32{maxKnown + 1, ir.SkippedSyscall - 1})
	}
	for _, r := range ranges {
		for _, g := range newer {
			lo, hi := max(r.Lo, g[0]), min(r.Hi, g[1])
			if lo > hi {
				continue
			}
			if _, _, owned := ownedSpan(p.arch, lo, hi); !owned {
				continue
			}
			v, ok := s.Const(r.Node)
			d, found, err = v, true, nil
			if !ok {
				err = fmt.Errorf("newer syscall number %#x is decided by its arguments", lo)
			}
		}
	}
	return d, found, err
}

// syscallRules writes a syscall's rules: one per decision other than the fall-through,
// whose regions do not overlap, then the fall-through when it is not the default.
func syscallRules(s *meaning.Space, a stdlib.Arch, name string, fn meaning.Node, def uint32) ([]string, error) {
	if d, ok := s.Const(fn); ok {
		return []string{actionText(a, true, d)}, nil
	}
	decisions := s.Decisions(fn)
	args := argNamer(a, true, name)
	consts := constNamer(a, true, name, args)
	conds := map[uint32]string{}
	for _, d := range decisions {
		c, err := s.RegionOf(fn, d).FormatExactWide(args, consts, a.LongBits == 64)
		if err != nil {
			return nil, err
		}
		conds[d] = c
	}
	// The fall-through: the default if the syscall ever gets it, else the decision with the
	// longest condition.
	fall := def
	if _, ok := conds[def]; !ok {
		fall = decisions[0]
		for _, d := range decisions {
			if len(conds[d]) > len(conds[fall]) {
				fall = d
			}
		}
	}
	var rules []string
	for _, d := range decisions {
		if d != fall {
			rules = append(rules, actionText(a, true, d)+" if "+conds[d])
		}
	}
	if fall != def {
		rules = append(rules, actionText(a, true, fall))
	}
	return rules, nil
}
