package cli

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/scc-dev/scc/program"
)

// bpfRawMain is the bpf-raw program: bpf-raw IN OUT reads a classic-BPF program written by
// hand, one instruction a line as its four fields "CODE JT JF K" (Go's number syntax;
// '#' starts a comment), and writes it as a raw little-endian program, for scripts that
// need a program no compiler makes.
func bpfRawMain() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: bpf-raw IN OUT")
		os.Exit(2)
	}
	prog, err := readBPFText(os.Args[1])
	if err == nil {
		err = os.WriteFile(os.Args[2], program.EncodeRaw(prog, false), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(0)
}

func readBPFText(path string) ([]bpf.RawInstruction, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var prog []bpf.RawInstruction
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 4 {
			return nil, fmt.Errorf("%s:%d: want CODE JT JF K", path, line)
		}
		var v [4]uint64
		for i, bits := range []int{16, 8, 8, 32} {
			if v[i], err = strconv.ParseUint(fields[i], 0, bits); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
		}
		prog = append(prog, bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: uint32(v[3])})
	}
	return prog, sc.Err()
}
