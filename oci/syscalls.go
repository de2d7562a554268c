package oci

import "github.com/scc-dev/scc/stdlib"

// syscallNames are the syscall names of a profile's entries, each once, numbered (its id) in
// the order they first appear, with their numbers on the policy's arches: every name is
// looked up in scc's tables once.
type syscallNames struct {
	arches []string
	ids    map[string]int
	list   []string // by id
	known  []bool   // by id: a syscall on some arch of the policy
	nrs    []int64  // list[id]'s number on arches[a] is nrs[id*len(arches)+a], or -1
}

// add returns the id of a name, adding it the first time.
func (s *syscallNames) add(name string) int {
	if id, ok := s.ids[name]; ok {
		return id
	}
	id := len(s.list)
	s.ids[name] = id
	s.list = append(s.list, name)
	var known bool
	s.nrs, known = stdlib.SyscallNumbers(s.nrs, name, s.arches)
	s.known = append(s.known, known)
	return id
}

// nr is the number of syscall id on the policy's arch a, or -1 where it has none.
func (s *syscallNames) nr(id, a int) int64 { return s.nrs[id*len(s.arches)+a] }

// highest is the id of the syscall with the highest number on the policy's arch a, and false
// when no name of the profile is a syscall there.
func (s *syscallNames) highest(a int) (int, bool) {
	best, bestNr := 0, int64(-1)
	for id := range s.list {
		if nr := s.nr(id, a); nr > bestNr {
			best, bestNr = id, nr
		}
	}
	return best, bestNr >= 0
}

// internNames gives every name of the profile's entries its id: entryIDs[i] are entry i's
// names, each once, in their order.
func (im *importer) internNames() {
	entries := im.r.Entries
	total := 0
	for i := range entries {
		total += len(entries[i].Names)
	}
	im.names = syscallNames{arches: im.arches, ids: make(map[string]int, total),
		list: make([]string, 0, total), known: make([]bool, 0, total), nrs: make([]int64, 0, total*len(im.arches))}
	all := make([]int, 0, total)
	im.entryIDs = make([][]int, len(entries))
	seen := make([]int, 0, total) // entry i+1 where a name was last seen, by id
	for i := range entries {
		start := len(all)
		for _, n := range entries[i].Names {
			id := im.names.add(n)
			if id == len(seen) {
				seen = append(seen, 0)
			}
			if seen[id] != i+1 {
				seen[id] = i + 1
				all = append(all, id)
			}
		}
		im.entryIDs[i] = all[start:len(all):len(all)]
	}
}
