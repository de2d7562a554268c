package lang

import (
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang/internal/grammar"
	"github.com/scc-dev/scc/lang/token"
)

// The limits the parser enforces, so that no input, however hostile, costs more than time
// linear in its size, or exhausts the stack. docs/language.md lists them (Limits).
const (
	// MaxFileSize is the largest policy file Parse reads, in bytes.
	MaxFileSize = 4 << 20
	// MaxNesting bounds the depth of parentheses and braces, and the length of a run of
	// prefix operators (! ~ -), so that no input can exhaust the stack of a recursive
	// descent, in the parser or in the stages after it.
	MaxNesting = 100
)

// maxNesting is MaxNesting, under the name the parser's code uses.
const maxNesting = MaxNesting

// checkSize rejects a file larger than MaxFileSize with one error, at the first byte past
// the limit.
func (p *parser) checkSize() bool {
	if len(p.src) <= MaxFileSize {
		return true
	}
	d := p.errs.Errorf(p.posAt(MaxFileSize), "file is larger than scc's limit of %d bytes (%d MiB)", MaxFileSize, MaxFileSize>>20)
	d.Hint = "split the policy into files joined by include"
	return false
}

// tooManyErrors tells whether the parser has found more errors than diag.MaxErrors, the
// most that are shown: it then stops, as Go's parser does, rather than recover from every
// statement of a file that is not a policy at all.
func (p *parser) tooManyErrors() bool { return len(p.errs) > diag.MaxErrors }

// nesting follows, token by token, the depth of parentheses and braces and the length of
// the current run of prefix operators.
type nesting struct{ depth, run int }

// add accounts for the significant token t and tells whether both are still within
// maxNesting.
func (n *nesting) add(t lexer.Token) bool {
	if t.Type != grammar.TypePunct && t.Type != grammar.TypeOperator {
		n.run = 0
		return true
	}
	switch k := token.LookupOperator(t.Value); {
	case k == token.LParen || k == token.LBrace:
		n.depth++
	case k == token.RParen || k == token.RBrace:
		n.depth--
	case k.IsPrefix():
		n.run++
		return n.run <= maxNesting
	}
	n.run = 0
	return n.depth <= maxNesting
}
