package lang

import (
	"bytes"
	"errors"
	"sort"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang/internal/grammar"
	"github.com/scc-dev/scc/lang/token"
)

// Parse parses one .sc file. It reports all syntax errors it can find, positioned; on error
// the returned File holds what could be parsed (possibly nothing), and is never nil.
//
// An empty file, or one with only comments, is valid here: it has no declarations. Whether a
// file must hold a policy is the compiler's call ("no policy in file").
func Parse(name string, src []byte) (*File, diag.List) {
	p := newParser(name, src)
	if p.checkText() {
		if lex := p.tokenize(); lex != nil {
			p.parseFile(lex)
		}
	}
	p.errs.Sort()
	return p.file, p.errs
}

// parser holds the state of one Parse.
type parser struct {
	name  string
	src   []byte
	lines []int         // offset of the start of each line
	toks  []lexer.Token // the significant tokens, ending with EOF
	file  *File
	errs  diag.List

	idents []Ident // the unused rest of the block newIdent allocates from
}

func newParser(name string, src []byte) *parser {
	p := &parser{name: name, src: src, lines: make([]int, 1, 1+bytes.Count(src, []byte("\n")))}
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		p.lines = append(p.lines, off)
	}
	p.file = &File{Name: name, Src: src}
	return p
}

// posAt converts a byte offset into a position.
func (p *parser) posAt(off int) diag.Pos {
	line := sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off })
	return diag.Pos{File: p.name, Offset: off, Line: line, Col: off - p.lines[line-1] + 1}
}

// pos converts a lexer position. The lexer counted its line, which spares posAt's search
// (but its column counts runes, not bytes).
func (p *parser) pos(lp lexer.Position) diag.Pos {
	if !p.onLine(lp.Offset, lp.Line) {
		return p.posAt(lp.Offset) // not a position from the lexer
	}
	return diag.Pos{File: p.name, Offset: lp.Offset, Line: lp.Line, Col: lp.Offset - p.lines[lp.Line-1] + 1}
}

// onLine tells whether byte offset off is on line (counted from 1).
func (p *parser) onLine(off, line int) bool {
	return line >= 1 && line <= len(p.lines) && p.lines[line-1] <= off && (line == len(p.lines) || off < p.lines[line])
}

// checkText rejects binary input with a single error, rather than one per stray byte.
func (p *parser) checkText() bool {
	if !p.checkSize() {
		return false
	}
	if i := bytes.IndexByte(p.src, 0); i >= 0 {
		d := p.errs.Errorf(p.posAt(i), "not a policy file: NUL byte (binary data?)")
		d.Hint = "scc reads policy text (.sc files)"
		return false
	}
	if !utf8.Valid(p.src) {
		i := 0
		for i < len(p.src) {
			r, n := utf8.DecodeRune(p.src[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		d := p.errs.Errorf(p.posAt(i), "not a policy file: invalid UTF-8 byte 0x%02x", p.src[i])
		d.Hint = "policy files are UTF-8 text"
		return false
	}
	return true
}

// tokenize lexes the whole file into p.toks, keeping comments in p.file.Comments, and
// returns participle's lexer over p.toks; it returns nil, after reporting the error, when
// the input nests too deeply.
func (p *parser) tokenize() *lexer.PeekingLexer {
	src := &significant{p: p, scan: grammar.NewScanner(p.name, string(p.src))}
	lex, err := lexer.Upgrade(src)
	if err != nil {
		p.errs.Errorf(p.pos(src.last.Pos), "expression nested too deeply (more than %d levels)", maxNesting)
		return nil
	}
	p.toks = lex.Range(0, lexer.RawCursor(src.n))
	return lex
}

// significant is the lexer participle reads: the Scanner's tokens without whitespace and
// comments, which it keeps in the File. It fails at the first token nested too deeply.
type significant struct {
	p    *parser
	scan *grammar.Scanner
	nest nesting
	last lexer.Token // the last token returned
	n    int         // how many tokens it returned, EOF included
}

// Next returns the next significant token.
func (s *significant) Next() (lexer.Token, error) {
	for {
		s.scan.SkipWhitespace()
		t := s.scan.Next()
		if t.Type == grammar.TypeComment {
			s.p.addComment(t)
			continue
		}
		s.last = t
		s.n++
		if !s.nest.add(t) {
			s.keepComments()
			return t, errNesting
		}
		return t, nil
	}
}

// keepComments keeps the comments of the rest of the text.
func (s *significant) keepComments() {
	for t := s.scan.Next(); !t.EOF(); t = s.scan.Next() {
		if t.Type == grammar.TypeComment {
			s.p.addComment(t)
		}
	}
}

var errNesting = errors.New("nested too deeply")

// addComment keeps the comment t in p.file.Comments.
func (p *parser) addComment(t lexer.Token) {
	p.file.Comments = append(p.file.Comments, &Comment{At: p.pos(t.Pos), Text: t.Value})
}

// peeking returns a participle lexer over p.toks, at the first token.
func (p *parser) peeking() *lexer.PeekingLexer {
	lex, err := lexer.Upgrade(&grammar.SliceLexer{Toks: p.toks})
	if err != nil {
		panic(err) // SliceLexer never fails
	}
	return lex
}

// seek moves lex forward to the token at index i of p.toks.
func seek(lex *lexer.PeekingLexer, i int) {
	if i > lex.Cursor() {
		lex.FastForward(lexer.RawCursor(i - 1))
	}
}

// parseFile parses the whole file with the grammar, from lex; only when that fails, it parses again
// declaration by declaration and statement by statement to report every error it can.
func (p *parser) parseFile(lex *lexer.PeekingLexer) {
	g, err := grammar.Get().File.ParseFromLexer(lex)
	if err == nil {
		for _, d := range g.Decls {
			p.file.Decls = append(p.file.Decls, p.decl(d))
		}
		return
	}
	p.recoverFile()
	if !p.errs.HasErrors() {
		p.syntaxError(err, 0, false) // recovery must not make an error vanish
	}
}

// recoverFile parses the declarations one at a time, resynchronizing after each error at
// the next line that starts with a declaration keyword.
func (p *parser) recoverFile() {
	lex := p.peeking()
	for !lex.Peek().EOF() {
		start, cp := lex.Cursor(), lex.MakeCheckpoint()
		d, err := grammar.Get().Decl.ParseFromLexer(lex, participle.AllowTrailing(true))
		if err == nil {
			p.file.Decls = append(p.file.Decls, p.decl(d))
			continue
		}
		lex.LoadCheckpoint(cp)
		if pol := p.recoverPolicy(lex); pol != nil {
			p.file.Decls = append(p.file.Decls, pol)
			continue
		}
		at := p.syntaxError(err, start, false)
		if p.tooManyErrors() {
			return
		}
		seek(lex, p.resyncDecl(start, at))
	}
}

// recoverPolicy parses a policy whose header is sound statement by statement, reporting each
// statement's error. It returns nil, consuming nothing, when lex is not at such a header.
func (p *parser) recoverPolicy(lex *lexer.PeekingLexer) *PolicyDecl {
	i := lex.Cursor()
	if p.kind(i) != token.Policy || !grammar.IsName(p.toks[i+1].Type) || !p.isPunct(i+2, "{") {
		return nil
	}
	pol := &PolicyDecl{At: p.pos(p.toks[i].Pos), Name: p.ident(p.toks[i+1])}
	open := p.toks[i+2]
	seek(lex, i+3)
	for {
		j, cp := lex.Cursor(), lex.MakeCheckpoint()
		switch {
		case p.isPunct(j, "}"):
			pol.Close = p.pos(p.toks[j].Pos)
			lex.Next()
			return pol
		case p.toks[j].EOF() || p.startsDecl(j):
			d := p.errs.Errorf(p.pos(open.Pos), "policy %s: missing '}'", pol.Name.Name)
			d.Hint = "the block opened here is not closed before " + describe(p.toks[j])
			return pol
		}
		s, err := grammar.Get().Stmt.ParseFromLexer(lex, participle.AllowTrailing(true))
		if err == nil {
			pol.Body = append(pol.Body, p.stmt(s))
			continue
		}
		at := p.syntaxError(err, j, true)
		if p.tooManyErrors() {
			seek(lex, len(p.toks)-1)
			return pol
		}
		lex.LoadCheckpoint(cp)
		seek(lex, p.resyncStmt(j, at))
	}
}

// resyncDecl returns the index of the next declaration after an error at index at in the
// declaration starting at index start.
func (p *parser) resyncDecl(start, at int) int {
	i := max(at, start+1)
	for !p.toks[i].EOF() && !p.startsDecl(i) {
		i++
	}
	return i
}

// resyncStmt returns the index of the next statement after an error at index at in the
// statement starting at index start: a statement word first on its line, or the policy's
// closing brace, outside any braces the statement opened.
func (p *parser) resyncStmt(start, at int) int {
	depth := 0
	for i := start; ; i++ {
		t := p.toks[i]
		if t.EOF() {
			return i
		}
		if i >= max(at, start+1) && depth == 0 {
			if p.isPunct(i, "}") || p.startsDecl(i) || (p.firstOnLine(i) && startsStmt(p.kind(i))) {
				return i
			}
		}
		if p.isPunct(i, "{") {
			depth++
		} else if p.isPunct(i, "}") && depth > 0 {
			depth--
		}
	}
}

// startsDecl tells whether token i is a declaration keyword first on its line.
func (p *parser) startsDecl(i int) bool {
	return p.kind(i).IsDecl() && p.firstOnLine(i)
}

func (p *parser) firstOnLine(i int) bool {
	return i == 0 || p.toks[i-1].Pos.Line < p.toks[i].Pos.Line
}

// kind returns what token i is in package token's table.
func (p *parser) kind(i int) token.Token { return grammar.Kind(p.toks[i]) }

// isWord tells whether token i is a word, keyword or name, that reads w.
func (p *parser) isWord(i int, w string) bool {
	return grammar.IsName(p.toks[i].Type) && p.toks[i].Value == w
}

func (p *parser) isPunct(i int, s string) bool {
	return p.toks[i].Type == grammar.TypePunct && p.toks[i].Value == s
}

// index returns the index in p.toks of the token at byte offset off, or of the first token
// after it.
func (p *parser) index(off int) int {
	i := sort.Search(len(p.toks), func(i int) bool { return p.toks[i].Pos.Offset >= off })
	return min(i, len(p.toks)-1)
}
