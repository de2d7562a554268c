package lint

import "testing"

// Rules with an arch condition: the rule is on the arches where the condition can hold and
// nowhere else, and the checks of which rule decides see exactly that.

func TestArchNever(t *testing.T) {
	checkCase(t, ArchNever, `arch x86_64, i386
    allow read if arch == aarch64`, want{"3:5", "holds on none of the policy's arches"})
	checkCase(t, ArchNever, `arch x86_64, i386
    allow read if arch in {x86_64, aarch64} && arch == i386`, want{"3:5", "never applies"})
	checkCase(t, ArchNever, `arch x86_64, i386
    allow read if arch in {i386, aarch64}
    allow write if arch != aarch64
    allow close if arch == x86_64 || fd == 1`)
}

func TestArchConditionReachability(t *testing.T) {
	// The second rule decides read on x86_64: the first is not there.
	checkCase(t, UnreachableRule, `arch x86_64, i386
    allow read if arch == i386
    errno(EPERM) read`)
	// Covered on i386 only, and said so.
	checkCase(t, UnreachableRule, `arch x86_64, i386
    allow read
    errno(EPERM) read if arch == i386 && fd == 1`, want{"4:5", "never decides read on i386"})
	checkCase(t, DuplicateRule, `arch x86_64, i386
    allow read
    errno(EPERM) read if arch == i386`, want{"4:5", "read on i386 already has a rule with the same condition"})
	// The condition holds whatever the arguments on x86_64: it is no constant there.
	checkCase(t, ConstantCondition, `arch x86_64, i386
    allow read if arch == x86_64`)
	checkCase(t, ConstantCondition, `arch x86_64, i386
    allow read if arch == x86_64 && fd < 0`, want{"3:5", "never holds for read on x86_64"})
	// The rule's action is the default, and it shields nothing, on i386 only.
	checkCase(t, RedundantDefault, `arch x86_64, i386
    default errno(EPERM)
    errno(EPERM) read if arch == i386
    allow read if fd == 0`)
	checkCase(t, RedundantDefault, `arch x86_64, i386
    default errno(EPERM)
    errno(EPERM) read if arch == i386`, want{"4:5", "removing it changes nothing"})
}

func TestPartialArchWithArchCondition(t *testing.T) {
	// open does not exist on aarch64, where the rule does not apply anyway.
	checkCase(t, PartialArch, `arch x86_64, aarch64
    allow open if arch == x86_64`)
	checkCase(t, PartialArch, `arch x86_64, aarch64, i386
    allow open if arch != i386`, want{"3:11", "open does not exist on aarch64"})
	// An argument or constant the excluded arch lacks is no error there.
	checkCase(t, ArchSkippedRule, `arch x86_64, i386
    allow mmap if arch == x86_64 && prot & PROT_EXEC == 0`)
}
