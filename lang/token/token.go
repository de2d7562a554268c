// Package token is the one table of the policy language's tokens: its keywords, grouped
// into the classes the grammar reads, and its operators with their precedence. The lexer,
// the grammar, the parser's error messages, the formatter and the compiler all read it, so
// that a keyword or an operator is spelled in one place. It knows nothing of syntax trees.
package token

import "sync"

// Token is a keyword or an operator of the language, or one of the classes of the other
// tokens (Ident, Number, …). The zero Token is Invalid.
type Token uint8

// The tokens. Keywords run from Include to In, operators from LOr to Comma.
const (
	Invalid   Token = iota // a character that starts no token
	Comment                // # to the end of the line
	String                 // "a string literal"
	Number                 // an integer literal
	Ident                  // a name that is no keyword
	GroupName              // @name

	// Declaration keywords.
	Include
	Const
	Group
	Policy

	// Statement keywords.
	Arch
	Default
	Flags
	Use
	Expect

	// Actions without data.
	Allow
	Log
	Kill
	KillProcess
	KillThread
	UserNotif

	// Actions with data in parentheses.
	Errno
	Trap
	Trace

	// Keywords of conditions: never a name anywhere.
	If
	In

	// Binary operators; Sub is also a prefix operator.
	LOr // ||
	LAnd
	Eql
	Neq
	Lss
	Leq
	Gtr
	Geq
	Shl
	And
	Or
	Add
	Sub

	// Prefix operators.
	Not
	Tilde

	// Punctuation.
	Assign
	Arrow
	LParen
	RParen
	LBrace
	RBrace
	Comma

	count
)

// Words with a meaning in one place, that are no keywords: anywhere else they are names.
const (
	Newer = "newer" // after default: the action for syscalls newer than the tables
	Named = "named" // after default newer: newer than the syscalls the policy names
	// U64, followed by (, is the width override u64(ARG) in a condition.
	U64 = "u64"
	// Foreign, after default: the action for the calls of an arch the policy does not name.
	Foreign = "foreign"
	Nr      = "nr" // nr=N: a call by its raw number, in an expect line
)

var text = [count]string{
	Invalid: "invalid", Comment: "comment", String: "string", Number: "number", Ident: "ident",
	GroupName: "groupname",

	Include: "include", Const: "const", Group: "group", Policy: "policy",
	Arch: "arch", Default: "default", Flags: "flags", Use: "use", Expect: "expect",
	Allow: "allow", Log: "log", Kill: "kill", KillProcess: "kill_process", KillThread: "kill_thread",
	UserNotif: "user_notif", Errno: "errno", Trap: "trap", Trace: "trace",
	If: "if", In: "in",

	LOr: "||", LAnd: "&&", Eql: "==", Neq: "!=", Lss: "<", Leq: "<=", Gtr: ">", Geq: ">=",
	Shl: "<<", And: "&", Or: "|", Add: "+", Sub: "-", Not: "!", Tilde: "~",
	Assign: "=", Arrow: "=>", LParen: "(", RParen: ")", LBrace: "{", RBrace: "}", Comma: ",",
}

// String returns the text of a keyword or an operator, or the name of a class.
func (t Token) String() string {
	if t < count {
		return text[t]
	}
	return "invalid"
}

// The precedence levels of the binary operators, as in Go: a higher level binds tighter.
const (
	LowestPrec = 1 // the level of ||
	UnaryPrec  = 6 // prefix operators bind tighter than any binary operator
)

// Precedence returns the level of a binary operator or of In (a set test binds as a
// comparison), and 0 for any other token.
func (t Token) Precedence() int {
	switch t {
	case LOr:
		return 1
	case LAnd:
		return 2
	case Eql, Neq, Lss, Leq, Gtr, Geq, In:
		return 3
	case Add, Sub, Or:
		return 4
	case Shl, And:
		return 5
	}
	return 0
}

// IsKeyword tells whether t is a keyword.
func (t Token) IsKeyword() bool { return Include <= t && t <= In }

// IsDecl tells whether t is a keyword that starts a declaration.
func (t Token) IsDecl() bool { return Include <= t && t <= Policy }

// IsStmt tells whether t is a keyword that starts a statement other than a rule.
func (t Token) IsStmt() bool { return Arch <= t && t <= Expect }

// IsAction tells whether t names an action.
func (t Token) IsAction() bool { return Allow <= t && t <= Trace }

// TakesData tells whether t is an action that takes its data in parentheses: errno(N).
func (t Token) TakesData() bool { return Errno <= t && t <= Trace }

// IsOperator tells whether t is an operator or punctuation.
func (t Token) IsOperator() bool { return LOr <= t && t <= Comma }

// IsBinary tells whether t is a binary operator.
func (t Token) IsBinary() bool { return LOr <= t && t <= Sub }

// IsPrefix tells whether t is a prefix operator: !, ~ or -.
func (t Token) IsPrefix() bool { return t == Not || t == Tilde || t == Sub }

// lookupTables are what Lookup and LookupOperator read. They are built on the first lookup
// (tables), so that a process that reads no policy does not build them when it starts.
type lookupTables struct {
	words         map[string]Token // the keywords by their text
	maxKeywordLen int              // the length of the longest keyword
	// The operators of one and two bytes by their bytes, for a lookup quicker than a
	// map's (the lexer looks up every operator).
	oneByteOps [128]Token
	twoByteOps [128][128]Token
}

var tables = sync.OnceValue(func() *lookupTables {
	l := &lookupTables{words: make(map[string]Token, In-Include+1)}
	for t := Include; t <= In; t++ {
		l.words[text[t]] = t
		l.maxKeywordLen = max(l.maxKeywordLen, len(text[t]))
	}
	for t := LOr; t <= Comma; t++ {
		switch s := text[t]; len(s) {
		case 1:
			l.oneByteOps[s[0]] = t
		case 2:
			l.twoByteOps[s[0]][s[1]] = t
		default:
			panic("token: operators have one or two bytes")
		}
	}
	return l
})

// Lookup returns the keyword a word spells, or Ident.
func Lookup(word string) Token {
	l := tables()
	if len(word) > l.maxKeywordLen {
		return Ident // spares the map most syscall names
	}
	if t, ok := l.words[word]; ok {
		return t
	}
	return Ident
}

// LookupOperator returns the operator or punctuation spelled s, or Invalid.
func LookupOperator(s string) Token {
	switch {
	case len(s) == 1 && s[0] < 128:
		return tables().oneByteOps[s[0]]
	case len(s) == 2 && s[0] < 128 && s[1] < 128:
		return tables().twoByteOps[s[0]][s[1]]
	}
	return Invalid
}

// Keywords returns the keywords for which in returns true, in the table's order.
func Keywords(in func(Token) bool) []string {
	var out []string
	for t := Include; t <= In; t++ {
		if in(t) {
			out = append(out, text[t])
		}
	}
	return out
}

// Operators returns the text of every operator and punctuation, in the table's order.
func Operators() []string {
	var out []string
	for t := LOr; t <= Comma; t++ {
		out = append(out, text[t])
	}
	return out
}

// IsCondKeyword tells whether t is if or in, the keywords that are never a name.
func (t Token) IsCondKeyword() bool { return t == If || t == In }
