package vm

import "golang.org/x/net/bpf"

// Check is one expectation for the agent: install Program in a child, with the kernel filter
// flags and the process-killing mark, make the call, and tell what the kernel did
// (kerneltest.Check).
type Check struct {
	ID          int
	Audit       uint32 // the call's AUDIT_ARCH value
	Program     []bpf.RawInstruction
	Flags       uint32 // kernel filter flags (program.Flag*)
	KillProcess bool   // the program kills processes (loader.Options.KillProcess)
	Nr          uint64
	Args        [6]uint64
	Safe        bool // the call may be made for real (kerneltest.SafeToMake)
}

// Result is the agent's answer for one Check.
type Result struct {
	ID int
	// Kinds, Data and Unresolved are kerneltest.Verdict's: the action kinds consistent with
	// what the kernel showed (ir.ActionKind values), the errno or trap data, and whether only
	// allow, log and trace could be told apart from the rest.
	Kinds      []uint8
	Data       uint16
	Unresolved bool
	Err        string   `json:",omitempty"` // the harness failed
	Runs       []string // the child runs and what each showed (kerneltest.Verdict.Runs)
	Millis     int64    // how long the check took in the VM
}

// Lines the agent writes on the console: a result per check, then the end marker with the
// count, or an error that stopped it; anything else on the console is the kernel's.
const (
	ResultPrefix = "SCCVM-RESULT "
	EndPrefix    = "SCCVM-END "
	ErrorPrefix  = "SCCVM-ERROR "
)
