package program

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

// TestCRC32C checks the byte-by-byte CRC-32C against hash/crc32's, whole and in pieces.
func TestCRC32C(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	table := crc32.MakeTable(crc32.Castagnoli)
	for n := range 300 {
		data := make([]byte, n*7)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		want := crc32.Checksum(data, table)
		if got := crc32c(0, data); got != want {
			t.Fatalf("%d bytes: %#x, hash/crc32 %#x", len(data), got, want)
		}
		cut := len(data) / 3
		if got := crc32c(crc32c(0, data[:cut]), data[cut:]); got != want {
			t.Fatalf("%d bytes in two pieces: %#x, hash/crc32 %#x", len(data), got, want)
		}
	}
}
