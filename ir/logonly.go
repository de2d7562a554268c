package ir

import "slices"

// LogOnly returns a copy of p for trying the policy out: every action that is not allow
// becomes log, so that a would-be-denied call goes through and the kernel logs it (scc run
// --log). Rules, defaults and the action for newer syscalls are all mapped; the bad-arch
// action is kept, since a call from an architecture the policy does not name is no decision
// of the policy's to try out. p is not changed.
func (p *Policy) LogOnly() *Policy {
	q := *p
	q.Arches = make([]*ArchPolicy, len(p.Arches))
	for i, ap := range p.Arches {
		q.Arches[i] = ap.logOnly()
	}
	return &q
}

// logOnly returns a copy of ap with every action that is not allow turned into log.
func (ap *ArchPolicy) logOnly() *ArchPolicy {
	c := *ap
	c.Default = ap.Default.logOnly()
	if ap.Newer != nil {
		newer := ap.Newer.logOnly()
		c.Newer = &newer
	}
	c.Rules = make(map[uint32][]Rule, len(ap.Rules))
	for nr, rules := range ap.Rules {
		rules = slices.Clone(rules)
		for i := range rules {
			rules[i].Action = rules[i].Action.logOnly()
		}
		c.Rules[nr] = rules
	}
	return &c
}

// logOnly returns a unchanged when it allows, else log.
func (a Action) logOnly() Action {
	if a.Kind == Allow {
		return a
	}
	return ActLog
}
