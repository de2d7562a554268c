package compiler

import (
	"fmt"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/program"
)

// callPrefix wraps a call so that the language's own `expect` form parses it.
const callPrefix = "    expect "

// ResolveCall turns a call written as in an `expect` line, such as
// "openat(AT_FDCWD, 0, O_RDONLY)", into the seccomp_data the kernel would build on arch.
// Diagnostics are positioned in a pseudo-file named "call".
func ResolveCall(call, arch string) (program.SeccompData, diag.List) {
	src := fmt.Sprintf("policy call {\n    arch %s\n%s%s => allow\n}\n", arch, callPrefix, call)
	res, errs := CompileSource("call", []byte(src), Options{})
	for _, d := range errs {
		if d.Pos.Line == 3 {
			d.Pos = diag.Pos{File: "call", Line: 1, Col: d.Pos.Col - len(callPrefix), Offset: d.Pos.Col - len(callPrefix) - 1}
		} else {
			d.Pos = diag.Pos{File: "call"}
		}
	}
	if errs.HasErrors() {
		return program.SeccompData{}, errs
	}
	if len(res.Expects) != 1 {
		var l diag.List
		l.Errorf(diag.Pos{File: "call"}, "%s does not exist on %s", call, arch)
		return program.SeccompData{}, l
	}
	return res.Expects[0].Data, nil
}
