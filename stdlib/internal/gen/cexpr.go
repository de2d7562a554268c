package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// evalC evaluates the small C constant expressions of uapi headers: integers, names,
// parentheses, ~, << and |.
func evalC(s string, lookup func(string) (uint64, bool)) (uint64, error) {
	p := &cParser{toks: tokenizeC(s), lookup: lookup}
	v, err := p.or()
	if err == nil && p.i < len(p.toks) {
		err = fmt.Errorf("unexpected %q", p.toks[p.i])
	}
	return v, err
}

type cParser struct {
	toks   []string
	i      int
	lookup func(string) (uint64, bool)
}

func (p *cParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *cParser) or() (uint64, error) {
	v, err := p.shift()
	for err == nil && p.peek() == "|" {
		p.i++
		var w uint64
		w, err = p.shift()
		v |= w
	}
	return v, err
}

func (p *cParser) shift() (uint64, error) {
	v, err := p.unary()
	for err == nil && p.peek() == "<<" {
		p.i++
		var w uint64
		w, err = p.unary()
		v <<= w
	}
	return v, err
}

func (p *cParser) unary() (uint64, error) {
	t := p.peek()
	p.i++
	switch {
	case t == "~":
		v, err := p.unary()
		return ^v, err
	case t == "(":
		v, err := p.or()
		if err == nil && p.peek() != ")" {
			err = fmt.Errorf("missing )")
		}
		p.i++
		return v, err
	case t != "" && unicode.IsDigit(rune(t[0])):
		return strconv.ParseUint(strings.TrimRight(t, "uUlL"), 0, 64)
	}
	if v, ok := p.lookup(t); ok {
		return v, nil
	}
	return 0, fmt.Errorf("unknown %q", t)
}

// tokenizeC splits s into identifiers, numbers and the operators evalC knows.
func tokenizeC(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '<' && strings.HasPrefix(s[i:], "<<"):
			toks = append(toks, "<<")
			i += 2
		case c == '_' || unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)):
			j := i
			for j < len(s) && (s[j] == '_' || unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j]))) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			toks = append(toks, string(c))
			i++
		}
	}
	return toks
}
