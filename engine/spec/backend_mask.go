package spec

import (
	"bytes"
	"regexp"

	"github.com/hashicorp/hcl/v2"
)

// secretLine matches the start of a line that sets a secret backend
// setting, up to its '='.
var secretLine = regexp.MustCompile(`(?m)^[ \t]*conn_str[ \t]*=`)

// maskBackendSecrets keeps, for diagnostics, a copy of a spec file in
// which the value of every secret backend setting is '*': on every line
// that starts `conn_str =`, and, when the file parsed, over the whole value
// of each conn_str of a backend block. A snippet then points at the right
// column without showing a password. f is nil when the file did not parse.
func (l *Loader) maskBackendSecrets(path string, f *hcl.File) {
	stored := l.parser.Files()[path]
	if stored == nil || !bytes.Contains(stored.Bytes, []byte("conn_str")) {
		return
	}
	src := stored.Bytes
	hide := make([]bool, len(src))
	for _, m := range secretLine.FindAllIndex(src, -1) {
		hideLines(src, hide, m[1], m[1])
	}
	if f != nil {
		for _, r := range secretRanges(f) {
			hideLines(src, hide, r.Start.Byte, r.End.Byte)
		}
	}
	if l.masked == nil {
		l.masked = map[string]*hcl.File{}
	}
	l.masked[path] = &hcl.File{Bytes: masked(src, hide), Body: stored.Body}
}

// secretRanges returns the ranges of the values of the secret settings of
// the backend blocks in f.
func secretRanges(f *hcl.File) []hcl.Range {
	var out []hcl.Range
	content, _, _ := f.Body.PartialContent(novacronSchema)
	for _, n := range content.Blocks {
		inner, _, _ := n.Body.PartialContent(novacronBodySchema)
		for _, b := range inner.Blocks {
			attrs, _ := b.Body.JustAttributes()
			for name, a := range attrs {
				if SecretBackendSetting(name) {
					out = append(out, a.Expr.Range())
				}
			}
		}
	}
	return out
}
