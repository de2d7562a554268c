package lang

import (
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang/internal/grammar"
)

// fastParse parses the file straight into the syntax tree, for the common case of a file
// the grammar accepts: a recursive descent that reads the tokens from the Scanner as it
// goes, with neither a token slice, nor participle, nor the grammar structs. It reports
// false on any input it does not accept, a syntax error or nesting deeper than maxNesting
// (see checkNesting), and then leaves p as it found it for parseGeneral, which reports
// the errors. Like the conversion of the grammar structs, it reports malformed numbers and
// strings.
//
// The grammar runs with no lookahead (UseLookahead(0)): a branch that has consumed a token
// is committed, so every choice is made on the next token alone, as here. Whatever
// fastParse accepts, parseGeneral accepts with the same result (the tests compare them).
func (p *parser) fastParse() bool {
	fp := &fastParser{p: p, scan: grammar.NewScanner(p.name, string(p.src)), ok: true}
	fp.read()
	for fp.ok && !fp.tok.EOF() {
		p.file.Decls = append(p.file.Decls, fp.decl())
	}
	if !fp.ok {
		p.file.Decls, p.file.Comments, p.errs = nil, nil, nil
	}
	return fp.ok
}

// fastParser is the state of one fastParse. After the first error, ok is false and every
// method returns without consuming, so the callers need not check at each step.
type fastParser struct {
	p    *parser
	scan *grammar.Scanner
	tok  lexer.Token // the current significant token
	nest nesting
	ok   bool
}

// read reads the next significant token into fp.tok, keeping the comments before it; it
// fails when the token nests too deeply.
func (fp *fastParser) read() {
	for {
		fp.scan.SkipWhitespace()
		fp.tok = fp.scan.Next()
		if fp.tok.Type != grammar.TypeComment {
			break
		}
		fp.p.addComment(fp.tok)
	}
	if !fp.nest.add(fp.tok) {
		fp.fail()
	}
}

// fail records that the input is not accepted.
func (fp *fastParser) fail() { fp.ok = false }

// next consumes the current token; EOF is never consumed.
func (fp *fastParser) next() {
	if fp.ok && !fp.tok.EOF() {
		fp.read()
	}
}

// is tells whether the current token is the literal s (literals match any token type, as
// in participle).
func (fp *fastParser) is(s string) bool { return !fp.tok.EOF() && fp.tok.Value == s }

// expect consumes the literal s, or fails.
func (fp *fastParser) expect(s string) {
	if !fp.ok || !fp.is(s) {
		fp.fail()
		return
	}
	fp.next()
}

// expectType consumes a token of type typ, or fails.
func (fp *fastParser) expectType(typ lexer.TokenType) lexer.Token {
	t := fp.tok
	if !fp.ok || t.Type != typ {
		fp.fail()
		return lexer.Token{}
	}
	fp.next()
	return t
}

// ident consumes an identifier (or, with typ TypeGroupName, a group name), or fails.
func (fp *fastParser) ident(typ lexer.TokenType) *Ident {
	if !fp.ok || fp.tok.Type != typ {
		fp.fail()
		return nil
	}
	id := fp.p.newIdent(fp.p.pos(fp.tok.Pos), fp.tok.Value)
	fp.next()
	return id
}

func (fp *fastParser) decl() Decl {
	at := fp.p.pos(fp.tok.Pos)
	switch fp.tok.Value {
	case "include":
		fp.next()
		return &Include{At: at, Path: fp.p.str(fp.expectType(grammar.TypeString))}
	case "const":
		fp.next()
		d := &ConstDecl{At: at, Name: fp.ident(grammar.TypeIdent)}
		fp.expect("=")
		d.Value = fp.expr()
		return d
	case "group":
		fp.next()
		d := &GroupDecl{At: at, Name: fp.ident(grammar.TypeGroupName)}
		fp.expect("=")
		d.Members = commaList(fp, fp.member)
		return d
	case "policy":
		fp.next()
		return fp.policy(at)
	}
	fp.fail()
	return nil
}

// policy parses a policy after its keyword, at at.
func (fp *fastParser) policy(at diag.Pos) *PolicyDecl {
	pol := &PolicyDecl{At: at, Name: fp.ident(grammar.TypeIdent)}
	fp.expect("{")
	for fp.ok && !fp.is("}") {
		pol.Body = append(pol.Body, fp.stmt())
	}
	pol.Close = fp.p.pos(fp.tok.Pos)
	fp.expect("}")
	return pol
}

func (fp *fastParser) stmt() Stmt {
	at := fp.p.pos(fp.tok.Pos)
	switch fp.tok.Value {
	case "arch":
		fp.next()
		return &ArchStmt{At: at, Arches: commaList(fp, fp.name)}
	case "default":
		fp.next()
		s := &DefaultStmt{At: at}
		if fp.is("newer") {
			fp.next()
			s.Newer = true
		}
		s.Action = fp.action()
		return s
	case "flags":
		fp.next()
		return &FlagsStmt{At: at, Flags: commaList(fp, fp.name)}
	case "use":
		fp.next()
		return &UseStmt{At: at, Policy: fp.ident(grammar.TypeIdent)}
	case "expect":
		fp.next()
		return fp.expectStmt(at)
	}
	r := &RuleStmt{At: at, Action: fp.action(), Syscalls: commaList(fp, fp.member)}
	if fp.ok && fp.is("if") {
		fp.next()
		r.Cond = fp.expr()
	}
	return r
}

// expectStmt parses an expect statement after its keyword, at at.
func (fp *fastParser) expectStmt(at diag.Pos) *ExpectStmt {
	s := &ExpectStmt{At: at, Syscall: fp.ident(grammar.TypeIdent), Args: []Expr{}}
	fp.expect("(")
	if fp.ok && !fp.is(")") {
		s.Args = commaList(fp, fp.expr)
	}
	fp.expect(")")
	fp.expect("=>")
	s.Action = fp.action()
	return s
}

func (fp *fastParser) action() *Action {
	a := &Action{At: fp.p.pos(fp.tok.Pos)}
	switch fp.tok.Value {
	case "errno", "trap", "trace":
		a.Name = fp.tok.Value
		fp.next()
		fp.expect("(")
		a.Arg = fp.expr()
		fp.expect(")")
	case "allow", "log", "kill_process", "kill_thread", "kill", "user_notif":
		a.Name = fp.tok.Value
		fp.next()
	default:
		fp.fail()
	}
	return a
}

// commaList parses item (',' item)*.
func commaList[T any](fp *fastParser, item func() T) []T {
	out := []T{item()}
	for fp.ok && fp.is(",") {
		fp.next()
		out = append(out, item())
	}
	return out
}

// member parses a syscall name or @group of a list.
func (fp *fastParser) member() *Ident {
	if t := fp.tok.Type; (t != grammar.TypeIdent && t != grammar.TypeGroupName) || isListKeyword(fp.tok.Value) {
		fp.fail()
	}
	return fp.ident(fp.tok.Type)
}

// name parses an architecture or flag name of a list.
func (fp *fastParser) name() *Ident {
	if isListKeyword(fp.tok.Value) {
		fp.fail()
	}
	return fp.ident(grammar.TypeIdent)
}

// isListKeyword tells whether w is one of the words that a list member never is.
func isListKeyword(w string) bool {
	switch w {
	case "arch", "default", "flags", "use", "expect", "include", "const", "group", "policy":
		return true
	}
	return false
}

// expr parses an expression, building its tree by precedence climbing.
func (fp *fastParser) expr() Expr { return fp.climb(fp.unary(), lowestPrec) }

// climb consumes the operators that bind at least as tightly as minPrec, with x as the left
// operand, and returns the resulting expression. All operators are left-associative.
func (fp *fastParser) climb(x Expr, minPrec int) Expr {
	for fp.ok {
		prec := fp.opPrec()
		if prec < minPrec {
			return x
		}
		op := fp.tok
		fp.next()
		if op.Type == grammar.TypeKeyword { // in
			fp.expect("{")
			x = &InSet{At: fp.p.pos(op.Pos), X: x, Set: commaList(fp, fp.expr)}
			fp.expect("}")
			continue
		}
		y := fp.unary()
		for fp.ok && fp.opPrec() > prec {
			y = fp.climb(y, prec+1)
		}
		x = &Binary{At: fp.p.pos(op.Pos), Op: op.Value, X: x, Y: y}
	}
	return x
}

// opPrec returns the precedence of the current token as a binary operator or `in`, 0 if
// it is neither.
func (fp *fastParser) opPrec() int {
	if t := fp.tok.Type; t != grammar.TypePunct && t != grammar.TypeKeyword {
		return 0
	}
	return precedence(fp.tok.Value)
}

func (fp *fastParser) unary() Expr {
	t := fp.tok
	switch {
	case !fp.ok:
		return nil
	case t.Type == grammar.TypePunct && (t.Value == "!" || t.Value == "~" || t.Value == "-"):
		fp.next()
		return &Unary{At: fp.p.pos(t.Pos), Op: t.Value, X: fp.unary()}
	case t.Type == grammar.TypePunct && t.Value == "(":
		fp.next()
		x := &Paren{At: fp.p.pos(t.Pos), X: fp.expr()}
		fp.expect(")")
		return x
	case t.Type == grammar.TypeNumber:
		fp.next()
		return fp.p.number(t)
	case t.Type == grammar.TypeIdent && !isOperandKeyword(t.Value):
		fp.next()
		return fp.p.ident(t)
	}
	fp.fail()
	return nil
}

// isOperandKeyword tells whether w is one of the words that an operand never is.
func isOperandKeyword(w string) bool {
	switch w {
	case "allow", "log", "kill", "kill_process", "kill_thread", "user_notif", "errno", "trap", "trace",
		"arch", "default", "use", "expect", "include", "const", "group":
		return true
	}
	return false
}
