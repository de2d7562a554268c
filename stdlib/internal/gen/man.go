package main

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// manProto is one prototype of a man page's SYNOPSIS.
type manProto struct {
	Params   []cParam // a trailing "..." has Type "..."
	Page     string
	Variadic bool
}

// readManPages collects the prototypes of every section 2 man page, by function name.
// syscall(SYS_foo, ...) forms are recorded under foo.
func readManPages(dir string) (map[string][]manProto, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.2.gz"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	out := map[string][]manProto{}
	for _, path := range paths {
		text, err := readGzip(path)
		if err != nil {
			return nil, err
		}
		page := strings.TrimSuffix(filepath.Base(path), ".2.gz")
		for name, p := range synopsisProtos(synopsis(text)) {
			for _, proto := range p {
				proto.Page = page
				out[name] = append(out[name], proto)
			}
		}
	}
	return out, nil
}

func readGzip(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return "", err
	}
	data, err := io.ReadAll(z)
	return string(data), err
}

// synopsis renders the SYNOPSIS section of a roff man page as plain text.
func synopsis(roff string) string {
	roff = strings.ReplaceAll(roff, "\\\n", "")
	var b strings.Builder
	in := false
	for _, line := range strings.Split(roff, "\n") {
		if strings.HasPrefix(line, ".SH") {
			in = strings.Contains(line, "SYNOPSIS")
			continue
		}
		if in {
			b.WriteString(roffLine(line))
			b.WriteString("\n")
		}
	}
	return b.String()
}

var (
	roffArg    = regexp.MustCompile(`"((?:[^"]|"")*)"|(\S+)`)
	roffEscape = strings.NewReplacer(`\fB`, "", `\fI`, "", `\fR`, "", `\fP`, "", `\-`, "-",
		`\ `, " ", `\~`, " ", `\&`, "", `\e`, `\`, `\%`, "")
)

// roffLine renders one line: font macros join their arguments, other requests vanish.
func roffLine(line string) string {
	if !strings.HasPrefix(line, ".") {
		return roffEscape.Replace(line)
	}
	fields := strings.SplitN(line, " ", 2)
	sep := ""
	switch fields[0] {
	case ".B", ".I":
		sep = " "
	case ".BI", ".BR", ".IB", ".IR", ".RB", ".RI":
	default:
		return ""
	}
	if len(fields) == 1 {
		return ""
	}
	var args []string
	for _, m := range roffArg.FindAllStringSubmatch(fields[1], -1) {
		args = append(args, m[1]+m[2])
	}
	return roffEscape.Replace(strings.Join(args, sep))
}

var (
	varargName = regexp.MustCompile(`\.\.\.\s*/\*\s*(\w+)\s*\*/`)
	protoStart = regexp.MustCompile(`([A-Za-z_]\w*)\s*\(`)
)

// synopsisProtos finds the prototypes "type name(params);" in rendered SYNOPSIS text.
func synopsisProtos(text string) map[string][]manProto {
	text = varargName.ReplaceAllString(text, "...$1")
	text = cComment.ReplaceAllString(text, " ")
	text = strings.Join(strings.Fields(text), " ")
	out := map[string][]manProto{}
	for pos := 0; ; {
		loc := protoStart.FindStringSubmatchIndex(text[pos:])
		if loc == nil {
			return out
		}
		name := text[pos+loc[2] : pos+loc[3]]
		open := pos + loc[1] - 1
		end := matchParen(text, open)
		if end < 0 {
			return out
		}
		pos = open + 1
		if !strings.HasPrefix(strings.TrimSpace(text[end+1:]), ";") {
			continue
		}
		params, err := splitParams(text[open+1 : end])
		if err != nil {
			continue
		}
		pos = end + 1
		if name == "syscall" && len(params) > 0 && strings.HasPrefix(params[0].Type, "SYS_") {
			name, params = strings.TrimPrefix(params[0].Type, "SYS_"), params[1:]
		}
		p := manProto{Params: params}
		if n := len(params); n > 0 && params[n-1].Type == "..." {
			p.Variadic = true
		}
		out[name] = append(out[name], p)
	}
}

// matchParen returns the index of the parenthesis closing the one at open, or -1.
func matchParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
