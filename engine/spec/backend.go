package spec

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// BackendConfig is where a spec keeps its state: the backend block of its
// top-level novacron block, read before anything else is evaluated.
//
//	novacron {
//	  backend "pg" {
//	    schema = "fleet_prod"
//	  }
//	}
type BackendConfig struct {
	Type     string            // DefaultBackend when the spec names none
	Settings map[string]string // literal values, by setting name
	// Ranges holds where each setting was written; DeclRange is the
	// backend block's header. Both are empty for settings and types the
	// spec did not write.
	Ranges    map[string]hcl.Range
	DeclRange hcl.Range
	// Encryption is the novacron block's encryption setting, whatever the
	// backend.
	Encryption EncryptionSetting
	// Policy is the novacron block's policy setting (policy_setting.go).
	Policy PolicySetting
}

// DefaultBackend is the backend of a spec without a novacron block: files
// in the spec folder's .nova folder.
const DefaultBackend = "local"

// backendSettings are the settings of each backend type.
var backendSettings = map[string][]string{
	"local": {"path"},
	"pg":    {"conn_str", "schema"},
}

// BackendTypes returns the backend types, sorted.
func BackendTypes() []string {
	out := make([]string, 0, len(backendSettings))
	for t := range backendSettings {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// BackendSettings returns the settings a backend type takes, and whether
// the type exists.
func BackendSettings(typ string) ([]string, bool) {
	s, ok := backendSettings[typ]
	return slices.Clone(s), ok
}

// SecretBackendSetting reports whether a setting may hold a password: its
// value is never shown, in a diagnostic's snippet or anywhere else.
func SecretBackendSetting(name string) bool { return name == "conn_str" }

var novacronSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "novacron"}}}

var novacronBodySchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "backend", LabelNames: []string{"type"}}, {Type: "encryption"}, {Type: "policy"}},
}

// ReadBackend reads the backend setting of the spec in dir with a new
// Loader; see Loader.ReadBackend.
func ReadBackend(dir string) (*BackendConfig, hcl.Diagnostics) {
	return NewLoader().ReadBackend(dir)
}

// ReadBackend reads only the novacron block of the spec in dir: it
// parses just the files that hold the word novacron, and evaluates
// nothing but the backend's literal settings. A folder without spec
// files, or a spec without a novacron block, has the DefaultBackend.
// Files returns the files it parsed, with secret settings masked.
func (l *Loader) ReadBackend(dir string) (*BackendConfig, hcl.Diagnostics) {
	cfg := &BackendConfig{Type: DefaultBackend, Settings: map[string]string{}, Ranges: map[string]hcl.Range{}}
	names, diags := specFiles(dir)
	if diags.HasErrors() {
		return nil, diags
	}
	var found []*hcl.Block
	for _, path := range names {
		blocks, ds := l.novacronBlocks(path)
		diags = append(diags, ds...)
		found = append(found, blocks...)
	}
	diags = append(diags, decodeNovacron(found, cfg)...)
	if diags.HasErrors() {
		return nil, diags
	}
	return cfg, diags
}

// novacronBlocks returns the novacron blocks of one file, parsing it only
// if it holds the word.
func (l *Loader) novacronBlocks(path string) ([]*hcl.Block, hcl.Diagnostics) {
	src, diags := readSpecFile(path)
	if diags.HasErrors() || !bytes.Contains(src, []byte("novacron")) {
		return nil, diags
	}
	f, diags := l.parseSource(path, src)
	l.maskBackendSecrets(path, f, diags)
	if f == nil {
		return nil, diags
	}
	content, _, ds := f.Body.PartialContent(novacronSchema)
	return content.Blocks, append(diags, ds...)
}

// decodeNovacron decodes the novacron blocks of every file into cfg: at
// most one novacron block, with at most one backend, one encryption and one policy
// block.
func decodeNovacron(blocks []*hcl.Block, cfg *BackendConfig) hcl.Diagnostics {
	var diags hcl.Diagnostics
	var inner []*hcl.Block
	for i, b := range blocks {
		if i > 0 {
			diags = append(diags, duplicate("novacron block", b.DefRange, blocks[0].DefRange))
		}
		content, ds := b.Body.Content(novacronBodySchema)
		diags = append(diags, ds...)
		inner = append(inner, content.Blocks...)
	}
	backends, encryption := onlyFirst(inner, "backend", &diags), onlyFirst(inner, "encryption", &diags)
	policy := onlyFirst(inner, "policy", &diags)
	if diags.HasErrors() {
		return diags
	}
	if backends != nil {
		diags = append(diags, decodeBackend(backends, cfg)...)
	}
	if encryption != nil {
		diags = append(diags, decodeEncryption(encryption, &cfg.Encryption)...)
	}
	if policy != nil {
		diags = append(diags, decodePolicy(policy, &cfg.Policy)...)
	}
	return diags
}

// onlyFirst returns the first block of type typ, adding a diagnostic for
// each other one.
func onlyFirst(blocks []*hcl.Block, typ string, diags *hcl.Diagnostics) *hcl.Block {
	var first *hcl.Block
	for _, b := range blocks {
		switch {
		case b.Type != typ:
		case first == nil:
			first = b
		default:
			*diags = append(*diags, duplicate(typ+" block", b.DefRange, first.DefRange))
		}
	}
	return first
}

func duplicate(what string, r, first hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError, Summary: "Duplicate " + what,
		Detail: fmt.Sprintf("A %s was already given at %s; a spec has at most one novacron block, with at most one backend, one encryption and one policy block, across all its files. Keep one of them.",
			what, first), Subject: r.Ptr(),
	}
}

func decodeBackend(b *hcl.Block, cfg *BackendConfig) hcl.Diagnostics {
	typ := b.Labels[0]
	known, ok := backendSettings[typ]
	if !ok {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Unknown backend type",
			Detail:  fmt.Sprintf("There is no backend %q; the backend types are %s.", typ, wordList(BackendTypes())),
			Subject: b.LabelRanges[0].Ptr(),
		}}
	}
	cfg.Type, cfg.DeclRange = typ, b.DefRange
	attrs, diags := b.Body.JustAttributes()
	for _, name := range sortedAttrNames(attrs) {
		a := attrs[name]
		if !slices.Contains(known, name) {
			diags = append(diags, unknownSetting(typ, a, known))
			continue
		}
		v, ds := literalSetting(a)
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			cfg.Settings[name], cfg.Ranges[name] = v, a.Range
		}
	}
	return diags
}

func unknownSetting(typ string, a *hcl.Attribute, known []string) *hcl.Diagnostic {
	detail := fmt.Sprintf("The %s backend takes no settings.", typ)
	if len(known) > 0 {
		detail = fmt.Sprintf("The %s backend has no setting %q; its settings are %s.", typ, a.Name, wordList(known))
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown backend setting", Detail: detail, Subject: a.NameRange.Ptr()}
}

// literalSetting evaluates a backend setting, which may refer to nothing:
// it is read before variables and locals exist. Its value never appears
// in a diagnostic.
func literalSetting(a *hcl.Attribute) (string, hcl.Diagnostics) {
	if refs := a.Expr.Variables(); len(refs) > 0 {
		return "", hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Backend settings must be literal values",
			Detail: fmt.Sprintf("%s refers to %s, but backend settings are read before variables, locals and everything else in the spec are evaluated. "+
				"Write the value itself, give it with -backend-config=%s=VALUE, and give a connection string that holds a password through NOVA_PG_CONN_STR.",
				a.Name, traversalName(refs[0]), a.Name),
			Subject: refs[0].SourceRange().Ptr(),
		}}
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return "", diags
	}
	// A number or bool would convert to a string, but is a mistake: a
	// schema named true, a folder named 5.
	s, err := convert.Convert(v, cty.String)
	if err != nil || s.IsNull() || !s.IsKnown() || v.Type() != cty.String {
		return "", hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Invalid backend setting",
			Detail: fmt.Sprintf("%s must be a string.", a.Name), Subject: a.Expr.Range().Ptr(),
		}}
	}
	return s.AsString(), nil
}

func traversalName(t hcl.Traversal) string {
	name := t.RootName()
	if len(t) > 1 {
		if attr, ok := t[1].(hcl.TraverseAttr); ok {
			name += "." + attr.Name
		}
	}
	return name
}

func sortedAttrNames(attrs hcl.Attributes) []string {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// wordList writes "a, b and c", each quoted.
func wordList(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = fmt.Sprintf("%q", w)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
