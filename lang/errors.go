package lang

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang/internal/grammar"
)

// ActionNames are the names of the actions, in the order the documentation lists them.
var ActionNames = []string{
	"allow", "log", "kill", "kill_process", "kill_thread", "user_notif", "errno", "trap", "trace",
}

// Words that start a declaration or a statement.
var (
	declWords = set("include", "const", "group", "policy")
	stmtWords = set(append([]string{"arch", "default", "flags", "use", "expect"}, ActionNames...)...)
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func keys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }

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
	if tok.Value == "=" && tok.Pos.Line == p.toks[at-1].Pos.Line {
		return "'=' is not a comparison", "compare with ==, as in fd == 1"
	}
	if tok.Type != grammar.TypeIdent {
		return "expected a statement, found " + describe(tok), stmtHint
	}
	msg := fmt.Sprintf("unknown action or statement %q", tok.Value)
	prev := p.toks[at-1]
	if at >= 2 && p.isPunct(at-2, ",") && p.firstOnLine(at-1) && stmtWords[prev.Value] {
		return msg, fmt.Sprintf("the ',' before %q continues the list on line %d: remove it", prev.Value, p.toks[at-2].Pos.Line)
	}
	if s := diag.Suggest(tok.Value, keys(stmtWords)); s != "" {
		return msg, "did you mean " + s + "?"
	}
	if prev.Pos.Line == tok.Pos.Line && (prev.Type == grammar.TypeIdent || prev.Type == grammar.TypeGroupName) {
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
	if tok.Type != grammar.TypeIdent {
		return msg, ""
	}
	if s := diag.Suggest(tok.Value, keys(declWords)); s != "" {
		return msg, "did you mean " + s + "?"
	}
	if stmtWords[tok.Value] {
		return msg, "statements belong in a policy block: policy NAME { … }"
	}
	return msg, ""
}

// explainAfter explains an error in the middle of a declaration or statement, mostly by the
// token before it.
func (p *parser) explainAfter(start, at int) (string, string) {
	tok, prev := p.toks[at], p.toks[at-1]
	found := "found " + describe(tok)
	if prev.Type == grammar.TypePunct && prev.Value == "," {
		if noun := p.listNoun(start, at); noun != "" {
			return fmt.Sprintf("expected %s after ','", noun), found + "; a list has no trailing ','"
		}
	}
	if w, ok := follows[prev.Value]; ok && prev.Type != grammar.TypeString {
		return p.afterWord(w, prev, tok)
	}
	if p.toks[start].Value == "expect" && prev.Value == "nr" && at == start+2 {
		return "expected '=' after nr, found " + describe(tok), "a raw syscall number is written nr=N, as in nr=0x40000001"
	}
	if w, ok := afterName[p.toks[start].Value]; ok && at == start+2 {
		return fmt.Sprintf("expected %s after %q, found %s", w, prev.Value, describe(tok)), ""
	}
	if isActionAt(p.toks, start, at) {
		return fmt.Sprintf("expected a syscall name after %s, %s", actionText(p.toks[start:at]), found), ""
	}
	if prev.Type != grammar.TypeIdent && operandBefore[prev.Value] {
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
	if want == "an action" && tok.Type == grammar.TypeIdent {
		if s := diag.Suggest(tok.Value, ActionNames); s != "" {
			return fmt.Sprintf("unknown action %q", tok.Value), "did you mean " + s + "?"
		}
		return fmt.Sprintf("unknown action %q", tok.Value), "the actions are " + strings.Join(ActionNames, ", ")
	}
	return msg, ""
}

// follows maps keywords to what must follow them.
var follows = map[string]string{
	"include": "a quoted path",
	"const":   "a constant name",
	"group":   "a @group name",
	"policy":  "a policy name",
	"arch":    "an architecture name",
	"flags":   "a flag name",
	"use":     "a policy name",
	"expect":  "a syscall name",
	"default": "an action",
	"newer":   "an action",
	"=>":      "an action",
	"errno":   "'(' and the errno value, as in errno(EPERM),",
	"trap":    "'(' and the data, as in trap(1),",
	"trace":   "'(' and the data, as in trace(1),",
	"in":      "'{', as in x in {A, B},",
}

// afterName maps the keywords of the forms "KEYWORD NAME x" to the x they need.
var afterName = map[string]string{
	"policy": "'{'",
	"const":  "'='",
	"group":  "'='",
	"expect": "'('",
}

// operandBefore holds the tokens after which an operand must come.
var operandBefore = set("||", "&&", "==", "!=", "<", "<=", ">", ">=", "<<", "&", "+", "-", "|",
	"!", "~", "(", "{", "=", ",", "if")

// listNoun names what a list holds when the comma before token at separates list items, or
// returns "" when it separates expressions.
func (p *parser) listNoun(start, at int) string {
	switch lead := p.toks[start].Value; {
	case lead == "arch":
		return "an architecture name"
	case lead == "flags":
		return "a flag name"
	case lead == "group":
		return "a syscall name or @group"
	case lead == "expect" || lead == "const" || !stmtWords[lead]:
		return ""
	}
	for _, t := range p.toks[start:at] {
		if t.Type == grammar.TypeKeyword && t.Value == "if" {
			return ""
		}
	}
	return "a syscall name"
}

// isActionAt tells whether toks[start:at] is exactly an action, so that a syscall name must
// come at token at.
func isActionAt(toks []lexer.Token, start, at int) bool {
	lead := toks[start].Value
	if at-start == 1 {
		return bareActions[lead]
	}
	return dataActions[lead] && at-start >= 4 && closesFirstParen(toks[start+1:at])
}

// The actions without and with data.
var (
	bareActions = set("allow", "log", "kill", "kill_process", "kill_thread", "user_notif")
	dataActions = set("errno", "trap", "trace")
)

// closesFirstParen tells whether toks, starting with '(', end where that parenthesis closes.
func closesFirstParen(toks []lexer.Token) bool {
	depth := 0
	for i, t := range toks {
		if t.Type != grammar.TypePunct {
			continue
		}
		switch t.Value {
		case "(":
			depth++
		case ")":
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
	case grammar.TypePunct:
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
