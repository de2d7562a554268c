// Package program is what every consumer of a finished seccomp program needs, and nothing
// more: the kernel's facts about seccomp programs (the length limit, struct seccomp_data, the
// return values and the filter flags with the rules on combining them), the verifier that
// mirrors the kernel's, the scc blob's encoding and decoding, the bare program's encoding and
// decoding, the kernel's action-cache rule, and an emulator (VM) that runs verified programs
// as the kernel does.
//
// Its one job is the finished program: a loader that installs a blob, a test that runs a
// filter, and the compiler's back end that writes one all share it, so that the kernel's
// acceptance rules live in one place. It must not import the language, the compiler, the
// IR, the optimizer or the back end (lang, compiler, ir, optimizer, backend, pipeline), nor
// anything that installs filters: it imports only the standard library,
// golang.org/x/net/bpf (whose RawInstruction is the kernel's struct sock_filter) and its own
// opcode table (program/opcode).
//
// Byte order: the kernel hands a filter seccomp_data in the target's byte order, and reads
// struct sock_filter in it too. Whatever depends on the order takes it as an argument,
// bigEndian (NewVM, EncodeRaw, DecodeRaw); HostBigEndian gives this process's. A blob is
// little-endian throughout and records its program's order in its header (Blob.BigEndian).
package program

import "encoding/binary"

// MaxInsns is the kernel's limit on one filter's length (BPF_MAXINSNS).
const MaxInsns = 4096

// Return values of the kernel's SECCOMP_RET_* actions.
const (
	RetKillProcess uint32 = 0x80000000
	RetKillThread  uint32 = 0x00000000
	RetTrap        uint32 = 0x00030000
	RetErrno       uint32 = 0x00050000
	RetUserNotif   uint32 = 0x7fc00000
	RetTrace       uint32 = 0x7ff00000
	RetLog         uint32 = 0x7ffc0000
	RetAllow       uint32 = 0x7fff0000

	// RetActionFull masks the action part of a return value.
	RetActionFull uint32 = 0xffff0000
	// RetData masks the data part of a return value.
	RetData uint32 = 0x0000ffff
)

// SeccompData is the kernel's struct seccomp_data: the input of every filter run, and what a
// user notification describes.
type SeccompData struct {
	Nr                 int32
	Arch               uint32
	InstructionPointer uint64
	Args               [6]uint64
}

// The layout of struct seccomp_data: its size and the offsets of its fields.
const (
	SeccompDataSize       = 64
	SeccompDataNrOffset   = 0
	SeccompDataArchOffset = 4
	SeccompDataIPOffset   = 8
	SeccompDataArgsOffset = 16
)

// HostBigEndian tells whether this process, and so the kernel it runs on, is big-endian.
func HostBigEndian() bool { return hostBigEndian }

var hostBigEndian = binary.NativeEndian.Uint16([]byte{0, 1}) == 1

// byteOrder is the byte order bigEndian names.
func byteOrder(bigEndian bool) binary.ByteOrder {
	if bigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}
