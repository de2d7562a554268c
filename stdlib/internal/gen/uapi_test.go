package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestAddUapi reads arm's private calls and aliases from a copy of its asm/unistd.h.
func TestAddUapi(t *testing.T) {
	defer func(b map[string][]uint32, a map[string]map[string]string, p map[string][]string) {
		blocks, aliases, privateFrom = b, a, p
	}(blocks, aliases, privateFrom)
	blocks, aliases, privateFrom = map[string][]uint32{}, map[string]map[string]string{}, map[string][]string{}
	header := `#define __NR_OABI_SYSCALL_BASE	0x900000
#if defined(__thumb__) || defined(__ARM_EABI__)
#define __NR_SYSCALL_BASE	0
#else
#define __NR_SYSCALL_BASE	__NR_OABI_SYSCALL_BASE
#endif
#define __NR_sync_file_range2		__NR_arm_sync_file_range
#define __ARM_NR_BASE			(__NR_SYSCALL_BASE+0x0f0000)
#define __ARM_NR_breakpoint		(__ARM_NR_BASE+1)
#define __ARM_NR_set_tls		(__ARM_NR_BASE+5)
`
	path := filepath.Join(t.TempDir(), "unistd.h")
	if err := os.WriteFile(path, []byte(header), 0o644); err != nil {
		t.Fatal(err)
	}
	tab := sysTable{"arm_sync_file_range": {"arm": 341}, "read": {"arm": 3}}
	if err := tab.addUapi("arm", path); err != nil {
		t.Fatal(err)
	}
	if tab["breakpoint"]["arm"] != 0xf0001 || tab["set_tls"]["arm"] != 0xf0005 || tab["sync_file_range2"]["arm"] != 341 {
		t.Errorf("table: %v", tab)
	}
	if !reflect.DeepEqual(blocks["arm"], []uint32{0xf0000}) || aliases["arm"]["sync_file_range2"] != "arm_sync_file_range" {
		t.Errorf("blocks %v, aliases %v", blocks, aliases)
	}
	if err := tab.checkUnique("arm"); err != nil {
		t.Errorf("an alias fails checkUnique: %v", err)
	}
	bad := sysTable{"read": {"arm": 3}}
	if err := bad.addUapi("arm", path); err == nil {
		t.Error("no error for an alias of no syscall")
	}
}
