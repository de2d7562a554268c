package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/scc-dev/scc/stdlib"
)

// genMain is the command scc-gen of the scripts: it writes the large and hostile policy
// files the scripts need (testscript has no loops), so that they need not be committed.
//
//	scc-gen KIND N FILE
//
// KIND is one of:
//
//	use           policy pK { use pK-1 use pK-1 } for K up to N: rules double at each level if copied
//	group         group @gK = @gK-1, @gK-1 for K up to N
//	unknown       N rules, each on an unknown syscall name
//	oneline       one rule on one line, naming N unknown syscalls
//	consts        const CK = CK-1 + CK-1 for K up to N, over an unknown name
//	usechain      policy pK { use pK-1 } for K up to N
//	set           a rule whose set has N members, 0 to N-1
//	nest          a condition inside N parentheses
//	includes      FILE includes inc1.sc, which includes inc2.sc, … down to incN.sc
//	size          a valid policy padded with comments to N bytes
//	rules         N rules, each on a group of every x86_64 syscall with two comparisons
//	instructions  N rules on read, each comparing fd with another value
func genMain() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: scc-gen KIND N FILE")
		os.Exit(2)
	}
	kind, file := os.Args[1], os.Args[3]
	n, err := strconv.Atoi(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "scc-gen:", err)
		os.Exit(2)
	}
	var b strings.Builder
	switch kind {
	case "use":
		b.WriteString("policy p0 { allow read if fd == 1\n    allow write }\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "policy p%d { use p%d use p%d }\n", i, i-1, i-1)
		}
		fmt.Fprintf(&b, "policy top {\n    arch x86_64\n    default errno(EPERM)\n    use p%d\n}\n", n)
	case "group":
		b.WriteString("group @g0 = read, write, read\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "group @g%d = @g%d, @g%d\n", i, i-1, i-1)
		}
		fmt.Fprintf(&b, "policy top {\n    arch x86_64\n    default errno(EPERM)\n    allow @g%d\n}\n", n)
	case "unknown":
		b.WriteString("policy top {\n    default errno(EPERM)\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "    allow nosuchcall%d\n", i)
		}
		b.WriteString("}\n")
	case "oneline":
		b.WriteString("policy top { allow ")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "nosuchcall%d", i)
		}
		b.WriteString(" }\n")
	case "consts":
		b.WriteString("const C0 = NO_SUCH\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "const C%d = C%d + C%d\n", i, i-1, i-1)
		}
		fmt.Fprintf(&b, "policy top {\n    allow read if fd == C%d\n}\n", n)
	case "usechain":
		b.WriteString("policy p0 { allow read }\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "policy p%d { use p%d }\n", i, i-1)
		}
		fmt.Fprintf(&b, "policy top {\n    default errno(EPERM)\n    use p%d\n}\n", n)
	case "set":
		members := make([]string, n)
		for i := range members {
			members[i] = strconv.Itoa(i)
		}
		fmt.Fprintf(&b, "policy top {\n    arch x86_64\n    allow read if fd in {%s}\n}\n", strings.Join(members, ", "))
	case "nest":
		fmt.Fprintf(&b, "policy top {\n    allow read if %sfd == 1%s\n}\n", strings.Repeat("(", n), strings.Repeat(")", n))
	case "includes":
		dir := filepath.Dir(file)
		for i := 1; i <= n; i++ {
			inc := fmt.Sprintf("const C%d = %d\n", i, i)
			if i < n {
				inc = fmt.Sprintf("include \"inc%d.sc\"\n", i+1) + inc
			}
			write(filepath.Join(dir, fmt.Sprintf("inc%d.sc", i)), inc)
		}
		b.WriteString("include \"inc1.sc\"\npolicy top {\n    allow read if fd == C1\n}\n")
	case "size":
		b.WriteString("policy top {\n    allow read\n}\n")
		for b.Len() < n {
			line := "# padding padding padding padding padding padding padding padding\n"
			b.WriteString(line[:min(len(line), n-b.Len())])
		}
	case "rules":
		var names []string
		for _, name := range stdlib.SyscallNames("x86_64") {
			if name != "" {
				names = append(names, name)
			}
		}
		fmt.Fprintf(&b, "group @all = %s\npolicy top {\n    arch x86_64\n", strings.Join(names, ", "))
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "    errno(%d) @all if arg0 == %d && arg1 == 1\n", i%4095+1, i)
		}
		b.WriteString("}\n")
	case "instructions":
		b.WriteString("policy top {\n    arch x86_64\n    default errno(EPERM)\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "    allow read if fd == %d\n", 3*i)
		}
		b.WriteString("}\n")
	default:
		fmt.Fprintln(os.Stderr, "scc-gen: unknown kind", kind)
		os.Exit(2)
	}
	write(file, b.String())
	os.Exit(0)
}

func write(file, text string) {
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "scc-gen:", err)
		os.Exit(1)
	}
}
