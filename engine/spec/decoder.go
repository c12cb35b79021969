package spec

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/novacron/novacron/engine/driver"
)

// decoder holds the work in progress of one Load.
type decoder struct {
	loader *Loader
	opts   Options
	spec   *Spec
	diags  hcl.Diagnostics
	locals map[string]cty.Value
	funcs  map[string]function.Function
	// declared remembers the first declaration of each "kind name".
	declared map[string]hcl.Range
	varDecls []*varDecl
	// ctx is the context of every expression after the locals, built
	// once they are all known.
	ctx *hcl.EvalContext
	// fed holds, per variable that reaches a setting its driver declares
	// sensitive, that setting and where (sensitive_feeds.go).
	fed        map[string]string
	localExprs map[string]hcl.Expression
	// mod is the module this decoder decodes; nil for the root (modules.go).
	mod *moduleScope
	// budget is shared by the decoders of one Load (module_budget.go).
	budget *loadBudget
}

func newDecoder(l *Loader, dir string, opts Options) *decoder {
	if opts.Registry == nil {
		opts.Registry = &driver.Registry{}
	}
	return &decoder{
		loader: l,
		opts:   opts,
		spec: &Spec{
			Dir:       dir,
			Variables: map[string]*Variable{},
			Providers: map[string]*Provider{},
			Templates: map[string]*Template{},
		},
		locals:   map[string]cty.Value{},
		funcs:    Functions(),
		declared: map[string]hcl.Range{},
		budget:   &loadBudget{parsed: map[string]parsedDir{}},
	}
}

// blocks groups the top-level blocks of every file by type.
type blocks map[string][]*hcl.Block

func (d *decoder) decode(files []parsedFile) {
	all := blocks{}
	for _, f := range files {
		content, diags := f.file.Body.Content(rootSchema)
		d.diags = append(d.diags, diags...)
		for _, b := range content.Blocks {
			all[b.Type] = append(all[b.Type], b)
		}
	}
	// ReadBackend reads the backend before Load; Load checks it the same
	// way (for validate) and uses nothing of it.
	if d.mod != nil {
		d.refuseRootBlocks(all)
	}
	d.diags = append(d.diags, decodeNovacron(all["novacron"], &BackendConfig{Settings: map[string]string{}, Ranges: map[string]hcl.Range{}})...)
	d.findFeeds(all)
	for _, b := range all["variable"] {
		d.decodeVariable(b)
	}
	d.assignVariables()
	d.decodeLocals(all["locals"])
	if d.diags.HasErrors() {
		return // later blocks would only repeat errors about var and local
	}
	for _, b := range all["provider"] {
		d.decodeProvider(b)
	}
	for _, b := range all["template"] {
		d.decodeTemplate(b)
	}
	for _, b := range all["fleet"] {
		d.decodeFleet(b, KindFleet)
	}
	for _, b := range all["vm"] {
		d.decodeFleet(b, KindVM)
	}
	d.decodeModules(all["module"])
	d.decodeImports(all["import"])
	d.decodeMovedBlocks(all["moved"], all["removed"])
	d.decodeDriftBlocks(all["drift"])
	for _, b := range all["output"] {
		d.decodeOutput(b)
	}
	d.checkDependsOn()
	if d.mod != nil { // the root checks names and outputs across modules
		d.spec.locals = d.locals
		return
	}
	d.checkNames()
	d.checkAddressLengths()
	d.spec.locals = d.locals
	if !d.diags.HasErrors() {
		d.diags = append(d.diags, d.spec.checkOutputs()...)
	}
}

// declare records a named block, reporting a duplicate. It returns false
// for a duplicate.
func (d *decoder) declare(kind, name string, r hcl.Range) bool {
	key := kind + " " + name
	if first, dup := d.declared[key]; dup {
		d.errorf(&r, "Duplicate "+kind, "A %s named %q was already declared at %s. Names must be unique.", kind, name, first)
		return false
	}
	d.declared[key] = r
	return true
}

func (d *decoder) errorf(subject *hcl.Range, summary, detail string, args ...any) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(detail, args...),
		Subject:  subject,
	})
}

// evalContext is the context for expressions outside fleet instances.
func (d *decoder) evalContext() *hcl.EvalContext {
	if d.ctx != nil {
		return d.ctx
	}
	return d.newEvalContext(cty.ObjectVal(d.locals))
}

func (d *decoder) newEvalContext(locals cty.Value) *hcl.EvalContext {
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": d.varsObject(), "local": locals},
		Functions: d.funcs,
	}
}

// varsObject is var: the variables with the values assigned so far.
func (d *decoder) varsObject() cty.Value {
	vars := map[string]cty.Value{}
	for n, v := range d.spec.Variables {
		if v.Value != cty.NilVal { // not yet assigned while variables are decoded
			vars[n] = v.Value
		}
	}
	return cty.ObjectVal(vars)
}

func (d *decoder) decodeOutput(b *hcl.Block) {
	name := b.Labels[0]
	if !d.declare("output", name, b.DefRange) {
		return
	}
	content, diags := b.Body.Content(outputSchema)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return
	}
	o := &Output{Name: name, Expr: content.Attributes["value"].Expr, DeclRange: b.DefRange}
	d.optString(content.Attributes["description"], &o.Description)
	d.optBool(content.Attributes["sensitive"], &o.Sensitive)
	d.checkOutputRefs(o)
	o.why = d.feedsWhy(o.Expr)
	d.spec.Outputs = append(d.spec.Outputs, o)
}
