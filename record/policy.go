package record

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/internal/plural"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lang/token"
	"github.com/scc-dev/scc/stdlib"
)

// PolicyOptions say how to write a recorded policy.
type PolicyOptions struct {
	// Name is the policy's name; empty derives it from the command ("ls").
	Name string
	// Default is the default action as written in a policy; empty means errno(EPERM).
	Default string
	// Args turns the values seen for the arguments of ArgSpecs into conditions.
	Args bool
	// Arches, when set, are the policy's arches instead of the host's and the run's (Extend
	// uses the base policy's).
	Arches []string
}

// DefaultAction is the default action of a recorded policy unless told otherwise: a call
// the run did not make fails with EPERM, which programs report, rather than killing them.
const DefaultAction = "errno(EPERM)"

// commentWidth is where comment lines wrap.
const commentWidth = 96

// Generate writes the policy that allows what rec saw: one rule per standard group of which
// every member (on every arch of the policy) was called, one rule for the other syscalls,
// and with opts.Args one conditional rule per syscall of ArgSpecs. The policy covers the
// host's arch and any other ABI the run used. The text is in lang.Format's layout.
func Generate(rec *Recording, opts PolicyOptions) ([]byte, error) {
	p := plan(rec, opts)
	var b strings.Builder
	p.header(&b, rec)
	fmt.Fprintf(&b, "policy %s {\n    arch %s\n    default %s\n\n", p.name,
		strings.Join(p.arches, ", "), p.defaultAction)
	p.rules(&b)
	b.WriteString("}\n")
	f, errs := lang.Parse(p.name+".sc", []byte(b.String()))
	if err := errs.Err(); err != nil {
		return nil, fmt.Errorf("record: the generated policy does not parse: %w", err)
	}
	return lang.Format(f), nil
}

// policyPlan is what a policy will say.
type policyPlan struct {
	name, defaultAction string
	arches              []string
	counts              map[string]int // calls by syscall name, all arches together
	groups              []string       // standard groups allowed whole
	names               []string       // other syscalls allowed without condition
	conds               []condRule
	unknown             []Syscall // numbers scc's tables do not name
}

// condRule is a syscall allowed for the argument values seen.
type condRule struct {
	name  string
	terms []string // "domain in {AF_INET, AF_UNIX}"
}

// plan decides the policy's rules.
func plan(rec *Recording, opts PolicyOptions) *policyPlan {
	p := &policyPlan{name: opts.Name, defaultAction: opts.Default, counts: map[string]int{}}
	if p.name == "" {
		p.name = PolicyName(rec.Argv)
	}
	if p.defaultAction == "" {
		p.defaultAction = DefaultAction
	}
	p.arches = recordedArches(rec)
	if len(opts.Arches) > 0 {
		p.arches = opts.Arches
	}
	values := map[string]map[string]map[uint64]bool{} // syscall -> param -> values
	for _, s := range rec.Syscalls {
		if s.Name == "" {
			p.unknown = append(p.unknown, s)
			continue
		}
		p.counts[s.Name] += s.Count
		mergeValues(values, s)
	}
	allowed := map[string]bool{}
	for name := range p.counts {
		if rule, ok := conditionFor(name, values[name], p.arches, opts.Args); ok {
			p.conds = append(p.conds, rule)
		} else {
			allowed[name] = true
		}
	}
	sort.Slice(p.conds, func(i, j int) bool { return p.conds[i].name < p.conds[j].name })
	p.groups, p.names = groupNames(allowed, p.arches)
	return p
}

// recordedArches are the host's arch, then the other ABIs the run used, in stdlib's order.
func recordedArches(rec *Recording) []string {
	host := stdlib.HostArch().Name
	out := []string{host}
	for _, a := range stdlib.Arches() {
		for _, s := range rec.Syscalls {
			if s.Arch == a.Name && a.Name != host && s.Name != "" {
				out = append(out, a.Name)
				break
			}
		}
	}
	return out
}

// mergeValues adds a syscall's argument values to values.
func mergeValues(values map[string]map[string]map[uint64]bool, s Syscall) {
	for param, vs := range s.Args {
		if values[s.Name] == nil {
			values[s.Name] = map[string]map[uint64]bool{}
		}
		if values[s.Name][param] == nil {
			values[s.Name][param] = map[uint64]bool{}
		}
		for _, v := range vs {
			values[s.Name][param][v] = true
		}
	}
}

// conditionFor builds the conditional rule of a syscall of ArgSpecs, when conditions are
// asked for and every arch of the policy that has the syscall names its arguments alike.
func conditionFor(name string, values map[string]map[uint64]bool, arches []string, args bool) (condRule, bool) {
	specs := ArgSpecs[name]
	if !args || len(specs) == 0 || !sameParams(name, specs, arches) {
		return condRule{}, false
	}
	rule := condRule{name: name}
	for _, spec := range specs {
		vs := sortedValues(values[spec.Param])
		if len(vs) == 0 {
			continue
		}
		spelled := make([]string, len(vs))
		for i, v := range vs {
			spelled[i] = spec.Family.Spell(arches[0], v)
		}
		rule.terms = append(rule.terms, spec.Param+" in {"+strings.Join(spelled, ", ")+"}")
	}
	return rule, len(rule.terms) > 0
}

// sameParams tells whether every arch that has the syscall has the specs' parameters.
func sameParams(name string, specs []ArgSpec, arches []string) bool {
	for _, a := range arches {
		sig, ok := stdlib.LookupSignature(a, name)
		if _, exists := stdlib.SyscallNumber(a, name); !exists {
			continue
		}
		if !ok {
			return false
		}
		for _, spec := range specs {
			if !slices.ContainsFunc(sig.Params, func(p stdlib.Param) bool { return p.Name == spec.Param }) {
				return false
			}
		}
	}
	return true
}

// groupNames picks the standard groups (of two members or more) all of whose members on
// every arch are allowed, largest first and skipping one the chosen ones already cover, and
// returns them with the allowed syscalls they leave, sorted.
func groupNames(allowed map[string]bool, arches []string) (groups, names []string) {
	type cand struct {
		name    string
		members []string
	}
	var cands []cand
	for _, g := range compiler.StdGroups() {
		if members, ok := coveredGroup(g.Name, allowed, arches); ok && len(members) >= 2 {
			cands = append(cands, cand{g.Name, members})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return len(cands[i].members) > len(cands[j].members) })
	covered := map[string]bool{}
	for _, c := range cands {
		if !slices.ContainsFunc(c.members, func(m string) bool { return !covered[m] }) {
			continue
		}
		groups = append(groups, c.name)
		for _, m := range c.members {
			covered[m] = true
		}
	}
	for name := range allowed {
		if !covered[name] {
			names = append(names, name)
		}
	}
	sort.Strings(groups)
	sort.Strings(names)
	return groups, names
}

// coveredGroup returns a group's members over the arches when all of them are allowed.
func coveredGroup(group string, allowed map[string]bool, arches []string) ([]string, bool) {
	var all []string
	for _, a := range arches {
		members, err := compiler.ExpandStdGroup(group, a)
		if err != nil {
			return nil, false
		}
		for _, m := range members {
			if !allowed[m] {
				return nil, false
			}
			if !slices.Contains(all, m) {
				all = append(all, m)
			}
		}
	}
	return all, len(all) > 0
}

// header writes the comments above the policy: what ran, when, and how it went.
func (p *policyPlan) header(b *strings.Builder, rec *Recording) {
	total := 0
	for _, n := range p.counts {
		total += n
	}
	fmt.Fprintf(b, "# Recorded by scc record on %s:\n", rec.Started.UTC().Format(time.RFC3339))
	fmt.Fprintf(b, "#   %s\n", CommandLine(rec.Argv))
	fmt.Fprintf(b, "# Exit status %d; %s of %s in %s.\n", rec.ExitStatus, plural.Count(total, "call", "calls"),
		plural.Count(len(p.counts), "syscall", "syscalls"), rec.Duration.Round(time.Millisecond))
	b.WriteString("# It allows what that run called and nothing else: review it before use.\n")
	for _, s := range p.unknown {
		fmt.Fprintf(b, "# Not allowed: syscall %d of %s (%s), unknown to scc's tables.\n",
			s.Nr, s.Arch, plural.Count(s.Count, "call", "calls"))
	}
	if len(p.arches) > 1 {
		fmt.Fprintf(b, "# The run used several ABIs (%s): the rules allow the union of their calls.\n",
			strings.Join(p.arches, ", "))
	}
}

// rules writes the allow rules, each under a comment with its syscalls' call counts.
func (p *policyPlan) rules(b *strings.Builder) {
	for _, g := range p.groups {
		p.countComment(b, g+", every member called:", p.groupMembers(g))
		fmt.Fprintf(b, "    allow %s\n", g)
	}
	if len(p.names) > 0 {
		p.countComment(b, "calls:", p.names)
		fmt.Fprintf(b, "    allow %s\n", strings.Join(p.names, ", "))
	}
	for _, c := range p.conds {
		p.countComment(b, "calls:", []string{c.name})
		fmt.Fprintf(b, "    allow %s if %s\n", c.name, strings.Join(c.terms, " && "))
	}
}

// groupMembers lists a chosen group's members over the policy's arches.
func (p *policyPlan) groupMembers(group string) []string {
	var out []string
	for _, a := range p.arches {
		members, _ := compiler.ExpandStdGroup(group, a)
		for _, m := range members {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	sort.Strings(out)
	return out
}

// countComment writes "# TITLE name N, name N, ..." wrapped at commentWidth.
func (p *policyPlan) countComment(b *strings.Builder, title string, names []string) {
	line := "    # " + title
	for i, n := range names {
		item := fmt.Sprintf(" %s %d", n, p.counts[n])
		if i < len(names)-1 {
			item += ","
		}
		if len(line)+len(item) > commentWidth {
			b.WriteString(line + "\n")
			line = "    #  "
		}
		line += item
	}
	b.WriteString(line + "\n")
}

// PolicyName derives a policy name from a command: the Identifier of its base name ("ls",
// "python3_11", "my_prog"), or "recorded".
func PolicyName(argv []string) string {
	if len(argv) == 0 || argv[0] == "" {
		return "recorded"
	}
	return Identifier(filepath.Base(argv[0]))
}

// Identifier turns name into an identifier the language accepts as a policy's name: every
// character an identifier cannot hold becomes '_' ("my-prog" is my_prog, "python3.11"
// python3_11), and a name that starts with a digit, is a keyword or is empty gets the prefix
// "recorded_".
func Identifier(name string) string {
	id := strings.Map(func(r rune) rune {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
	if id == "" || id[0] >= '0' && id[0] <= '9' || isReserved(id) {
		id = "recorded_" + id
	}
	return id
}

// isReserved tells whether a name is a keyword of the language that cannot name a policy.
func isReserved(name string) bool {
	t := token.Lookup(name)
	return t.IsKeyword() && !t.IsAction()
}

// CommandLine writes argv as a shell would read it back, on one line.
func CommandLine(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && strings.IndexFunc(a, unsafeShellRune) < 0 {
			out[i] = a
		} else {
			out[i] = strconv.Quote(a)
		}
	}
	return strings.Join(out, " ")
}

// unsafeShellRune reports a rune that needs quoting in a shell word.
func unsafeShellRune(r rune) bool {
	return !(r == '_' || r == '-' || r == '.' || r == '/' || r == '=' || r == ':' || r == ',' ||
		r == '+' || r == '@' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// sortedValues returns a set's members in increasing order.
func sortedValues(set map[uint64]bool) []uint64 {
	out := make([]uint64, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// hostArchName is the canonical name of the host's arch.
func hostArchName() string { return stdlib.HostArch().Name }
