package lang

import (
	"errors"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang/internal/grammar"
	"github.com/scc-dev/scc/lang/token"
)

// This file converts participle's grammar structs into the syntax tree, reporting the errors
// that the grammar leaves to it: malformed numbers and strings.

func (p *parser) decl(g *grammar.Decl) Decl {
	switch d := g.Declaration.(type) {
	case *grammar.Include:
		return &Include{At: p.pos(d.Pos), Path: p.str(d.Path)}
	case *grammar.Const:
		return &ConstDecl{At: p.pos(d.Pos), Name: p.ident(d.Name), Value: p.expr(d.Value)}
	case *grammar.Group:
		return &GroupDecl{At: p.pos(d.Pos), Name: p.ident(d.Name), Members: p.names(d.Members.Tokens)}
	default:
		return p.policy(d.(*grammar.Policy))
	}
}

func (p *parser) policy(g *grammar.Policy) *PolicyDecl {
	pol := &PolicyDecl{At: p.pos(g.Pos), Name: p.ident(g.Name), Close: p.pos(g.Close.Pos)}
	for _, s := range g.Body {
		pol.Body = append(pol.Body, p.stmt(s))
	}
	return pol
}

// call converts a call, at its own position, into an ExpectStmt without an action.
func (p *parser) call(c *grammar.Call) *ExpectStmt {
	st := &ExpectStmt{At: p.pos(c.Pos), Args: []Expr{}}
	args := c.Args
	if c.Nr != nil {
		st.Nr, args = p.expr(c.Nr), c.NrArgs
	} else {
		st.Syscall = p.ident(c.Syscall)
	}
	if args != nil {
		st.Args = p.exprs(args.Args)
	}
	return st
}

func (p *parser) stmt(g *grammar.Stmt) Stmt {
	switch s := g.Statement.(type) {
	case *grammar.Arch:
		return &ArchStmt{At: p.pos(s.Pos), Arches: p.names(s.Arches.Tokens)}
	case *grammar.Default:
		return &DefaultStmt{At: p.pos(s.Pos), Newer: s.Newer, Named: s.Named, Foreign: s.Foreign, Action: p.action(s.Action)}
	case *grammar.Flags:
		return &FlagsStmt{At: p.pos(s.Pos), Flags: p.names(s.Flags.Tokens)}
	case *grammar.Listener:
		st := &ListenerStmt{At: p.pos(s.Pos), Path: p.str(s.Path)}
		if s.Metadata != nil {
			st.Metadata, st.HasMetadata = p.str(*s.Metadata), true
		}
		return st
	case *grammar.Use:
		return &UseStmt{At: p.pos(s.Pos), Policy: p.ident(s.Policy)}
	case *grammar.Expect:
		st := p.call(s.Call)
		st.At, st.Action = p.pos(s.Pos), p.action(s.Action)
		return st
	default:
		r := g.Statement.(*grammar.Rule)
		action := p.action(r.Action)
		rule := &RuleStmt{At: action.At, Action: action, Syscalls: p.syscallNames(r.Syscalls.Tokens)}
		if r.Cond != nil {
			rule.Cond = p.expr(r.Cond)
		}
		return rule
	}
}

func (p *parser) action(a *grammar.Action) *Action {
	if a.Arg == nil {
		return &Action{At: p.pos(a.Bare.Pos), Name: a.Bare.Value}
	}
	return &Action{At: p.pos(a.Name.Pos), Name: a.Name.Value, Arg: p.expr(a.Arg)}
}

func (p *parser) ident(t lexer.Token) *Ident { return p.newIdent(p.pos(t.Pos), t.Value) }

// identBlock is how many Idents newIdent allocates at a time: on 64-bit machines, 2688 bytes,
// a size that Go's allocator serves without rounding up.
const identBlock = 48

// newIdent returns a new Ident. Idents, most of the nodes of a syntax tree, are allocated
// identBlock at a time: for the allocator and the garbage collector, a block is a single
// object rather than dozens.
func (p *parser) newIdent(at diag.Pos, name string) *Ident {
	if len(p.idents) == 0 {
		p.idents = make([]Ident, identBlock)
	}
	id := &p.idents[0]
	p.idents = p.idents[1:]
	*id = Ident{At: at, Name: name}
	return id
}

// names converts a list of names as the grammar captures it: names and the commas between.
func (p *parser) names(toks []lexer.Token) []*Ident {
	ids := make([]*Ident, 0, (len(toks)+1)/2)
	for i := 0; i < len(toks); i += 2 {
		ids = append(ids, p.ident(toks[i]))
	}
	return ids
}

// syscallNames converts a rule's list of syscalls as the grammar captures it: names, nr=N
// (three tokens, one name "nr=N" as written), and the commas between.
func (p *parser) syscallNames(toks []lexer.Token) []*Ident {
	ids := make([]*Ident, 0, (len(toks)+1)/2)
	for i := 0; i < len(toks); i += 2 {
		t := toks[i]
		if i+2 < len(toks) && toks[i+1].Value == "=" { // nr=N: Syscalls takes no other name
			p.number(toks[i+2]) // reports a malformed number
			ids = append(ids, p.newIdent(p.pos(t.Pos), NrPrefix+toks[i+2].Value))
			i += 2
			continue
		}
		ids = append(ids, p.ident(t))
	}
	return ids
}

// NrPrefix starts the name of a syscall named by number in a rule, nr=N: the name is
// "nr=" and the number as written.
const NrPrefix = "nr="

// str unquotes a string literal; the escapes are Go's.
func (p *parser) str(t lexer.Token) string {
	s, err := strconv.Unquote(t.Value)
	if err != nil {
		p.errs.Errorf(p.pos(t.Pos), "invalid string %s", t.Value).Hint = `the escapes are Go's: \" \\ \n \t \xHH`
		return strings.Trim(t.Value, `"`)
	}
	return s
}

func (p *parser) exprs(es []*grammar.Expr) []Expr {
	xs := make([]Expr, len(es))
	for i, e := range es {
		xs[i] = p.expr(e)
	}
	return xs
}

// expr builds the tree of a flat operator sequence by precedence climbing.
func (p *parser) expr(e *grammar.Expr) Expr {
	ops := e.Rest
	return p.climb(p.unary(e.X), &ops, token.LowestPrec)
}

// climb consumes the operators of *ops that bind at least as tightly as minPrec, with x as
// the left operand, and returns the resulting expression. All operators are left-associative.
func (p *parser) climb(x Expr, ops *[]*grammar.Operation, minPrec int) Expr {
	for len(*ops) > 0 {
		op := (*ops)[0]
		prec := operator(op).Precedence()
		if prec < minPrec {
			return x
		}
		*ops = (*ops)[1:]
		if op.Y == nil {
			x = &InSet{At: p.pos(op.In.Pos), X: x, Set: p.exprs(op.Set)}
			continue
		}
		y := p.unary(op.Y)
		for len(*ops) > 0 && operator((*ops)[0]).Precedence() > prec {
			y = p.climb(y, ops, prec+1)
		}
		x = &Binary{At: p.pos(op.Op.Pos), Op: operator(op), X: x, Y: y}
	}
	return x
}

// operator returns the binary operator of op, or token.In.
func operator(op *grammar.Operation) token.Token {
	if op.Y == nil {
		return token.In
	}
	return token.LookupOperator(op.Op.Value)
}

func (p *parser) unary(u *grammar.Unary) Expr {
	switch {
	case u.X != nil:
		return &Unary{At: p.pos(u.Op.Pos), Op: token.LookupOperator(u.Op.Value), X: p.unary(u.X)}
	case u.Paren != nil:
		return &Paren{At: p.pos(u.Open.Pos), X: p.expr(u.Paren)}
	case u.WideX != nil:
		return &Wide{At: p.pos(u.Wide.Pos), X: p.expr(u.WideX)}
	case u.Operand.Type == grammar.TypeNumber:
		return p.number(u.Operand)
	default:
		return p.ident(u.Operand)
	}
}

func (p *parser) number(t lexer.Token) *Number {
	n := &Number{At: p.pos(t.Pos), Text: t.Value}
	v, err := ParseNumber(t.Value)
	if err != nil {
		d := p.errs.Errorf(n.At, "%v", err)
		if errors.Is(err, errLeadingZero) {
			d.Hint = "write 0o" + strings.TrimLeft(t.Value, "0_") + " for octal"
		}
	}
	n.Value = v
	return n
}
