package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// writeOutput writes data to path, or to stdout for "-".
//
// A regular file is written atomically: a temporary file in the same directory renamed over
// it, so that a reader sees the old contents or the new, never a part. A symlink is followed
// and its target replaced, keeping the link. The directory must exist: a misspelt -o is an
// error, not a new tree of directories. A path that names an existing device or pipe
// (/dev/null, a FIFO), and any path under /dev or /proc (/dev/stdout, /proc/self/fd/1, which
// may lead to a shell's redirection), is written in place: replacing it by a renamed file
// would destroy it, or write where nobody reads.
func writeOutput(stdout io.Writer, path string, data []byte) error {
	if path == "-" {
		_, err := stdout.Write(data)
		return err
	}
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return fmt.Errorf("cannot write %s: it is a directory", path)
	case err == nil && !st.Mode().IsRegular():
		return writeInPlace(path, data, 0)
	case err == nil && isSpecialTree(path):
		// A regular file behind /dev/stdout or /proc/self/fd/N: a shell's `>` or `>>`;
		// append, as a write to the inherited descriptor would (at 0 after `>`).
		return writeInPlace(path, data, os.O_APPEND)
	}
	target, err := fileTarget(path)
	if err != nil {
		return err
	}
	if err := replaceFile(target, data); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, plainError(err))
	}
	return nil
}

// replaceFile writes data to a new file beside target (with target's mode when it exists,
// else 0644 less the umask) and moves it into target's place (moveIntoPlace): a reader sees
// the old contents or the new, never a part, and so does the next reader when scc fails at
// any point.
//
// Like a compiler's output, the file is not flushed to the disk before the rename (no
// fsync, which renameio.WriteFile always does: on this project's machines it cost more
// than the whole compile of Docker's policy). What a power cut can leave is what it leaves
// of any freshly built file; a blob or raw program cut short fails its checks and never
// loads.
func replaceFile(target string, data []byte) error {
	dir, base := filepath.Split(target)
	for range 100 {
		tmp := filepath.Join(dir, "."+base+".tmp"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		if st, serr := os.Stat(target); serr == nil {
			err = f.Chmod(st.Mode().Perm())
		}
		if err == nil {
			_, err = f.Write(data)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = moveIntoPlace(tmp, target)
		}
		if err != nil {
			os.Remove(tmp)
		}
		return err
	}
	return fmt.Errorf("no free temporary name beside it")
}

// plainError is err without the file names of *fs.PathError and *os.LinkError: the
// temporary file an atomic write goes through means nothing to the user, who is told the
// output's own name instead.
func plainError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// fileTarget is the file that writing path replaces: path, or the target of the symlinks it
// leads through. Its directory must exist: a misspelt -o is an error, not a new tree.
func fileTarget(path string) (string, error) {
	target, err := resolveLinks(path)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(target)
	switch st, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("cannot write %s: directory %s does not exist", path, dir)
	case err != nil:
		return "", fmt.Errorf("cannot write %s: %w", path, plainError(err))
	case !st.IsDir():
		return "", fmt.Errorf("cannot write %s: %s is not a directory", path, dir)
	}
	return target, nil
}

// isSpecialTree tells whether path lies under /dev or /proc, whose symlinks (/dev/stdout,
// /proc/self/fd/N) name open descriptors rather than files to replace.
func isSpecialTree(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	return strings.HasPrefix(abs, "/dev/") || strings.HasPrefix(abs, "/proc/")
}

// maxLinks bounds the symlinks followed, as the kernel's ELOOP limit (40) does.
const maxLinks = 40

// resolveLinks returns the file that path leads to through symlinks: the path itself when it
// is no symlink or does not exist; the fully resolved target (filepath.EvalSymlinks) when it
// exists; for a dangling link, the missing file its chain ends at, which is then created, as
// a shell's `>` does.
func resolveLinks(path string) (string, error) {
	p := path
	for range maxLinks {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if err != nil {
			return "", fmt.Errorf("cannot write %s: %w", path, plainError(err))
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return real, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", fmt.Errorf("cannot write %s: %w", path, plainError(err))
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(p), link)
		}
		p = link
	}
	return "", fmt.Errorf("cannot write %s: too many levels of symbolic links", path)
}

// writeInPlace writes data to an existing file that is not replaced, opened with flag added
// to O_WRONLY.
func writeInPlace(path string, data []byte, flag int) error {
	f, err := os.OpenFile(path, os.O_WRONLY|flag, 0)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, plainError(err))
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, plainError(err))
	}
	return nil
}
