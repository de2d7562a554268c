package backend

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
	"github.com/scc-dev/scc/program"
)

// sampleProgram is a small policy: x86_64 only (other arches killed), numbers below 3
// allowed, openat allowed when arg2 has no O_WRONLY bit, errno(1) otherwise.
func sampleProgram() *optimizer.Program {
	allow, deny, kill := leaf(ir.ActAllow), leaf(ir.ErrnoAction(1)), leaf(ir.ActKillProcess)
	openat := masked(32, 0x1, optimizer.JSET, 1, deny, allow)
	nr := test(0, optimizer.JGE, 3, test(0, optimizer.JEQ, 257, openat, deny), allow)
	return &optimizer.Program{
		Root:   test(4, optimizer.JEQ, ir.AuditArchX86_64, nr, kill),
		Arches: []ir.Arch{{Name: "x86_64", Audit: ir.AuditArchX86_64}},
		Names:  map[uint32]optimizer.NameTables{ir.AuditArchX86_64: {{0: "read", 1: "write", 2: "open", 3: "close", 257: "openat"}}},
		Flags:  program.FlagTSync | program.FlagSpecAllow,
	}
}

func sampleFilter(t *testing.T) *Filter {
	t.Helper()
	f, err := Build(sampleProgram())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func sampleBlob(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, FormatBlob, sampleFilter(t), Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestBlobRoundTrip(t *testing.T) {
	f := sampleFilter(t)
	if !f.ProcessKilling || f.FilterFlags != 5 || len(f.Arches) != 1 {
		t.Fatalf("Build metadata = %+v", f)
	}
	data := sampleBlob(t)
	if len(data) != 36+8*len(f.Program) {
		t.Errorf("blob is %d bytes; want %d", len(data), 36+8*len(f.Program))
	}
	g, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !g.ProcessKilling || g.BigEndian || g.FilterFlags != 5 || !slices.Equal(g.Arches, []uint32{ir.AuditArchX86_64}) {
		t.Errorf("Decode = %+v", g)
	}
	if !slices.Equal(g.Program, f.Program) {
		t.Errorf("Decode's program = %v; want %v", g.Program, f.Program)
	}
}

func TestRawRoundTrip(t *testing.T) {
	f := sampleFilter(t)
	raw := f.Raw()
	if len(raw) != 8*len(f.Program) || binary.NativeEndian.Uint16(raw) != f.Program[0].Op {
		t.Fatalf("Raw = % x", raw[:8])
	}
	g, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	for i := range f.Program {
		if g.Program[i] != f.Program[i] {
			t.Errorf("instruction %d = %v; want %v", i, g.Program[i], f.Program[i])
		}
	}
	if _, err := Decode(raw[:12]); err == nil {
		t.Error("Decode accepted 12 bytes")
	}
}
