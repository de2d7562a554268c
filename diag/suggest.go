package diag

// Suggest returns the candidate closest to name by edit distance (ties: the first in sorted
// order), or "" when none is close enough to be a likely typo: at most a third of the name's
// length in edits, and at least one edit allowed.
func Suggest(name string, candidates []string) string {
	maxDist := max(len(name)/3, 1)
	best, bestDist := "", maxDist+1
	for _, c := range candidates {
		// With limit bestDist+1, a result equal to bestDist is exact, not a cut-off.
		if d := distance(name, c, bestDist+1); d < bestDist || (d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	if best == name {
		return ""
	}
	return best
}

// distance is the edit distance of a and b, counting a swap of two neighbouring bytes as one
// edit (optimal string alignment), or limit when it is at least limit.
func distance(a, b string, limit int) int {
	if abs(len(a)-len(b)) >= limit {
		return limit
	}
	rows := [3][]int{make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev2, prev, cur := rows[(i+1)%3], rows[(i+2)%3], rows[i%3]
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
	}
	return min(rows[len(a)%3][len(b)], limit)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
