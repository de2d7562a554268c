package optimizer

// alphabeticDepths returns the leaf depths of an optimal alphabetic tree over leaves of
// weights w (the least sum of w[i] × depth[i] with the leaves kept in order), by the
// Garsia–Wachs algorithm. optimalRoots turns the depths into the tree's splits (depthRoots).
// Knuth's dynamic program finds the same cost with quadratic tables; the tests keep it
// (knuthRoots) as the reference. Weights must be finite and not negative.
//
// Phase one merges, over the working sequence of trees, the leftmost pair x, y whose right
// neighbour z weighs at least x (an end of the sequence counts as infinitely heavy), and moves
// the merged tree left to just after the nearest tree that weighs at least as much; the
// result is optimal but not in order. Phase two reads its leaf depths, which an alphabetic
// tree of the same cost realizes (see depthRoots). After a merge the scan resumes two trees
// before the merged one, the only place a new mergeable pair can appear: quadratic in the
// worst case (the moves shift the sequence), near-linear for the weights policies have.
func alphabeticDepths(w []float64) []int {
	n := len(w)
	depths := make([]int, n)
	if n <= 1 {
		return depths
	}
	// The trees of phase one: leaves 0..n-1, then the merged ones; parent links give depths,
	// and weight the trees' weights.
	parent := make([]int32, 2*n-1)
	weight := make([]float64, 2*n-1)
	copy(weight, w)
	// seq holds the working sequence, as tree numbers.
	seq := make([]int32, n)
	for i := range seq {
		seq[i] = int32(i)
	}
	next := int32(n)
	i := 0 // where the scan for the leftmost mergeable pair resumes
	for len(seq) > 1 {
		// Find the leftmost i with seq[i], seq[i+1] mergeable: weight(seq[i]) <= weight(seq[i+2]).
		if i < 0 {
			i = 0
		}
		for i+2 < len(seq) && weight[seq[i]] > weight[seq[i+2]] {
			i++
		}
		x, y := seq[i], seq[i+1]
		t := next
		next++
		weight[t] = weight[x] + weight[y]
		parent[x], parent[y] = t, t
		seq = append(seq[:i], seq[i+2:]...)
		// Move t left to just after the nearest tree before i weighing at least as much.
		at := i
		for at > 0 && weight[seq[at-1]] < weight[t] {
			at--
		}
		seq = append(seq, 0)
		copy(seq[at+1:], seq[at:])
		seq[at] = t
		// Only the triples around the new tree can have become mergeable.
		i = at - 2
	}
	root := seq[0]
	// Depth of each tree, from the root down: parents are numbered after their children.
	depth := make([]int32, 2*n-1)
	for t := root - 1; t >= 0; t-- {
		depth[t] = depth[parent[t]] + 1
	}
	for i := range depths {
		depths[i] = int(depth[i])
	}
	return depths
}

// depthRoots returns the splits of the alphabetic tree whose leaves have depths depths (as
// alphabeticDepths gives): built left to right, a leaf at a time, joining the last two
// subtrees while they have the same depth. The returned function answers for the ranges of
// that tree only, at any depth argument.
func depthRoots(depths []int) splitChooser {
	n := len(depths)
	splits := make(map[[2]int32]int32, n)
	type part struct{ lo, hi, depth int }
	var stack []part
	for i, d := range depths {
		stack = append(stack, part{i, i, d})
		for len(stack) >= 2 {
			a, b := stack[len(stack)-2], stack[len(stack)-1]
			if a.depth != b.depth {
				break
			}
			splits[[2]int32{int32(a.lo), int32(b.hi)}] = int32(b.lo)
			stack = append(stack[:len(stack)-2], part{a.lo, b.hi, a.depth - 1})
		}
	}
	if n > 0 && (len(stack) != 1 || stack[0].depth != 0) {
		panic("optimizer: leaf depths that no alphabetic tree has")
	}
	return func(i, j, _ int) int { return int(splits[[2]int32{int32(i), int32(j)}]) }
}
