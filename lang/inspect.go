package lang

import "github.com/scc-dev/scc/diag"

// Node is any node of the syntax tree: a *File, a Decl, a Stmt, an *Action or an Expr.
type Node interface{ Pos() diag.Pos }

// Pos returns the start of the file.
func (f *File) Pos() diag.Pos { return diag.Pos{File: f.Name, Line: 1, Col: 1} }

// Inspect walks the tree at node depth first, in source order: it calls f for each node,
// and visits the node's children only when f returns true. Absent nodes (a rule without a
// condition, an action without data, the name of a call by number) are not visited; every
// other node must be there, as in the trees Parse and ParseCall return. Comments are not
// nodes.
func Inspect(node Node, f func(Node) bool) {
	if node == nil || !f(node) {
		return
	}
	switch n := node.(type) {
	case *File:
		each(n.Decls, f)
	case *ConstDecl:
		Inspect(n.Name, f)
		Inspect(n.Value, f)
	case *GroupDecl:
		Inspect(n.Name, f)
		each(n.Members, f)
	case *PolicyDecl:
		Inspect(n.Name, f)
		each(n.Body, f)
	case *ArchStmt:
		each(n.Arches, f)
	case *DefaultStmt:
		Inspect(n.Action, f)
	case *FlagsStmt:
		each(n.Flags, f)
	case *RuleStmt:
		Inspect(n.Action, f)
		each(n.Syscalls, f)
		Inspect(n.Cond, f)
	case *UseStmt:
		Inspect(n.Policy, f)
	case *ExpectStmt:
		if n.Syscall != nil {
			Inspect(n.Syscall, f)
		}
		Inspect(n.Nr, f)
		each(n.Args, f)
		if n.Action != nil { // ParseCall's statements have none
			Inspect(n.Action, f)
		}
	case *Action:
		Inspect(n.Arg, f)
	case *Unary:
		Inspect(n.X, f)
	case *Binary:
		Inspect(n.X, f)
		Inspect(n.Y, f)
	case *InSet:
		Inspect(n.X, f)
		each(n.Set, f)
	case *Paren:
		Inspect(n.X, f)
	case *Wide:
		Inspect(n.X, f)
	}
}

// each inspects the nodes of a list.
func each[N Node](nodes []N, f func(Node) bool) {
	for _, n := range nodes {
		Inspect(n, f)
	}
}
