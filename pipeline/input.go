package pipeline

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/scc-dev/scc/compiler"
	"github.com/scc-dev/scc/lang"
	"github.com/scc-dev/scc/program"
)

// Kind is what an input holds.
type Kind int

// The kinds of input, as --input-format names them.
const (
	Auto    Kind = iota // detect from the content (Detect)
	Policy              // a policy in scc's language
	Profile             // a Docker or OCI seccomp profile (JSON)
	Blob                // a compiled filter in scc's blob format
	Raw                 // a bare classic-BPF program: struct sock_filter records
)

var kindNames = []string{Auto: "auto", Policy: "policy", Profile: "profile", Blob: "blob", Raw: "raw"}

func (k Kind) String() string { return kindNames[k] }

// ParseKind reads a kind by its name: auto, policy, profile, blob or raw.
func ParseKind(s string) (Kind, error) {
	for k, name := range kindNames {
		if s == name {
			return Kind(k), nil
		}
	}
	return Auto, fmt.Errorf("unknown input format %q: want auto, policy, profile, blob or raw", s)
}

// Input is a file read once: its bytes, with a UTF-8 byte order mark dropped, and what they
// hold.
type Input struct {
	// Name is the path as given ("./x.sc" stays so), or "<stdin>" for "-".
	Name string
	Data []byte
	Kind Kind
	// Info is the file's identity (os.SameFile), for refusing to write over an input; nil
	// for a pipe or a terminal.
	Info os.FileInfo
}

// StdinName is the name an input read from "-" goes by in messages.
const StdinName = "<stdin>"

// Read reads the file at path, or stdin for "-", and finds its kind: kind itself unless it
// is Auto, else by Detect.
func Read(path string, stdin io.Reader, kind Kind) (*Input, error) {
	in := &Input{Name: path}
	var err error
	if path == "-" {
		in.Name = StdinName
		in.Data, err = readBounded(stdin)
		if f, ok := stdin.(*os.File); ok {
			if fi, serr := f.Stat(); serr == nil && fi.Mode().IsRegular() {
				in.Info = fi
			}
		}
	} else {
		in.Data, in.Info, err = compiler.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", in.Name, unwrapPath(err))
	}
	in.Data = bytes.TrimPrefix(in.Data, bom)
	in.Kind = kind
	if kind == Auto {
		in.Kind = Detect(in.Data)
	}
	if len(in.Data) > MaxInputSize && in.Kind != Policy {
		// A policy past the limit goes on to the parser, which says where it stopped.
		return nil, fmt.Errorf("cannot read %s: it is larger than scc's limit of %d MiB", in.Name, MaxInputSize>>20)
	}
	return in, nil
}

// MaxInputSize is the most scc reads of any input, the policy files' limit (lang.MaxFileSize):
// a profile, a blob or a raw program is far smaller, and /dev/zero must not fill the memory.
const MaxInputSize = lang.MaxFileSize

// readBounded reads r up to one byte past MaxInputSize: enough to know it is too large.
func readBounded(r io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, MaxInputSize+1))
}

// bom is the UTF-8 byte order mark some editors put first in a file.
var bom = []byte{0xef, 0xbb, 0xbf}

// unwrapPath drops an *os.PathError's own "open PATH:" prefix, which the caller says better.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Detect tells what data holds by its content, never by a file name: a blob by its magic; a
// JSON object (a profile: no policy starts with '{'); a bare program when it is a whole
// number of 8-byte instructions that passes the kernel's checks; else a policy.
func Detect(data []byte) Kind {
	switch {
	case program.IsBlob(data):
		return Blob
	case bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")):
		return Profile
	case isRawProgram(data):
		return Raw
	}
	return Policy
}

// isRawProgram tells whether data is a verifiable classic-BPF program in either byte order
// (a raw program for s390x or mips64 is big-endian wherever it was built).
func isRawProgram(data []byte) bool {
	if len(data) == 0 || len(data)%8 != 0 {
		return false
	}
	prog, _, err := program.DecodeRawEither(data)
	return err == nil && program.Verify(prog) == nil
}
