// Package lang is scc's policy language front end: Parse (participle's grammar, fed by a
// hand-written lexer, in lang/internal/grammar), the syntax tree with positions (this file)
// and Inspect to walk it, and the canonical formatter. The keywords and operators are in
// lang/token. It knows nothing of syscalls or BPF: names stay names until the compiler
// resolves them.
package lang

import (
	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang/token"
)

// File is a parsed .sc file.
type File struct {
	Name     string
	Src      []byte
	Decls    []Decl
	Comments []*Comment // every comment of the file, in source order, for the formatter
}

// Comment is one '#' comment; Text includes the '#'.
type Comment struct {
	At   diag.Pos
	Text string
}

// Decl is a top-level declaration: *Include, *ConstDecl, *GroupDecl or *PolicyDecl.
type Decl interface{ Pos() diag.Pos }

// Include is `include "path"`; the path is relative to the including file.
type Include struct {
	At   diag.Pos
	Path string
}

// ConstDecl is `const NAME = expr`.
type ConstDecl struct {
	At    diag.Pos
	Name  *Ident
	Value Expr
}

// GroupDecl is `group @name = member, …`; members are syscalls or other groups.
type GroupDecl struct {
	At      diag.Pos
	Name    *Ident // with its '@'
	Members []*Ident
}

// PolicyDecl is `policy name { statements }`.
type PolicyDecl struct {
	At    diag.Pos
	Name  *Ident
	Body  []Stmt
	Close diag.Pos // position of the closing brace
}

// Stmt is a statement in a policy body: *ArchStmt, *DefaultStmt, *FlagsStmt, *RuleStmt,
// *UseStmt, *ExpectStmt or *ListenerStmt.
type Stmt interface{ Pos() diag.Pos }

// ArchStmt is `arch name, …`.
type ArchStmt struct {
	At     diag.Pos
	Arches []*Ident
}

// DefaultStmt is `default ACTION` or, with Newer, `default newer ACTION`: the action for
// syscall numbers above the highest one the policy's tables know. With Named too, `default
// newer named ACTION`, the action for numbers above the highest syscall the policy's rules
// name, as runc's ENOSYS stub decides them. With Foreign, `default foreign ACTION`: the
// action for the calls of an arch the policy does not name.
type DefaultStmt struct {
	At      diag.Pos
	Newer   bool
	Named   bool
	Foreign bool
	Action  *Action
}

// FlagsStmt is `flags name, …`: kernel filter flags to pass at install (log, spec_allow, …).
type FlagsStmt struct {
	At    diag.Pos
	Flags []*Ident
}

// RuleStmt is `ACTION syscall, … [if COND]`.
type RuleStmt struct {
	At       diag.Pos
	Action   *Action
	Syscalls []*Ident // syscall names, @groups, and nr=N (a number, named "nr=N" as written)
	Cond     Expr     // nil when the rule has no condition
}

// ListenerStmt is `listener "path" [metadata "text"]`: the OCI profile's listenerPath and
// listenerMetadata, where a container runtime sends the filter's user-notification fd to a
// supervisor. The filter does not depend on it.
type ListenerStmt struct {
	At          diag.Pos
	Path        string
	Metadata    string
	HasMetadata bool
}

// UseStmt is `use policy`: the named policy's rules spliced in place.
type UseStmt struct {
	At     diag.Pos
	Policy *Ident
}

// ExpectStmt is `expect name(arg, …) => ACTION` or `expect nr=N(arg, …) => ACTION`,
// checked by `scc test`. ParseCall returns one without its Action.
type ExpectStmt struct {
	At      diag.Pos
	Syscall *Ident // nil when the call is written by number
	Nr      Expr   // the raw syscall number of nr=N, or nil
	Args    []Expr
	Action  *Action
}

// Action is an action as written: allow, log, kill, kill_process, kill_thread, user_notif,
// errno(N), trap(N), trace(N). Arg is nil for actions without data.
type Action struct {
	At   diag.Pos
	Name string
	Arg  Expr
}

// Expr is an expression: *Ident, *Number, *Unary, *Binary, *InSet, *Paren or *Wide.
type Expr interface{ Pos() diag.Pos }

// Ident is a name: a syscall, @group, constant, argument or policy.
type Ident struct {
	At   diag.Pos
	Name string
}

// Number is an integer literal as written (decimal, 0x, 0o, 0b); Value is its value.
type Number struct {
	At    diag.Pos
	Text  string
	Value uint64
}

// Unary is `OP x` with OP one of token.Not, token.Tilde, token.Sub.
type Unary struct {
	At diag.Pos
	Op token.Token
	X  Expr
}

// Binary is `x OP y`, OP a binary operator (token.Token.IsBinary). Precedence is Go's (see
// token.Token.Precedence): "<<" and "&" bind tightest, then "+", "-", "|", then comparisons
// "==", "!=", "<", "<=", ">", ">=", then "&&", then "||".
type Binary struct {
	At   diag.Pos // position of the operator
	Op   token.Token
	X, Y Expr
}

// InSet is `x in {a, b, …}`, at comparison precedence.
type InSet struct {
	At  diag.Pos // position of "in"
	X   Expr
	Set []Expr
}

// Wide is `u64(x)`: x, an argument, compared at all the bits of its register (64 on 64-bit
// ABIs), whatever the width of its type.
type Wide struct {
	At diag.Pos
	X  Expr
}

// Paren is `(x)`, kept so that the formatter writes what the user wrote.
type Paren struct {
	At diag.Pos
	X  Expr
}

// Pos returns the position of the node's first token.
func (n *Include) Pos() diag.Pos      { return n.At }
func (n *ConstDecl) Pos() diag.Pos    { return n.At }
func (n *GroupDecl) Pos() diag.Pos    { return n.At }
func (n *PolicyDecl) Pos() diag.Pos   { return n.At }
func (n *ArchStmt) Pos() diag.Pos     { return n.At }
func (n *DefaultStmt) Pos() diag.Pos  { return n.At }
func (n *FlagsStmt) Pos() diag.Pos    { return n.At }
func (n *RuleStmt) Pos() diag.Pos     { return n.At }
func (n *UseStmt) Pos() diag.Pos      { return n.At }
func (n *ListenerStmt) Pos() diag.Pos { return n.At }
func (n *ExpectStmt) Pos() diag.Pos   { return n.At }
func (n *Action) Pos() diag.Pos       { return n.At }
func (n *Ident) Pos() diag.Pos        { return n.At }
func (n *Number) Pos() diag.Pos       { return n.At }
func (n *Unary) Pos() diag.Pos        { return n.At }
func (n *Binary) Pos() diag.Pos       { return n.X.Pos() }
func (n *InSet) Pos() diag.Pos        { return n.X.Pos() }
func (n *Paren) Pos() diag.Pos        { return n.At }
func (n *Wide) Pos() diag.Pos         { return n.At }
