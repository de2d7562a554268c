// Package grammar is the participle grammar of scc's policy language: the lexer rules and
// the grammar structs that participle fills in. Package lang drives these parsers, recovers
// from errors and converts the result into its syntax tree; nothing else should use them.
//
// The struct names become the production names of the generated EBNF (docs/language.md),
// so they are named for readers of that document.
package grammar

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Rules are the lexer rules, tried in order at each position; the first that matches wins.
// Invalid matches any other character, so that lexing never fails and the parser can report
// the character where it stands.
var Rules = []lexer.SimpleRule{
	{Name: "Comment", Pattern: `#[^\n]*`},
	{Name: "Whitespace", Pattern: `[ \t\r\n]+`},
	{Name: "String", Pattern: `"(?:\\.|[^"\\\n])*"`},
	{Name: "Number", Pattern: `[0-9][0-9A-Za-z_]*`},
	{Name: "Keyword", Pattern: `(?:if|in)\b`},
	{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
	{Name: "GroupName", Pattern: `@[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*`},
	{Name: "Punct", Pattern: `<<|<=|>=|==|!=|&&|\|\||=>|[-+&|<>=!~(){},]`},
	{Name: "Invalid", Pattern: `.`},
}

// Lexer is the language's lexer.
var Lexer = lexer.MustSimple(Rules)

// The token types of Lexer, by rule name.
var (
	TypeComment    = tokenType("Comment")
	TypeWhitespace = tokenType("Whitespace")
	TypeString     = tokenType("String")
	TypeNumber     = tokenType("Number")
	TypeKeyword    = tokenType("Keyword")
	TypeIdent      = tokenType("Ident")
	TypeGroupName  = tokenType("GroupName")
	TypePunct      = tokenType("Punct")
	TypeInvalid    = tokenType("Invalid")
)

func tokenType(name string) lexer.TokenType { return Lexer.Symbols()[name] }

// Parsers for the whole file and for the units that error recovery parses one at a time.
var (
	FileParser = participle.MustBuild[File](participle.Lexer(Lexer), participle.Elide("Comment", "Whitespace"), participle.UseLookahead(0))
	DeclParser = mustProduction[Decl]()
	StmtParser = mustProduction[Stmt]()
	CallParser = mustProduction[Call]()
)

func mustProduction[P any]() *participle.Parser[P] {
	p, err := participle.ParserForProduction[P](FileParser)
	if err != nil {
		panic(err)
	}
	return p
}

// EBNF returns the grammar in EBNF, one production per line.
func EBNF() string { return FileParser.String() }

// File is a whole source file.
type File struct {
	Decls []*Decl `parser:"@@*"`
}

// Decl is a top-level declaration.
type Decl struct {
	Include *Include `parser:"  @@"`
	Const   *Const   `parser:"| @@"`
	Group   *Group   `parser:"| @@"`
	Policy  *Policy  `parser:"| @@"`
}

// Include is `include "path"`.
type Include struct {
	Pos  lexer.Position
	Path lexer.Token `parser:"'include' @String"`
}

// Const is `const NAME = expr`.
type Const struct {
	Pos   lexer.Position
	Name  lexer.Token `parser:"'const' @Ident"`
	Value *Expr       `parser:"'=' @@"`
}

// Group is `group @name = member, …`.
type Group struct {
	Pos     lexer.Position
	Name    lexer.Token `parser:"'group' @GroupName"`
	Members []*Member   `parser:"'=' @@ (',' @@)*"`
}

// Policy is `policy name { statements }`.
type Policy struct {
	Pos   lexer.Position
	Name  lexer.Token `parser:"'policy' @Ident"`
	Open  lexer.Token `parser:"@'{'"`
	Body  []*Stmt     `parser:"@@*"`
	Close lexer.Token `parser:"@'}'"`
}

// Stmt is a statement of a policy body.
type Stmt struct {
	Arch    *Arch    `parser:"  @@"`
	Default *Default `parser:"| @@"`
	Flags   *Flags   `parser:"| @@"`
	Use     *Use     `parser:"| @@"`
	Expect  *Expect  `parser:"| @@"`
	Rule    *Rule    `parser:"| @@"`
}

// Arch is `arch name, …`.
type Arch struct {
	Pos    lexer.Position
	Arches []*Name `parser:"'arch' @@ (',' @@)*"`
}

// Default is `default [newer] action`.
type Default struct {
	Pos    lexer.Position
	Newer  bool    `parser:"'default' @'newer'?"`
	Action *Action `parser:"@@"`
}

// Flags is `flags name, …`.
type Flags struct {
	Pos   lexer.Position
	Flags []*Name `parser:"'flags' @@ (',' @@)*"`
}

// Use is `use policy`.
type Use struct {
	Pos    lexer.Position
	Policy lexer.Token `parser:"'use' @Ident"`
}

// Expect is `expect call => action`.
type Expect struct {
	Pos    lexer.Position
	Call   *Call   `parser:"'expect' @@"`
	Action *Action `parser:"'=>' @@"`
}

// Call is a system call as an expect line or scc sim writes it: a syscall's name and its
// arguments in parentheses, or nr=N for a raw number, whose arguments may be left out.
type Call struct {
	Pos     lexer.Position
	Nr      *Expr       `parser:"(  'nr' '=' @@"`
	NrArgs  *Args       `parser:"   @@?"`
	Syscall lexer.Token `parser:" | @Ident"`
	Args    *Args       `parser:"   @@ )"`
}

// Args is a call's argument list.
type Args struct {
	Args []*Expr `parser:"'(' (@@ (',' @@)*)? ')'"`
}

// Rule is `action name, … [if condition]`.
type Rule struct {
	Pos      lexer.Position
	Action   *Action   `parser:"@@"`
	Syscalls []*Member `parser:"@@ (',' @@)*"`
	Cond     *Expr     `parser:"('if' @@)?"`
}

// Action is an action; errno, trap and trace take their data in parentheses.
type Action struct {
	Pos  lexer.Position
	Name string `parser:"(  @('errno' | 'trap' | 'trace')"`
	Arg  *Expr  `parser:"   '(' @@ ')'"`
	Bare string `parser:"| @('allow' | 'log' | 'kill_process' | 'kill_thread' | 'kill' | 'user_notif') )"`
}

// Expr is an expression as a flat sequence: an operand, then operators with their right
// operands. Package lang builds the tree by the operators' precedence.
type Expr struct {
	X    *Unary       `parser:"@@"`
	Rest []*Operation `parser:"@@*"`
}

// Operation is a binary operator and its right operand, or `in {set}`.
type Operation struct {
	Pos lexer.Position
	Op  string  `parser:"(  @('||' | '&&' | '==' | '!=' | '<=' | '>=' | '<<' | '<' | '>' | '+' | '-' | '|' | '&')"`
	Y   *Unary  `parser:"   @@"`
	In  bool    `parser:"| @'in'"`
	Set []*Expr `parser:"  '{' @@ (',' @@)* '}' )"`
}

// Unary is an operand with optional prefix operators.
type Unary struct {
	Pos     lexer.Position
	Op      string   `parser:"(  @('!' | '~' | '-')"`
	X       *Unary   `parser:"   @@"`
	Operand *Operand `parser:"| @@ )"`
}

// Operand is a number or a name (Token), or a parenthesized expression (Paren). A name is
// never an action or a keyword other than flags, group and policy (which are argument names:
// chown's group, for one), so that a statement after an incomplete expression is not
// swallowed; nor is it group before a @name, which starts a group declaration.
type Operand struct {
	Pos   lexer.Position
	Token lexer.Token `parser:"(  (?! 'allow' | 'log' | 'kill' | 'kill_process' | 'kill_thread' | 'user_notif' | 'errno' | 'trap' | 'trace' | 'arch' | 'default' | 'use' | 'expect' | 'include' | 'const' | 'group' GroupName) @(Number | Ident)"`
	Paren *Expr       `parser:"| '(' @@ ')' )"`
}

// Member is a syscall name or @group in a list. It is never a statement or declaration
// keyword, so that a list ended by a stray ',' does not swallow the next statement.
type Member struct {
	Pos  lexer.Position
	Name string `parser:"(?! 'arch' | 'default' | 'flags' | 'use' | 'expect' | 'include' | 'const' | 'group' | 'policy') @(Ident | GroupName)"`
}

// Name is an architecture or flag name in a list; like a Member, it is never a keyword.
type Name struct {
	Pos  lexer.Position
	Name string `parser:"(?! 'arch' | 'default' | 'flags' | 'use' | 'expect' | 'include' | 'const' | 'group' | 'policy') @Ident"`
}
