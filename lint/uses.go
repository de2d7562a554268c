package lint

import "fmt"

// checkRepeatedUses reports each `use` of a policy that an earlier `use` already spliced into
// the policy being linted (directly, or through another policy it uses). The compiler
// splices a policy once: a second copy of its rules would come after the first, with the
// same conditions, and never decide.
func (l *linter) checkRepeatedUses() {
	for _, u := range l.res.RepeatedUses {
		first := fmt.Sprintf("line %d", u.First.Line)
		if u.First.File != u.Pos.File {
			first = fmt.Sprintf("%s:%d", u.First.File, u.First.Line)
		}
		l.add(DuplicateRule, u.Pos, "remove this use",
			"use %s repeats the use at %s: %s's rules are spliced there already, and these copies never decide",
			u.Policy, first, u.Policy)
	}
}
