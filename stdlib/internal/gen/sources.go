package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// sources are the paths of the inputs on this machine.
type sources struct {
	xsys     string // golang.org/x/sys/unix in the module cache
	syscalls string // include/linux/syscalls.h of the newest linux-headers-*-common
	man2     string // directory of the section 2 man pages
	x32      string // asm/unistd_x32.h
	kernel   string // the root of the newest linux-headers-*-common (arch/*/include/uapi/...)
	futex    string // linux/futex.h
}

// findSources locates every input and fails if one is missing. headers is the root of a
// linux-headers-*-common tree; "" means the newest one under /usr/src.
func findSources(headers string) (*sources, error) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/sys").Output()
	if err != nil {
		return nil, fmt.Errorf("locating golang.org/x/sys: %v", err)
	}
	if headers == "" {
		hdrs, _ := filepath.Glob("/usr/src/linux-headers-*-common")
		if len(hdrs) == 0 {
			return nil, fmt.Errorf("no /usr/src/linux-headers-*-common: install Debian's linux-headers-*-common, or give -headers DIR")
		}
		sort.Slice(hdrs, func(i, j int) bool { return versionLess(hdrs[i], hdrs[j]) })
		headers = hdrs[len(hdrs)-1]
	}
	s := &sources{
		xsys:     filepath.Join(strings.TrimSpace(string(dir)), "unix"),
		syscalls: filepath.Join(headers, "include/linux/syscalls.h"),
		kernel:   headers,
		man2:     "/usr/share/man/man2",
		x32:      "/usr/include/x86_64-linux-gnu/asm/unistd_x32.h",
		futex:    "/usr/include/linux/futex.h",
	}
	paths := []string{s.xsys, s.syscalls, s.man2 + "/mmap.2.gz", s.x32, s.futex}
	for _, a := range arches {
		if a.Uapi != "" {
			paths = append(paths, filepath.Join(s.kernel, a.Uapi))
		}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("missing source: %v", err)
		}
	}
	return s, nil
}

// versionLess orders paths by the numbers they contain, so 6.10 sorts after 6.9.
func versionLess(a, b string) bool {
	na, nb := numbers(a), numbers(b)
	for i := 0; i < len(na) && i < len(nb); i++ {
		if na[i] != nb[i] {
			return na[i] < nb[i]
		}
	}
	return len(na) < len(nb)
}

// numbers returns the decimal runs in s.
func numbers(s string) []int {
	var out []int
	n, in := 0, false
	for _, r := range s + "/" {
		if r >= '0' && r <= '9' {
			n, in = n*10+int(r-'0'), true
			continue
		}
		if in {
			out = append(out, n)
		}
		n, in = 0, false
	}
	return out
}
