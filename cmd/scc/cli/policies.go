package cli

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/scc-dev/scc/lang"
)

// filePolicies lists the policies of a .sc file that test and lint work on when --policy is
// not given. With expects, those that carry expect lines: each is checked on its own,
// including a policy that others `use`. Otherwise, and when none carries any, the policies no
// other policy of the file uses. It returns [""], the compiler's own choice and its errors,
// for a profile, or a file that does not read or parse or has no policy.
func filePolicies(path string, expects bool) []string {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return []string{""}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return []string{""}
	}
	file, errs := lang.Parse(path, src)
	if errs.HasErrors() {
		return []string{""}
	}
	var policies []*lang.PolicyDecl
	used := map[string]bool{}
	for _, d := range file.Decls {
		if p, ok := d.(*lang.PolicyDecl); ok {
			policies = append(policies, p)
			for _, s := range p.Body {
				if u, ok := s.(*lang.UseStmt); ok {
					used[u.Policy.Name] = true
				}
			}
		}
	}
	var names []string
	if expects {
		for _, p := range policies {
			if hasExpects(p) {
				names = append(names, p.Name.Name)
			}
		}
	}
	if len(names) == 0 {
		for _, p := range policies {
			if !used[p.Name.Name] {
				names = append(names, p.Name.Name)
			}
		}
	}
	if len(names) == 0 {
		return []string{""}
	}
	return names
}

func hasExpects(p *lang.PolicyDecl) bool {
	for _, s := range p.Body {
		if _, ok := s.(*lang.ExpectStmt); ok {
			return true
		}
	}
	return false
}
