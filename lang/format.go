package lang

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/scc-dev/scc/lang/token"
)

// Layout of the canonical format.
const (
	indentUnit = "    " // one level of indentation in a policy body
	maxWidth   = 100    // lists wrap before they pass this column
	commentGap = 2      // blanks between code and a trailing comment, at least
)

// Format returns f in the canonical layout: one declaration or statement per line, policy
// bodies indented by four spaces, canonical spacing, long name lists wrapped under their
// first name, long conditions wrapped after a comma or a "|", "||" or "&&" with continuation
// lines indented four spaces more than the rule, at most one blank line where the source had blank lines, and every comment
// kept. Own-line comments stay before what follows them; a comment at the end of a line
// stays there, aligned with the trailing comments of the neighbouring lines. Numbers keep
// their written form. Format is idempotent; it expects a File that parsed without errors.
func Format(f *File) []byte {
	p := &printer{src: f.Src, comments: f.Comments, blockStart: true}
	p.commentsBefore(p.offsetOf(f.Decls, 0), "")
	for i, d := range f.Decls {
		p.decl(d, p.offsetOf(f.Decls, i+1))
	}
	p.commentsBefore(len(f.Src)+1, "")
	return p.bytes()
}

// line is one output line: indentation, code and a comment (either may be empty).
type line struct {
	indent, code, comment string
}

// printer builds the output line by line, placing comments by their source offsets.
type printer struct {
	src        []byte
	comments   []*Comment
	next       int // index of the first comment not yet printed
	lines      []line
	cur        line
	blockStart bool // nothing printed yet in the current block
}

// offsetOf returns the offset of node i of a list, or an offset past any source when i is
// past the end, so that the comments up to the next node can be printed.
func (p *printer) offsetOf(decls []Decl, i int) int {
	if i < len(decls) {
		return decls[i].Pos().Offset
	}
	return len(p.src) + 1
}

func (p *printer) decl(d Decl, end int) {
	p.gap(d.Pos().Offset)
	p.start("")
	switch d := d.(type) {
	case *Include:
		p.write("include " + strconv.Quote(d.Path))
	case *ConstDecl:
		p.write("const " + d.Name.Name + " = " + exprString(d.Value))
	case *GroupDecl:
		p.write("group " + d.Name.Name + " =")
		p.list(d.Members)
	case *PolicyDecl:
		p.policy(d, end)
		return
	}
	p.finish(end, "")
}

func (p *printer) policy(d *PolicyDecl, end int) {
	p.write("policy " + d.Name.Name + " {")
	closeAt := end
	if d.Close.Line > 0 {
		closeAt = d.Close.Offset
	}
	stmtEnd := func(i int) int {
		if i < len(d.Body) {
			return d.Body[i].Pos().Offset
		}
		return closeAt
	}
	p.trailingComment(stmtEnd(0))
	p.flush()
	p.blockStart = true
	p.commentsBefore(stmtEnd(0), indentUnit)
	for i, s := range d.Body {
		p.stmt(s, stmtEnd(i+1))
	}
	p.blockStart = false
	p.start("")
	p.write("}")
	p.finish(end, "")
}

// stmt prints a statement followed by the comments up to end, the next node's offset.
func (p *printer) stmt(s Stmt, end int) {
	p.gap(s.Pos().Offset)
	p.start(indentUnit)
	switch s := s.(type) {
	case *ArchStmt:
		p.write("arch")
		p.list(s.Arches)
	case *DefaultStmt:
		p.write("default ")
		if s.Newer {
			p.write(token.Newer + " ")
			if s.Named {
				p.write(token.Named + " ")
			}
		}
		if s.Foreign {
			p.write(token.Foreign + " ")
		}
		p.write(actionString(s.Action))
	case *FlagsStmt:
		p.write("flags")
		p.list(s.Flags)
	case *ListenerStmt:
		p.write("listener " + strconv.Quote(s.Path))
		if s.HasMetadata {
			p.write(" metadata " + strconv.Quote(s.Metadata))
		}
	case *UseStmt:
		p.write("use " + s.Policy.Name)
	case *ExpectStmt:
		p.write("expect " + CallString(s) + " => " + actionString(s.Action))
	case *RuleStmt:
		p.write(actionString(s.Action))
		p.list(s.Syscalls)
		if s.Cond != nil {
			p.write(" if")
			p.wrap(exprString(s.Cond), indentUnit+indentUnit)
		}
	}
	p.finish(end, indentUnit)
}

// list writes names separated by ", " after what the current line holds, wrapping before
// maxWidth and wherever comments stand between the names; continuation lines align with
// the first name.
func (p *printer) list(names []*Ident) {
	cont := strings.Repeat(" ", len(p.cur.indent)+len(p.cur.code)+1)
	for i, n := range names {
		text := n.Name
		if i < len(names)-1 {
			text += ","
		}
		switch {
		case p.commentBefore(n.At.Offset):
			p.finish(n.At.Offset, cont)
			p.start(cont)
		case i > 0 && len(p.cur.indent)+len(p.cur.code)+1+len(text) > maxWidth:
			p.flush()
			p.start(cont)
		default:
			p.write(" ")
		}
		p.write(text)
	}
}

// wrap writes text after what the current line holds, breaking it before maxWidth after a
// comma or a "|", "||" or "&&"; continuation lines start at indent.
func (p *printer) wrap(text, indent string) {
	for _, piece := range breakPieces(text) {
		if strings.TrimSpace(p.cur.code) != "" && len(p.cur.indent)+len(p.cur.code)+1+len(piece) > maxWidth {
			p.flush()
			p.start(indent)
		} else {
			p.write(" ")
		}
		p.write(piece)
	}
}

// breakPieces splits an expression's text at the spaces where a line may break: after a
// comma, and after the operators "|", "||" and "&&". Joined by spaces they are the text.
func breakPieces(text string) []string {
	var pieces []string
	start := 0
	words := strings.Split(text, " ")
	for i, w := range words {
		if i == len(words)-1 || strings.HasSuffix(w, ",") || w == "|" || w == "||" || w == "&&" {
			pieces = append(pieces, strings.Join(words[start:i+1], " "))
			start = i + 1
		}
	}
	return pieces
}

// start begins a line at the given indentation.
func (p *printer) start(indent string) { p.cur = line{indent: indent} }

func (p *printer) write(s string) { p.cur.code += s }

// flush ends the current line.
func (p *printer) flush() {
	p.cur.code = strings.TrimLeft(p.cur.code, " ")
	p.lines = append(p.lines, p.cur)
	p.cur = line{}
	p.blockStart = false
}

// finish ends the current line, with the next comment as its trailing comment when that
// comment stands before end at the end of a source line; the other comments before end
// follow on lines of their own at the given indentation.
func (p *printer) finish(end int, indent string) {
	p.trailingComment(end)
	p.flush()
	p.commentsBefore(end, indent)
}

// trailingComment makes the next comment the current line's when it stands before end at
// the end of a source line.
func (p *printer) trailingComment(end int) {
	if p.commentBefore(end) && p.trailing(p.comments[p.next]) {
		p.cur.comment = commentText(p.comments[p.next])
		p.next++
	}
}

// commentsBefore prints the comments before offset end on lines of their own.
func (p *printer) commentsBefore(end int, indent string) {
	for p.commentBefore(end) {
		c := p.comments[p.next]
		p.next++
		p.gap(c.At.Offset)
		p.lines = append(p.lines, line{indent: indent, comment: commentText(c)})
		p.blockStart = false
	}
}

func (p *printer) commentBefore(end int) bool {
	return p.next < len(p.comments) && p.comments[p.next].At.Offset < end
}

func commentText(c *Comment) string { return strings.TrimRight(c.Text, " \t\r") }

// gap prints a blank line before the node at offset off when the source has one there,
// except at the start of a block.
func (p *printer) gap(off int) {
	if !p.blockStart && p.blankLineBefore(off) {
		p.lines = append(p.lines, line{})
	}
	p.blockStart = false
}

// blankLineBefore tells whether the node at offset off is first on its source line and the
// line before is blank.
func (p *printer) blankLineBefore(off int) bool {
	if off > len(p.src) {
		return false
	}
	i := bytes.LastIndexByte(p.src[:off], '\n') // end of the previous line
	if i < 0 || len(bytes.TrimSpace(p.src[i+1:off])) != 0 {
		return false
	}
	j := bytes.LastIndexByte(p.src[:i], '\n') // end of the line before it
	return len(bytes.TrimSpace(p.src[j+1:i])) == 0
}

// trailing tells whether code precedes comment c on its source line.
func (p *printer) trailing(c *Comment) bool {
	off := c.At.Offset
	if off > len(p.src) {
		return false
	}
	start := bytes.LastIndexByte(p.src[:off], '\n') + 1
	return len(bytes.TrimSpace(p.src[start:off])) != 0
}

// bytes renders the lines, aligning the trailing comments of consecutive lines.
func (p *printer) bytes() []byte {
	alignComments(p.lines)
	var b strings.Builder
	for _, l := range p.lines {
		s := l.indent + l.code
		if l.comment != "" && l.code != "" {
			s += " "
		}
		b.WriteString(strings.TrimRight(s+l.comment, " "))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// alignComments pads the code of each run of consecutive lines with the same indentation
// and both code and a trailing comment, so that the comments start in one column.
func alignComments(lines []line) {
	for i := 0; i < len(lines); {
		j := i
		width := 0
		for j < len(lines) && lines[j].code != "" && lines[j].comment != "" && lines[j].indent == lines[i].indent {
			width = max(width, len(lines[j].indent)+len(lines[j].code))
			j++
		}
		for k := i; k < j; k++ {
			pad := width + commentGap - 1 - len(lines[k].indent) - len(lines[k].code)
			lines[k].code += strings.Repeat(" ", pad)
		}
		i = max(j, i+1)
	}
}

// actionString writes an action.
func actionString(a *Action) string {
	if a.Arg == nil {
		return a.Name
	}
	return a.Name + "(" + exprString(a.Arg) + ")"
}

func exprList(xs []Expr) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = exprString(x)
	}
	return strings.Join(s, ", ")
}

// exprString writes an expression with canonical spacing. Trees from Parse print as they
// were written; for trees built otherwise it adds the parentheses that precedence needs.
func exprString(x Expr) string {
	switch x := x.(type) {
	case *Ident:
		return x.Name
	case *Number:
		return x.Text
	case *Paren:
		return "(" + exprString(x.X) + ")"
	case *Wide:
		return token.U64 + "(" + exprString(x.X) + ")"
	case *Unary:
		return x.Op.String() + operandString(x.X, token.UnaryPrec, false)
	case *Binary:
		prec := x.Op.Precedence()
		return operandString(x.X, prec, false) + " " + x.Op.String() + " " + operandString(x.Y, prec, true)
	case *InSet:
		return operandString(x.X, token.In.Precedence(), false) + " in {" + exprList(x.Set) + "}"
	}
	return ""
}

// operandString writes operand x of an operator of precedence prec, in parentheses when it
// would otherwise bind differently (all binary operators are left-associative). A set test
// on the left needs none: "x in {A} & B" parses as the set test, then '&'.
func operandString(x Expr, prec int, right bool) string {
	p := exprPrec(x)
	if _, ok := x.(*InSet); ok && !right {
		p = token.UnaryPrec
	}
	if p < prec || (right && p == prec) {
		return "(" + exprString(x) + ")"
	}
	return exprString(x)
}

// exprPrec returns how tightly x binds as an operand.
func exprPrec(x Expr) int {
	switch x := x.(type) {
	case *Binary:
		return x.Op.Precedence()
	case *InSet:
		return token.In.Precedence()
	case *Unary:
		return token.UnaryPrec
	}
	return token.UnaryPrec + 1
}

// CallString writes the call of an expect line as the formatter does: name(args), or
// nr=N(args) with the parentheses left out when a raw number has no arguments.
func CallString(s *ExpectStmt) string {
	if s.Nr == nil {
		return s.Syscall.Name + "(" + exprList(s.Args) + ")"
	}
	call := "nr=" + exprString(s.Nr)
	if len(s.Args) > 0 {
		call += "(" + exprList(s.Args) + ")"
	}
	return call
}

// FormatStmt returns a statement as Format writes it in a policy body, without comments:
// indented, wrapped before maxWidth, each line ending in a newline. It is for trees built in
// memory, such as an imported profile's, whose text is written statement by statement.
func FormatStmt(s Stmt) string {
	p := &printer{blockStart: true}
	p.stmt(s, 0)
	return string(p.bytes())
}
