package grammar

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Names is a comma-separated list of syscall names and @groups, as a rule and a group
// declaration take them. Words is the same list without @groups, as arch and flags take
// it. Both hold the list's tokens, commas included (the names at the even indexes): a view
// of the lexer's tokens, not a copy.
//
// They read themselves (participle.Parseable) rather than through a grammar of repeated
// groups: a policy's text is mostly such lists, and a loop over the tokens reads them
// several times quicker, with a fraction of the allocations, and keeps the grammar that
// participle builds at every start small. The productions they stand for are in
// ListProductions, which EBNF appends.
//
// Syscalls is a rule's list: Names, where a syscall may also be named by its number as an
// expect line names a call, nr=N (three tokens: nr, '=' and a number); nr not followed by
// '=' is a name.
type (
	Names    struct{ Tokens []lexer.Token }
	Words    struct{ Tokens []lexer.Token }
	Syscalls struct{ Tokens []lexer.Token }
)

// ListProductions are the EBNF productions of Names, Words and Syscalls.
const ListProductions = `Names = (<ident> | <action> | <dataaction> | <groupname>) ("," (<ident> | <action> | <dataaction> | <groupname>))* .
Words = (<ident> | <action> | <dataaction>) ("," (<ident> | <action> | <dataaction>))* .
Syscalls = (((?= "nr" "=") "nr" "=" <number>) | <ident> | <action> | <dataaction> | <groupname>) ("," (((?= "nr" "=") "nr" "=" <number>) | <ident> | <action> | <dataaction> | <groupname>))* .`

// inWords tells whether a token of type typ may stand in a Words list.
func inWords(typ lexer.TokenType) bool {
	return typ == TypeIdent || typ == TypeAction || typ == TypeDataAction
}

// inNames tells whether a token of type typ may stand in a Names list.
func inNames(typ lexer.TokenType) bool { return inWords(typ) || typ == TypeGroupName }

// Parse reads a Names list (participle.Parseable).
func (n *Names) Parse(lex *lexer.PeekingLexer) error {
	toks, err := parseList(lex, inNames, "(<ident> | <action> | <dataaction> | <groupname>)")
	n.Tokens = toks
	return err
}

// Parse reads a Words list (participle.Parseable).
func (w *Words) Parse(lex *lexer.PeekingLexer) error {
	toks, err := parseList(lex, inWords, "(<ident> | <action> | <dataaction>)")
	w.Tokens = toks
	return err
}

// Parse reads a Syscalls list (participle.Parseable).
func (l *Syscalls) Parse(lex *lexer.PeekingLexer) error {
	if !inNames(lex.Peek().Type) {
		return participle.NextMatch
	}
	start := lex.MakeCheckpoint().RawCursor()
	for {
		if err := nrNumber(lex); err != nil {
			return err
		}
		lex.Next() // a name, or the number of nr=N
		if lex.Peek().Value != "," || lex.Peek().Type != TypePunct {
			break
		}
		lex.Next()
		if next := lex.Peek(); !inNames(next.Type) {
			return &participle.UnexpectedTokenError{Unexpected: *next, Expect: "(<ident> | <action> | <dataaction> | <groupname>)"}
		}
	}
	l.Tokens = lex.Range(start, lex.MakeCheckpoint().RawCursor())
	return nil
}

// nrNumber reads the nr and '=' of nr=N, when lex is at them, and leaves it at the number.
func nrNumber(lex *lexer.PeekingLexer) error {
	if lex.Peek().Value != "nr" || lex.Peek().Type != TypeIdent {
		return nil
	}
	cp := lex.MakeCheckpoint()
	lex.Next()
	if eq := lex.Peek(); eq.Value != "=" || eq.Type != TypePunct {
		lex.LoadCheckpoint(cp) // nr alone: a name
		return nil
	}
	lex.Next()
	if n := lex.Peek(); n.Type != TypeNumber {
		return &participle.UnexpectedTokenError{Unexpected: *n, Expect: "<number>"}
	}
	return nil
}

// parseList reads item ("," item)*, each item a token that member accepts. It returns
// participle.NextMatch when the first token is no item, and an UnexpectedTokenError
// expecting want when a comma is followed by none, as the equivalent grammar would.
func parseList(lex *lexer.PeekingLexer, member func(lexer.TokenType) bool, want string) ([]lexer.Token, error) {
	if !member(lex.Peek().Type) {
		return nil, participle.NextMatch
	}
	start := lex.MakeCheckpoint().RawCursor()
	lex.Next()
	for lex.Peek().Value == "," && lex.Peek().Type == TypePunct {
		lex.Next()
		if next := lex.Peek(); !member(next.Type) {
			return nil, &participle.UnexpectedTokenError{Unexpected: *next, Expect: want}
		}
		lex.Next()
	}
	return lex.Range(start, lex.MakeCheckpoint().RawCursor()), nil
}
