package main

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// set is one of systemd's syscall filter sets.
type set struct {
	name    string   // "@default"
	about   string   // its description
	members []string // syscall names and @sets, as listed
}

// listing is a parsed `systemd-analyze syscall-filter`, with the version that printed it.
type listing struct {
	version string // "systemd 252 (252.38-1~deb12u1)"
	sets    []*set
}

// parseListing reads the saved listing: "# systemd N (…)" first, then each set as "@name",
// an indented "# description" and indented members; other comments and blank lines end a
// set (systemd-analyze ends with a commented list of unlisted calls).
func parseListing(data []byte) (*listing, error) {
	l := &listing{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	var cur *set
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case n == 1:
			v, ok := strings.CutPrefix(line, "# systemd ")
			if !ok {
				return nil, fmt.Errorf("line 1: want \"# systemd VERSION\", the version of the listing, got %q", line)
			}
			l.version = "systemd " + v
		case strings.HasPrefix(line, "@"):
			cur = &set{name: trimmed}
			l.sets = append(l.sets, cur)
		case trimmed == "" || !strings.HasPrefix(line, " "):
			cur = nil
		case cur == nil:
		case strings.HasPrefix(trimmed, "#"):
			if cur.about == "" && len(cur.members) == 0 {
				cur.about = strings.TrimSpace(strings.TrimPrefix(trimmed, "#"))
			}
		default:
			cur.members = append(cur.members, trimmed)
		}
	}
	if len(l.sets) == 0 {
		return nil, fmt.Errorf("no sets in the listing")
	}
	return l, sc.Err()
}

// find returns the set called name, or nil.
func (l *listing) find(name string) *set {
	for _, s := range l.sets {
		if s.name == name {
			return s
		}
	}
	return nil
}
