package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// cParam is one parameter of a C prototype.
type cParam struct {
	Name string // "" when the prototype leaves it out
	Type string // normalized C type, e.g. "const char *"
}

// kernelDecl is one sys_* declaration of syscalls.h and the #if conditions around it.
type kernelDecl struct {
	Params []cParam
	Conds  []cond
}

// cond is one enclosing #if: the macro tested, negated in an #else or #ifndef branch.
type cond struct {
	Macro   string
	Negated bool
}

// condArches lists, for the configuration macros that choose between declarations of the
// same syscall, the arches that define them. Other conditions hold everywhere.
var condArches = map[string][]string{
	"CONFIG_CLONE_BACKWARDS":  {"i386", "arm", "ppc64le", "mips64", "mips64le"},
	"CONFIG_CLONE_BACKWARDS3": {},
	"CONFIG_ARCH_SPLIT_ARG64": {},
	"CONFIG_OLD_SIGSUSPEND":   {"ppc64le"},
	"CONFIG_OLD_SIGSUSPEND3":  {"i386", "arm", "s390x"},
}

// applies tells whether the declaration's conditions hold on arch.
func (d kernelDecl) applies(arch string) bool {
	for _, c := range d.Conds {
		list, known := condArches[c.Macro]
		if !known {
			continue
		}
		if contains(list, arch) == c.Negated {
			return false
		}
	}
	return true
}

var (
	cComment  = regexp.MustCompile(`(?s)/\*.*?\*/`)
	kernelSys = regexp.MustCompile(`(?s)^asmlinkage\s+long\s+(sys_\w+)\s*\((.*?)\)\s*;`)
)

// readKernelDecls parses every asmlinkage sys_* declaration of syscalls.h.
func readKernelDecls(path string) (map[string][]kernelDecl, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := cComment.ReplaceAllString(string(data), " ")
	text = strings.ReplaceAll(text, "\\\n", " ")
	decls := map[string][]kernelDecl{}
	var conds []cond
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if strings.HasPrefix(line, "#") {
			conds = trackCond(conds, line)
			continue
		}
		if !strings.HasPrefix(line, "asmlinkage") {
			continue
		}
		for !strings.Contains(line, ";") && i+1 < len(lines) {
			i++
			line += " " + strings.TrimSpace(lines[i])
		}
		m := kernelSys.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("%s: cannot parse %q", path, line)
		}
		params, err := splitParams(m[2])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", path, m[1], err)
		}
		decls[m[1]] = append(decls[m[1]], kernelDecl{Params: params, Conds: append([]cond(nil), conds...)})
	}
	return decls, nil
}

// trackCond updates the stack of conditions for one preprocessor line.
func trackCond(conds []cond, line string) []cond {
	fields := strings.Fields(strings.TrimPrefix(line, "#"))
	if len(fields) == 0 {
		return conds
	}
	arg := ""
	if len(fields) > 1 {
		arg = strings.TrimSuffix(strings.TrimPrefix(fields[1], "defined("), ")")
	}
	switch fields[0] {
	case "if", "ifdef":
		return append(conds, cond{Macro: arg})
	case "ifndef":
		return append(conds, cond{Macro: arg, Negated: true})
	case "else":
		conds[len(conds)-1].Negated = !conds[len(conds)-1].Negated
	case "endif":
		return conds[:len(conds)-1]
	}
	return conds
}

// splitParams splits a C parameter list at its top-level commas and parses each one.
func splitParams(list string) ([]cParam, error) {
	list = strings.TrimSpace(list)
	if list == "void" || list == "" {
		return nil, nil
	}
	var out []cParam
	depth, start := 0, 0
	for i := 0; i <= len(list); i++ {
		if i < len(list) {
			switch list[i] {
			case '(', '[':
				depth++
				continue
			case ')', ']':
				depth--
				continue
			case ',':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		p, err := parseParam(list[start:i])
		if err != nil {
			return nil, err
		}
		out = append(out, p)
		start = i + 1
	}
	return out, nil
}

var (
	funcPtr   = regexp.MustCompile(`\(\s*\*\s*(\w*)\s*\)\s*\(.*\)`)
	arraySfx  = regexp.MustCompile(`\s*\[[^\]]*\]\s*$`)
	ident     = regexp.MustCompile(`^[A-Za-z_]\w*$`)
	dropWords = map[string]bool{"__user": true, "restrict": true, "_Nullable": true, "_Nonnull": true, "__force": true}
)

// parseParam parses one C parameter: "const char __user *filename", "int", "void addr[.length]",
// "int (*fn)(void *)", "...".
func parseParam(s string) (cParam, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "...") {
		return cParam{Type: "...", Name: strings.TrimSpace(strings.TrimPrefix(s, "..."))}, nil
	}
	if m := funcPtr.FindStringSubmatch(s); m != nil {
		return cParam{Name: m[1], Type: "void *"}, nil
	}
	array := arraySfx.MatchString(s)
	s = arraySfx.ReplaceAllString(s, "")
	var words []string
	for _, w := range strings.Fields(strings.ReplaceAll(s, "*", " * ")) {
		if !dropWords[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return cParam{}, fmt.Errorf("empty parameter")
	}
	p := cParam{Type: joinType(words)}
	last := words[len(words)-1]
	if len(words) > 1 && ident.MatchString(last) && !isTypeWord(last) && !(len(words) == 2 && words[0] == "struct") {
		p = cParam{Name: last, Type: joinType(words[:len(words)-1])}
	}
	if array {
		p.Type += " *"
	}
	p.Type = strings.ReplaceAll(p.Type, "* *", "**")
	return p, nil
}

// isTypeWord tells whether w ends a type rather than naming a parameter (as in "unsigned int").
func isTypeWord(w string) bool {
	switch w {
	case "int", "long", "short", "char", "unsigned", "signed":
		return true
	}
	_, known := typeClasses[w]
	return known
}

// joinType renders type words as "const char *" or "char **".
func joinType(words []string) string {
	return strings.ReplaceAll(strings.Join(words, " "), "* *", "**")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
