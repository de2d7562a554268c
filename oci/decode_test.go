package oci

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// decodeSeeds are profiles and near-profiles that reach every case of decodeProfile: the ones
// it decodes and the ones it leaves to encoding/json.
var decodeSeeds = []string{
	ociAll, precedence,
	`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}`,
	`{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86"]},{"architecture":"SCMP_ARCH_RISCV64","subArchitectures":null}],"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","includes":{},"excludes":{"caps":["CAP_SYS_ADMIN"],"arches":["s390x"],"minKernel":"4.8"}}]}`,
	` {"defaultAction": null, "architectures": null, "flags": [], "listenerPath": "/run/a", "listenerMetadata": "m", "syscalls": null, "extra": {"a": [1, -2.5e3, true, false, null, "x", {}]}} `,
	`{"defaultAction": "A", "syscalls": [null, {"name": "read", "action": "B", "errnoRet": null, "args": [null, {"index": null, "value": 18446744073709551615, "valueTwo": 0, "op": null}], "comment": "c", "includes": null}]}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "DefaultAction": "SCMP_ACT_LOG"}`,
	`{"defaultaction": "SCMP_ACT_ALLOW"}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "defaultAction": "SCMP_ACT_LOG"}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a\u0062"], "action": "X"}]}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1.0}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": -1}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 01}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1e2}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 18446744073709551616}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": "1"}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": "read"}]}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [1]}]}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [null]}]}`,
	`{"ociVersion": "1.0.2", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO"}}}`,
	`{"ociVersion": "1.0.2", "Linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO"}}, "defaultAction": "SCMP_ACT_LOG"}`,
	`{"defaultAction": "SCMP_ACT_ALLOW"} x`, `{"defaultAction": "SCMP_ACT_ALLOW",}`, `{"defaultAction" "x"}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "x": [1, 2,]}`, `{"defaultAction": "SCMP_ACT_ALLOW", "x": -}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "x": nul}`, `{"defaultAction": "a` + "\x01" + `b"}`,
	"{\"defaultAction\": \"a\xffb\"}", `[1]`, `null`, ``, `{}`, `{"syscalls": []}`,
	`{"defaultAction": "SCMP_ACT_ALLOW", "x": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`,
}

// TestDecodeProfileAsEncodingJSON: every profile decodeProfile decodes, encoding/json decodes
// into the same Profile, in the same format; on the others, Parse gives encoding/json's
// answer.
func TestDecodeProfileAsEncodingJSON(t *testing.T) {
	decoded := 0
	for _, s := range append(decodeSeeds, string(dockerDefault(t))) {
		if checkDecode(t, []byte(s)) {
			decoded++
		}
	}
	t.Logf("decodeProfile decoded %d of %d", decoded, len(decodeSeeds)+1)
	if decoded < 6 {
		t.Errorf("decodeProfile decoded %d of the seeds, want the profiles", decoded)
	}
}

// checkDecode compares decodeProfile with encoding/json on data, and tells whether
// decodeProfile decoded it.
func checkDecode(t *testing.T, data []byte) bool {
	t.Helper()
	fast, ok := decodeProfile(data)
	want, wantFormat, err := parseJSON(data)
	got, gotFormat, gotErr := Parse(data)
	if !reflect.DeepEqual(got, want) || gotFormat != wantFormat || (err == nil) != (gotErr == nil) ||
		err != nil && err.Error() != gotErr.Error() {
		t.Errorf("Parse(%q) = %+v, %v, %v; encoding/json: %+v, %v, %v", data, got, gotFormat, gotErr, want, wantFormat, err)
	}
	if !ok {
		return false
	}
	var q Profile
	if err := json.Unmarshal(data, &q); err != nil {
		t.Errorf("decodeProfile decoded %q, which encoding/json refuses: %v", data, err)
	} else if !reflect.DeepEqual(*fast, q) {
		t.Errorf("decodeProfile(%q) = %+v, encoding/json %+v", data, fast, q)
	}
	return true
}

// FuzzDecodeProfile checks decodeProfile against encoding/json on mutated profiles.
func FuzzDecodeProfile(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data)
	})
}

// TestDecodeProfileFiles: the profiles of the script tests decode as encoding/json decodes
// them.
func TestDecodeProfileFiles(t *testing.T) {
	files, _ := filepath.Glob("../tests/cli/testdata/*.txtar")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range strings.Split(string(data), "\n-- ")[1:] {
			name, body, _ := strings.Cut(part, " --\n")
			if strings.HasSuffix(name, ".json") {
				checkDecode(t, []byte(body))
			}
		}
	}
}
