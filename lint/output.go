package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/scc-dev/scc/diag"
)

// ParseSeverity reads "info", "warning" or "error".
func ParseSeverity(s string) (diag.Severity, error) {
	for _, sev := range []diag.Severity{diag.Info, diag.Warning, diag.Error} {
		if s == sev.String() {
			return sev, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q: want info, warning or error", s)
}

// CountAtLeast counts the findings of severity sev or above.
func CountAtLeast(l diag.List, sev diag.Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity >= sev {
			n++
		}
	}
	return n
}

// WriteText writes findings as diag.Print does, except that every finding, an error too,
// names its severity: "file:line:col: severity: message [check]", the source line with a
// caret, and the hint.
func WriteText(w io.Writer, l diag.List, src diag.Sources) {
	for _, d := range l {
		if d.Severity != diag.Error {
			diag.Print(w, diag.List{d}, src)
			continue
		}
		c := *d
		c.Message = "error: " + c.Message
		diag.Print(w, diag.List{&c}, src)
	}
}

// JSONFinding is one finding in the JSON output.
type JSONFinding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Check    string `json:"check"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

// WriteJSON writes findings as a JSON array of JSONFinding (an empty array when there are none).
func WriteJSON(w io.Writer, l diag.List) error {
	out := make([]JSONFinding, 0, len(l))
	for _, d := range l {
		out = append(out, JSONFinding{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col,
			Severity: d.Severity.String(), Check: d.Check, Message: d.Message, Hint: d.Hint})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// The SARIF 2.1.0 log, reduced to what scc writes.
type (
	// SARIFLog is a SARIF log with one run.
	SARIFLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []SARIFRun `json:"runs"`
	}
	// SARIFRun is the run of scc lint.
	SARIFRun struct {
		Tool    SARIFTool     `json:"tool"`
		Results []SARIFResult `json:"results"`
	}
	// SARIFTool names scc and its rules (the checks).
	SARIFTool struct {
		Driver SARIFDriver `json:"driver"`
	}
	// SARIFDriver is scc.
	SARIFDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []SARIFRule `json:"rules"`
	}
	// SARIFRule is one check.
	SARIFRule struct {
		ID                   string       `json:"id"`
		ShortDescription     SARIFMessage `json:"shortDescription"`
		Help                 SARIFMessage `json:"help"`
		DefaultConfiguration struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	// SARIFMessage is a text.
	SARIFMessage struct {
		Text string `json:"text"`
	}
	// SARIFResult is one finding.
	SARIFResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   SARIFMessage    `json:"message"`
		Locations []SARIFLocation `json:"locations"`
	}
	// SARIFLocation is where a finding is.
	SARIFLocation struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine   int `json:"startLine"`
				StartColumn int `json:"startColumn"`
			} `json:"region"`
		} `json:"physicalLocation"`
	}
)

// sarifSchema is the schema URI of SARIF 2.1.0.
const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// SARIFLevel maps a severity to a SARIF level.
func SARIFLevel(s diag.Severity) string {
	return [...]string{diag.Info: "note", diag.Warning: "warning", diag.Error: "error"}[s]
}

// SARIF builds the SARIF log of findings: every check is a rule, with its help.
func SARIF(l diag.List) *SARIFLog {
	run := SARIFRun{Tool: SARIFTool{Driver: SARIFDriver{Name: "scc", InformationURI: "https://github.com/scc-dev/scc/blob/main/docs/lint.md"}}}
	index := map[string]int{}
	for i, c := range catalog {
		r := SARIFRule{ID: c.Name, ShortDescription: SARIFMessage{c.Summary}, Help: SARIFMessage{c.Help}}
		r.DefaultConfiguration.Level = SARIFLevel(c.Severity)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
		index[c.Name] = i
	}
	run.Results = []SARIFResult{}
	for _, d := range l {
		res := SARIFResult{RuleID: d.Check, RuleIndex: index[d.Check], Level: SARIFLevel(d.Severity), Message: SARIFMessage{sarifText(d)}}
		var loc SARIFLocation
		loc.PhysicalLocation.ArtifactLocation.URI = fileURI(d.Pos.File)
		loc.PhysicalLocation.Region.StartLine = max(d.Pos.Line, 1)
		loc.PhysicalLocation.Region.StartColumn = max(d.Pos.Col, 1)
		res.Locations = []SARIFLocation{loc}
		run.Results = append(run.Results, res)
	}
	return &SARIFLog{Schema: sarifSchema, Version: "2.1.0", Runs: []SARIFRun{run}}
}

func sarifText(d *diag.Diagnostic) string {
	if d.Hint == "" {
		return d.Message
	}
	return d.Message + " (hint: " + d.Hint + ")"
}

// fileURI writes a path as a SARIF artifact URI: relative paths stay relative, with slashes.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		return "file://" + p
	}
	return strings.TrimPrefix(p, "./")
}

// WriteSARIF writes findings as a SARIF 2.1.0 log.
func WriteSARIF(w io.Writer, l diag.List) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(SARIF(l))
}
