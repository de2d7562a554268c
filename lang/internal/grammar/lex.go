package grammar

import (
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/scc-dev/scc/lang/token"
)

// Scanner splits text into tokens exactly as Spec does (the same types, values and
// positions, whitespace and comments included, then EOF), without Spec's regular
// expressions: it is the lexer of every parse, and Spec is its specification (see the
// tests). Like Spec, with the catch-all Invalid rule it never fails.
type Scanner struct {
	src string
	pos lexer.Position
}

// NewScanner returns a Scanner at the start of src.
func NewScanner(filename, src string) *Scanner {
	return &Scanner{src: src, pos: lexer.Position{Filename: filename, Line: 1, Column: 1}}
}

// Next returns the next token; at the end of the text, EOF, again and again.
func (s *Scanner) Next() lexer.Token {
	rest := s.src[s.pos.Offset:]
	if rest == "" {
		return lexer.EOFToken(s.pos)
	}
	typ, n := match(rest)
	pos := s.pos
	switch typ {
	case TypeWhitespace, TypeComment, TypeString, TypeInvalid:
		advance(&s.pos, rest[:n])
	default: // the other tokens are ASCII, on one line
		s.pos.Offset += n
		s.pos.Column += n
	}
	return lexer.Token{Type: typ, Value: rest[:n], Pos: pos}
}

// SkipWhitespace moves past the whitespace at the current position, if any: it does what
// calling Next does when Next would return a Whitespace token, quicker.
func (s *Scanner) SkipWhitespace() {
	for s.pos.Offset < len(s.src) {
		switch s.src[s.pos.Offset] {
		case ' ', '\t', '\r':
			s.pos.Column++
		case '\n':
			s.pos.Line++
			s.pos.Column = 1
		default:
			return
		}
		s.pos.Offset++
	}
}

// match returns the type and length of the token at the start of s (not empty): the first of
// Rules that matches, as the regular expressions would.
func match(s string) (lexer.TokenType, int) {
	c := s[0]
	switch {
	case c == '#': // Comment: #[^\n]*
		if n := strings.IndexByte(s, '\n'); n >= 0 {
			return TypeComment, n
		}
		return TypeComment, len(s)
	case c == ' ' || c == '\t' || c == '\r' || c == '\n': // Whitespace: [ \t\r\n]+
		n := 1
		for n < len(s) && (s[n] == ' ' || s[n] == '\t' || s[n] == '\r' || s[n] == '\n') {
			n++
		}
		return TypeWhitespace, n
	case c == '"': // String: "(?:\\.|[^"\\\n])*"; unterminated, it is Invalid
		if n := stringLen(s); n > 0 {
			return TypeString, n
		}
	case isDigit(c): // Number: [0-9][0-9A-Za-z_]*
		return TypeNumber, 1 + wordLen(s[1:])
	case isLetter(c): // a keyword of one of the classes, else Ident: [A-Za-z_][A-Za-z0-9_]*
		n := 1 + wordLen(s[1:])
		return wordType(s[:n]), n
	case c == '@': // GroupName: @[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*
		n := 1 + wordLen(s[1:])
		if n == 1 {
			break
		}
		for n+1 < len(s) && s[n] == '-' && isWord(s[n+1]) {
			n += 1 + wordLen(s[n+1:])
		}
		return TypeGroupName, n
	}
	if n := punctLen(s); n > 0 {
		if token.LookupOperator(s[:n]).IsBinary() {
			return TypeOperator, n
		}
		return TypePunct, n
	}
	_, n := utf8.DecodeRuneInString(s) // Invalid: one character
	return TypeInvalid, n
}

// wordType returns the type of a word: the class of its keyword, or Ident.
func wordType(word string) lexer.TokenType {
	switch t := token.Lookup(word); {
	case t == token.Ident:
		return TypeIdent
	case t.IsCondKeyword():
		return TypeKeyword
	case t.IsDecl() || t.IsStmt():
		return TypeStatement
	case t.TakesData():
		return TypeDataAction
	default:
		return TypeAction
	}
}

// stringLen returns the length of the string literal at the start of s, or 0 if it is not
// closed on its line.
func stringLen(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			return i + 1
		case '\n':
			return 0
		case '\\':
			if i+1 == len(s) || s[i+1] == '\n' {
				return 0
			}
			i++ // the escaped byte; the rest of a multi-byte character is ordinary
		}
	}
	return 0
}

// punctLen returns the length of the operator or punctuation at the start of s, or 0.
func punctLen(s string) int {
	if len(s) >= 2 && token.LookupOperator(s[:2]) != token.Invalid {
		return 2
	}
	if token.LookupOperator(s[:1]) != token.Invalid {
		return 1
	}
	return 0
}

// wordLen returns the length of the run of [A-Za-z0-9_] at the start of s.
func wordLen(s string) int {
	n := 0
	for n < len(s) && isWord(s[n]) {
		n++
	}
	return n
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }
func isWord(c byte) bool   { return wordBytes[c] }

// wordBytes tells which bytes are in [A-Za-z0-9_]: a table lookup is quicker than the
// comparisons, in the loop over the bytes of names.
var wordBytes = func() (w [256]bool) {
	for c := range w {
		w[c] = isLetter(byte(c)) || isDigit(byte(c))
	}
	return w
}()

// advance moves pos past span, as lexer.Position.Advance does.
func advance(pos *lexer.Position, span string) {
	pos.Offset += len(span)
	lines := strings.Count(span, "\n")
	if lines == 0 {
		pos.Column += utf8.RuneCountInString(span)
		return
	}
	pos.Line += lines
	pos.Column = utf8.RuneCountInString(span[strings.LastIndexByte(span, '\n'):])
}

// SliceLexer replays tokens already lexed, for participle: after the last token (the end of
// file) it keeps returning that one.
type SliceLexer struct{ Toks []lexer.Token }

// Next returns the next token.
func (l *SliceLexer) Next() (lexer.Token, error) {
	t := l.Toks[0]
	if len(l.Toks) > 1 {
		l.Toks = l.Toks[1:]
	}
	return t, nil
}
