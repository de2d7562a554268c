package oci

import (
	"slices"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/lang/token"
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
	written := make([]bool, len(im.names.list))
	for _, l := range pl.lines {
		for _, n := range l.names {
			written[im.names.ids[n]] = true
		}
	}
	for _, id := range pl.conflicts {
		written[id] = true
	}
	var extra []string
	for a := range im.arches {
		top, ok := im.names.highest(a)
		if ok && !written[top] && !slices.Contains(extra, im.names.list[top]) {
			extra = append(extra, im.names.list[top])
		}
	}
	if len(extra) > 0 {
		im.line(line{action: im.r.Default, names: extra, comments: []string{
			"The profile gives these the default action; runc counts them for its ENOSYS stub, so they are named."}})
	}
}
