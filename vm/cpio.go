package vm

import (
	"fmt"
	"io"
)

// cpioEntry is one file of an initramfs.
type cpioEntry struct {
	Name         string
	Mode         uint32 // type and permission bits, as stat's st_mode
	Data         []byte
	Major, Minor uint32 // of a device node
}

// Mode bits of the entries.
const (
	modeDir  = 0o040000
	modeFile = 0o100000
	modeChar = 0o020000
)

// writeCPIO writes entries as a newc ("070701") cpio archive, the format the kernel unpacks
// into its initramfs: each header is 110 ASCII bytes (the magic and 13 eight-digit hex
// fields), then the name and its NUL, padded to 4 bytes, then the data, padded to 4 bytes;
// the TRAILER!!! entry ends it.
func writeCPIO(w io.Writer, entries []cpioEntry) error {
	for i, e := range append(entries, cpioEntry{Name: "TRAILER!!!"}) {
		nlink := 1
		if e.Mode&0o170000 == modeDir {
			nlink = 2
		}
		hdr := fmt.Sprintf("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
			i+1, e.Mode, 0, 0, nlink, 0, len(e.Data), 0, 0, e.Major, e.Minor, len(e.Name)+1, 0)
		rec := append([]byte(hdr), e.Name...)
		rec = append(rec, 0)
		rec = pad4(rec)
		rec = pad4(append(rec, e.Data...))
		if _, err := w.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// initramfs returns the entries of the agent's initramfs: /init, the checks, the device nodes
// the kernel and the agent open (/dev/console, /dev/null) and the directories it mounts on.
func initramfs(agent, checks []byte) []cpioEntry {
	return []cpioEntry{
		{Name: "dev", Mode: modeDir | 0o755},
		{Name: "dev/console", Mode: modeChar | 0o600, Major: 5, Minor: 1},
		{Name: "dev/null", Mode: modeChar | 0o666, Major: 1, Minor: 3},
		{Name: "proc", Mode: modeDir | 0o755},
		{Name: "tmp", Mode: modeDir | 0o1777},
		{Name: "init", Mode: modeFile | 0o755, Data: agent},
		{Name: "checks.json", Mode: modeFile | 0o644, Data: checks},
	}
}
