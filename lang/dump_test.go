package lang

import (
	"fmt"
	"strings"
)

// dump writes a syntax tree compactly, for tests: declarations and statements separated by
// "; ", expressions as S-expressions.
func dump(f *File) string {
	var s []string
	for _, d := range f.Decls {
		s = append(s, dumpDecl(d))
	}
	return strings.Join(s, "; ")
}

func dumpDecl(d Decl) string {
	switch d := d.(type) {
	case *Include:
		return fmt.Sprintf("include %q", d.Path)
	case *ConstDecl:
		return "const " + d.Name.Name + " " + dumpExpr(d.Value)
	case *GroupDecl:
		return "group " + d.Name.Name + " " + dumpIdents(d.Members)
	case *PolicyDecl:
		var body []string
		for _, s := range d.Body {
			body = append(body, dumpStmt(s))
		}
		return "policy " + d.Name.Name + " {" + strings.Join(body, "; ") + "}"
	}
	return fmt.Sprintf("?%T", d)
}

func dumpStmt(s Stmt) string {
	switch s := s.(type) {
	case *ArchStmt:
		return "arch " + dumpIdents(s.Arches)
	case *DefaultStmt:
		if s.Newer && s.Named {
			return "default newer named " + dumpAction(s.Action)
		}
		if s.Newer {
			return "default newer " + dumpAction(s.Action)
		}
		if s.Foreign {
			return "default foreign " + dumpAction(s.Action)
		}
		return "default " + dumpAction(s.Action)
	case *FlagsStmt:
		return "flags " + dumpIdents(s.Flags)
	case *UseStmt:
		return "use " + s.Policy.Name
	case *ListenerStmt:
		if s.HasMetadata {
			return fmt.Sprintf("listener %q metadata %q", s.Path, s.Metadata)
		}
		return fmt.Sprintf("listener %q", s.Path)
	case *ExpectStmt:
		return "expect " + s.Syscall.Name + dumpExprs(s.Args) + " " + dumpAction(s.Action)
	case *RuleStmt:
		r := dumpAction(s.Action) + " " + dumpIdents(s.Syscalls)
		if s.Cond != nil {
			r += " if " + dumpExpr(s.Cond)
		}
		return r
	}
	return fmt.Sprintf("?%T", s)
}

func dumpAction(a *Action) string {
	if a.Arg == nil {
		return a.Name
	}
	return a.Name + "(" + dumpExpr(a.Arg) + ")"
}

func dumpIdents(ids []*Ident) string {
	var s []string
	for _, id := range ids {
		s = append(s, id.Name)
	}
	return "[" + strings.Join(s, " ") + "]"
}

func dumpExprs(xs []Expr) string {
	var s []string
	for _, x := range xs {
		s = append(s, dumpExpr(x))
	}
	return "[" + strings.Join(s, " ") + "]"
}

func dumpExpr(x Expr) string {
	switch x := x.(type) {
	case *Ident:
		return x.Name
	case *Number:
		return fmt.Sprintf("%s=%d", x.Text, x.Value)
	case *Unary:
		return "(" + x.Op.String() + " " + dumpExpr(x.X) + ")"
	case *Binary:
		return "(" + x.Op.String() + " " + dumpExpr(x.X) + " " + dumpExpr(x.Y) + ")"
	case *InSet:
		return "(in " + dumpExpr(x.X) + " " + dumpExprs(x.Set) + ")"
	case *Paren:
		return "(paren " + dumpExpr(x.X) + ")"
	case *Wide:
		return "(u64 " + dumpExpr(x.X) + ")"
	}
	return fmt.Sprintf("?%T", x)
}
