package backend

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/scc-dev/scc/program"
)

// A raw program is written in the byte order of the kernel that reads it, whatever the build
// host's: struct sock_filter's 16-bit code and 32-bit k are native-endian in the kernel.
func TestRawIsInTheTargetsByteOrder(t *testing.T) {
	for _, big := range []bool{false, true} {
		f := sampleFilter(t)
		f.BigEndian = big
		raw := f.Raw()
		order := binary.ByteOrder(binary.LittleEndian)
		if big {
			order = binary.BigEndian
		}
		for i, ri := range f.Program {
			r := raw[8*i:]
			if order.Uint16(r) != ri.Op || r[2] != ri.Jt || r[3] != ri.Jf || order.Uint32(r[4:]) != ri.K {
				t.Fatalf("big=%v: instruction %d is % x; want %+v in that order", big, i, r[:8], ri)
			}
		}
		back, err := Decode(raw)
		if err != nil || back.BigEndian != big || !slices.Equal(back.Program, f.Program) {
			t.Errorf("big=%v: Decode(raw) = big=%v, %v; want the program back in its order", big, back.BigEndian, err)
		}
	}
}

// The C and Go outputs spell every field as a number, so one file serves either byte order:
// nothing in them depends on the target's order.
func TestCAndGoAreByteOrderFree(t *testing.T) {
	little, big := sampleFilter(t), sampleFilter(t)
	big.BigEndian = true
	for _, form := range []Format{FormatC, FormatGo} {
		l, b := encode(t, little, form, Options{}), encode(t, big, form, Options{})
		if !bytes.Equal(l, b) {
			t.Errorf("--format %s differs between byte orders", form)
		}
	}
	if bytes.Equal(little.Raw(), big.Raw()) {
		t.Error("--format raw is the same in both byte orders")
	}
	if !bytes.Equal(little.Raw(), program.EncodeRaw(little.Program, false)) {
		t.Error("a little-endian filter's raw program is not little-endian")
	}
}
