package estate

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/novacron/novacron/engine/spec"
)

// checkUploadBlocks refuses an uploaded spec (in dir) that declares a
// provider block the workspace's own spec does not, one whose evaluated
// settings (with the request's variables, without the server's: see
// uploadEnv) differ from the workspace's own as the server evaluates them
// (ownProviders: the request's variables left out), or a novacron block
// not identical (after formatting) to the folder's own. The server would
// otherwise open connections an operator chose, with its credentials; the
// check runs before any provider is opened.
func (e *Estate) checkUploadBlocks(s *space, dir string, vars []spec.VarArg) error {
	o := spec.Options{Registry: s.w.Registry, Vars: vars, Env: uploadEnv(e.env), ModuleRoot: s.w.Dir}
	up, diags := spec.NewLoader().Load(dir, o)
	if diags.HasErrors() {
		return diagsError(diags, dir, s.w.Dir)
	}
	own, diags := e.ownProviders(s, vars)
	if diags.HasErrors() {
		return &InvalidError{Message: fmt.Sprintf("workspace %s: its own spec has errors, so an uploaded spec cannot be checked against its provider blocks: %s", s.name, diagText(diags)),
			Diagnostics: convertDiags(diags, s.w.Dir)}
	}
	bad := providerRefusals(s.name, up, own, "an uploaded spec may declare the workspace's provider blocks only unchanged")
	upNova, err := novacronBlocks(dir)
	if err != nil {
		return err
	}
	ownNova, err := novacronBlocks(s.w.Dir)
	if err != nil {
		return err
	}
	for _, b := range upNova {
		if !slices.ContainsFunc(ownNova, func(o novacronBlock) bool { return o.text == b.text }) {
			bad = append(bad, refusal(b.rng, "novacron", fmt.Sprintf("an uploaded spec may not set the backend or other novacron settings of workspace %s: leave the block out or upload it identical to the workspace's own", s.name)))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	err = diagsError(bad, dir)
	err.(*InvalidError).Message = refusalText(bad[0], dir)
	return err
}

// providerRefusals are the provider blocks of got that are not in want,
// or whose evaluated settings differ from want's; why says what is allowed.
func providerRefusals(ws string, got, want *spec.Spec, why string) hcl.Diagnostics {
	var bad hcl.Diagnostics
	for _, key := range slices.Sorted(maps.Keys(got.Providers)) {
		p, mine := got.Providers[key], want.Providers[key]
		switch {
		case mine == nil:
			bad = append(bad, refusal(p.DeclRange, "provider."+key, fmt.Sprintf("workspace %s has no provider %s: an uploaded spec may declare only the workspace's own provider blocks", ws, key)))
		case !reflect.DeepEqual(p.Config, mine.Config) || p.Parallelism != mine.Parallelism || p.RateLimit != mine.RateLimit:
			bad = append(bad, refusal(p.DeclRange, "provider."+key, fmt.Sprintf("its settings differ from workspace %s's own provider %s: %s", ws, key, why)))
		}
	}
	return bad
}

// checkVarProviders refuses a plan of the workspace's own spec whose
// variables change a provider's settings: the server would connect where
// the caller chose. The settings are compared with the workspace's own
// (ownProviders); a spec that does not load that way is left to the
// session's load, which reports why.
func (e *Estate) checkVarProviders(s *space, vars []spec.VarArg) error {
	if len(vars) == 0 {
		return nil
	}
	o := spec.Options{Registry: s.w.Registry, Vars: vars, Env: e.env}
	with, diags := spec.NewLoader().Load(s.w.Dir, o)
	if diags.HasErrors() {
		return diagsError(diags, s.w.Dir)
	}
	without, diags := e.ownProviders(s, vars)
	if diags.HasErrors() {
		return nil
	}
	bad := providerRefusals(s.name, with, without, "a plan's variables may not change the workspace's provider settings")
	if len(bad) == 0 {
		return nil
	}
	err := diagsError(bad, s.w.Dir)
	err.(*InvalidError).Message = refusalText(bad[0], s.w.Dir)
	return err
}

// ownProviders loads the workspace's own spec as the server evaluates it:
// with the server's environment and none of the request's variables —
// except those the spec cannot load without (required variables the
// server gives no value), which the request must give. A provider setting
// that reads such a variable is the request's to choose, by the spec's
// design; every other variable a request sets is left out, so comparing
// providers with this spec's catches a request that changes one.
func (e *Estate) ownProviders(s *space, vars []spec.VarArg) (*spec.Spec, hcl.Diagnostics) {
	o := spec.Options{Registry: s.w.Registry, Env: e.env}
	own, diags := spec.NewLoader().Load(s.w.Dir, o)
	if !diags.HasErrors() {
		return own, diags
	}
	required := requiredVariables(diags)
	if len(required) == 0 {
		return own, diags
	}
	for _, v := range vars {
		if required[v.Name] {
			o.Vars = append(o.Vars, v)
		}
	}
	return spec.NewLoader().Load(s.w.Dir, o)
}

// requiredVariables names the variables of "No value for required
// variable" errors; nil when diags holds any other error.
func requiredVariables(diags hcl.Diagnostics) map[string]bool {
	out := map[string]bool{}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		name, ok := requiredName(d)
		if !ok {
			return nil
		}
		out[name] = true
	}
	return out
}

// requiredName is the variable a "No value for required variable" error
// names (its detail starts `The variable "NAME"`).
func requiredName(d *hcl.Diagnostic) (string, bool) {
	rest, ok := strings.CutPrefix(d.Detail, "The variable ")
	if d.Summary != "No value for required variable" || !ok {
		return "", false
	}
	name, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", false
	}
	name, err = strconv.Unquote(name)
	return name, err == nil
}

// refusal is the diagnostic of an uploaded block the server refuses.
func refusal(r hcl.Range, what, why string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Refused: " + what + " is not as the workspace declares it", Detail: why + ".", Subject: r.Ptr()}
}

// refusalText is a refusal as "SUMMARY at FILE:LINE:COL: DETAIL".
func refusalText(d *hcl.Diagnostic, dir string) string {
	r := d.Subject
	return d.Summary + " at " + relName(r.Filename, dir) + ":" + strconv.Itoa(r.Start.Line) + ":" + strconv.Itoa(r.Start.Column) + ": " + d.Detail
}

// novacronBlock is a top-level novacron block: where, and its formatted text.
type novacronBlock struct {
	rng  hcl.Range
	text string
}

// novacronBlocks returns the novacron blocks of a folder's spec files.
// Files that do not parse hold none here: loading the spec reports them.
func novacronBlocks(dir string) ([]novacronBlock, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*"+spec.FileSuffix))
	if err != nil {
		return nil, err
	}
	var out []novacronBlock
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("reading a spec file: %w", err)
		}
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			continue
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if b.Type != "novacron" {
				continue
			}
			r := b.Range()
			out = append(out, novacronBlock{rng: b.DefRange(), text: string(hclwrite.Format(src[r.Start.Byte:r.End.Byte]))})
		}
	}
	return out, nil
}
