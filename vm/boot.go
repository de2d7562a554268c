package vm

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Options are what Run needs besides the checks.
type Options struct {
	Cache  string        // CacheDir's
	Source string        // the scc module's source directory, where the agent is built from
	Work   string        // a directory for the agent and the initramfs
	Log    io.Writer     // the console of a failed boot goes here; nil: discard
	Limit  time.Duration // how long a boot may take; 0: 10 minutes
}

// Ready checks that a machine can boot here: its kernel fetched and its qemu installed. The
// error says what to install.
func Ready(cache string, m Machine) error {
	k := kernels[m.Kernel]
	if _, err := Image(cache, k); err != nil {
		return fmt.Errorf("%s: %w", m.ABI, err)
	}
	if _, err := exec.LookPath(m.QEMU); err != nil {
		return fmt.Errorf("%s: %s not found: install Debian's %s (apt-get install %s)", m.ABI, m.QEMU, m.QEMUPackage, m.QEMUPackage)
	}
	return nil
}

// Run boots m's kernel once with the agent and checks, and returns the agent's results in
// the order of checks.
func Run(m Machine, checks []Check, opts Options) ([]Result, error) {
	if err := Ready(opts.Cache, m); err != nil {
		return nil, err
	}
	image, _ := Image(opts.Cache, kernels[m.Kernel])
	dir, err := os.MkdirTemp(opts.Work, m.ABI+"-")
	if err != nil {
		return nil, err
	}
	agent, err := BuildAgent(opts.Source, m, dir)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(checks)
	if err != nil {
		return nil, err
	}
	var initrd bytes.Buffer
	if err := writeCPIO(&initrd, initramfs(agent, data)); err != nil {
		return nil, err
	}
	initrdPath := filepath.Join(dir, "initrd.cpio")
	if err := os.WriteFile(initrdPath, initrd.Bytes(), 0o644); err != nil {
		return nil, err
	}
	console, err := boot(m, image, initrdPath, opts)
	results, perr := parseConsole(console, len(checks))
	if perr != nil {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, "--- %s console ---\n%s--- end of %s console ---\n", m.ABI, console, m.ABI)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w; %w", m.ABI, err, perr)
		}
		return nil, fmt.Errorf("%s: %w", m.ABI, perr)
	}
	return results, nil
}

// boot runs qemu until the agent's end line, or until qemu ends or the limit passes, and
// returns the console.
func boot(m Machine, image, initrd string, opts Options) ([]byte, error) {
	limit := opts.Limit
	if limit == 0 {
		limit = 10 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	args := append([]string{}, m.Args...)

	cmdline := "console=" + m.Console + " quiet loglevel=1 panic=-1 " + m.Append
	args = append(args, "-m", "512", "-display", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot",
		"-kernel", image, "-initrd", initrd, "-append", strings.TrimSpace(cmdline))
	cmd := exec.CommandContext(ctx, m.QEMU, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var console bytes.Buffer
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for sc.Scan() {
		console.Write(sc.Bytes())
		console.WriteByte('\n')
		if line := cleanLine(sc.Text()); strings.HasPrefix(line, EndPrefix) || strings.HasPrefix(line, ErrorPrefix) {
			break
		}
	}
	cmd.Process.Kill()
	werr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return console.Bytes(), fmt.Errorf("%s did not finish within %v", m.QEMU, limit)
	case strings.TrimSpace(stderr.String()) != "" && !bytes.Contains(console.Bytes(), []byte(EndPrefix)):
		return console.Bytes(), fmt.Errorf("%s: %v: %s", m.QEMU, werr, strings.TrimSpace(stderr.String()))
	}
	return console.Bytes(), nil
}

// cleanLine drops the carriage return a serial console ends lines with.
func cleanLine(s string) string { return strings.TrimRight(s, "\r") }

// parseConsole reads the agent's lines out of the console.
func parseConsole(console []byte, want int) ([]Result, error) {
	var results []Result
	for _, raw := range strings.Split(string(console), "\n") {
		line := cleanLine(raw)
		if i := strings.Index(line, "SCCVM-"); i > 0 {
			line = line[i:] // after a kernel message on the same line
		}
		switch {
		case strings.HasPrefix(line, ResultPrefix):
			var r Result
			if err := json.Unmarshal([]byte(line[len(ResultPrefix):]), &r); err != nil {
				return nil, fmt.Errorf("a garbled result line %q: %w", line, err)
			}
			results = append(results, r)
		case strings.HasPrefix(line, ErrorPrefix):
			return nil, fmt.Errorf("the agent failed: %s", line[len(ErrorPrefix):])
		case strings.HasPrefix(line, EndPrefix):
			if len(results) != want {
				return nil, fmt.Errorf("the agent reported %d results of %d checks", len(results), want)
			}
			return results, nil
		}
	}
	return nil, errors.New("the agent did not finish (no end line on the console)")
}

// BuildAgent builds cmd/scc-vmagent for m's arch, static, into dir, and returns it.
func BuildAgent(source string, m Machine, dir string) ([]byte, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return nil, errors.New("the Go toolchain (go) is needed to build the VM agent")
	}
	out := filepath.Join(dir, "init")
	cmd := exec.Command(goTool, "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./cmd/scc-vmagent")
	cmd.Dir = source
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux"), m.Env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s: building the agent (%s): %w\n%s", m.ABI, strings.Join(m.Env, " "), err, b)
	}
	return os.ReadFile(out)
}

// SourceDir finds the scc module's source, where the agent is built from: $SCC_SOURCE, else
// the directory this package was compiled from, else the working directory or one above it
// that holds scc's go.mod.
func SourceDir() (string, error) {
	if d := os.Getenv("SCC_SOURCE"); d != "" {
		return d, nil
	}
	var candidates []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		candidates = append(candidates, filepath.Dir(filepath.Dir(file)))
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			candidates = append(candidates, d)
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	for _, d := range candidates {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && bytes.HasPrefix(b, []byte("module github.com/scc-dev/scc\n")) {
			return d, nil
		}
	}
	return "", errors.New("the scc source, to build the VM agent from, was not found: set SCC_SOURCE to a checkout of scc")
}
