package optimizer

import (
	"fmt"
	"iter"
	"maps"
	"math/bits"
	"slices"

	"github.com/scc-dev/scc/ir"
)

// span is a range [lo, hi) of syscall numbers under one audit value that share one decision,
// and its weight for a weighted search tree.
type span struct {
	lo, hi uint64
	node   *Node
	weight float64
}

// numberLine is the end of the 32-bit syscall-number line.
const numberLine = uint64(1) << 32

// appendSpan appends [lo, hi) → node to spans, merging it into the last span when that one
// ends at lo with the same decision.
func appendSpan(spans []span, lo, hi uint64, node *Node) []span {
	if lo >= hi {
		return spans
	}
	if n := len(spans); n > 0 && spans[n-1].node == node && spans[n-1].hi == lo {
		spans[n-1].hi = hi
		return spans
	}
	return append(spans, span{lo: lo, hi: hi, node: node})
}

// archRules is one arch of the policy prepared for partitioning.
type archRules struct {
	ap         *ir.ArchPolicy
	nums       []uint32    // numbers with at least one rule, ascending
	def, newer *Node       // leaves for Default and Newer (nil when Newer is unset)
	newerRange [][2]uint32 // ap.NewerRanges(), when Newer is set
}

func (b *builder) prepare(ap *ir.ArchPolicy) (*archRules, error) {
	if err := checkAction(ap.Default); err != nil {
		return nil, fmt.Errorf("arch %s default: %w", ap.Arch.Name, err)
	}
	ar := &archRules{ap: ap, def: b.leaf(ap.Default)}
	if ap.Newer != nil {
		if err := checkAction(*ap.Newer); err != nil {
			return nil, fmt.Errorf("arch %s newer: %w", ap.Arch.Name, err)
		}
		ar.newer = b.leaf(*ap.Newer)
		ar.newerRange = ap.NewerRanges()
	}
	ar.nums = make([]uint32, 0, len(ap.Rules))
	for nr, rs := range ap.Rules {
		if len(rs) > 0 {
			ar.nums = append(ar.nums, nr)
		}
	}
	sortDistinct(ar.nums)
	return ar, nil
}

// sortDistinct sorts distinct numbers in place: through a bitmap when they are dense, as one
// arch's syscall numbers are (a few hundred values over a range not much wider), else by
// comparisons.
func sortDistinct(nums []uint32) {
	if len(nums) < 64 {
		slices.Sort(nums)
		return
	}
	lo, hi := slices.Min(nums), slices.Max(nums)
	if uint64(hi-lo) >= 64*uint64(len(nums)) {
		slices.Sort(nums)
		return
	}
	set := make([]uint64, (hi-lo)/64+1)
	for _, x := range nums {
		set[(x-lo)/64] |= 1 << ((x - lo) % 64)
	}
	i := 0
	for w, word := range set {
		for ; word != 0; word &= word - 1 {
			nums[i] = lo + uint32(w*64+bits.TrailingZeros64(word))
			i++
		}
	}
}

// tableNumbers returns the numbers of ap's table (the keys of ap.Names), ascending.
func tableNumbers(ap *ir.ArchPolicy) []uint32 {
	if ap.Numbers != nil && len(ap.Numbers) == len(ap.Names) {
		return ap.Numbers
	}
	return slices.Sorted(maps.Keys(ap.Names))
}

// claim is a range [lo, hi) of numbers under one audit value and the first arch (in policy
// order) that owns them; nil means no arch does, and the numbers get the bad-arch action.
type claim struct {
	lo, hi uint64
	ar     *archRules
}

// territory splits the number line of one audit value among its arches. Ownership depends only
// on the bits of the arches' number masks, so it is constant on aligned blocks as large as the
// lowest such bit (x32: four blocks of 2^30 numbers), but for the last number, a skipped
// syscall (ir.SkippedSyscall), which is its own block.
func territory(group []*archRules) ([]claim, error) {
	var masks uint32
	for _, ar := range group {
		switch a := ar.ap.Arch; {
		case a.NrMask != 0:
			masks |= a.NrMask
		case a.Audit == ir.AuditArchX86_64:
			masks |= ir.X32SyscallBit
		}
	}
	step := numberLine
	if masks != 0 {
		low := bits.TrailingZeros32(masks)
		if 32-low > maxBlockBits {
			return nil, fmt.Errorf("optimizer: syscall number mask %#x has too low a bit", masks)
		}
		step = uint64(1) << low
	}
	var claims []claim
	for base := uint64(0); base < numberLine; base += step {
		end := base + step
		if end == numberLine {
			claims = appendClaim(claims, base, end-1, owner(group, uint32(base)))
			base = end - 1
		}
		claims = appendClaim(claims, base, end, owner(group, uint32(base)))
	}
	return claims, nil
}

// owner is the first arch of group that owns nr, or nil.
func owner(group []*archRules, nr uint32) *archRules {
	for _, ar := range group {
		if ar.ap.Arch.Owns(nr) {
			return ar
		}
	}
	return nil
}

// appendClaim appends [lo, hi) → ar, merging it into the last claim when they touch and agree.
func appendClaim(claims []claim, lo, hi uint64, ar *archRules) []claim {
	if lo >= hi {
		return claims
	}
	if n := len(claims); n > 0 && claims[n-1].ar == ar && claims[n-1].hi == lo {
		claims[n-1].hi = hi
		return claims
	}
	return append(claims, claim{lo: lo, hi: hi, ar: ar})
}

// archSpans appends arch ar's decisions on [lo, hi) to spans: each number with rules gets its
// compiled rules, the numbers between them the arch's default, or Newer in its ranges.
func (b *builder) archSpans(spans []span, ar *archRules, lo, hi uint64) ([]span, error) {
	i, _ := slices.BinarySearch(ar.nums, uint32(lo))
	if lo >= numberLine {
		i = len(ar.nums)
	}
	cur := lo
	for ; i < len(ar.nums) && uint64(ar.nums[i]) < hi; i++ {
		nr := uint64(ar.nums[i])
		spans = ar.fill(spans, cur, nr)
		rs := ar.ap.Rules[ar.nums[i]]
		node, err := b.rules(rs, ar.def, b.sharesNarrow(ar.ap, ar.nums[i], rs))
		if err != nil {
			return nil, fmt.Errorf("arch %s syscall %d: %w", ar.ap.Arch.Name, nr, err)
		}
		spans = appendSpan(spans, nr, nr+1, node)
		cur = nr + 1
	}
	return ar.fill(spans, cur, hi), nil
}

// fill appends the decision of numbers without rules in [lo, hi).
func (ar *archRules) fill(spans []span, lo, hi uint64) []span {
	if ar.newer == nil {
		return appendSpan(spans, lo, hi, ar.def)
	}
	for _, r := range ar.newerRange {
		nlo, nhi := max(lo, uint64(r[0])), min(hi, uint64(r[1])+1)
		if nlo < nhi {
			spans = appendSpan(spans, lo, nlo, ar.def)
			spans = appendSpan(spans, nlo, nhi, ar.newer)
			lo = nhi
		}
	}
	return appendSpan(spans, lo, hi, ar.def)
}

// groupSpans partitions the number line of one audit value into maximal spans of equal
// decision.
func (b *builder) groupSpans(group []*archRules, bad *Node) ([]span, []claim, error) {
	claims, err := territory(group)
	if err != nil {
		return nil, nil, err
	}
	spans := b.spans[:0]
	defer func() { b.spans = spans[:0] }()
	for _, c := range claims {
		if c.ar == nil {
			spans = appendSpan(spans, c.lo, c.hi, bad)
			continue
		}
		if spans, err = b.archSpans(spans, c.ar, c.lo, c.hi); err != nil {
			return nil, nil, err
		}
	}
	return spans, claims, nil
}

// addWeights adds to dst[s] the weights of the numbers in spans[s] that arch ar owns: the
// weight of each of nrs, or 1 for each when weights is nil (every syscall of a table alike).
func addWeights(dst []float64, spans []span, claims []claim, ar *archRules, nrs iter.Seq[uint32], weights map[uint32]float64) {
	for nr := range nrs {
		w := 1.0
		if weights != nil {
			w = weights[nr]
		}
		n := uint64(nr)
		c, _ := slices.BinarySearchFunc(claims, n, func(c claim, n uint64) int { return cmpHi(c.hi, n) })
		if claims[c].ar != ar {
			continue
		}
		s, _ := slices.BinarySearchFunc(spans, n, func(s span, n uint64) int { return cmpHi(s.hi, n) })
		dst[s] += w
	}
}

// addTableWeights adds to dst[s] one for each syscall of arch ar's table (ar.ap.Names) in
// spans[s] that ar owns: addWeights with weights nil, by one walk over the sorted numbers.
func addTableWeights(dst []float64, spans []span, claims []claim, ar *archRules) {
	c, s := 0, 0 // the claims and spans cover the whole number line
	for _, nr := range tableNumbers(ar.ap) {
		n := uint64(nr)
		for claims[c].hi <= n {
			c++
		}
		for spans[s].hi <= n {
			s++
		}
		if claims[c].ar == ar {
			dst[s]++
		}
	}
}

// cmpHi orders a range ending (exclusive) at hi against a number n: the range is before n
// when it ends at or below it.
func cmpHi(hi, n uint64) int {
	if hi <= n {
		return -1
	}
	return 1
}
