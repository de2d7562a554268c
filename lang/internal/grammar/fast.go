package grammar

import "github.com/alecthomas/participle/v2/lexer"

// ParseTokens parses a whole file from its significant tokens (no whitespace or comments,
// ending with EOF) into the structs FileParser would build. It is a recursive descent over
// the same grammar, much faster than participle's reflection, for the common case of a valid
// file: it reports false on any input it does not accept, and the caller then parses with
// FileParser, which reports the errors.
//
// FileParser runs with no lookahead (UseLookahead(0)): a branch that has consumed a token
// is committed, so every choice is made on the next token alone, as here. Whatever
// ParseTokens accepts, FileParser accepts with the same result (the tests compare them).
func ParseTokens(toks []lexer.Token) (*File, bool) {
	fp := &fastParser{toks: toks, ok: true}
	f := &File{}
	for fp.ok && !fp.peek().EOF() {
		f.Decls = append(f.Decls, fp.decl())
	}
	return f, fp.ok
}

// fastParser is the state of one ParseTokens. After the first error, ok is false and every
// method returns without consuming, so the callers need not check at each step.
type fastParser struct {
	toks []lexer.Token
	i    int
	ok   bool
}

func (fp *fastParser) peek() *lexer.Token { return &fp.toks[fp.i] }

// fail records that the input is not accepted.
func (fp *fastParser) fail() { fp.ok = false }

// next consumes and returns the current token; EOF is never consumed.
func (fp *fastParser) next() lexer.Token {
	t := fp.toks[fp.i]
	if fp.ok && !t.EOF() {
		fp.i++
	}
	return t
}

// is tells whether the current token is the literal s (literals match any token type, as
// in participle).
func (fp *fastParser) is(s string) bool { t := fp.peek(); return !t.EOF() && t.Value == s }

// expect consumes the literal s, or fails.
func (fp *fastParser) expect(s string) lexer.Token {
	if !fp.ok || !fp.is(s) {
		fp.fail()
		return lexer.Token{}
	}
	return fp.next()
}

// expectType consumes a token of type typ, or fails.
func (fp *fastParser) expectType(typ lexer.TokenType) lexer.Token {
	if !fp.ok || fp.peek().Type != typ {
		fp.fail()
		return lexer.Token{}
	}
	return fp.next()
}

func (fp *fastParser) pos() lexer.Position { return fp.peek().Pos }

func (fp *fastParser) decl() *Decl {
	d := &Decl{}
	switch fp.peek().Value {
	case "include":
		d.Include = &Include{Pos: fp.pos()}
		fp.expect("include")
		d.Include.Path = fp.expectType(TypeString)
	case "const":
		d.Const = &Const{Pos: fp.pos()}
		fp.expect("const")
		d.Const.Name = fp.expectType(TypeIdent)
		fp.expect("=")
		d.Const.Value = fp.expr()
	case "group":
		d.Group = &Group{Pos: fp.pos()}
		fp.expect("group")
		d.Group.Name = fp.expectType(TypeGroupName)
		fp.expect("=")
		d.Group.Members = fp.members()
	case "policy":
		d.Policy = fp.policy()
	default:
		fp.fail()
	}
	return d
}

func (fp *fastParser) policy() *Policy {
	p := &Policy{Pos: fp.pos()}
	fp.expect("policy")
	p.Name = fp.expectType(TypeIdent)
	p.Open = fp.expect("{")
	for fp.ok && !fp.is("}") {
		p.Body = append(p.Body, fp.stmt())
	}
	p.Close = fp.expect("}")
	return p
}

func (fp *fastParser) stmt() *Stmt {
	s := &Stmt{}
	switch fp.peek().Value {
	case "arch":
		s.Arch = &Arch{Pos: fp.pos()}
		fp.expect("arch")
		s.Arch.Arches = fp.names()
	case "default":
		s.Default = &Default{Pos: fp.pos()}
		fp.expect("default")
		if fp.is("newer") {
			fp.next()
			s.Default.Newer = true
		}
		s.Default.Action = fp.action()
	case "flags":
		s.Flags = &Flags{Pos: fp.pos()}
		fp.expect("flags")
		s.Flags.Flags = fp.names()
	case "use":
		s.Use = &Use{Pos: fp.pos()}
		fp.expect("use")
		s.Use.Policy = fp.expectType(TypeIdent)
	case "expect":
		e := &Expect{Pos: fp.pos()}
		s.Expect = e
		fp.expect("expect")
		e.Syscall = fp.expectType(TypeIdent)
		fp.expect("(")
		if fp.ok && !fp.is(")") {
			e.Args = commaList(fp, fp.expr)
		}
		fp.expect(")")
		fp.expect("=>")
		e.Action = fp.action()
	default:
		r := &Rule{Pos: fp.pos()}
		s.Rule = r
		r.Action = fp.action()
		r.Syscalls = fp.members()
		if fp.ok && fp.is("if") {
			fp.next()
			r.Cond = fp.expr()
		}
	}
	return s
}

func (fp *fastParser) action() *Action {
	a := &Action{Pos: fp.pos()}
	switch v := fp.peek().Value; v {
	case "errno", "trap", "trace":
		a.Name = fp.next().Value
		fp.expect("(")
		a.Arg = fp.expr()
		fp.expect(")")
	case "allow", "log", "kill_process", "kill_thread", "kill", "user_notif":
		a.Bare = fp.next().Value
	default:
		fp.fail()
	}
	return a
}

// listKeywords are the words Member and Name never are.
var listKeywords = map[string]bool{
	"arch": true, "default": true, "flags": true, "use": true, "expect": true, "include": true,
	"const": true, "group": true, "policy": true,
}

// members parses Member (',' Member)*.
func (fp *fastParser) members() []*Member { return commaList(fp, fp.member) }

// commaList parses item (',' item)*.
func commaList[T any](fp *fastParser, item func() T) []T {
	out := []T{item()}
	for fp.ok && fp.is(",") {
		fp.next()
		out = append(out, item())
	}
	return out
}

func (fp *fastParser) member() *Member {
	t := fp.peek()
	m := &Member{Pos: t.Pos}
	if !fp.ok || (t.Type != TypeIdent && t.Type != TypeGroupName) || listKeywords[t.Value] {
		fp.fail()
		return m
	}
	m.Name = fp.next().Value
	return m
}

// names parses Name (',' Name)*.
func (fp *fastParser) names() []*Name { return commaList(fp, fp.name) }

func (fp *fastParser) name() *Name {
	t := fp.peek()
	n := &Name{Pos: t.Pos}
	if !fp.ok || t.Type != TypeIdent || listKeywords[t.Value] {
		fp.fail()
		return n
	}
	n.Name = fp.next().Value
	return n
}

// binaryOps are the operators of Operation, besides `in`.
var binaryOps = map[string]bool{
	"||": true, "&&": true, "==": true, "!=": true, "<=": true, ">=": true, "<<": true,
	"<": true, ">": true, "+": true, "-": true, "|": true, "&": true,
}

func (fp *fastParser) expr() *Expr {
	e := &Expr{X: fp.unary()}
	for fp.ok {
		t := fp.peek()
		switch {
		case t.Type == TypePunct && binaryOps[t.Value]:
			op := &Operation{Pos: t.Pos, Op: fp.next().Value}
			op.Y = fp.unary()
			e.Rest = append(e.Rest, op)
		case t.Type == TypeKeyword && t.Value == "in":
			op := &Operation{Pos: t.Pos, In: true}
			fp.next()
			fp.expect("{")
			op.Set = commaList(fp, fp.expr)
			fp.expect("}")
			e.Rest = append(e.Rest, op)
		default:
			return e
		}
	}
	return e
}

// operandKeywords are the words an Operand never is.
var operandKeywords = map[string]bool{
	"allow": true, "log": true, "kill": true, "kill_process": true, "kill_thread": true,
	"user_notif": true, "errno": true, "trap": true, "trace": true, "arch": true, "default": true,
	"use": true, "expect": true, "include": true, "const": true, "group": true,
}

func (fp *fastParser) unary() *Unary {
	t := fp.peek()
	u := &Unary{Pos: t.Pos}
	if !fp.ok {
		return u
	}
	if t.Type == TypePunct && (t.Value == "!" || t.Value == "~" || t.Value == "-") {
		u.Op = fp.next().Value
		u.X = fp.unary()
		return u
	}
	o := &Operand{Pos: t.Pos}
	u.Operand = o
	switch {
	case (t.Type == TypeNumber || t.Type == TypeIdent) && !operandKeywords[t.Value]:
		o.Token = fp.next()
	case t.Type == TypePunct && t.Value == "(":
		fp.next()
		o.Paren = fp.expr()
		fp.expect(")")
	default:
		fp.fail()
	}
	return u
}
