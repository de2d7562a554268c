package compiler

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
)

// loader reads a policy file and everything it includes, each file once.
type loader struct {
	read    func(string) ([]byte, error)
	sources diag.SourceMap
	files   []*lang.File // in include order: a file's includes come before it
	loaded  map[string]bool
	stack   []string // files being loaded, for cycle detection
	errs    diag.List
}

func newLoader(read func(string) ([]byte, error)) *loader {
	return &loader{read: read, sources: diag.SourceMap{}, loaded: map[string]bool{}}
}

// loadRoot loads the main file; a file that cannot be read is reported without a position.
func (ld *loader) loadRoot(path string) {
	src, err := ld.read(path)
	if err != nil {
		ld.errs.Errorf(diag.Pos{File: path}, "%s", readError(err))
		return
	}
	ld.loadSource(filepath.Clean(path), src)
}

func (ld *loader) loadSource(path string, src []byte) {
	ld.loaded[path] = true
	ld.sources[path] = src
	if bad := binaryGarbage(src); bad >= 0 {
		ld.errs.Errorf(posAt(path, src, bad), "not a policy file: binary data at byte %d", bad)
		return
	}
	f, errs := lang.Parse(path, src)
	ld.errs.Add(errs...)
	if f == nil {
		return
	}
	ld.stack = append(ld.stack, path)
	for _, d := range f.Decls {
		if inc, ok := d.(*lang.Include); ok {
			ld.include(path, inc)
		}
	}
	ld.stack = ld.stack[:len(ld.stack)-1]
	ld.files = append(ld.files, f)
}

// include loads the file an include statement names, relative to the including file.
func (ld *loader) include(from string, inc *lang.Include) {
	path := inc.Path
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(from), path)
	}
	path = filepath.Clean(path)
	for i, p := range ld.stack {
		if p == path {
			cycle := append(append([]string{}, ld.stack[i:]...), path)
			ld.errs.Errorf(inc.At, "include cycle: %s", strings.Join(cycle, " → "))
			return
		}
	}
	if ld.loaded[path] {
		return
	}
	src, err := ld.read(path)
	if err != nil {
		d := ld.errs.Errorf(inc.At, "cannot include %q: %s", inc.Path, readError(err))
		d.Hint = "include paths are relative to the including file (" + from + ")"
		return
	}
	ld.loadSource(path, src)
}

func readError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// binaryGarbage returns the offset of the first NUL byte or invalid UTF-8 sequence, or -1.
func binaryGarbage(src []byte) int {
	if utf8.Valid(src) { // the usual case, checked many bytes at a time
		return bytes.IndexByte(src, 0)
	}
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == 0 || (r == utf8.RuneError && size == 1) {
			return i
		}
		i += size
	}
	return -1
}

// posAt computes the position of byte offset off in src.
func posAt(file string, src []byte, off int) diag.Pos {
	line, col := 1, 1
	for _, c := range src[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return diag.Pos{File: file, Offset: off, Line: line, Col: col}
}
