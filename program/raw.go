package program

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/net/bpf"
)

// EncodeRaw returns the bare program: struct sock_filter records in the given byte order,
// with no header. In the host's order (HostBigEndian) it is byte for byte what libseccomp's
// seccomp_export_bpf writes and bwrap --seccomp reads.
func EncodeRaw(prog []bpf.RawInstruction, bigEndian bool) []byte {
	out := make([]byte, 8*len(prog))
	putProgram(out, prog, byteOrder(bigEndian))
	return out
}

// DecodeRaw reads a bare program: struct sock_filter records in the given byte order. It
// checks only the length; verify the program (Verify) before trusting it.
func DecodeRaw(data []byte, bigEndian bool) ([]bpf.RawInstruction, error) {
	if len(data) == 0 || len(data)%8 != 0 {
		return nil, fmt.Errorf("raw program: %s is not a positive multiple of 8 (struct sock_filter)", countOf(len(data), "byte", "bytes"))
	}
	return getProgram(data, byteOrder(bigEndian)), nil
}

// putProgram writes prog as struct sock_filter records in the given byte order.
func putProgram(out []byte, prog []bpf.RawInstruction, o binary.ByteOrder) {
	for i, ri := range prog {
		r := out[8*i:]
		o.PutUint16(r, ri.Op)
		r[2], r[3] = ri.Jt, ri.Jf
		o.PutUint32(r[4:], ri.K)
	}
}

// getProgram reads struct sock_filter records in the given byte order.
func getProgram(data []byte, o binary.ByteOrder) []bpf.RawInstruction {
	prog := make([]bpf.RawInstruction, len(data)/8)
	for i := range prog {
		r := data[8*i:]
		prog[i] = bpf.RawInstruction{Op: o.Uint16(r), Jt: r[2], Jf: r[3], K: o.Uint32(r[4:])}
	}
	return prog
}

// countOf is n followed by the noun in its singular (n == 1) or plural form: "1 byte". (The
// package imports nothing of scc's but its opcode table, so not internal/plural.)
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
