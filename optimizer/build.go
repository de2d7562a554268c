package optimizer

import "github.com/scc-dev/scc/ir"

// builder makes the nodes of one build. With passHashCons on (see passes.go), two nodes with
// the same test and the same targets are the same *Node, so equal sub-DAGs and RET leaves are
// shared across syscalls and arches.
type builder struct {
	bigEndian bool
	off       pass    // the passes switched off
	leaves    []*Node // a policy has few actions: a list beats a map
	inner     map[nodeKey]*Node
	spans     []span // groupSpans' buffer, reused from one audit value to the next
	// strictChains, set while a profile's trees are built, lets a number chain replace a
	// search only where it decides no span in more steps (see numberChain).
	strictChains bool
	// noChains, set while a balanced tree is built, keeps it free of number chains: it is
	// the reference a profile build's promises are made against.
	noChains bool
	// narrow holds, by syscall name, the rules of the arches of the policy that compare no
	// 64-bit argument (see splitHigh).
	narrow map[string]narrowRules
	// restCopies is the most copies of a rule's rest the argument search of the syscall
	// being compiled makes (see maxRestCopies, cheapestRules).
	restCopies int
	// copiedRest is set when an argument search compiled a rule's rest more than once.
	copiedRest bool
	// compiled caches the DAGs of rule lists by their text and fall-through (see
	// cheapestRules): syscalls with the same rules, common in real policies, are compiled
	// once.
	compiled map[ruleListKey]*Node
	// fixed, when set with strictChains, names the spans (by index in the audit value's
	// spans) that a number chain must not deepen; the others may go one level deeper.
	fixed []bool
}

// builders keeps a released builder for the next build (see spare).
var builders spare[builder]

// takeBuilder returns an empty builder that runs every pass but off: the one builders keeps,
// or a new one sized for about size inner nodes.
func takeBuilder(bigEndian bool, size int, off pass) *builder {
	b := builders.take()
	if b.inner == nil {
		b.inner = make(map[nodeKey]*Node, size)
	}
	b.bigEndian, b.off, b.strictChains, b.noChains, b.fixed, b.narrow = bigEndian, off, false, false, nil, nil
	return b
}

// release empties b, which must not be used again, and gives it to builders unless its
// node map has grown large. The nodes it made stay with the program that holds them.
func (b *builder) release() {
	if len(b.inner) > maxKeptNodes {
		return
	}
	clear(b.inner)
	clear(b.leaves)
	b.leaves = b.leaves[:0]
	clear(b.spans)
	b.spans = b.spans[:0]
	clear(b.compiled)
	builders.give(b)
}

// nodeKey is what identifies an inner node: its test and its targets.
type nodeKey struct {
	t, f    *Node
	load, k uint32
	mask    uint32
	op      JumpOp
	hasMask bool
}

// leaf returns the leaf that returns a, shared (passHashCons).
func (b *builder) leaf(a ir.Action) *Node {
	if !b.on(passHashCons) {
		return &Node{Leaf: true, Action: a}
	}
	for _, p := range b.leaves {
		if p.Action == a {
			return p
		}
	}
	p := &Node{Leaf: true, Action: a}
	b.leaves = append(b.leaves, p)
	return p
}

// mk returns the inner node for n, after normalizing its mask, shared (passHashCons); a test
// whose two targets are the same node is dropped in favour of that node.
func (b *builder) mk(n Node) *Node {
	if n.True == n.False {
		return n.True
	}
	if !n.HasMask || n.Mask == fullWord {
		n.HasMask, n.Mask = false, 0
	}
	n.Leaf, n.Action = false, ir.Action{}
	if !b.on(passHashCons) {
		p := new(Node)
		*p = n
		return p
	}
	k := nodeKey{t: n.True, f: n.False, load: n.Load, k: n.K, mask: n.Mask, op: n.Op, hasMask: n.HasMask}
	if p, ok := b.inner[k]; ok {
		return p
	}
	p := new(Node)
	*p = n
	b.inner[k] = p
	return p
}

// fullWord is the mask that keeps a whole 32-bit word.
const fullWord = ^uint32(0)
