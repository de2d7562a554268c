package oci

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeProfile is Parse's fast path: it decodes a profile's own fields in one pass, with no
// reflection, into the Profile encoding/json would make of the same bytes. It declines (ok
// false) whatever it does not decode exactly as encoding/json does, and Parse's general path,
// encoding/json itself, then reads the data and gives the errors: data that is not valid
// JSON or not valid UTF-8, a string with an escape, a key that is no field's exact name but
// matches one in another case (encoding/json's matching ignores case), a key given twice, a
// value of another type than its field's (a number with a fraction, an exponent or a sign
// included), and a top-level "linux" key (an OCI runtime config). Other keys are skipped, as
// encoding/json skips them.
func decodeProfile(data []byte) (p *Profile, ok bool) {
	if !utf8.Valid(data) {
		return nil, false
	}
	d := &decoder{text: string(data)} // every string is a part of this one copy
	p = new(Profile)
	d.skipSpace()
	d.profile(p)
	d.skipSpace()
	return p, !d.failed && d.pos == len(d.text)
}

// decoder reads JSON text; on anything it does not decode, it sets failed and stops.
type decoder struct {
	text   string
	pos    int
	depth  int // of the objects and arrays being read
	failed bool
	// scratch holds the elements of an array of strings being read, which is then copied
	// once, at its length.
	scratch []string
}

// maxDepth bounds the nesting of objects and arrays the decoder reads; deeper data is left to
// encoding/json, whose own bound is far deeper.
const maxDepth = 64

// enter counts an object or array being read, and leave its end; enter fails past maxDepth.
func (d *decoder) enter() bool {
	if d.depth++; d.depth > maxDepth {
		return d.fail()
	}
	return true
}

func (d *decoder) leave() { d.depth-- }

// fail marks the decoding failed and returns false, for `return d.fail()`.
func (d *decoder) fail() bool {
	d.failed, d.pos = true, len(d.text)
	return false
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.text) {
		switch d.text[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, or 0 at the end.
func (d *decoder) peek() byte {
	d.skipSpace()
	if d.pos < len(d.text) {
		return d.text[d.pos]
	}
	return 0
}

// consume reads byte c, after white space.
func (d *decoder) consume(c byte) bool {
	if d.peek() != c {
		return d.fail()
	}
	d.pos++
	return true
}

// null reads a null value when one comes next: its field keeps its zero value, as
// encoding/json leaves it (a key is never given twice here).
func (d *decoder) null() bool {
	if d.peek() == 'n' && strings.HasPrefix(d.text[d.pos:], "null") {
		d.pos += len("null")
		return true
	}
	return false
}

// object reads an object, calling field for each key with the decoder at its value; keys are
// the exact names in keys (field reads their values) or skipped. A key given twice, or one
// that differs from a name of keys in case only, fails.
func (d *decoder) object(keys []string, field func(key int)) {
	if !d.consume('{') || !d.enter() {
		return
	}
	defer d.leave()
	var seen uint64
	if d.peek() == '}' {
		d.pos++
		return
	}
	for !d.failed {
		name := d.str()
		if !d.consume(':') {
			return
		}
		switch k := keyIndex(keys, name); {
		case k >= 0 && seen&(1<<k) == 0:
			seen |= 1 << k
			field(k)
		case k >= 0 || foldsToKey(keys, name):
			d.fail()
		default:
			d.skipValue()
		}
		if d.peek() == '}' {
			d.pos++
			return
		}
		d.consume(',')
	}
}

func keyIndex(keys []string, name string) int {
	for i, k := range keys {
		if k == name {
			return i
		}
	}
	return -1
}

func foldsToKey(keys []string, name string) bool {
	for _, k := range keys {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// array reads an array, calling elem with the decoder at each element; it tells whether the
// value was an array, not null.
func (d *decoder) array(elem func()) bool {
	if d.null() {
		return false
	}
	if !d.consume('[') || !d.enter() {
		return false
	}
	defer d.leave()
	if d.peek() == ']' {
		d.pos++
		return true
	}
	for !d.failed {
		elem()
		if d.peek() == ']' {
			d.pos++
			return true
		}
		d.consume(',')
	}
	return false
}

// str reads a string without escapes or control characters.
func (d *decoder) str() string {
	if !d.consume('"') {
		return ""
	}
	start := d.pos
	for d.pos < len(d.text) {
		switch c := d.text[d.pos]; {
		case c == '"':
			d.pos++
			return d.text[start : d.pos-1]
		case c == '\\' || c < 0x20:
			d.fail()
			return ""
		}
		d.pos++
	}
	d.fail()
	return ""
}

// stringField reads a string field's value: a string or null.
func (d *decoder) stringField() string {
	if d.null() {
		return ""
	}
	return d.str()
}

// strings reads an array of strings, or null.
func (d *decoder) strings() []string {
	d.scratch = d.scratch[:0]
	if !d.array(func() { d.scratch = append(d.scratch, d.str()) }) {
		return nil
	}
	return append(make([]string, 0, len(d.scratch)), d.scratch...)
}

// uint reads a whole number that fits bits, in JSON's form (no sign, no leading zero).
func (d *decoder) uint(bits int) uint64 {
	d.skipSpace()
	start := d.pos
	for d.pos < len(d.text) && d.text[d.pos] >= '0' && d.text[d.pos] <= '9' {
		d.pos++
	}
	digits := d.text[start:d.pos]
	if len(digits) > 1 && digits[0] == '0' || d.pos < len(d.text) && strings.IndexByte(".eE", d.text[d.pos]) >= 0 {
		d.fail()
		return 0
	}
	v, err := strconv.ParseUint(digits, 10, bits)
	if err != nil {
		d.fail()
	}
	return v
}

// uintPtr reads a number of a *uint field, or null.
func (d *decoder) uintPtr() *uint {
	if d.null() {
		return nil
	}
	v := uint(d.uint(strconv.IntSize))
	return &v
}

// skipValue reads any JSON value and leaves it, failing on one that is not valid JSON.
func (d *decoder) skipValue() {
	switch c := d.peek(); {
	case c == '{':
		d.object(nil, func(int) {})
	case c == '[':
		d.array(d.skipValue)
	case c == '"':
		d.str()
	case c == '-' || c >= '0' && c <= '9':
		d.number()
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if strings.HasPrefix(d.text[d.pos:], lit) {
				d.pos += len(lit)
				return
			}
		}
		d.fail()
	}
}

// number reads a number in JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *decoder) number() {
	d.accept("-")
	if !d.accept("0") && d.digits() == 0 {
		d.fail()
		return
	}
	if d.accept(".") && d.digits() == 0 {
		d.fail()
		return
	}
	if d.accept("eE") {
		d.accept("+-")
		if d.digits() == 0 {
			d.fail()
		}
	}
}

// accept reads one of the bytes of set when it comes next.
func (d *decoder) accept(set string) bool {
	if d.pos < len(d.text) && strings.IndexByte(set, d.text[d.pos]) >= 0 {
		d.pos++
		return true
	}
	return false
}

// digits reads decimal digits and says how many.
func (d *decoder) digits() int {
	start := d.pos
	for d.pos < len(d.text) && d.text[d.pos] >= '0' && d.text[d.pos] <= '9' {
		d.pos++
	}
	return d.pos - start
}

// The keys of each object, in the order of the cases that read them.
var (
	profileKeys = []string{"defaultAction", "defaultErrnoRet", "architectures", "archMap", "flags",
		"listenerPath", "listenerMetadata", "syscalls", "linux"}
	archMapKeys = []string{"architecture", "subArchitectures"}
	syscallKeys = []string{"names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes"}
	argKeys     = []string{"index", "value", "valueTwo", "op"}
	filterKeys  = []string{"caps", "arches", "minKernel"}
)

func (d *decoder) profile(p *Profile) {
	d.object(profileKeys, func(key int) {
		switch key {
		case 0:
			p.DefaultAction = d.stringField()
		case 1:
			p.DefaultErrnoRet = d.uintPtr()
		case 2:
			p.Architectures = d.strings()
		case 3:
			p.ArchMap = []ArchMapEntry{}
			if !d.array(func() { p.ArchMap = append(p.ArchMap, d.archMapEntry()) }) {
				p.ArchMap = nil
			}
		case 4:
			p.Flags = d.strings()
		case 5:
			p.ListenerPath = d.stringField()
		case 6:
			p.ListenerMetadata = d.stringField()
		case 7:
			p.Syscalls = []Syscall{}
			if !d.array(func() { p.Syscalls = append(p.Syscalls, d.syscall()) }) {
				p.Syscalls = nil
			}
		default: // linux: a runtime config, for the general path
			d.fail()
		}
	})
}

func (d *decoder) archMapEntry() (e ArchMapEntry) {
	if d.null() {
		return e
	}
	d.object(archMapKeys, func(key int) {
		if key == 0 {
			e.Arch = d.stringField()
		} else {
			e.SubArches = d.strings()
		}
	})
	return e
}

func (d *decoder) syscall() (s Syscall) {
	if d.null() {
		return s
	}
	d.object(syscallKeys, func(key int) {
		switch key {
		case 0:
			s.Names = d.strings()
		case 1:
			s.Name = d.stringField()
		case 2:
			s.Action = d.stringField()
		case 3:
			s.ErrnoRet = d.uintPtr()
		case 4:
			s.Args = []Arg{}
			if !d.array(func() { s.Args = append(s.Args, d.arg()) }) {
				s.Args = nil
			}
		case 5:
			s.Comment = d.stringField()
		case 6:
			s.Includes = d.filter()
		default:
			s.Excludes = d.filter()
		}
	})
	return s
}

func (d *decoder) arg() (a Arg) {
	if d.null() {
		return a
	}
	d.object(argKeys, func(key int) {
		if d.null() {
			return
		}
		switch key {
		case 0:
			a.Index = uint(d.uint(strconv.IntSize))
		case 1:
			a.Value = d.uint(64)
		case 2:
			a.ValueTwo = d.uint(64)
		default:
			a.Op = d.str()
		}
	})
	return a
}

func (d *decoder) filter() *Filter {
	if d.null() {
		return nil
	}
	f := new(Filter)
	d.object(filterKeys, func(key int) {
		switch key {
		case 0:
			f.Caps = d.strings()
		case 1:
			f.Arches = d.strings()
		default:
			f.MinKernel = d.stringField()
		}
	})
	return f
}
