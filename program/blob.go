package program

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"sync"

	"golang.org/x/net/bpf"
)

// BlobMagic opens every scc blob.
const BlobMagic = "SCCBPF\x00\x00"

// BlobVersion is the blob format version this package writes and reads.
const BlobVersion = 1

// Flags of the blob header's scc flags word (scc's own, never passed to the kernel).
const (
	// BlobProcessKilling marks a program whose kills end the whole process: a loader must
	// refuse it where SECCOMP_RET_KILL_PROCESS is not available.
	BlobProcessKilling uint32 = 1 << 0
	// BlobBigEndian marks a program built for big-endian seccomp_data.
	BlobBigEndian uint32 = 1 << 1

	blobKnownFlags = BlobProcessKilling | BlobBigEndian
)

// blobFixedHeader is the length of the header before the arch list.
const blobFixedHeader = 32

// castagnoli is the CRC-32C table of crc32c, built on first use. hash/crc32's own table
// for Castagnoli sets up its hardware-accelerated tables, which takes longer (a third of a
// millisecond) than checksumming any blob byte by byte: a process that writes or reads one
// blob would pay that at every start.
var castagnoli = sync.OnceValue(func() *[256]uint32 {
	var t [256]uint32
	for i := range t {
		c := uint32(i)
		for range 8 {
			if c&1 == 1 {
				c = c>>1 ^ crc32.Castagnoli
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return &t
})

// crc32c continues the CRC-32C crc over data, as crc32.Update with Castagnoli's table.
func crc32c(crc uint32, data []byte) uint32 {
	t := castagnoli()
	crc = ^crc
	for _, b := range data {
		crc = t[byte(crc)^b] ^ crc>>8
	}
	return ^crc
}

// Blob is a finished program and how to install it: what an scc blob holds, decoded (see
// docs/blob-format.md for the layout). ParseBlob returns it with its program verified; one
// built in memory is checked where it is used (the loader and NewVM verify the program).
type Blob struct {
	Flags       uint32   // scc's flags (Blob*)
	FilterFlags uint32   // kernel filter flags to pass to seccomp(2) (Flag*)
	Arches      []uint32 // AUDIT_ARCH values the program covers
	Program     []bpf.RawInstruction
}

// ProcessKilling tells whether the blob carries the process-killing mark.
func (b *Blob) ProcessKilling() bool { return b.Flags&BlobProcessKilling != 0 }

// BigEndian tells whether the program reads big-endian seccomp_data.
func (b *Blob) BigEndian() bool { return b.Flags&BlobBigEndian != 0 }

// MarshalBinary encodes the blob: header, arch list, then the program as little-endian
// struct sock_filter records, with a CRC-32C over all of it.
func (b *Blob) MarshalBinary() ([]byte, error) {
	if b.Flags&^blobKnownFlags != 0 {
		return nil, fmt.Errorf("blob: unknown scc flags %#x", b.Flags&^blobKnownFlags)
	}
	if len(b.Arches) > 0xffff || len(b.Program) > MaxInsns {
		return nil, errors.New("blob: too many arches or instructions")
	}
	hlen := blobFixedHeader + 4*len(b.Arches)
	out := make([]byte, hlen+8*len(b.Program))
	le := binary.LittleEndian
	copy(out, BlobMagic)
	le.PutUint16(out[8:], BlobVersion)
	le.PutUint16(out[10:], uint16(hlen))
	le.PutUint32(out[12:], b.Flags)
	le.PutUint32(out[16:], b.FilterFlags)
	le.PutUint32(out[20:], uint32(len(b.Program)))
	le.PutUint16(out[28:], uint16(len(b.Arches)))
	for i, a := range b.Arches {
		le.PutUint32(out[blobFixedHeader+4*i:], a)
	}
	putProgram(out[hlen:], b.Program, le)
	le.PutUint32(out[24:], blobChecksum(out))
	return out, nil
}

// blobChecksum is the CRC-32C of the blob with its checksum field read as zero.
func blobChecksum(data []byte) uint32 {
	c := crc32c(0, data[:24])
	c = crc32c(c, []byte{0, 0, 0, 0})
	return crc32c(c, data[28:])
}

// IsBlob tells whether data starts with the blob magic.
func IsBlob(data []byte) bool {
	return len(data) >= len(BlobMagic) && string(data[:len(BlobMagic)]) == BlobMagic
}

// ParseBlob decodes and checks a blob: magic, version, lengths, flags, checksum, and the
// program itself with Verify. Any mismatch is an error; nothing is guessed.
func ParseBlob(data []byte) (*Blob, error) {
	if !IsBlob(data) {
		return nil, errors.New("blob: bad magic (not an scc blob)")
	}
	if len(data) < blobFixedHeader {
		return nil, fmt.Errorf("blob: truncated: %s, the header alone is %d", countOf(len(data), "byte", "bytes"), blobFixedHeader)
	}
	le := binary.LittleEndian
	if v := le.Uint16(data[8:]); v != BlobVersion {
		return nil, fmt.Errorf("blob: unknown format version %d (this scc reads version %d)", v, BlobVersion)
	}
	b := &Blob{Flags: le.Uint32(data[12:]), FilterFlags: le.Uint32(data[16:])}
	count, narch := int(le.Uint32(data[20:])), int(le.Uint16(data[28:]))
	hlen := int(le.Uint16(data[10:]))
	if err := checkBlobHeader(data, b.Flags, hlen, narch, count); err != nil {
		return nil, err
	}
	if want, got := le.Uint32(data[24:]), blobChecksum(data); want != got {
		return nil, fmt.Errorf("blob: checksum mismatch: header says %#08x, contents give %#08x", want, got)
	}
	for i := range narch {
		b.Arches = append(b.Arches, le.Uint32(data[blobFixedHeader+4*i:]))
	}
	b.Program = getProgram(data[hlen:], le)
	if err := Verify(b.Program); err != nil {
		return nil, fmt.Errorf("blob: program rejected: %w", err)
	}
	return b, nil
}

func checkBlobHeader(data []byte, flags uint32, hlen, narch, count int) error {
	le := binary.LittleEndian
	switch {
	case le.Uint16(data[30:]) != 0:
		return errors.New("blob: reserved header bytes 30-31 are not zero")
	case flags&^blobKnownFlags != 0:
		return fmt.Errorf("blob: unknown scc flags %#x", flags&^blobKnownFlags)
	case hlen != blobFixedHeader+4*narch:
		return fmt.Errorf("blob: header length %d does not match %s (want %d)", hlen, countOf(narch, "arch", "arches"), blobFixedHeader+4*narch)
	case count == 0 || count > MaxInsns:
		return fmt.Errorf("blob: instruction count %d is outside 1..%d", count, MaxInsns)
	case len(data) < hlen+8*count:
		return fmt.Errorf("blob: truncated: %s, the header promises %d", countOf(len(data), "byte", "bytes"), hlen+8*count)
	case len(data) > hlen+8*count:
		return fmt.Errorf("blob: %s after the %s the header counts", countOf(len(data)-hlen-8*count, "byte", "bytes"),
			countOf(count, "instruction", "instructions"))
	}
	return nil
}
