package compiler

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/scc-dev/scc/stdlib"
)

// shapeSyscalls are the syscalls the generated policies and groups name.
var shapeSyscalls = []string{"read", "write", "close", "openat", "fstat", "mmap", "munmap", "lseek"}

// shape is a file of policies and groups that name earlier ones, built from bytes.
type shape struct {
	src      string
	policies map[string]*shapePolicy
	groups   map[string][]string // members: syscalls and groups
	root     string
}

// shapePolicy is a generated policy: its body, each item a rule or a use.
type shapePolicy struct {
	items []shapeItem
}

type shapeItem struct {
	use  string // a use of this policy, or else a rule:
	line int    // the rule's line
	name string // the syscall or group it names
}

// buildShape reads each byte as a declaration. Odd: a group naming a syscall, the last
// group and the group (b>>4)&3 before it. Even: a policy with a rule on a syscall (or, with
// bit 3, on the last group), conditional with bit 6, before its uses or (bit 7) after them,
// using the last policy and the policy (b>>4)&3 before it. Equal picks make diamonds.
func buildShape(data []byte) *shape {
	s := &shape{policies: map[string]*shapePolicy{}, groups: map[string][]string{}}
	var b strings.Builder
	line := 1
	var policies, groups []string
	back := func(list []string, n int) []string {
		var out []string
		if len(list) > 0 {
			out = append(out, list[len(list)-1])
			out = append(out, list[max(len(list)-1-n, 0)])
		}
		return out
	}
	for i, c := range data[:min(len(data), 64)] {
		sys := shapeSyscalls[(c>>1)&7]
		if c&1 == 1 {
			name := fmt.Sprintf("@g%d", i)
			members := append([]string{sys}, back(groups, int(c>>4)&3)...)
			s.groups[name] = members
			fmt.Fprintf(&b, "group %s = %s\n", name, strings.Join(members, ", "))
			line++
			groups = append(groups, name)
			continue
		}
		name := fmt.Sprintf("p%d", i)
		p := &shapePolicy{}
		target := sys
		if c&8 != 0 && len(groups) > 0 {
			target = groups[len(groups)-1]
		}
		rule := fmt.Sprintf("errno(%d) %s", i+1, target)
		if c&0x40 != 0 {
			rule += fmt.Sprintf(" if arg0 == %d", i)
		}
		uses := back(policies, int(c>>4)&3)
		fmt.Fprintf(&b, "policy %s {\n", name)
		line++
		if c&0x80 == 0 {
			fmt.Fprintf(&b, "%s\n", rule)
			p.items = append(p.items, shapeItem{line: line, name: target})
			line++
		}
		for _, u := range uses {
			fmt.Fprintf(&b, "use %s\n", u)
			p.items = append(p.items, shapeItem{use: u})
			line++
		}
		if c&0x80 != 0 {
			fmt.Fprintf(&b, "%s\n", rule)
			p.items = append(p.items, shapeItem{line: line, name: target})
			line++
		}
		b.WriteString("}\n")
		line++
		s.policies[name] = p
		policies = append(policies, name)
	}
	s.root = "top"
	root := &shapePolicy{}
	b.WriteString("policy top { arch x86_64\ndefault errno(EPERM)\n")
	line += 2
	for _, u := range back(policies, 0)[:min(len(policies), 1)] {
		fmt.Fprintf(&b, "use %s\n", u)
		root.items = append(root.items, shapeItem{use: u})
		line++
	}
	if len(groups) > 0 {
		g := groups[len(groups)-1]
		fmt.Fprintf(&b, "allow %s\n", g)
		root.items = append(root.items, shapeItem{line: line, name: g})
		line++
	}
	b.WriteString("allow exit_group\n}\n")
	root.items = append(root.items, shapeItem{line: line, name: "exit_group"})
	s.policies["top"] = root
	s.src = b.String()
	return s
}

// errBudget stops a reference expansion that grows too large to check.
type errBudget struct{}

// referenceRules splices every use by copying and expands every group member by member, as
// the language defines them, and returns each syscall's rule lines in order with repeats
// of a rule dropped; it panics with errBudget past budget steps.
func (s *shape) referenceRules(budget int) map[string][]int {
	steps := 0
	step := func() {
		if steps++; steps > budget {
			panic(errBudget{})
		}
	}
	var expandGroup func(name string) []string
	expandGroup = func(name string) []string {
		step()
		if !strings.HasPrefix(name, "@") {
			return []string{name}
		}
		var out []string
		for _, m := range s.groups[name] {
			out = append(out, expandGroup(m)...)
		}
		return out
	}
	out := map[string][]int{}
	var splice func(p *shapePolicy)
	splice = func(p *shapePolicy) {
		for _, it := range p.items {
			step()
			if it.use != "" {
				splice(s.policies[it.use])
				continue
			}
			for _, sys := range expandGroup(it.name) {
				if !slices.Contains(out[sys], it.line) {
					out[sys] = append(out[sys], it.line)
				}
			}
		}
	}
	splice(s.policies[s.root])
	return out
}

// FuzzNestedExpansion builds policies that use earlier policies and groups that name
// earlier groups, in every shape the bytes give (chains, diamonds, repeats), and checks the
// compiled rules of each syscall against the reference expansion by copying, whenever that
// stays small enough to compute. Whatever the shape, the compiled rules are at most one per
// rule statement and syscall.
func FuzzNestedExpansion(f *testing.F) {
	diamond := func(b byte, n int) []byte { return []byte(strings.Repeat(string([]byte{b}), n)) }
	f.Add(diamond(0x00, 60))                               // policy pN { use pN-1 use pN-1 }
	f.Add(diamond(0x01, 60))                               // group @gN = @gN-1, @gN-1
	f.Add(append(diamond(0x49, 30), diamond(0x48, 30)...)) // both, the rules on the groups
	f.Add([]byte{0x00, 0x10, 0x20, 0x30, 0x80, 0xc0, 0x01, 0x11, 0x28, 0xa8})
	f.Fuzz(func(t *testing.T, data []byte) {
		s := buildShape(data)
		res, errs := CompileSource("shape.sc", []byte(s.src), Options{Policy: "top"})
		if errs.HasErrors() {
			t.Fatalf("%v\n%s", errs, s.src)
		}
		var ap = res.Policy.Arches[0]
		total := 0
		for nr, rules := range ap.Rules {
			name, _ := stdlib.SyscallName("x86_64", nr)
			if len(rules) > len(data)+2 {
				t.Fatalf("%s has %d rules, more than the file's %d rule statements\n%s", name, len(rules), len(data)+2, s.src)
			}
			total += len(rules)
		}
		want, ok := func() (want map[string][]int, ok bool) {
			defer func() {
				if r := recover(); r != nil {
					if _, budget := r.(errBudget); !budget {
						panic(r)
					}
				}
			}()
			return s.referenceRules(20_000), true
		}()
		if !ok {
			return
		}
		for sys, lines := range want {
			nr, _ := stdlib.SyscallNumber("x86_64", sys)
			var got []int
			for _, r := range ap.Rules[nr] {
				got = append(got, r.Pos.Line)
			}
			if !slices.Equal(got, lines) {
				t.Fatalf("%s: rules at lines %v, the reference expansion gives %v\n%s", sys, got, lines, s.src)
			}
		}
	})
}
