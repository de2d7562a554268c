package optimizer

import (
	"github.com/scc-dev/scc/ir"
)

// materialize lays a function of one key out as tests: a search over the value of a 32-bit
// key's word; for a 64-bit key, a search over the high word first, and under each high value
// whose low words are not decided alike, a search over the low word.
func (b *builder) materialize(f argFn) *Node {
	if !f.keyed || len(f.pieces) == 1 {
		return f.pieces[0].node
	}
	k := f.key
	low := word{load: ir.ArgOffset(k.arg, false, b.bigEndian), mask: uint32(k.mask)}
	if k.width == 32 {
		spans := make([]span, len(f.pieces))
		for i, p := range f.pieces {
			spans[i] = span{lo: p.lo, hi: f.end(i) + 1, node: p.node}
		}
		return b.wordSearch(low, spans)
	}
	high := word{load: ir.ArgOffset(k.arg, true, b.bigEndian), mask: uint32(k.mask >> 32)}
	var hspans []span
	i := 0 // the piece holding h<<32
	for h := uint64(0); h < numberLine; {
		base := h << 32
		for i+1 < len(f.pieces) && f.pieces[i+1].lo <= base {
			i++
		}
		if end := f.end(i); end >= base|uint64(fullWord) {
			// Whole high words from h to the piece's last whole one.
			last := end >> 32
			if end&uint64(fullWord) != uint64(fullWord) {
				last--
			}
			hspans = appendSpan(hspans, h, last+1, f.pieces[i].node)
			h = last + 1
			continue
		}
		// The low words of h are decided by several pieces.
		var lspans []span
		for j := i; j < len(f.pieces) && f.pieces[j].lo <= base|uint64(fullWord); j++ {
			lo := max(f.pieces[j].lo, base) - base
			hi := min(f.end(j), base|uint64(fullWord)) - base + 1
			lspans = appendSpan(lspans, lo, hi, f.pieces[j].node)
		}
		hspans = appendSpan(hspans, h, h+1, b.wordSearch(low, lspans))
		h++
	}
	return b.wordSearch(high, hspans)
}

// word is a 32-bit word of seccomp_data, masked, that a search tests.
type word struct {
	load, mask uint32
}

// wordSearch builds the tests that send each value of the masked word w to the node of its
// span; spans cover [0, 2^32) in order. The search is a balanced tree of >= tests over the
// spans, but a range of a few spans is tested by a chain of equality and range tests where
// that takes fewer tests and at most chainSlack more levels (see plan).
func (b *builder) wordSearch(w word, spans []span) *Node {
	s := searcher{b: b, w: w, spans: spans}
	n := len(spans) - 1
	if n <= maxChainSpans {
		if _, chain, bg := s.plan(0, n); chain {
			return s.chain(0, n, bg)
		}
	}
	if n < 2 || spans[0].lo != 0 {
		return s.build(0, n)
	}
	// Zero, the most common value of an argument by far (flags, AF_UNSPEC, fd 0), is
	// decided by one test; the others take at most one more than the balanced tree.
	return b.test(w.load, w.mask, ir.GE, spans[1].lo, s.build(1, n), spans[0].node)
}

// searcher builds one wordSearch.
type searcher struct {
	b     *builder
	w     word
	spans []span
}

// cost is the size (tests) and height (most tests on a path) of a planned search.
type cost struct{ size, height int }

// plan prices the search over spans i..j: the balanced tree, or a chain where it takes
// fewer tests and at most chainSlack levels more than a balanced tree over the range; the
// chain's background when it is.
func (s *searcher) plan(i, j int) (c cost, chain bool, bg *Node) {
	if i == j {
		return cost{}, false, nil
	}
	m := i + (j-i+1)/2
	l, _, _ := s.plan(i, m-1)
	u, _, _ := s.plan(m, j)
	tree := cost{size: 1 + l.size + u.size, height: 1 + max(l.height, u.height)}
	if j-i+1 > maxChainSpans {
		return tree, false, nil
	}
	ch, bg := s.chainCost(i, j)
	if ch.height <= minHeight(j-i+1)+chainSlack && (ch.size < tree.size || ch.size == tree.size && ch.height < tree.height) {
		return ch, true, bg
	}
	return tree, false, nil
}

// build builds the search that plan prices.
func (s *searcher) build(i, j int) *Node {
	if i == j {
		return s.spans[i].node
	}
	if j-i+1 <= maxChainSpans {
		if _, chain, bg := s.plan(i, j); chain {
			return s.chain(i, j, bg)
		}
	}
	m := i + (j-i+1)/2
	return s.b.test(s.w.load, s.w.mask, ir.GE, s.spans[m].lo, s.build(m, j), s.build(i, m-1))
}

// linkCost is the tests a chain spends on span k of i..j: one for a single value or a span
// at an end of the range, two for a span in the middle.
func (s *searcher) linkCost(i, j, k int) int {
	sp := s.spans[k]
	if sp.hi-sp.lo == 1 || k == i || k == j {
		return 1
	}
	return 2
}

// chainCost prices the chain over spans i..j with the best background: the node the values
// of no tested span fall to. Every test of a chain is on the path of the background's
// values, so its height is its size.
func (s *searcher) chainCost(i, j int) (cost, *Node) {
	best, bestBg := -1, (*Node)(nil)
	for k := i; k <= j; k++ {
		bg := s.spans[k].node
		seen := false
		for l := i; l < k; l++ {
			if s.spans[l].node == bg {
				seen = true
				break
			}
		}
		if seen {
			continue
		}
		size := 0
		for l := i; l <= j; l++ {
			if s.spans[l].node != bg {
				size += s.linkCost(i, j, l)
			}
		}
		if best < 0 || size < best {
			best, bestBg = size, bg
		}
	}
	return cost{size: best, height: best}, bestBg
}

// chain tests the spans of i..j that bg does not decide, in ascending order, each sending
// its values to its node and the others on down the chain, which ends in bg.
func (s *searcher) chain(i, j int, bg *Node) *Node {
	t := s.b.test
	w := s.w
	node := bg
	for k := j; k >= i; k-- {
		sp := s.spans[k]
		switch {
		case sp.node == bg:
		case sp.hi-sp.lo == 1:
			node = t(w.load, w.mask, ir.EQ, sp.lo, sp.node, node)
		case k == i:
			node = t(w.load, w.mask, ir.GE, sp.hi, node, sp.node)
		case k == j:
			node = t(w.load, w.mask, ir.GE, sp.lo, sp.node, node)
		default:
			node = t(w.load, w.mask, ir.GE, sp.lo, t(w.load, w.mask, ir.GE, sp.hi, node, sp.node), node)
		}
	}
	return node
}
