package program

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
)

// sampleProgram checks the arch is x86_64 (else kills the process), allows numbers below 3,
// allows openat when arg2 has no O_WRONLY bit and returns errno(1) otherwise.
var sampleProgram = []bpf.RawInstruction{
	{Op: 0x20, K: 4},                         // 0: A = arch
	{Op: 0x15, Jt: 0, Jf: 7, K: auditX86_64}, // 1: if A != x86_64 goto 9
	{Op: 0x20, K: 0},                         // 2: A = nr
	{Op: 0x35, Jt: 0, Jf: 3, K: 3},           // 3: if A < 3 goto 7
	{Op: 0x15, Jt: 0, Jf: 3, K: 257},         // 4: if A != openat goto 8
	{Op: 0x20, K: 32},                        // 5: A = args[2]
	{Op: 0x45, Jt: 1, Jf: 0, K: 1},           // 6: if A & 1 goto 8
	{Op: 0x06, K: RetAllow},                  // 7: allow
	{Op: 0x06, K: RetErrno | 1},              // 8: errno(1)
	{Op: 0x06, K: RetKillProcess},            // 9: kill the process
}

func sampleBlob(t *testing.T) []byte {
	t.Helper()
	b := &Blob{
		Flags:       BlobProcessKilling,
		FilterFlags: FlagTSync | FlagSpecAllow,
		Arches:      []uint32{auditX86_64},
		Program:     sampleProgram,
	}
	data, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestBlobRoundTrip(t *testing.T) {
	data := sampleBlob(t)
	if len(data) != 36+8*len(sampleProgram) {
		t.Errorf("blob is %d bytes; want %d", len(data), 36+8*len(sampleProgram))
	}
	b, err := ParseBlob(data)
	if err != nil {
		t.Fatal(err)
	}
	if !b.ProcessKilling() || b.BigEndian() || b.FilterFlags != 5 || !slices.Equal(b.Arches, []uint32{auditX86_64}) {
		t.Errorf("ParseBlob = %+v", b)
	}
	if !slices.Equal(b.Program, sampleProgram) {
		t.Errorf("program = %v; want %v", b.Program, sampleProgram)
	}
	if !IsBlob(data) || IsBlob(EncodeRaw(sampleProgram, false)) {
		t.Error("IsBlob does not tell a blob from a bare program")
	}
}

func TestBlobRecordsBigEndian(t *testing.T) {
	data, err := (&Blob{Flags: BlobBigEndian, Program: sampleProgram}).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseBlob(data)
	if err != nil || !b.BigEndian() || b.ProcessKilling() {
		t.Fatalf("ParseBlob = %+v, %v; want big-endian, not process-killing", b, err)
	}
	// The header and the records stay little-endian.
	if got := binary.LittleEndian.Uint16(data[32:]); got != sampleProgram[0].Op {
		t.Errorf("first record's code = %#x; want %#x", got, sampleProgram[0].Op)
	}
}

func TestBlobMarshalRejects(t *testing.T) {
	for _, b := range []*Blob{
		{Flags: 1 << 7, Program: sampleProgram},
		{Program: make([]bpf.RawInstruction, MaxInsns+1)},
	} {
		if _, err := b.MarshalBinary(); err == nil {
			t.Errorf("MarshalBinary(%+v) succeeded", b.Flags)
		}
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
	b := &Blob{Program: sampleProgram[:3]} // ends in a jump
	data, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseBlob(data); err == nil || !strings.Contains(err.Error(), "program rejected") {
		t.Errorf("ParseBlob = %v; want the program rejected", err)
	}
}

func TestRawRoundTrip(t *testing.T) {
	for _, big := range []bool{false, true} {
		raw := EncodeRaw(sampleProgram, big)
		first := binary.LittleEndian.Uint16(raw)
		if big {
			first = binary.BigEndian.Uint16(raw)
		}
		if len(raw) != 8*len(sampleProgram) || first != sampleProgram[0].Op {
			t.Fatalf("EncodeRaw(big=%v) = % x", big, raw[:8])
		}
		prog, err := DecodeRaw(raw, big)
		if err != nil || !slices.Equal(prog, sampleProgram) {
			t.Errorf("DecodeRaw(big=%v) = %v, %v", big, prog, err)
		}
	}
	raw := EncodeRaw(sampleProgram, HostBigEndian())
	for _, n := range []int{0, 12} {
		if _, err := DecodeRaw(raw[:n], HostBigEndian()); err == nil {
			t.Errorf("DecodeRaw accepted %d bytes", n)
		}
	}
}

func TestDecodeRawEitherTellsTheOrder(t *testing.T) {
	for _, big := range []bool{false, true} {
		prog, gotBig, err := DecodeRawEither(EncodeRaw(sampleProgram, big))
		if err != nil || gotBig != big || !slices.Equal(prog, sampleProgram) {
			t.Errorf("DecodeRawEither(big=%v) = %v, big=%v, %v", big, prog, gotBig, err)
		}
	}
	// Neither order verifies: the host's order, unverified, as DecodeRaw gives it.
	bad := EncodeRaw([]bpf.RawInstruction{{Op: 0x20}}, !HostBigEndian())
	if _, big, err := DecodeRawEither(bad); err != nil || big != HostBigEndian() {
		t.Errorf("DecodeRawEither(unverifiable) = big=%v, %v; want the host's order, no error", big, err)
	}
	if _, _, err := DecodeRawEither(bad[:7]); err == nil {
		t.Error("DecodeRawEither accepted 7 bytes")
	}
}
