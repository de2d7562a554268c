package stdlib

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestARMPrivateCalls: arm's private calls, from its asm/unistd.h (__ARM_NR_BASE 0x0f0000),
// and sync_file_range2, another name for arm_sync_file_range.
func TestARMPrivateCalls(t *testing.T) {
	for name, want := range map[string]uint32{
		"breakpoint": 0x0f0001, "cacheflush": 0x0f0002, "usr26": 0x0f0003, "usr32": 0x0f0004,
		"set_tls": 0x0f0005, "get_tls": 0x0f0006, "arm_sync_file_range": 341, "sync_file_range2": 341,
	} {
		if nr, ok := SyscallNumber("arm", name); !ok || nr != want {
			t.Errorf("SyscallNumber(arm, %s) = %#x, %t; want %#x", name, nr, ok, want)
		}
	}
	if nr, _ := SyscallNumber("mips64", "cacheflush"); nr != 5197 {
		t.Errorf("mips64's cacheflush = %d", nr)
	}
	for _, arch := range []string{"aarch64", "x86_64"} {
		if _, ok := SyscallNumber(arch, "set_tls"); ok {
			t.Errorf("%s has set_tls", arch)
		}
	}
	if name, _ := SyscallName("arm", 341); name != "arm_sync_file_range" {
		t.Errorf("SyscallName(arm, 341) = %s, want the number's own name", name)
	}
	if slices.Contains(SyscallNames("arm"), "sync_file_range2") || !slices.Contains(SyscallNames("arm"), "set_tls") {
		t.Error("SyscallNames(arm) lists the alias, or lacks set_tls")
	}
	if got := ArchesWith("sync_file_range2"); !slices.Equal(got, []string{"arm", "ppc64le"}) {
		t.Errorf("ArchesWith(sync_file_range2) = %v", got)
	}
	if MaxSyscall("arm") != 0x0f0006 {
		t.Errorf("MaxSyscall(arm) = %#x", MaxSyscall("arm"))
	}
	sigs := map[string]string{"set_tls": "val", "cacheflush": "start end flags", "breakpoint": "",
		"sync_file_range2": "fd flags offset_lo offset_hi nbytes_lo nbytes_hi"}
	for name, want := range sigs {
		sig, ok := LookupSignature("arm", name)
		var got []string
		for _, p := range sig.Params {
			got = append(got, p.Name)
		}
		if !ok || strings.Join(got, " ") != want {
			t.Errorf("LookupSignature(arm, %s) = %v, %t; want %q", name, got, ok, want)
		}
	}
	if sig, _ := LookupSignature("mips64", "cacheflush"); len(sig.Params) != 3 || sig.Params[0].Name != "addr" {
		t.Errorf("mips64's cacheflush: %+v", sig)
	}
}

// TestNewerGaps: x32's common syscalls end below its own at 512, arm's below its private
// calls at 0xf0000; the numbers between are for newer syscalls. Other tables have no gap.
func TestNewerGaps(t *testing.T) {
	x32Top, _ := SyscallNumber("x32", "rseq_slice_yield")
	armTop := uint32(0)
	for _, name := range SyscallNames("arm") {
		if nr, _ := SyscallNumber("arm", name); nr < 0xf0000 {
			armTop = max(armTop, nr)
		}
	}
	want := map[string][][2]uint32{
		"x32": {{x32Top + 1, 0x40000000 + 511}},
		"arm": {{armTop + 1, 0xf0000 - 1}},
	}
	if x32Top != 0x40000000+471 {
		t.Errorf("x32's highest common syscall is %#x: check the gap below", x32Top)
	}
	for _, a := range Arches() {
		if got := NewerGaps(a.Name); !reflect.DeepEqual(got, want[a.Name]) {
			t.Errorf("NewerGaps(%s) = %#x, want %#x", a.Name, got, want[a.Name])
		}
	}
	if NewerGaps("vax") != nil {
		t.Error("NewerGaps(vax) is not nil")
	}
	for _, arch := range []string{"x32", "arm"} {
		for _, g := range NewerGaps(arch) {
			for nr := g[0]; nr <= g[1]; nr++ {
				if name, ok := SyscallName(arch, nr); ok {
					t.Fatalf("%s: %s (%#x) is in the newer gap %#x", arch, name, nr, g)
				}
			}
		}
	}
}
