// Package plural writes counts in English: "1 instruction", "2 instructions".
package plural

import "strconv"

// Count is n followed by the noun in its singular (n == 1) or plural form.
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
