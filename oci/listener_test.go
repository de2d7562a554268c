package oci

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestListenerRoundTrip: listenerPath and listenerMetadata become the policy's listener
// statement on import, and the profile's fields again on export.
func TestListenerRoundTrip(t *testing.T) {
	const profile = `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
		"listenerPath": "/run/seccomp-agent.sock", "listenerMetadata": "app=\"web\" tier=1",
		"syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
		             {"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]}`
	out, err := Import([]byte(profile), ImportOptions{EvalOptions: EvalOptions{Arch: "amd64", Kernel: "6.1"}, Name: "l"})
	if err != nil {
		t.Fatal(err)
	}
	src := string(out)
	if want := `    listener "/run/seccomp-agent.sock" metadata "app=\"web\" tier=1"` + "\n"; !strings.Contains(src, want) {
		t.Fatalf("the import lacks %q:\n%s", want, src)
	}
	p := compile(t, src)
	if p.Listener == nil || p.Listener.Path != "/run/seccomp-agent.sock" || p.Listener.Metadata != `app="web" tier=1` {
		t.Fatalf("compiled listener: %+v", p.Listener)
	}
	data, _, err := Export(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Profile
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.ListenerPath != "/run/seccomp-agent.sock" || back.ListenerMetadata != `app="web" tier=1` {
		t.Errorf("exported listenerPath %q, listenerMetadata %q:\n%s", back.ListenerPath, back.ListenerMetadata, data)
	}
	again, err := Import(data, ImportOptions{EvalOptions: EvalOptions{Arch: "amd64", Kernel: "6.1"}, Name: "l"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(again), `listener "/run/seccomp-agent.sock" metadata`) {
		t.Errorf("import of the export lost the listener:\n%s", again)
	}

	// Without metadata, the statement has none; a policy without a listener exports none.
	out, err = Import([]byte(`{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/s"}`), ImportOptions{Name: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "    listener \"/s\"\n") {
		t.Errorf("got:\n%s", out)
	}
	data, _, err = Export(compile(t, "policy n {\n    allow read\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "listener") {
		t.Errorf("a policy without a listener exports one:\n%s", data)
	}
}
