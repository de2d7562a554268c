package compiler

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/scc-dev/scc/diag"
	"github.com/scc-dev/scc/lang"
)

// Input is one file a compilation read.
type Input struct {
	// Name is the file's name as diagnostics show it: the main file's as given, an include's
	// relative to the file that includes it.
	Name string
	// Info identifies the file on the file system (os.SameFile); nil when it was not read
	// from there (Options.ReadFile, or a main file held in memory that has no identity).
	Info os.FileInfo
}

// Files is a policy file and every file it includes, each read and parsed once: the front
// end's work, done before a policy is picked. Compile may then be called once per policy.
type Files struct {
	main    string
	files   []*lang.File // in include order: a file's includes come before it
	sources diag.SourceMap
	inputs  []Input
	errs    diag.List
}

// Main is the main file's name, as given.
func (fs *Files) Main() string { return fs.main }

// MainFile is the main file's syntax tree, or nil when it did not parse.
func (fs *Files) MainFile() *lang.File {
	if n := len(fs.files); n > 0 && fs.files[n-1].Name == fs.main {
		return fs.files[n-1]
	}
	return nil
}

// Inputs lists every file read: the main file first, then the includes.
func (fs *Files) Inputs() []Input { return fs.inputs }

// Sources holds the text of every file read, for printing diagnostics.
func (fs *Files) Sources() diag.SourceMap { return fs.sources }

// Errors are the errors of reading and parsing.
func (fs *Files) Errors() diag.List { return fs.errs }

// LoadFile reads and parses the policy file at path and everything it includes. path is used
// as given: it is opened as the operating system resolves it, and diagnostics show it so.
func LoadFile(path string, opts Options) *Files {
	ld := newLoader(opts.ReadFile)
	src, info, err := ld.read(path)
	if err != nil {
		ld.errs.Errorf(diag.Pos{File: path}, "%s", readError(err))
		return ld.done(path)
	}
	ld.loadSource(path, src, info)
	return ld.done(path)
}

// LoadSource is LoadFile on a main file held in memory, as if read from a file called name;
// info, if not nil, is its identity on the file system, so that an include cycle back to it
// is found. Includes are read relative to name.
func LoadSource(name string, src []byte, info os.FileInfo, opts Options) *Files {
	ld := newLoader(opts.ReadFile)
	ld.loadSource(name, src, info)
	return ld.done(name)
}

// LoadTree makes Files of a syntax tree built in memory rather than parsed from text (an
// imported profile): the main file is f, named f.Name, with no includes. Its nodes may lack
// lines and columns, and Sources holds no text for it, so a diagnostic on it shows no line.
func LoadTree(f *lang.File) *Files {
	return &Files{main: f.Name, files: []*lang.File{f}, sources: diag.SourceMap{}, inputs: []Input{{Name: f.Name}}}
}

// loader reads a policy file and everything it includes, each file once. Files are known by
// their identity (device and inode), not by their path's text: a file reached through a
// symlink, or by another spelling, is the same file.
type loader struct {
	read    func(string) ([]byte, os.FileInfo, error)
	virtual bool // files come from Options.ReadFile: known by their cleaned path
	sources diag.SourceMap
	files   []*lang.File
	inputs  []Input
	loaded  map[fileKey]bool
	stack   []loading // files being loaded, for cycle detection
	errs    diag.List
}

// loading is a file on the include stack.
type loading struct {
	key  fileKey
	name string
}

func newLoader(readFile func(string) ([]byte, error)) *loader {
	ld := &loader{read: ReadFile, sources: diag.SourceMap{}, loaded: map[fileKey]bool{}}
	if readFile != nil {
		ld.virtual = true
		ld.read = func(path string) ([]byte, os.FileInfo, error) {
			src, err := readFile(path)
			return src, nil, err
		}
	}
	return ld
}

func (ld *loader) done(main string) *Files {
	return &Files{main: main, files: ld.files, sources: ld.sources, inputs: ld.inputs, errs: ld.errs}
}

// ReadFile reads a file of the file system, with the identity of the very file it read (for
// telling an output that is an input, and include cycles, by device and inode), and no more
// than lang.MaxFileSize and one byte: a directory is an error.
func ReadFile(path string) ([]byte, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if info.IsDir() {
		return nil, nil, errors.New("is a directory")
	}
	// Read one byte past lang.MaxFileSize: enough for the parser to reject the file, so that
	// a huge file, or a device that never ends, costs no more. A regular file's buffer is
	// made at its size, once.
	size := int64(0)
	if info.Mode().IsRegular() {
		size = min(info.Size(), lang.MaxFileSize+1)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(f, lang.MaxFileSize+1))
	return buf.Bytes(), info, err
}

func (ld *loader) loadSource(name string, src []byte, info os.FileInfo) {
	src = bytes.TrimPrefix(src, utf8BOM)
	key := keyOf(name, info)
	ld.loaded[key] = true
	ld.sources[name] = src
	ld.inputs = append(ld.inputs, Input{Name: name, Info: info})
	if bad := binaryGarbage(src); bad >= 0 {
		ld.errs.Errorf(posAt(name, src, bad), "not a policy file: binary data at byte %d", bad)
		return
	}
	f, errs := lang.Parse(name, src)
	ld.errs.Add(errs...)
	if f == nil {
		return
	}
	ld.stack = append(ld.stack, loading{key, name})
	for _, d := range f.Decls {
		if inc, ok := d.(*lang.Include); ok {
			ld.include(name, inc)
		}
	}
	ld.stack = ld.stack[:len(ld.stack)-1]
	ld.files = append(ld.files, f)
}

// utf8BOM is the byte order mark some editors put first in a UTF-8 file: skipped.
var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// include loads the file an include statement names, relative to the including file.
func (ld *loader) include(from string, inc *lang.Include) {
	path := includePath(from, inc.Path)
	if ld.loadedAlready(path) {
		return
	}
	src, info, err := ld.read(path)
	if err != nil {
		d := ld.errs.Errorf(inc.At, "cannot include %q: %s", inc.Path, readError(err))
		d.Hint = "include paths are relative to the including file (" + from + ")"
		return
	}
	name := ld.displayName(path, info)
	key := keyOf(name, info)
	for i, l := range ld.stack {
		if l.key == key {
			var cycle []string
			for _, l := range ld.stack[i:] {
				cycle = append(cycle, l.name)
			}
			cycle = append(cycle, name)
			ld.errs.Errorf(inc.At, "include cycle: %s", strings.Join(cycle, " → "))
			return
		}
	}
	if ld.loaded[key] {
		return
	}
	if len(ld.stack) >= MaxIncludeDepth {
		d := ld.errs.Errorf(inc.At, "includes nest deeper than scc's limit of %d files", MaxIncludeDepth)
		d.Hint = "include the shared files from one place; see Limits in docs/language.md"
		return
	}
	ld.loadSource(name, src, info)
}

// loadedAlready tells whether the file at path was loaded already and is not on the stack
// (a cycle, reported once it is read): then it need not be read again. A file included from
// many places, or many times, is read once.
func (ld *loader) loadedAlready(path string) bool {
	var info os.FileInfo
	if !ld.virtual {
		var err error
		if info, err = os.Stat(path); err != nil {
			return false // reading it reports the error
		}
	}
	key := keyOf(ld.displayName(path, info), info)
	if !ld.loaded[key] {
		return false
	}
	for _, l := range ld.stack {
		if l.key == key {
			return false
		}
	}
	return true
}

// includePath is the path the include of p in the file from opens: p itself when absolute,
// else p after from's directory as from spells it. It is not cleaned: the kernel resolves
// "dir/../x" by going up from wherever dir leads, symlinks included, which cleaning the text
// to "x" would not.
func includePath(from, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return from[:strings.LastIndexByte(from, '/')+1] + p
}

// displayName is the name diagnostics give the file read at path: its cleaned form when
// that leads to the same file (the usual case), else path as it was opened.
func (ld *loader) displayName(path string, info os.FileInfo) string {
	clean := filepath.Clean(path)
	if clean == path || ld.virtual {
		return clean
	}
	if info != nil {
		if ci, err := os.Stat(clean); err == nil && os.SameFile(ci, info) {
			return clean
		}
	}
	return path
}

// fileKey identifies a file: by device and inode when it was read from the file system,
// else by its cleaned name.
type fileKey struct {
	dev, ino uint64
	name     string
}

func keyOf(name string, info os.FileInfo) fileKey {
	if dev, ino, ok := fileIdentity(info); ok {
		return fileKey{dev: dev, ino: ino}
	}
	return fileKey{name: filepath.Clean(name)}
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
