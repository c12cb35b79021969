package policy

import (
	"bytes"
	"errors"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// regoDiagnostics turns OPA's errors (a parser's or compiler's
// ast.Errors, an evaluation's topdown.Error) into diagnostics placed at
// their file, line and column.
func regoDiagnostics(summary string, err error, srcs []source) hcl.Diagnostics {
	var errs ast.Errors
	var one *ast.Error
	var eval *topdown.Error
	switch {
	case errors.As(err, &errs):
	case errors.As(err, &one):
		errs = ast.Errors{one}
	case errors.As(err, &eval):
		errs = ast.Errors{{Code: eval.Code, Message: eval.Message, Location: eval.Location}}
	default:
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: sentence(err.Error())}}
	}
	diags := make(hcl.Diagnostics, 0, len(errs))
	for _, e := range errs {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: summary,
			Detail:  sentence(e.Message) + hint(e.Message),
			Subject: locationRange(e.Location, srcs),
		})
	}
	return diags
}

// hint adds what a Rego v0 policy needs to be read as v1.
func hint(msg string) string {
	if strings.Contains(msg, "`if` keyword is required") || strings.Contains(msg, "`contains` keyword is required") {
		return " Policies are read as Rego v1 (OPA 1.0): write `deny contains msg if { … }`."
	}
	return ""
}

// locationRange is the range of an OPA location: its line and column,
// and the byte offset of that column in the source, so the CLI can show
// the line.
func locationRange(loc *ast.Location, srcs []source) *hcl.Range {
	if loc == nil || loc.File == "" {
		return nil
	}
	start := hcl.Pos{Line: loc.Row, Column: loc.Col, Byte: loc.Offset}
	for _, s := range srcs {
		if s.path == loc.File {
			start.Byte = byteOffset(s.src, loc.Row, loc.Col)
		}
	}
	end := start
	if n := len(loc.Text); n > 0 && !strings.Contains(string(loc.Text), "\n") {
		end.Column += n
		end.Byte += n
	}
	return &hcl.Range{Filename: loc.File, Start: start, End: end}
}

func byteOffset(src []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	return min(off+max(col-1, 0), len(src))
}

// sentence capitalises an OPA message and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
