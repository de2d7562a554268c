package vm

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// CacheDir is where Fetch keeps apt's lists and downloads and the kernels: $SCC_VM_CACHE when
// set; else /var/cache/scc/vm for root; else $XDG_CACHE_HOME/scc/vm (~/.cache/scc/vm).
func CacheDir() (string, error) {
	if d := os.Getenv("SCC_VM_CACHE"); d != "" {
		return d, nil
	}
	if os.Geteuid() == 0 {
		return "/var/cache/scc/vm", nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for the kernels: %w (set SCC_VM_CACHE)", err)
	}
	return filepath.Join(d, "scc", "vm"), nil
}

// kernelDir is where a fetched kernel's image, config and version live.
func kernelDir(cache string, k Kernel) string { return filepath.Join(cache, "kernels", k.Name) }

// ErrNotFetched is Image's error when the kernel has not been fetched.
var ErrNotFetched = errors.New("kernel not fetched")

// Image returns the path of a fetched kernel's image, checking it is the pinned version.
func Image(cache string, k Kernel) (string, error) {
	dir := kernelDir(cache, k)
	v, err := os.ReadFile(filepath.Join(dir, "version"))
	if err != nil || strings.TrimSpace(string(v)) != k.Package+"="+k.Version {
		return "", fmt.Errorf("%w: no %s %s in %s: run `scc vm fetch %s`", ErrNotFetched, k.Package, k.Version, dir, k.Name)
	}
	return filepath.Join(dir, "image"), nil
}

// Fetch downloads a pinned kernel package with apt, into a private apt state under the
// cache (the system's sources and dpkg database are not touched), and keeps its image and
// config. It refuses a kernel whose config lacks CONFIG_SECCOMP_FILTER=y. A kernel already
// fetched is left as it is.
func Fetch(cache string, k Kernel, log io.Writer) error {
	if _, err := Image(cache, k); err == nil {
		fmt.Fprintf(log, "%s: %s %s already in %s\n", k.Name, k.Package, k.Version, kernelDir(cache, k))
		return nil
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return errors.New("apt-get not found: scc vm fetch uses Debian's apt to download kernels")
	}
	a, err := newApt(cache, k)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(cache, "fetch-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(log, "%s: downloading %s %s (%s, %s)\n", k.Name, k.Package, k.Version, k.Suite, k.DebArch)
	if err := a.download(tmp, k, log); err != nil {
		return err
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, "*.deb"))
	if len(debs) != 1 {
		return fmt.Errorf("%s: apt downloaded %d packages, want 1", k.Name, len(debs))
	}
	return install(cache, k, debs[0], tmp)
}

// apt runs apt-get and apt-cache on a private state for one suite and architecture.
type apt struct{ opts []string }

func newApt(cache string, k Kernel) (*apt, error) {
	dir := filepath.Join(cache, "apt", k.Suite+"-"+k.DebArch)
	for _, d := range []string{"state/lists/partial", "cache/archives/partial"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	status := filepath.Join(dir, "state", "status")
	if _, err := os.Stat(status); err != nil {
		if err := os.WriteFile(status, nil, 0o644); err != nil {
			return nil, err
		}
	}
	sources := filepath.Join(dir, "sources.list")
	line := fmt.Sprintf("deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian %s main\n", k.Suite)
	if err := os.WriteFile(sources, []byte(line), 0o644); err != nil {
		return nil, err
	}
	return &apt{opts: []string{
		"-o", "Dir::State=" + filepath.Join(dir, "state"), "-o", "Dir::State::status=" + status,
		"-o", "Dir::Cache=" + filepath.Join(dir, "cache"), "-o", "Dir::Etc::SourceList=" + sources,
		"-o", "Dir::Etc::SourceParts=/nonexistent", "-o", "APT::Architecture=" + k.DebArch,
		"-o", "APT::Architectures::=" + k.DebArch, "-o", "Acquire::Languages=none",
	}}, nil
}

func (a *apt) run(dir string, log io.Writer, args ...string) error {
	cmd := exec.Command("apt-get", append(append([]string{"-q"}, a.opts...), args...)...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("apt-get %s: %w\n%s", strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return nil
}

// download fetches the pinned package into dir, refreshing the lists first when they do not
// have it.
func (a *apt) download(dir string, k Kernel, log io.Writer) error {
	pkg := k.Package + ":" + k.DebArch + "=" + k.Version
	if a.run(dir, log, "download", pkg) == nil {
		return nil
	}
	fmt.Fprintf(log, "%s: updating apt's lists for %s %s\n", k.Name, k.Suite, k.DebArch)
	if err := a.run(dir, log, "update"); err != nil {
		return err
	}
	if err := a.run(dir, log, "download", pkg); err != nil {
		return fmt.Errorf("%s: the pinned %s %s is not in Debian's %s (it may have been superseded: update the pin in vm/arches.go): %w",
			k.Name, k.Package, k.Version, k.Suite, err)
	}
	return nil
}

// install extracts /boot of the package, checks the config and keeps the image (gunzipped
// when it is a bare gzip stream, which qemu does not load on every arch) and config.
func install(cache string, k Kernel, deb, tmp string) error {
	root := filepath.Join(tmp, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		return err
	}
	sh := fmt.Sprintf("dpkg-deb --fsys-tarfile %q | tar -x -C %q ./boot", deb, root)
	if out, err := exec.Command("sh", "-c", sh).CombinedOutput(); err != nil {
		return fmt.Errorf("%s: extracting %s: %w\n%s", k.Name, filepath.Base(deb), err, out)
	}
	configs, _ := filepath.Glob(filepath.Join(root, "boot", "config-*"))
	images, _ := filepath.Glob(filepath.Join(root, "boot", "vmlinu[xz]-*"))
	if len(configs) != 1 || len(images) != 1 {
		return fmt.Errorf("%s: the package has %d configs and %d kernel images in /boot, want one each", k.Name, len(configs), len(images))
	}
	config, err := os.ReadFile(configs[0])
	if err != nil {
		return err
	}
	if !bytes.Contains(config, []byte("\nCONFIG_SECCOMP_FILTER=y\n")) {
		return fmt.Errorf("%s: %s is built without CONFIG_SECCOMP_FILTER=y", k.Name, k.Package)
	}
	image, err := os.ReadFile(images[0])
	if err != nil {
		return err
	}
	if bytes.HasPrefix(image, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(image))
		if err != nil {
			return err
		}
		if image, err = io.ReadAll(zr); err != nil {
			return fmt.Errorf("%s: gunzipping the image: %w", k.Name, err)
		}
	}
	dir := kernelDir(cache, k)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, data := range map[string][]byte{"image": image, "config": config} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "version"), []byte(k.Package+"="+k.Version+"\n"), 0o644)
}
