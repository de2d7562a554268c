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

// DecodeRawEither reads a bare program written in either byte order and tells which: the
// other order only when the program does not verify in the host's order and does verify in
// the other. This is no guess: a program verifies in at most one order, since its last
// instruction is a return (opcode 0x06 or 0x16) and a byte-swapped return opcode (0x0600,
// 0x1600) is no instruction at all. Like DecodeRaw it checks only the length: a program that
// verifies in neither order comes back in the host's order, for Verify to explain.
func DecodeRawEither(data []byte) (prog []bpf.RawInstruction, bigEndian bool, err error) {
	host := HostBigEndian()
	prog, err = DecodeRaw(data, host)
	if err != nil || Verify(prog) == nil {
		return prog, host, err
	}
	if other := getProgram(data, byteOrder(!host)); Verify(other) == nil {
		return other, !host, nil
	}
	return prog, host, nil
}
