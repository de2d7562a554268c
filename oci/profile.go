// Package oci reads and writes Docker and OCI (runtime-spec) seccomp profiles.
//
// Import evaluates a Docker profile the way Docker does before handing it to the runtime
// (archMap, includes and excludes by arch, capability and kernel version), keeps the
// semantics libseccomp gives the result, and writes it as an idiomatic .sc policy. Export
// writes a compiled policy (the IR) as an OCI profile where the policy fits that format and
// lists what does not fit.
//
// It turns profiles into policy text and policies into profiles; it must not import the
// optimizer, the back end, the loader, the pipeline or lint.
package oci

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Format tells which of the JSON seccomp formats a file is in.
type Format int

// The formats Parse recognizes.
const (
	// FormatDocker is Docker's profile: the OCI fields plus archMap, includes, excludes,
	// comments and the old single "name" form.
	FormatDocker Format = iota
	// FormatOCI is the runtime-spec's linux.seccomp object, already resolved for one host.
	FormatOCI
	// FormatOCIConfig is a whole runtime-spec config.json; its linux.seccomp is the profile.
	FormatOCIConfig
)

func (f Format) String() string {
	switch f {
	case FormatDocker:
		return "Docker seccomp profile"
	case FormatOCI:
		return "OCI seccomp profile"
	case FormatOCIConfig:
		return "OCI runtime config"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Profile is a seccomp profile in Docker's format, which is a superset of the runtime-spec's
// linux.seccomp object (the spec's fields have the same JSON names).
type Profile struct {
	DefaultAction    string         `json:"defaultAction"`
	DefaultErrnoRet  *uint          `json:"defaultErrnoRet,omitempty"`
	Architectures    []string       `json:"architectures,omitempty"`
	ArchMap          []ArchMapEntry `json:"archMap,omitempty"`
	Flags            []string       `json:"flags,omitempty"`
	ListenerPath     string         `json:"listenerPath,omitempty"`
	ListenerMetadata string         `json:"listenerMetadata,omitempty"`
	Syscalls         []Syscall      `json:"syscalls"`
}

// ArchMapEntry is one element of Docker's archMap: a host arch and the sub-arches a filter
// for it also covers (amd64: x86 and x32).
type ArchMapEntry struct {
	Arch      string   `json:"architecture"`
	SubArches []string `json:"subArchitectures"`
}

// Syscall is one entry of a profile's syscalls list: the names it applies to, the action, and
// the argument comparisons, all of which must hold (they are ANDed).
type Syscall struct {
	Names    []string `json:"names,omitempty"`
	Name     string   `json:"name,omitempty"` // Docker's old single-name form
	Action   string   `json:"action"`
	ErrnoRet *uint    `json:"errnoRet,omitempty"`
	Args     []Arg    `json:"args,omitempty"`
	Comment  string   `json:"comment,omitempty"`
	Includes *Filter  `json:"includes,omitempty"`
	Excludes *Filter  `json:"excludes,omitempty"`
}

// Arg is one argument comparison. For SCMP_CMP_MASKED_EQ, Value is the mask and ValueTwo the
// value the masked argument must equal. libseccomp compares all 64 bits of the argument.
type Arg struct {
	Index    uint   `json:"index"`
	Value    uint64 `json:"value"`
	ValueTwo uint64 `json:"valueTwo,omitempty"`
	Op       string `json:"op"`
}

// Filter is Docker's includes/excludes condition on an entry.
type Filter struct {
	Caps      []string `json:"caps,omitempty"`
	Arches    []string `json:"arches,omitempty"`
	MinKernel string   `json:"minKernel,omitempty"`
}

// names returns the entry's syscall names, whichever form the file used.
func (s *Syscall) names() []string {
	if s.Name != "" {
		return append([]string{s.Name}, s.Names...)
	}
	return s.Names
}

// Parse reads a profile in any of the formats and tells which one it was.
func Parse(data []byte) (*Profile, Format, error) {
	if p, ok := decodeProfile(data); ok {
		return checkProfile(p, FormatOCI)
	}
	return parseJSON(data)
}

// parseJSON is Parse by encoding/json, for any data decodeProfile declines: it gives the
// errors.
func parseJSON(data []byte) (*Profile, Format, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, 0, fmt.Errorf("not a JSON seccomp profile: %w", err)
	}
	format := FormatOCI
	if raw, ok := probe["linux"]; ok {
		var linux struct {
			Seccomp json.RawMessage `json:"seccomp"`
		}
		if err := json.Unmarshal(raw, &linux); err != nil || len(linux.Seccomp) == 0 || string(linux.Seccomp) == "null" {
			return nil, 0, errors.New("OCI runtime config without linux.seccomp")
		}
		data, format = linux.Seccomp, FormatOCIConfig
	}
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&p); err != nil {
		return nil, 0, fmt.Errorf("bad seccomp profile: %w", err)
	}
	return checkProfile(&p, format)
}

// checkProfile finishes Parse: a profile needs a defaultAction, and an OCI one that uses
// Docker's extensions is Docker's.
func checkProfile(p *Profile, format Format) (*Profile, Format, error) {
	if p.DefaultAction == "" {
		return nil, 0, errors.New("bad seccomp profile: no defaultAction")
	}
	if format == FormatOCI && p.isDocker() {
		format = FormatDocker
	}
	return p, format, nil
}

// isDocker tells whether the profile uses any of Docker's extensions to the OCI form.
func (p *Profile) isDocker() bool {
	if len(p.ArchMap) > 0 {
		return true
	}
	for _, s := range p.Syscalls {
		if s.Name != "" || s.Comment != "" || s.Includes != nil || s.Excludes != nil {
			return true
		}
	}
	return false
}
