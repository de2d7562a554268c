package lang

import (
	"errors"
	"strings"

	"github.com/alecthomas/participle/v2"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang/internal/grammar"
	"github.com/scc-dev/scc/lang/token"
)

// ParseCall parses a call written alone, as it stands in an expect line: a syscall's name and
// its arguments, "openat(AT_FDCWD, 0, O_RDONLY)", or a raw number, "nr=0x40000001(1, 2)".
// Diagnostics are positioned in the call's own text, as if it were a file called name. The
// result is an ExpectStmt without an Action, or nil on error.
func ParseCall(name, call string) (*ExpectStmt, diag.List) {
	p := newParser(name, []byte(call))
	if !p.checkText() {
		return nil, p.errs
	}
	lex := p.tokenize()
	if lex == nil {
		return nil, p.errs
	}
	if p.isWord(0, token.Nr) && !p.isPunct(1, "=") {
		p.callErrorAt(1, nil) // written alone, nr is always the start of nr=N
		return nil, p.errs
	}
	c, err := grammar.Get().Call.ParseFromLexer(lex)
	if err != nil {
		p.callError(err)
		return nil, p.errs
	}
	st := p.call(c)
	if p.errs.HasErrors() { // a number out of range, say
		return nil, p.errs
	}
	return st, nil
}

// callError reports err, a syntax error in a call, in the words of a call rather than of a
// file.
func (p *parser) callError(err error) {
	var ute *participle.UnexpectedTokenError
	if !errors.As(err, &ute) {
		p.syntaxError(err, 0, false)
		return
	}
	p.callErrorAt(p.index(ute.Unexpected.Pos.Offset), ute)
}

// callErrorAt reports a syntax error at token at of a call; ute, when not nil, is the parser's
// error there.
func (p *parser) callErrorAt(at int, ute *participle.UnexpectedTokenError) {
	tok := p.toks[at]
	var msg, hint string
	switch {
	case tok.Type == grammar.TypeInvalid:
		msg, hint = invalidChar(tok.Value)
	case at == 0:
		msg, hint = "expected a syscall name or nr=N, found "+describe(tok), callHint
	case at == 1 && p.isWord(0, token.Nr):
		msg, hint = "expected '=' after nr, found "+describe(tok), callHint
	default:
		msg, hint = p.explainAfter(0, at)
	}
	if msg == "" {
		msg = "unexpected " + describe(tok) + " after the call"
		if ute != nil && expectation(ute) != "" {
			msg = expectation(ute) + ", found " + describe(tok)
		}
	}
	msg = strings.ReplaceAll(msg, "end of file", "the end of the call")
	p.errs.Errorf(p.pos(tok.Pos), "%s", msg).Hint = hint
}

const callHint = "a call is written as in an expect line: openat(AT_FDCWD, 0, O_RDONLY), " +
	"or by number: nr=0x40000001(1, 2)"
