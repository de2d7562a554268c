package lang

import "testing"

func TestParseCall(t *testing.T) {
	cases := []struct{ call, want string }{
		{"openat(AT_FDCWD, 0, O_RDONLY)", "openat(AT_FDCWD, 0, O_RDONLY)"},
		{"getpid()", "getpid()"},
		{"nr=0x40000001", "nr=0x40000001"},
		{"nr = 0x40000000 | 1 ( 1,2 )", "nr=0x40000000 | 1(1, 2)"},
		{"nr=-1()", "nr=-1"},
		{"  read(0) # a comment", "read(0)"},
	}
	for _, c := range cases {
		st, errs := ParseCall("call", c.call)
		if errs != nil || st == nil {
			t.Errorf("ParseCall(%q): %v", c.call, errs)
			continue
		}
		if got := CallString(st); got != c.want {
			t.Errorf("ParseCall(%q) = %s, want %s", c.call, got, c.want)
		}
		if st.Action != nil {
			t.Errorf("ParseCall(%q) has an action", c.call)
		}
	}
}

func TestParseCallErrors(t *testing.T) {
	cases := []struct{ call, want, hint string }{
		{"", "call:1:1: expected a syscall name or nr=N, found the end of the call", callHint},
		{"read(0,", "call:1:8: incomplete expression: expected an operand after ',', found the end of the call", ""},
		{"nr", "call:1:3: expected '=' after nr, found the end of the call", callHint},
		{"nr(1)", "call:1:3: expected '=' after nr, found '('", callHint},
		{"read(1) x", `call:1:9: unexpected "x" after the call`, ""},
		{"read(0x1ffffffffffffffff)", "call:1:6: number 0x1ffffffffffffffff overflows 64 bits", ""},
		{"read(1) => allow", "call:1:9: unexpected '=>' after the call", ""},
	}
	for _, c := range cases {
		st, errs := ParseCall("call", c.call)
		if st != nil || len(errs) != 1 || errs[0].Error() != c.want || errs[0].Hint != c.hint {
			t.Errorf("ParseCall(%q) = %v, %v; want %q (hint %q)", c.call, st, errs, c.want, c.hint)
		}
	}
}

// TestGroupIsAnArgumentName: chown's parameter group is a name in a condition, but group
// before a @name still starts a declaration after an unfinished policy.
func TestGroupIsAnArgumentName(t *testing.T) {
	f, errs := Parse("p.sc", []byte("policy p {\n    allow fchown if group == 0 && (group != 1)\n}\ngroup @g = read\n"))
	if errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	if len(f.Decls) != 2 {
		t.Fatalf("%d declarations, want the policy and the group", len(f.Decls))
	}
	_, errs = Parse("p.sc", []byte("policy p {\n    allow read if fd ==\ngroup @g = read\n"))
	if len(errs) != 2 || errs[1].Error() != `p.sc:3:1: incomplete expression: expected an operand after '==', found "group"` {
		t.Errorf("errors: %v", errs)
	}
}
