package backend

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/scc-dev/scc/ir"
	"github.com/scc-dev/scc/optimizer"
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
		Flags:  ir.FlagTSync | ir.FlagSpecAllow,
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
	b, err := ParseBlob(data)
	if err != nil {
		t.Fatal(err)
	}
	if !b.ProcessKilling() || b.FilterFlags != 5 || len(b.Arches) != 1 || b.Arches[0] != ir.AuditArchX86_64 {
		t.Errorf("ParseBlob = %+v", b)
	}
	if len(b.Program) != len(f.Program) {
		t.Fatalf("program has %d instructions; want %d", len(b.Program), len(f.Program))
	}
	for i := range b.Program {
		if b.Program[i] != f.Program[i] {
			t.Errorf("instruction %d = %v; want %v", i, b.Program[i], f.Program[i])
		}
	}
	g, err := Decode(data)
	if err != nil || !g.ProcessKilling || len(g.Program) != len(f.Program) {
		t.Errorf("Decode = %+v, %v", g, err)
	}
}

func TestBlobRejectsCorruption(t *testing.T) {
	good := sampleBlob(t)
	le := binary.LittleEndian
	for _, tc := range []struct {
		name   string
		mangle func([]byte) []byte
		want   string
	}{
		{"bad magic", func(b []byte) []byte { b[0] = 'X'; return b }, "bad magic"},
		{"short header", func(b []byte) []byte { return b[:20] }, "truncated"},
		{"unknown version", func(b []byte) []byte { le.PutUint16(b[8:], 2); return b }, "unknown format version 2"},
		{"header length", func(b []byte) []byte { le.PutUint16(b[10:], 40); return b }, "header length 40"},
		{"unknown flag", func(b []byte) []byte { b[12] |= 0x80; return b }, "unknown scc flags"},
		{"reserved", func(b []byte) []byte { b[30] = 1; return b }, "reserved"},
		{"truncated program", func(b []byte) []byte { return b[:len(b)-8] }, "truncated"},
		{"trailing bytes", func(b []byte) []byte { return append(b, 0, 0, 0, 0, 0, 0, 0, 0) }, "after the"},
		{"count too big", func(b []byte) []byte { le.PutUint32(b[20:], le.Uint32(b[20:])+1); return b }, "truncated"},
		{"count zero", func(b []byte) []byte { le.PutUint32(b[20:], 0); return b }, "count 0"},
		{"flipped kill mark", func(b []byte) []byte { b[12] ^= 1; return b }, "checksum mismatch"},
		{"flipped filter flag", func(b []byte) []byte { b[16] ^= 2; return b }, "checksum mismatch"},
		{"flipped instruction", func(b []byte) []byte { b[len(b)-2] ^= 0xff; return b }, "checksum mismatch"},
		{"flipped arch", func(b []byte) []byte { b[32] ^= 1; return b }, "checksum mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.mangle(bytes.Clone(good))
			_, err := ParseBlob(data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseBlob = %v; want an error with %q", err, tc.want)
			}
		})
	}
}

func TestBlobRejectsUnverifiableProgram(t *testing.T) {
	b := &Blob{Program: sampleFilter(t).Program[:3]} // ends in a jump
	data, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseBlob(data); err == nil || !strings.Contains(err.Error(), "program rejected") {
		t.Errorf("ParseBlob = %v; want the program rejected", err)
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
	if _, err := DecodeRaw(raw[:12]); err == nil {
		t.Error("DecodeRaw accepted 12 bytes")
	}
}
