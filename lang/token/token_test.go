package token

import "testing"

// TestLookup checks that every keyword and operator is found by its text, and nothing else.
func TestLookup(t *testing.T) {
	for tok := Include; tok <= In; tok++ {
		if !tok.IsKeyword() || Lookup(tok.String()) != tok {
			t.Errorf("keyword %q: Lookup gives %v", tok, Lookup(tok.String()))
		}
	}
	for tok := LOr; tok <= Comma; tok++ {
		if !tok.IsOperator() || LookupOperator(tok.String()) != tok {
			t.Errorf("operator %q: LookupOperator gives %v", tok, LookupOperator(tok.String()))
		}
	}
	for _, s := range []string{"read", "newer", "If", "ALLOW", "kill_", ""} {
		if got := Lookup(s); got != Ident {
			t.Errorf("Lookup(%q) = %v, want ident", s, got)
		}
	}
	for _, s := range []string{"", "*", "=<", "|||", "in"} {
		if got := LookupOperator(s); got != Invalid {
			t.Errorf("LookupOperator(%q) = %v, want invalid", s, got)
		}
	}
}

// TestClasses checks that each keyword is in exactly one class.
func TestClasses(t *testing.T) {
	for tok := Include; tok <= In; tok++ {
		n := 0
		for _, in := range []bool{tok.IsDecl(), tok.IsStmt(), tok.IsAction(), tok.IsCondKeyword()} {
			if in {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s is in %d classes", tok, n)
		}
	}
	want := "errno trap trace"
	got := ""
	for _, w := range Keywords(Token.TakesData) {
		got += w + " "
	}
	if got != want+" " {
		t.Errorf("actions with data: %q", got)
	}
}

// TestPrecedence checks Go's precedence: && below comparisons below + below &, and that
// only binary operators and In have one.
func TestPrecedence(t *testing.T) {
	order := []Token{LOr, LAnd, Eql, Add, Shl}
	for i := 1; i < len(order); i++ {
		if order[i-1].Precedence() >= order[i].Precedence() {
			t.Errorf("%s binds at least as tightly as %s", order[i-1], order[i])
		}
	}
	for tok := Invalid; tok < count; tok++ {
		if has := tok.Precedence() > 0; has != (tok.IsBinary() || tok == In) {
			t.Errorf("%s: precedence %d", tok, tok.Precedence())
		}
		if tok.Precedence() >= UnaryPrec {
			t.Errorf("%s binds as tightly as a prefix operator", tok)
		}
	}
	if In.Precedence() != Eql.Precedence() {
		t.Error("a set test does not bind as a comparison")
	}
}
