//go:build linux && cgo

package docker

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	seccomp "github.com/seccomp/libseccomp-golang"

	"github.com/scc-dev/scc/measure"
)

var update = flag.Bool("update", false, "rewrite the figures that docs/docker.md quotes")

// docPath is the page whose measured figures TestDocFigures checks.
const docPath = "../../docs/docker.md"

// The markers around the figures in docPath.
const (
	figuresBegin = "<!-- figures:begin"
	figuresEnd   = "<!-- figures:end -->"
)

// TestDocFigures checks that docs/docker.md quotes the figures that scc and libseccomp give
// today for Docker's default profile: its instructions, steps and cache-eligible syscalls.
// With -update it rewrites them.
func TestDocFigures(t *testing.T) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(doc, []byte(figuresBegin))
	end := bytes.Index(doc, []byte(figuresEnd))
	if start < 0 || end < start {
		t.Fatalf("%s: no %q … %q block around the figures", docPath, figuresBegin, figuresEnd)
	}
	start += bytes.IndexByte(doc[start:], '\n') + 1
	got, want := string(doc[start:end]), docFigures(t)
	if got == want {
		return
	}
	if *update {
		out := append(append(append([]byte{}, doc[:start]...), want...), doc[end:]...)
		if err := os.WriteFile(docPath, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s quotes figures that differ from today's; run go test ./tests/docker -run TestDocFigures -update\n--- the page:\n%s--- today:\n%s", docPath, got, want)
}

// docFigures writes the figures block of docs/docker.md from measurements.
func docFigures(t *testing.T) string {
	var b strings.Builder
	major, minor, micro := seccomp.GetLibraryVersion()
	dflt := measurePair(t, setups[0])
	fmt.Fprintf(&b, "| Docker default, amd64 | scc | libseccomp %d.%d.%d (binary tree) and runc's ENOSYS stub |\n", major, minor, micro)
	b.WriteString("| --- | --- | --- |\n")
	fmt.Fprintf(&b, "| instructions | %d | %d |\n", dflt.scc.Instructions, dflt.libInstructions)
	for _, arch := range []string{"x86_64", "i386"} {
		s, l := dflt.steps(arch)
		fmt.Fprintf(&b, "| %s steps, mean / max | %s | %s |\n", arch, s, l)
	}
	x86, i386 := dflt.arch("x86_64"), dflt.arch("i386")
	fmt.Fprintf(&b, "| argument-free allowed syscalls cache-eligible (x86_64, i386) | %d/%d, %d/%d | |\n",
		x86.Cached, x86.ArgFreeAllowed, i386.Cached, i386.ArgFreeAllowed)
	caps := measurePair(t, setups[1])
	s, l := caps.steps("x86_64")
	text := fmt.Sprintf("With `CAP_SYS_ADMIN` and `CAP_SYS_PTRACE`: %d against %d instructions, x86_64 steps %s against %s.",
		caps.scc.Instructions, caps.libInstructions, s, l)
	b.WriteString("\n" + wrap(text, 95) + "\n")
	return b.String()
}

// measured is what one setup measures, for both filters.
type measured struct {
	t               *testing.T
	p               pair
	scc             measure.Report
	libInstructions int
}

func measurePair(t *testing.T, s setup) measured {
	p := build(t, s)
	rep, err := measure.Measure(p.scc.Policy, p.scc.Filter, nil)
	if err != nil {
		t.Fatal(err)
	}
	return measured{t: t, p: p, scc: rep, libInstructions: len(p.lib)}
}

func (m measured) arch(name string) measure.ArchReport {
	for _, ar := range m.scc.Arches {
		if ar.Arch == name {
			return ar
		}
	}
	m.t.Fatalf("no measurement of %s", name)
	return measure.ArchReport{}
}

// steps writes the mean and maximum steps over an arch's table of scc's filter and of
// libseccomp's, as "10.20 / 15".
func (m measured) steps(arch string) (scc, lib string) {
	ar := m.arch(arch)
	mean, max, _ := libSteps(m.t, m.p, m.p.arch(m.t, arch))
	return fmt.Sprintf("%.2f / %d", ar.MeanSteps, ar.MaxSteps), fmt.Sprintf("%.2f / %d", mean, max)
}

// wrap breaks text into lines of at most width bytes, at spaces.
func wrap(text string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}
