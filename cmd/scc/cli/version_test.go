package cli

import (
	"runtime/debug"
	"testing"
)

func TestModuleVersion(t *testing.T) {
	setting := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"release", debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"no info", debug.BuildInfo{}, "devel"},
		{"source tree without VCS", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
		{"source tree", debug.BuildInfo{
			Main:     debug.Module{Version: "(devel)"},
			Settings: setting("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-01-02T03:04:05Z", "vcs.modified", "true"),
		}, "devel (revision 0123456789ab, 2026-01-02T03:04:05Z, modified)"},
		{"pseudo-version", debug.BuildInfo{
			Main:     debug.Module{Version: "v0.0.0-20260102030405-0123456789ab"},
			Settings: setting("vcs.revision", "0123456789abcdef0123"),
		}, "v0.0.0-20260102030405-0123456789ab"},
	}
	for _, tt := range tests {
		if got := moduleVersion(&tt.bi); got != tt.want {
			t.Errorf("%s: moduleVersion = %q, want %q", tt.name, got, tt.want)
		}
	}
}
