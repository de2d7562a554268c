package oci

import (
	"maps"
	"slices"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lang/token"
	"github.com/scc-dev/scc/stdlib"
)

// runcStub tells whether runc prepends its ENOSYS stub to this profile's filter: when the
// profile lists its arches and its default action is not a permissive one (allow, log,
// trace), as runc's patchbpf decides.
func (im *importer) runcStub() bool {
	if im.opts.NoNewerENOSYS || len(im.r.Arches) == 0 {
		return false
	}
	switch im.r.Default.Kind {
	case ir.Allow, ir.Log, ir.Trace:
		return false
	}
	return true
}

// newerNamed adds runc's ENOSYS stub as `default newer named errno(ENOSYS)`: the numbers
// above the highest syscall the profile names on each arch get ENOSYS. runc counts every
// name of the profile, also those whose rules it leaves out because their action is the
// default; the policy leaves those out too, so the highest such name on an arch, when it
// is above every written rule's, is written as a rule of its own with the default action.
func (im *importer) newerNamed(pl *plan) {
	if !im.runcStub() {
		return
	}
	im.stmt(&lang.DefaultStmt{Newer: true, Named: true, Action: &lang.Action{Name: token.Errno.String(), Arg: ident("ENOSYS")}})
	written := make(map[string]bool, len(pl.decisions))
	for _, l := range pl.lines {
		for _, n := range l.names {
			written[n] = true
		}
	}
	for _, n := range pl.conflicts {
		written[n] = true
	}
	var all []string
	for i := range im.r.Entries {
		all = append(all, im.knownNames(i)...)
	}
	var extra []string
	for _, a := range im.arches {
		top, topWritten := highestOn(a, all), highestOn(a, slices.Collect(maps.Keys(written)))
		if top != "" && top != topWritten && !written[top] && !slices.Contains(extra, top) {
			extra = append(extra, top)
		}
	}
	if len(extra) > 0 {
		im.line(line{action: im.r.Default, names: extra, comments: []string{
			"The profile gives these the default action; runc counts them for its ENOSYS stub, so they are named."}})
	}
}

// highestOn is the name of names with the highest number on arch, or "".
func highestOn(arch string, names []string) string {
	best, bestNr := "", uint32(0)
	for _, n := range names {
		if nr, ok := stdlib.SyscallNumber(arch, n); ok && (best == "" || nr > bestNr) {
			best, bestNr = n, nr
		}
	}
	return best
}
