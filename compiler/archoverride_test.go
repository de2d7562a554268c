package compiler

import (
	"strings"
	"testing"
)

// TestArchOverrideNarrows: --arch (Options.Arches) may build a policy for some of its own
// arches: a syscall that exists only on the others is left out, as the policy's own build
// leaves it out there, not an error; a name that exists on neither is still one.
func TestArchOverrideNarrows(t *testing.T) {
	src := "policy p {\n    arch x86_64, i386\n    allow read, socketcall\n}\n"
	res, errs := CompileSource("test.sc", []byte(src), Options{Arches: []string{"x86_64"}})
	if errs.HasErrors() {
		t.Fatalf("a build for x86_64 alone of a policy for x86_64 and i386: %v", errs)
	}
	if n := len(res.Policy.Arches); n != 1 || res.Policy.Arches[0].Arch.Name != "x86_64" {
		t.Fatalf("arches %v, want x86_64 alone", res.Policy.Arches)
	}
	if len(res.Policy.Arches[0].Rules) != 1 {
		t.Errorf("x86_64's rules: %v, want read's alone", res.Policy.Arches[0].Rules)
	}

	src = "policy p {\n    arch x86_64\n    allow read, socketcall\n}\n"
	_, errs = CompileSource("test.sc", []byte(src), Options{Arches: []string{"aarch64"}})
	if !strings.Contains(errs.Error(), "syscall socketcall exists on none of this policy's arches") {
		t.Errorf("a name on neither the policy's arches nor --arch's: %v", errs)
	}
}
