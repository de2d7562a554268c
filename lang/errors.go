package lang

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang/internal/grammar"
	"github.com/scc-dev/scc/lang/token"
)

// actionNames are the names of the actions, in the order the documentation lists them.
var actionNames = token.Keywords(token.Token.IsAction)

// The words that start a declaration, and those that start a statement, sorted: what
// diag.Suggest picks from.
var (
	declWords = slices.Sorted(slices.Values(token.Keywords(token.Token.IsDecl)))
	stmtWords = slices.Sorted(slices.Values(token.Keywords(startsStmt)))
)

// startsStmt tells whether t starts a statement: a statement keyword or an action.
func startsStmt(t token.Token) bool { return t.IsStmt() || t.IsAction() }

// syntaxError reports err, a parse error in the declaration (or, inPolicy, the statement)
// that starts at token index start, and returns the index of the offending token.
func (p *parser) syntaxError(err error, start int, inPolicy bool) int {
	var ute *participle.UnexpectedTokenError
	var perr participle.Error
	switch {
	case errors.As(err, &ute):
		at := p.index(ute.Unexpected.Pos.Offset)
		msg, hint := p.explain(start, at, inPolicy)
		if msg == "" {
			msg = "unexpected " + describe(p.toks[at])
			if exp := expectation(ute); exp != "" {
				msg = exp + ", found " + describe(p.toks[at])
			}
		}
		p.errs.Errorf(p.pos(p.toks[at].Pos), "%s", msg).Hint = hint
		return at
	case errors.As(err, &perr):
		p.errs.Errorf(p.pos(perr.Position()), "%s", perr.Message())
		return p.index(perr.Position().Offset)
	default:
		p.errs.Errorf(p.pos(p.toks[start].Pos), "%v", err)
		return start
	}
}

// expectation returns "expected X" from participle's message, or "".
func expectation(ute *participle.UnexpectedTokenError) string {
	msg := ute.Message()
	if i := strings.Index(msg, "(expected "); i >= 0 {
		return strings.TrimSuffix(msg[i+1:], ")")
	}
	return ""
}

// explain words the error at token at in the unit starting at token start; it returns ""
// when it has nothing better than the generic message.
func (p *parser) explain(start, at int, inPolicy bool) (msg, hint string) {
	tok := p.toks[at]
	switch {
	case tok.Type == grammar.TypeInvalid:
		return invalidChar(tok.Value)
	case at == start && inPolicy:
		return p.badStmtStart(at)
	case at == start:
		return p.badDeclStart(at)
	}
	return p.explainAfter(start, at)
}

func invalidChar(c string) (string, string) {
	switch c {
	case `"`:
		return "unterminated string", `a string ends with '"' on the same line`
	case "@":
		return "'@' must be followed by a group name", "group names are like @web-io"
	}
	return fmt.Sprintf("invalid character %q", c), ""
}

// badStmtStart explains a policy statement that starts with token at.
func (p *parser) badStmtStart(at int) (string, string) {
	tok := p.toks[at]
	if p.kind(at) == token.Assign && tok.Pos.Line == p.toks[at-1].Pos.Line {
		if at >= 2 && grammar.IsName(p.toks[at-1].Type) && (p.kind(at-2) == token.Comma || p.kind(at-2).IsAction()) {
			return fmt.Sprintf("unexpected '=' after the syscall name %s", p.toks[at-1].Value),
				"a rule names a syscall by number as nr=N, as in allow nr=463"
		}
		return "'=' is not a comparison", "compare with ==, as in fd == 1"
	}
	if !grammar.IsName(tok.Type) {
		return "expected a statement, found " + describe(tok), stmtHint
	}
	msg := fmt.Sprintf("unknown action or statement %q", tok.Value)
	prev := p.toks[at-1]
	if at >= 2 && p.isPunct(at-2, ",") && p.firstOnLine(at-1) && startsStmt(p.kind(at-1)) {
		return msg, fmt.Sprintf("the ',' before %q continues the list on line %d: remove it", prev.Value, p.toks[at-2].Pos.Line)
	}
	if s := diag.Suggest(tok.Value, stmtWords); s != "" {
		return msg, "did you mean " + s + "?"
	}
	if prev.Pos.Line == tok.Pos.Line && (grammar.IsName(prev.Type) || prev.Type == grammar.TypeGroupName) {
		return msg, fmt.Sprintf("missing ',' after %q?", prev.Value)
	}
	return msg, stmtHint
}

const stmtHint = "a statement is an action (allow, log, kill, errno(N), …) and syscalls, " +
	"or arch, default, flags, use, expect"

// badDeclStart explains a top-level declaration that starts with token at.
func (p *parser) badDeclStart(at int) (string, string) {
	tok := p.toks[at]
	msg := "expected include, const, group or policy, found " + describe(tok)
	if !grammar.IsName(tok.Type) {
		return msg, ""
	}
	if s := diag.Suggest(tok.Value, declWords); s != "" {
		return msg, "did you mean " + s + "?"
	}
	if startsStmt(p.kind(at)) {
		return msg, "statements belong in a policy block: policy NAME { … }"
	}
	return msg, ""
}

// explainAfter explains an error in the middle of a declaration or statement, mostly by the
// token before it.
func (p *parser) explainAfter(start, at int) (string, string) {
	tok, prev := p.toks[at], p.toks[at-1]
	found := "found " + describe(tok)
	if p.kind(at-1) == token.Comma {
		if noun := p.listNoun(start, at); noun != "" {
			return fmt.Sprintf("expected %s after ','", noun), found + "; a list has no trailing ','"
		}
	}
	if w, ok := p.follows(at - 1); ok {
		return p.afterWord(w, prev, tok)
	}
	if p.kind(start) == token.Expect && p.isWord(at-1, token.Nr) && at == start+2 {
		return "expected '=' after nr, found " + describe(tok), "a raw syscall number is written nr=N, as in nr=0x40000001"
	}
	if at >= 2 && p.inRuleList(start, at-2) && p.isWord(at-2, token.Nr) && p.kind(at-1) == token.Assign {
		return "expected a number after nr=, found " + describe(tok), "a rule names a syscall by number as nr=N, as in allow nr=463"
	}
	if w, ok := afterName[p.kind(start)]; ok && at == start+2 {
		return fmt.Sprintf("expected %s after %q, found %s", w, prev.Value, describe(tok)), ""
	}
	if p.isActionAt(start, at) {
		return fmt.Sprintf("expected a syscall name after %s, %s", actionText(p.toks[start:at]), found), ""
	}
	if operandAfter(p.kind(at - 1)) {
		return fmt.Sprintf("incomplete expression: expected an operand after '%s', %s", prev.Value, found), setHint(prev, tok)
	}
	return "", ""
}

// setHint words what an `in {…}` set lacks when it closes too early, else "".
func setHint(prev, tok lexer.Token) string {
	switch {
	case tok.Value != "}":
		return ""
	case prev.Value == "{":
		return "a set needs at least one value: x in {1, 2}; a set of none would never match"
	case prev.Value == ",":
		return "remove the ',' before '}': a set does not end with a comma"
	}
	return ""
}

// afterWord explains an error right after a keyword.
func (p *parser) afterWord(want string, prev, tok lexer.Token) (string, string) {
	msg := fmt.Sprintf("expected %s after %q, found %s", want, prev.Value, describe(tok))
	if want == "an action" && grammar.IsName(tok.Type) {
		if s := diag.Suggest(tok.Value, actionNames); s != "" {
			return fmt.Sprintf("unknown action %q", tok.Value), "did you mean " + s + "?"
		}
		return fmt.Sprintf("unknown action %q", tok.Value), "the actions are " + strings.Join(actionNames, ", ")
	}
	return msg, ""
}

// follows returns what must follow token i when it is a keyword (or newer, or =>) that
// needs something after it.
func (p *parser) follows(i int) (string, bool) {
	if p.toks[i].Type == grammar.TypeIdent && (p.toks[i].Value == token.Newer || p.toks[i].Value == token.Named || p.toks[i].Value == token.Foreign) {
		return "an action", true
	}
	w, ok := follows[p.kind(i)]
	return w, ok
}

// follows maps keywords to what must follow them.
var follows = map[token.Token]string{
	token.Include: "a quoted path",
	token.Const:   "a constant name",
	token.Group:   "a @group name",
	token.Policy:  "a policy name",
	token.Arch:    "an architecture name",
	token.Flags:   "a flag name",
	token.Use:     "a policy name",
	token.Expect:  "a syscall name",
	token.Default: "an action",
	token.Arrow:   "an action",
	token.Errno:   "'(' and the errno value, as in errno(EPERM),",
	token.Trap:    "'(' and the data, as in trap(1),",
	token.Trace:   "'(' and the data, as in trace(1),",
	token.In:      "'{', as in x in {A, B},",
}

// afterName maps the keywords of the forms "KEYWORD NAME x" to the x they need.
var afterName = map[token.Token]string{
	token.Policy: "'{'",
	token.Const:  "'='",
	token.Group:  "'='",
	token.Expect: "'('",
}

// operandAfter tells whether an operand must come after t.
func operandAfter(t token.Token) bool {
	switch t {
	case token.LParen, token.LBrace, token.Assign, token.Comma, token.If:
		return true
	}
	return t.IsBinary() || t.IsPrefix()
}

// listNoun names what a list holds when the comma before token at separates list items, or
// returns "" when it separates expressions.
func (p *parser) listNoun(start, at int) string {
	switch lead := p.kind(start); {
	case lead == token.Arch:
		return "an architecture name"
	case lead == token.Flags:
		return "a flag name"
	case lead == token.Group:
		return "a syscall name or @group"
	case lead == token.Expect || lead == token.Const || !startsStmt(lead):
		return ""
	}
	for i := start; i < at; i++ {
		if p.kind(i) == token.If {
			return ""
		}
	}
	return "a syscall name"
}

// isActionAt tells whether tokens start to at are exactly an action, so that a syscall name
// must come at token at.
func (p *parser) isActionAt(start, at int) bool {
	lead := p.kind(start)
	if at-start == 1 {
		return lead.IsAction() && !lead.TakesData()
	}
	return lead.TakesData() && at-start >= 4 && closesFirstParen(p.toks[start+1:at])
}

// inRuleList tells whether token i is a name of the syscall list of a rule that starts at
// token start: the first after the action, or one after a comma.
func (p *parser) inRuleList(start, i int) bool {
	return i > start && p.kind(start).IsAction() && (p.isActionAt(start, i) || p.kind(i-1) == token.Comma)
}

// closesFirstParen tells whether toks, starting with '(', end where that parenthesis closes.
func closesFirstParen(toks []lexer.Token) bool {
	depth := 0
	for i, t := range toks {
		if t.Type != grammar.TypePunct {
			continue
		}
		switch token.LookupOperator(t.Value) {
		case token.LParen:
			depth++
		case token.RParen:
			depth--
			if depth == 0 {
				return i == len(toks)-1
			}
		}
	}
	return false
}

func actionText(toks []lexer.Token) string {
	if len(toks) == 1 {
		return fmt.Sprintf("%q", toks[0].Value)
	}
	return fmt.Sprintf("%q", toks[0].Value+"(…)")
}

// describe names a token for a message.
func describe(t lexer.Token) string {
	switch t.Type {
	case lexer.EOF:
		return "end of file"
	case grammar.TypePunct, grammar.TypeOperator:
		return "'" + t.Value + "'"
	case grammar.TypeNumber:
		return "number " + t.Value
	case grammar.TypeString:
		return "string " + t.Value
	case grammar.TypeKeyword:
		return "keyword " + fmt.Sprintf("%q", t.Value)
	}
	return fmt.Sprintf("%q", t.Value)
}
