package program

import (
	"testing"

	"golang.org/x/net/bpf"
)

const auditX86_64 = 0xc000003e

func TestCacheAllowedInstructions(t *testing.T) {
	allow := bpf.RawInstruction{Op: 0x06, K: RetAllow}
	for _, tc := range []struct {
		name string
		prog []bpf.RawInstruction
		want bool
	}{
		{"AND K, JSET, JA", []bpf.RawInstruction{
			{Op: 0x20, K: 0}, {Op: 0x54, K: 0xff}, {Op: 0x45, Jt: 0, Jf: 1, K: 0x1}, {Op: 0x05, K: 1}, {Op: 0x06}, allow,
		}, true},
		{"JGT and JGE on arch", []bpf.RawInstruction{
			{Op: 0x20, K: 4}, {Op: 0x25, Jt: 1, Jf: 0, K: 0xc000003e}, {Op: 0x35, Jt: 1, Jf: 0, K: 0xc000003e}, {Op: 0x06}, allow,
		}, true},
		{"load of the instruction pointer", []bpf.RawInstruction{{Op: 0x20, K: 8}, allow}, false},
		{"load of args[0] on the path", []bpf.RawInstruction{{Op: 0x20, K: 16}, {Op: 0x15, Jt: 0, Jf: 0}, allow}, false},
		{"args load off the path", []bpf.RawInstruction{
			{Op: 0x20, K: 0}, {Op: 0x15, Jt: 0, Jf: 1, K: 1}, allow, {Op: 0x20, K: 16}, allow,
		}, true},
		{"X-form jump", []bpf.RawInstruction{{Op: 0x1d, Jt: 0, Jf: 0}, allow}, false},
		{"OR K", []bpf.RawInstruction{{Op: 0x44, K: 1}, allow}, false},
		{"RET A", []bpf.RawInstruction{{Op: 0x00, K: RetAllow}, {Op: 0x16}}, false},
		{"LD IMM", []bpf.RawInstruction{{Op: 0x00, K: 1}, allow}, false},
		{"log is not allow", []bpf.RawInstruction{{Op: 0x06, K: RetLog}}, false},
		{"allow with data is not allow", []bpf.RawInstruction{{Op: 0x06, K: RetAllow | 1}}, false},
		{"runs off the end", []bpf.RawInstruction{{Op: 0x20, K: 0}}, false},
	} {
		if got := CacheAllowed(tc.prog, auditX86_64, 1); got != tc.want {
			t.Errorf("%s: CacheAllowed = %v; want %v", tc.name, got, tc.want)
		}
	}
}

func TestReturnsKillProcess(t *testing.T) {
	for _, tc := range []struct {
		name string
		prog []bpf.RawInstruction
		want bool
	}{
		{"allow only", []bpf.RawInstruction{{Op: 0x06, K: RetAllow}}, false},
		{"kill thread", []bpf.RawInstruction{{Op: 0x06, K: RetKillThread}}, false},
		{"kill process", []bpf.RawInstruction{{Op: 0x15, Jt: 0, Jf: 1}, {Op: 0x06, K: RetAllow}, {Op: 0x06, K: RetKillProcess}}, true},
		{"kill process with data", []bpf.RawInstruction{{Op: 0x06, K: RetKillProcess | 7}}, true},
		{"the value loaded, not returned", []bpf.RawInstruction{{Op: 0x00, K: RetKillProcess}, {Op: 0x06, K: RetAllow}}, false},
	} {
		if got := ReturnsKillProcess(tc.prog); got != tc.want {
			t.Errorf("%s: ReturnsKillProcess = %v; want %v", tc.name, got, tc.want)
		}
	}
}
