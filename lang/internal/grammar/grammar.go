// Package grammar is the participle grammar of scc's policy language: the lexer rules (as
// regular expressions, the specification, and as Scanner, the lexer every parse runs) and
// the grammar structs that participle fills in. Its keywords and operators come from
// package token. Package lang drives these parsers, recovers from errors and converts the
// result into its syntax tree; nothing else should use them.
//
// The struct names become the production names of the generated EBNF (docs/language.md),
// so they are named for readers of that document.
package grammar

import (
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/scc-dev/scc/lang/token"
)

// The token types, one per lexer rule (Rules), numbered down from participle's EOF in the
// rules' order, as participle's own lexers number them.
const (
	TypeComment lexer.TokenType = lexer.EOF - 1 - iota
	TypeWhitespace
	TypeString
	TypeNumber
	TypeKeyword
	TypeStatement
	TypeDataAction
	TypeAction
	TypeIdent
	TypeGroupName
	TypeOperator
	TypePunct
	TypeInvalid
)

// ruleNames are the lexer rules' names, in the order of their token types.
var ruleNames = [...]string{"Comment", "Whitespace", "String", "Number", "Keyword", "Statement",
	"DataAction", "Action", "Ident", "GroupName", "Operator", "Punct", "Invalid"}

// Rules returns the lexer rules, tried in order at each position; the first that matches
// wins. The keywords and operators come from package token, grouped into the classes the
// grammar reads: a keyword is never an <ident>, and each class stands where its words may.
// Invalid matches any other character, so that lexing never fails and the parser can report
// the character where it stands. They are built on each call: only Spec and the tests read
// them, and a process that parses need not pay for their patterns.
func Rules() []lexer.SimpleRule {
	patterns := [...]string{
		`#[^\n]*`,
		`[ \t\r\n]+`,
		`"(?:\\.|[^"\\\n])*"`,
		`[0-9][0-9A-Za-z_]*`,
		wordsPattern(token.Token.IsCondKeyword),
		wordsPattern(startsStatement),
		wordsPattern(token.Token.TakesData),
		wordsPattern(isBareAction),
		`[A-Za-z_][A-Za-z0-9_]*`,
		`@[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*`,
		operatorsPattern(token.Token.IsBinary),
		operatorsPattern(isPunct),
		`.`,
	}
	rules := make([]lexer.SimpleRule, len(patterns))
	for i, p := range patterns {
		rules[i] = lexer.SimpleRule{Name: ruleNames[i], Pattern: p}
	}
	return rules
}

func startsStatement(t token.Token) bool { return t.IsDecl() || t.IsStmt() }
func isBareAction(t token.Token) bool    { return t.IsAction() && !t.TakesData() }
func isPunct(t token.Token) bool         { return t.IsOperator() && !t.IsBinary() }

// wordsPattern matches the keywords of a class as whole words.
func wordsPattern(in func(token.Token) bool) string {
	return `(?:` + strings.Join(token.Keywords(in), "|") + `)\b`
}

// operatorsPattern matches the operators of a class, longest first.
func operatorsPattern(in func(token.Token) bool) string {
	var ops []string
	for _, op := range token.Operators() {
		if in(token.LookupOperator(op)) {
			ops = append(ops, regexp.QuoteMeta(op))
		}
	}
	slices.SortStableFunc(ops, func(a, b string) int { return len(b) - len(a) })
	return strings.Join(ops, "|")
}

// Spec is the language's lexer as regular expressions, compiled on the first call: the
// specification of Scanner, which the tests hold Scanner to.
var Spec = sync.OnceValue(func() *lexer.StatefulDefinition { return lexer.MustSimple(Rules()) })

// Lexer is the lexer definition participle builds the parsers with: the token types of
// Rules, numbered as Spec numbers them, and Scanner to lex. Unlike Spec it compiles no
// regular expression, which every process start would pay.
var Lexer lexer.Definition = definition{}

// definition is Lexer's type.
type definition struct{}

// Symbols returns the token types by rule name: EOF, then the rules' types. participle
// reads it once, when it builds the parsers.
func (definition) Symbols() map[string]lexer.TokenType {
	m := map[string]lexer.TokenType{"EOF": lexer.EOF}
	for i, name := range ruleNames {
		m[name] = TypeComment - lexer.TokenType(i)
	}
	return m
}

// Lex returns a lexer of r's text: a Scanner.
func (definition) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return scannerLexer{NewScanner(filename, string(src))}, nil
}

// scannerLexer is a Scanner as a participle lexer.
type scannerLexer struct{ *Scanner }

// Next returns the next token; it never fails.
func (l scannerLexer) Next() (lexer.Token, error) { return l.Scanner.Next(), nil }

// IsName tells whether tokens of type typ are words that are not if or in: the tokens that
// name a policy, a constant or an expected syscall.
func IsName(typ lexer.TokenType) bool {
	switch typ {
	case TypeIdent, TypeStatement, TypeDataAction, TypeAction:
		return true
	}
	return false
}

// Kind returns what the token t of Lexer is in package token's table: a keyword, an
// operator, or the class of the other tokens.
func Kind(t lexer.Token) token.Token {
	switch t.Type {
	case TypeString:
		return token.String
	case TypeNumber:
		return token.Number
	case TypeGroupName:
		return token.GroupName
	case TypeComment:
		return token.Comment
	case TypeOperator, TypePunct:
		return token.LookupOperator(t.Value)
	}
	if IsName(t.Type) || t.Type == TypeKeyword {
		return token.Lookup(t.Value)
	}
	return token.Invalid
}

// Parsers are the parsers of the whole file and of the units that error recovery parses
// one at a time.
type Parsers struct {
	File *participle.Parser[File]
	Decl *participle.Parser[Decl]
	Stmt *participle.Parser[Stmt]
	Call *participle.Parser[Call]
}

// Get returns the parsers, built on the first call. participle builds a parser from the
// grammar structs by reflection, which takes about half a millisecond: a process that
// parses nothing (scc run of a built blob, scc version) does not pay it.
var Get = sync.OnceValue(build)

func build() *Parsers {
	file := participle.MustBuild[File](append([]participle.Option{participle.Lexer(Lexer), participle.UseLookahead(0)}, unions()...)...)
	return &Parsers{
		File: file,
		Decl: mustProduction[Decl](file),
		Stmt: mustProduction[Stmt](file),
		Call: mustProduction[Call](file),
	}
}

func mustProduction[P any](file *participle.Parser[File]) *participle.Parser[P] {
	p, err := participle.ParserForProduction[P](file)
	if err != nil {
		panic(err)
	}
	return p
}

// EBNF returns the grammar in EBNF, one production per line.
func EBNF() string { return Get().File.String() + "\n" + ListProductions }

// The grammar structs. Lists of names capture their tokens, commas included, rather than a
// struct per name; operators and names capture their token, which holds their position.

// File is a whole source file.
type File struct {
	Decls []*Decl `parser:"@@*"`
}

// Decl is a top-level declaration, the unit that error recovery parses one at a time.
type Decl struct {
	Declaration Declaration `parser:"@@"`
}

// Declaration is an *Include, *Const, *Group or *Policy (a participle union, tried in that
// order). A union spares participle the repeated reading of one struct tag per kind when it
// builds the grammar.
type Declaration interface{ decl() }

func (*Include) decl() {}
func (*Const) decl()   {}
func (*Group) decl()   {}
func (*Policy) decl()  {}

// Include is `include "path"`.
type Include struct {
	Pos  lexer.Position
	Path lexer.Token `parser:"'include' @String"`
}

// Const is `const NAME = expr`.
type Const struct {
	Pos   lexer.Position
	Name  lexer.Token `parser:"'const' @(Ident | Statement | DataAction | Action)"`
	Value *Expr       `parser:"'=' @@"`
}

// Group is `group @name = member, …`.
type Group struct {
	Pos     lexer.Position
	Name    lexer.Token `parser:"'group' @GroupName"`
	Members Names       `parser:"'=' @@"`
}

// Policy is `policy name { statements }`.
type Policy struct {
	Pos   lexer.Position
	Name  lexer.Token `parser:"'policy' @(Ident | Statement | DataAction | Action)"`
	Open  lexer.Token `parser:"@'{'"`
	Body  []*Stmt     `parser:"@@*"`
	Close lexer.Token `parser:"@'}'"`
}

// Stmt is a statement of a policy body, the unit that error recovery parses one at a time.
type Stmt struct {
	Statement Statement `parser:"@@"`
}

// Statement is a *Rule, *Arch, *Default, *Flags, *Listener, *Use or *Expect (a participle
// union, tried in that order). Rules come first: they are most of a policy.
type Statement interface{ stmt() }

func (*Rule) stmt()     {}
func (*Arch) stmt()     {}
func (*Default) stmt()  {}
func (*Flags) stmt()    {}
func (*Listener) stmt() {}
func (*Use) stmt()      {}
func (*Expect) stmt()   {}

// unions returns the parser options that define Decl and Stmt.
func unions() []participle.Option {
	return []participle.Option{
		participle.Union[Declaration](&Include{}, &Const{}, &Group{}, &Policy{}),
		participle.Union[Statement](&Rule{}, &Arch{}, &Default{}, &Flags{}, &Listener{}, &Use{}, &Expect{}),
	}
}

// Arch is `arch name, …`.
type Arch struct {
	Pos    lexer.Position
	Arches Words `parser:"'arch' @@"`
}

// Default is `default [newer [named] | foreign] action`.
type Default struct {
	Pos     lexer.Position
	Newer   bool    `parser:"'default' ( @'newer'"`
	Named   bool    `parser:"  @'named'?"`
	Foreign bool    `parser:" | @'foreign' )?"`
	Action  *Action `parser:"@@"`
}

// Flags is `flags name, …`.
type Flags struct {
	Pos   lexer.Position
	Flags Words `parser:"'flags' @@"`
}

// Listener is `listener "path" [metadata "text"]`.
type Listener struct {
	Pos      lexer.Position
	Path     lexer.Token  `parser:"'listener' @String"`
	Metadata *lexer.Token `parser:"('metadata' @String)?"`
}

// Use is `use policy`.
type Use struct {
	Pos    lexer.Position
	Policy lexer.Token `parser:"'use' @(Ident | Statement | DataAction | Action)"`
}

// Expect is `expect call => action`.
type Expect struct {
	Pos    lexer.Position
	Call   *Call   `parser:"'expect' @@"`
	Action *Action `parser:"'=>' @@"`
}

// Call is a system call as an expect line or scc sim writes it: a syscall's name and its
// arguments in parentheses, or nr=N for a raw number, whose arguments may be left out. In an
// expect line, nr not followed by '=' is a name (the compiler has a hint for it); package
// lang's ParseCall, which reads a call alone, takes nr only as the start of nr=N.
type Call struct {
	Pos     lexer.Position
	Nr      *Expr       `parser:"(  (?= 'nr' '=') 'nr' '=' @@"`
	NrArgs  *Args       `parser:"   @@?"`
	Syscall lexer.Token `parser:" | @(Ident | Statement | DataAction | Action)"`
	Args    *Args       `parser:"   @@ )"`
}

// Args is a call's argument list.
type Args struct {
	Args []*Expr `parser:"'(' (@@ (',' @@)*)? ')'"`
}

// Rule is `action name, … [if condition]`; a syscall may be named by its number, nr=N (see
// Syscalls).
type Rule struct {
	Action   *Action  `parser:"@@"`
	Syscalls Syscalls `parser:"@@"`
	Cond     *Expr    `parser:"('if' @@)?"`
}

// Action is an action; errno, trap and trace take their data in parentheses.
type Action struct {
	Name lexer.Token `parser:"(  @DataAction"`
	Arg  *Expr       `parser:"   '(' @@ ')'"`
	Bare lexer.Token `parser:"| @Action )"`
}

// Expr is an expression as a flat sequence: an operand, then operators with their right
// operands. Package lang builds the tree by the operators' precedence.
type Expr struct {
	X    *Unary       `parser:"@@"`
	Rest []*Operation `parser:"@@*"`
}

// Operation is a binary operator and its right operand, or `in {set}`.
type Operation struct {
	Op  lexer.Token `parser:"(  @Operator"`
	Y   *Unary      `parser:"   @@"`
	In  lexer.Token `parser:"| @'in'"`
	Set []*Expr     `parser:"  '{' @@ (',' @@)* '}' )"`
}

// Unary is an operand: u64(x), a number or a name (Operand), a parenthesized expression
// (Paren), or a prefix operator and its operand. u64 followed by ( is the width override
// (there is no other call in an expression); u64 alone is a name. Of the statement keywords, flags, group and policy are
// names here (they are argument names: chown's group, for one), and arch is the call's
// architecture (arch == x86_64); the other keywords are not, so that a statement after an
// incomplete expression is not swallowed; nor is group before a @name, which starts a group
// declaration, nor arch before a name, which starts an arch statement (arch before a keyword, the start of the next rule, is the end of an expression).
type Unary struct {
	Wide    lexer.Token `parser:"(  (?= 'u64' '(') @'u64' '('"`
	WideX   *Expr       `parser:"   @@ ')'"`
	Operand lexer.Token `parser:" | @(Number | Ident | 'flags' | 'policy' | (?! 'group' GroupName) 'group' | (?! 'arch' Ident) 'arch')"`
	Open    lexer.Token `parser:" | @'(' "`
	Paren   *Expr       `parser:"   @@ ')'"`
	Op      lexer.Token `parser:" | @('!' | '~' | '-')"`
	X       *Unary      `parser:"   @@ )"`
}
