package spec

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/novacron/novacron/internal/lazyregexp"
)

// SecretName reports whether a setting of the novacron block is named as
// if it held a secret (conn_str, a key, a passphrase, a password, a token):
// its value is never shown in a diagnostic's snippet, whether or not it is
// a setting NovaCron knows.
func SecretName(name string) bool {
	n := strings.ToLower(name)
	if n == "conn_str" {
		return true
	}
	for _, w := range []string{"key", "pass", "secret", "token"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// connStrLine matches the start of a line that sets conn_str, up to its
// '='; secretLine any setting with a SecretName.
var (
	connStrLine = lazyregexp.New(`(?m)^[ \t]*conn_str[ \t]*=`)
	secretLine  = lazyregexp.New(`(?mi)^[ \t]*[A-Za-z0-9_-]*(?:key|pass|secret|token|conn_str)[A-Za-z0-9_-]*[ \t]*=`)
)

// maskBackendSecrets keeps, for diagnostics, a copy of a spec file in
// which the value of every secret setting of the novacron block is '*': on
// every line that starts `conn_str =` (and, when the file did not parse,
// every line that sets a SecretName), and, when the file parsed, over the
// whole value of each attribute with a SecretName anywhere in a novacron
// block (backend, encryption, or a block NovaCron does not know). A
// snippet then points at the right column without showing a secret. f is
// nil when the file did not parse, and diags are its parse diagnostics.
func (l *Loader) maskBackendSecrets(path string, f *hcl.File, diags hcl.Diagnostics) {
	stored := l.parser.Files()[path]
	if stored == nil || !bytes.Contains(stored.Bytes, []byte("conn_str")) && !bytes.Contains(stored.Bytes, []byte("novacron")) {
		return
	}
	src := stored.Bytes
	hide := make([]bool, len(src))
	lines := connStrLine
	if f == nil || diags.HasErrors() {
		lines = secretLine
	}
	for _, m := range lines.FindAllIndex(src, -1) {
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

// secretRanges returns the ranges of the values of the attributes with a
// SecretName in the novacron blocks of f, at any depth.
func secretRanges(f *hcl.File) []hcl.Range {
	var out []hcl.Range
	content, _, _ := f.Body.PartialContent(novacronSchema)
	for _, n := range content.Blocks {
		out = appendSecretRanges(out, n.Body)
	}
	return out
}

func appendSecretRanges(out []hcl.Range, body hcl.Body) []hcl.Range {
	b, ok := body.(*hclsyntax.Body)
	if !ok {
		return out
	}
	for name, a := range b.Attributes {
		if SecretName(name) {
			out = append(out, a.Expr.Range())
		}
	}
	for _, inner := range b.Blocks {
		out = appendSecretRanges(out, inner.Body)
	}
	return out
}
