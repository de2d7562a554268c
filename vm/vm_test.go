package vm

import (
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// readCPIO parses a newc archive: the names, modes, data and device numbers of its entries.
func readCPIO(t *testing.T, data []byte) []cpioEntry {
	t.Helper()
	var out []cpioEntry
	for len(data) > 0 {
		if len(data) < 110 || string(data[:6]) != "070701" {
			t.Fatalf("bad header at %q", data[:min(len(data), 16)])
		}
		field := func(i int) uint32 {
			v, err := strconv.ParseUint(string(data[6+8*i:14+8*i]), 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			return uint32(v)
		}
		// ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor,
		// rdevminor, namesize, check
		mode, size, major, minor, namesize := field(1), field(6), field(9), field(10), field(11)
		name := string(data[110 : 110+namesize-1])
		off := (110 + int(namesize) + 3) &^ 3
		e := cpioEntry{Name: name, Mode: mode, Data: data[off : off+int(size)], Major: major, Minor: minor}
		data = data[(off+int(size)+3)&^3:]
		if name == "TRAILER!!!" {
			if len(data) != 0 {
				t.Errorf("%d bytes after the trailer", len(data))
			}
			return out
		}
		out = append(out, e)
	}
	t.Fatal("no trailer")
	return nil
}

func TestInitramfsIsNewcWithTheDevices(t *testing.T) {
	var b bytes.Buffer
	if err := writeCPIO(&b, initramfs([]byte("AGENT"), []byte(`[]`))); err != nil {
		t.Fatal(err)
	}
	got := map[string]cpioEntry{}
	for _, e := range readCPIO(t, b.Bytes()) {
		got[e.Name] = e
	}
	if e := got["dev/console"]; e.Mode != modeChar|0o600 || e.Major != 5 || e.Minor != 1 {
		t.Errorf("dev/console = %+v", e)
	}
	if e := got["dev/null"]; e.Mode != modeChar|0o666 || e.Major != 1 || e.Minor != 3 {
		t.Errorf("dev/null = %+v", e)
	}
	if e := got["init"]; e.Mode != modeFile|0o755 || string(e.Data) != "AGENT" {
		t.Errorf("init = %+v", e)
	}
	if e := got["tmp"]; e.Mode != modeDir|0o1777 {
		t.Errorf("tmp = %+v", e)
	}
	// The system's cpio reads it the same way, where it is installed.
	if cpio, err := exec.LookPath("cpio"); err == nil {
		cmd := exec.Command(cpio, "-t", "--quiet")
		cmd.Stdin = bytes.NewReader(b.Bytes())
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		want := "dev\ndev/console\ndev/null\nproc\ntmp\ninit\nchecks.json\n"
		if string(out) != want {
			t.Errorf("cpio -t:\n%s\nwant\n%s", out, want)
		}
	}
}

func TestParseConsole(t *testing.T) {
	console := "[    0.000000] Booting Linux\r\n" +
		ResultPrefix + `{"ID":0,"Kinds":[3],"Data":13}` + "\r\n" +
		"[    1.2] audit: noise " + ResultPrefix + `{"ID":1,"Kinds":[0]}` + "\n" +
		EndPrefix + "2\r\n"
	res, err := parseConsole([]byte(console), 2)
	if err != nil || len(res) != 2 || res[0].Data != 13 || res[1].ID != 1 {
		t.Fatalf("parseConsole = %+v, %v", res, err)
	}
	for name, c := range map[string]string{
		"no end":        ResultPrefix + `{"ID":0}` + "\n",
		"short":         EndPrefix + "1\n",
		"agent's error": ErrorPrefix + "mounting /proc: EPERM\n",
		"garbled":       ResultPrefix + "{\n" + EndPrefix + "1\n",
	} {
		if _, err := parseConsole([]byte(c), 1); err == nil {
			t.Errorf("%s: parseConsole accepted %q", name, c)
		}
	}
}

func TestEveryMachineHasAPinnedKernel(t *testing.T) {
	for _, name := range ABIs() {
		m, _ := MachineFor(name)
		k, ok := kernels[m.Kernel]
		if !ok || k.Version == "" || !strings.HasPrefix(k.Package, "linux-image-") {
			t.Errorf("%s: kernel %q = %+v", name, m.Kernel, k)
		}
	}
	if _, err := KernelFor("mips64"); err == nil || !strings.Contains(err.Error(), `no kernel for "mips64"`) {
		t.Errorf("KernelFor(mips64) = %v", err)
	}
}

func TestImageWantsThePinnedVersion(t *testing.T) {
	cache := t.TempDir()
	k := kernels["arm64"]
	if _, err := Image(cache, k); err == nil || !strings.Contains(err.Error(), "scc vm fetch arm64") {
		t.Errorf("Image of an empty cache = %v; want the command that fetches it", err)
	}
}
