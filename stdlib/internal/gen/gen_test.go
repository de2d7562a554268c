package main

import (
	"reflect"
	"testing"
)

func TestParseParam(t *testing.T) {
	tests := map[string]cParam{
		"const char __user *filename": {Name: "filename", Type: "const char *"},
		"unsigned int":                {Type: "unsigned int"},
		"unsigned long arg":           {Name: "arg", Type: "unsigned long"},
		"void addr[.length]":          {Name: "addr", Type: "void *"},
		"int (*fn)(void *_Nullable)":  {Name: "fn", Type: "void *"},
		"struct stat __user *":        {Type: "struct stat *"},
		"char *const argv[]":          {Name: "argv", Type: "char * const *"},
		"... arg":                     {Name: "arg", Type: "..."},
		"pid_t":                       {Type: "pid_t"},
	}
	for in, want := range tests {
		got, err := parseParam(in)
		if err != nil || got != want {
			t.Errorf("parseParam(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
}

func TestSynopsisProtos(t *testing.T) {
	roff := `.SH SYNOPSIS
.nf
.BI "int openat(int " dirfd ", const char *" pathname ", int " flags \
", mode_t " mode );
.BI "int fcntl(int " fd ", int " cmd ", ... /* " arg " */ );"
.BI "long syscall(SYS_getdents, unsigned int " fd \
", struct linux_dirent *" dirp ,
.BI "             unsigned int " count );
.fi
.SH DESCRIPTION
.BR foo (int x);
`
	got := synopsisProtos(synopsis(roff))
	want := map[string][]manProto{
		"openat":   {{Params: []cParam{{"dirfd", "int"}, {"pathname", "const char *"}, {"flags", "int"}, {"mode", "mode_t"}}}},
		"fcntl":    {{Params: []cParam{{"fd", "int"}, {"cmd", "int"}, {"arg", "..."}}, Variadic: true}},
		"getdents": {{Params: []cParam{{"fd", "unsigned int"}, {"dirp", "struct linux_dirent *"}, {"count", "unsigned int"}}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("synopsisProtos = %+v\nwant %+v", got, want)
	}
}

func TestSplitPairs(t *testing.T) {
	in := []sigParam{{'i', "fd", "int"}, {'q', "pos", "loff_t"}}
	got := splitPairs(in, "aligned")
	if len(got) != 4 || got[1].Type != "padding" || got[2].Name != "pos_lo" || got[3].Name != "pos_hi" {
		t.Errorf("aligned: %+v", got)
	}
	if got := splitPairs(in, "consecutive"); len(got) != 3 || got[1].Name != "pos_lo" {
		t.Errorf("consecutive: %+v", got)
	}
	if got := splitPairs(in, ""); !reflect.DeepEqual(got, in) {
		t.Errorf("64-bit: %+v", got)
	}
}

func TestEvalC(t *testing.T) {
	names := map[string]uint64{"A": 1, "B": 128}
	lookup := func(n string) (uint64, bool) { v, ok := names[n]; return v, ok }
	for in, want := range map[string]uint64{"(A | B)": 129, "~(A | B)": ^uint64(129), "1 << 3": 8, "0x10": 16} {
		if got, err := evalC(in, lookup); err != nil || got != want {
			t.Errorf("evalC(%q) = %#x, %v; want %#x", in, got, err, want)
		}
	}
	if _, err := evalC("C", lookup); err == nil {
		t.Error("evalC(C): no error for an unknown name")
	}
}

func TestAddNewerX32(t *testing.T) {
	defer func(saved []string) { x32FromXSys = saved }(x32FromXSys)
	x32FromXSys = nil
	tab := sysTable{
		"read":              {"x86_64": 0, "x32": x32Bit},
		"futex_waitv":       {"x86_64": 449, "x32": x32Bit + 449},
		"rt_sigaction":      {"x86_64": 13, "x32": x32Bit + 512},
		"cachestat":         {"x86_64": 451},
		"map_shadow_stack":  {"x86_64": 453},
		"landlock_add_rule": {"x86_64": 445, "x32": x32Bit + 445},
	}
	if err := tab.addNewerX32("x32"); err != nil {
		t.Fatal(err)
	}
	if tab["cachestat"]["x32"] != x32Bit+451 || tab["map_shadow_stack"]["x32"] != x32Bit+453 {
		t.Errorf("newer common syscalls: %v %v", tab["cachestat"], tab["map_shadow_stack"])
	}
	if _, ok := tab["rt_sigaction"]["x32"]; !ok || tab["rt_sigaction"]["x32"] != x32Bit+512 {
		t.Errorf("x32-only number changed: %v", tab["rt_sigaction"])
	}
	if !reflect.DeepEqual(x32FromXSys, []string{"cachestat", "map_shadow_stack"}) {
		t.Errorf("x32FromXSys = %v", x32FromXSys)
	}
	tab["brand_new"] = map[string]uint32{"x86_64": 480}
	if err := tab.addNewerX32("x32"); err == nil {
		t.Error("no error for a newer syscall of unknown ABI")
	}
}
