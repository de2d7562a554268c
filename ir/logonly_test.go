package ir

import (
	"testing"

	"github.com/scc-dev/scc/program"
)

func TestLogOnly(t *testing.T) {
	newer := ErrnoAction(38)
	ap := &ArchPolicy{
		Arch:    Arch{Name: "x86_64", Audit: AuditArchX86_64},
		Default: ErrnoAction(1),
		Newer:   &newer,
		Rules: map[uint32][]Rule{
			1: {{Cond: Cmp{Arg: 0, Width: 64, Mask: ^uint64(0), Op: EQ, Value: 7}, Action: ActAllow},
				{Action: Action{Kind: Trap, Data: 3}}},
			2: {{Action: ActKillProcess}},
			3: {{Action: ActKillThread}},
			4: {{Action: Action{Kind: UserNotif}}},
			5: {{Action: Action{Kind: Trace, Data: 9}}},
			6: {{Action: ActLog}},
		},
		MaxKnown: 100,
	}
	p := &Policy{Name: "p", Arches: []*ArchPolicy{ap}, BadArch: ActKillProcess, Flags: program.FlagLog}
	q := p.LogOnly()
	qa := q.Arches[0]
	for nr, want := range map[uint32]Action{2: ActLog, 3: ActLog, 4: ActLog, 5: ActLog, 6: ActLog, 9: ActLog, 200: ActLog} {
		if got := q.Decide(program.SeccompData{Nr: int32(nr), Arch: AuditArchX86_64}); got != want {
			t.Errorf("nr %d: %v, want %v", nr, got, want)
		}
	}
	if got := qa.Decide(1, [6]uint64{7}); got != ActAllow {
		t.Errorf("nr 1 with arg 7: %v, want allow", got)
	}
	if got := qa.Decide(1, [6]uint64{8}); got != ActLog {
		t.Errorf("nr 1 with arg 8: %v, want log", got)
	}
	if q.BadArch != ActKillProcess || q.Flags != program.FlagLog || q.Name != "p" {
		t.Errorf("bad arch %v, flags %#x, name %q: want them kept", q.BadArch, q.Flags, q.Name)
	}
	// p is untouched.
	if p.Arches[0] != ap || ap.Default != ErrnoAction(1) || *ap.Newer != newer || ap.Rules[2][0].Action != ActKillProcess {
		t.Errorf("LogOnly changed its receiver: %+v", ap)
	}
}
