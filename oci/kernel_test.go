package oci

import (
	"fmt"
	"testing"
)

var kernelSeeds = []string{
	"6.1", "6.1.0-18-amd64", "3.12-1-amd64", " 4.8", "4. 8", "\t4.8", "\u00a04.8", "\u30004.8", "\n4.8",
	"4\n.8", "4.\n8", "\r4.8", "4 .8", "4", "4.", ".8", "", "-4.8", "+4.8", "4.-8", "a.b", "04.08",
	"18446744073709551615.1", "18446744073709551616.1", "1.18446744073709551616", "4.8x", "4..8",
	"１.2", "4_1.8", "0x4.8", "\xff4.8",
}

// TestKernelNumbers: kernelNumbers reads a release as fmt.Sscanf(s, "%d.%d") does.
func TestKernelNumbers(t *testing.T) {
	for _, s := range kernelSeeds {
		checkKernelNumbers(t, s)
	}
}

func checkKernelNumbers(t *testing.T, s string) {
	t.Helper()
	var want [2]uint64
	_, err := fmt.Sscanf(s, "%d.%d", &want[0], &want[1])
	got, ok := kernelNumbers(s)
	if ok != (err == nil) || ok && got != want {
		t.Errorf("kernelNumbers(%q) = %v, %t; Sscanf: %v, %v", s, got, ok, want, err)
	}
}

// FuzzKernelNumbers compares kernelNumbers with fmt.Sscanf on any text.
func FuzzKernelNumbers(f *testing.F) {
	for _, s := range kernelSeeds {
		f.Add(s)
	}
	f.Fuzz(checkKernelNumbers)
}
