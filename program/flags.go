package program

import (
	"fmt"
	"math/bits"
	"strings"
)

// Kernel filter flags (SECCOMP_FILTER_FLAG_*), by their real values: what a blob's header
// holds and what seccomp(2) receives.
const (
	FlagTSync            uint32 = 1  // apply to every thread
	FlagLog              uint32 = 2  // log every non-allow action
	FlagSpecAllow        uint32 = 4  // no forced speculative store bypass mitigation
	FlagNewListener      uint32 = 8  // return a user-notification fd
	FlagTSyncESRCH       uint32 = 16 // a failed TSYNC returns ESRCH, not a thread id
	FlagWaitKillableRecv uint32 = 32 // wait killably once a notification is received
)

// FlagNames spells each kernel filter flag as the kernel's constant does without its
// SECCOMP_FILTER_FLAG_ prefix ("TSYNC", "NEW_LISTENER"), in the order of the bits.
var FlagNames = []struct {
	Flag uint32
	Name string
}{
	{FlagTSync, "TSYNC"},
	{FlagLog, "LOG"},
	{FlagSpecAllow, "SPEC_ALLOW"},
	{FlagNewListener, "NEW_LISTENER"},
	{FlagTSyncESRCH, "TSYNC_ESRCH"},
	{FlagWaitKillableRecv, "WAIT_KILLABLE_RECV"},
}

// FlagRule is one of the kernel's rules on combining filter flags (kernel/seccomp.c,
// seccomp_set_mode_filter): a filter with every flag of If set must have Need set too.
type FlagRule struct {
	If   uint32 // the flags that, all set, call for Need
	Need uint32 // the flag the kernel then insists on
	Why  string // why the kernel insists, when it is not plain; may be empty
}

// FlagRules are the kernel's rules on combining filter flags; it refuses (EINVAL) a
// combination that breaks any of them.
var FlagRules = []FlagRule{
	{If: FlagTSync | FlagNewListener, Need: FlagTSyncESRCH,
		Why: "a failed TSYNC would return a thread id indistinguishable from a listener fd"},
	{If: FlagWaitKillableRecv, Need: FlagNewListener},
}

// BrokenBy tells whether flags break the rule.
func (r FlagRule) BrokenBy(flags uint32) bool {
	return flags&r.If == r.If && flags&r.Need == 0
}

// String states the rule with the kernel's names: "WAIT_KILLABLE_RECV needs NEW_LISTENER",
// "TSYNC with NEW_LISTENER needs TSYNC_ESRCH (a failed TSYNC would ...)".
func (r FlagRule) String() string {
	var ifs []string
	for _, f := range FlagNames {
		if r.If&f.Flag != 0 {
			ifs = append(ifs, f.Name)
		}
	}
	s := strings.Join(ifs, " with ") + " needs " + flagName(r.Need)
	if r.Why != "" {
		s += " (" + r.Why + ")"
	}
	return s
}

// BrokenFlagRule returns the first of FlagRules that flags break, if any.
func BrokenFlagRule(flags uint32) (FlagRule, bool) {
	for _, r := range FlagRules {
		if r.BrokenBy(flags) {
			return r, true
		}
	}
	return FlagRule{}, false
}

// FlagPrerequisites returns the flags the kernel insists on alongside flag when flag is the
// whole of a rule's If: WAIT_KILLABLE_RECV needs NEW_LISTENER even alone.
func FlagPrerequisites(flag uint32) uint32 {
	var need uint32
	for _, r := range FlagRules {
		if r.If == flag {
			need |= r.Need
		}
	}
	return need
}

// FlagString spells a set of kernel filter flags, e.g. "TSYNC|LOG (0x3)"; bits without a name
// read "bit30".
func FlagString(flags uint32) string {
	if flags == 0 {
		return "none (0x0)"
	}
	var parts []string
	for f := flags; f != 0; f &= f - 1 {
		parts = append(parts, flagName(f&-f))
	}
	return fmt.Sprintf("%s (%#x)", strings.Join(parts, "|"), flags)
}

// flagName spells one flag bit.
func flagName(bit uint32) string {
	for _, f := range FlagNames {
		if f.Flag == bit {
			return f.Name
		}
	}
	return fmt.Sprintf("bit%d", bits.TrailingZeros32(bit))
}
