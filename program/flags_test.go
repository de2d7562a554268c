package program

import "testing"

func TestFlagRules(t *testing.T) {
	for _, tc := range []struct {
		flags uint32
		want  string // the broken rule, "" for none
	}{
		{0, ""},
		{FlagTSync | FlagLog, ""},
		{FlagTSync | FlagNewListener | FlagTSyncESRCH, ""},
		{FlagTSync | FlagNewListener, "TSYNC with NEW_LISTENER needs TSYNC_ESRCH (a failed TSYNC would return a thread id indistinguishable from a listener fd)"},
		{FlagWaitKillableRecv, "WAIT_KILLABLE_RECV needs NEW_LISTENER"},
		{FlagWaitKillableRecv | FlagNewListener, ""},
	} {
		r, broken := BrokenFlagRule(tc.flags)
		if got := map[bool]string{true: r.String()}[broken]; got != tc.want {
			t.Errorf("BrokenFlagRule(%s) = %q; want %q", FlagString(tc.flags), got, tc.want)
		}
	}
	if got := FlagPrerequisites(FlagWaitKillableRecv); got != FlagNewListener {
		t.Errorf("FlagPrerequisites(WAIT_KILLABLE_RECV) = %#x; want NEW_LISTENER", got)
	}
	if got := FlagPrerequisites(FlagTSync); got != 0 {
		t.Errorf("FlagPrerequisites(TSYNC) = %#x; want none: TSYNC alone is accepted", got)
	}
}

func TestFlagString(t *testing.T) {
	for flags, want := range map[uint32]string{
		0:                       "none (0x0)",
		FlagTSync | FlagLog:     "TSYNC|LOG (0x3)",
		FlagWaitKillableRecv:    "WAIT_KILLABLE_RECV (0x20)",
		FlagSpecAllow | 1<<30:   "SPEC_ALLOW|bit30 (0x40000004)",
		FlagNewListener | 1<<31: "NEW_LISTENER|bit31 (0x80000008)",
	} {
		if got := FlagString(flags); got != want {
			t.Errorf("FlagString(%#x) = %q; want %q", flags, got, want)
		}
	}
}
