package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/addrs"
)

// MaxModuleDepth bounds how deep module blocks nest: the root calls a
// module at depth 1, which may call one at depth 2, and so on.
const MaxModuleDepth = 8

// moduleMeta are the arguments of a module block that are not the
// module's input variables.
var moduleMeta = map[string]bool{"source": true, "count": true, "for_each": true}

// moduleUnsupported are Terraform's other module meta-arguments, refused
// with a reason rather than read as input variables.
var moduleUnsupported = map[string]string{
	"version":    "version is for registry sources; only local paths are supported in this version.",
	"providers":  "A module's fleets use the root module's providers by name (provider = provider.TYPE.NAME), so a module block takes no providers argument.",
	"depends_on": "depends_on on a module block is not supported in this version; set depends_on on the fleets inside the module.",
}

// rootOnly are the blocks only the root module may declare, and why.
var rootOnly = map[string]string{
	"novacron": "The novacron block says where the state of the whole spec is kept, so it belongs in the root module only.",
	"provider": "Providers are configured once, in the root module; a module's fleets use them by name (provider = provider.TYPE.NAME), as Terraform advises for its modules.",
	"template": "Templates map an image to each driver type for the whole spec, so they are declared in the root module; a module's fleets use them by name (template = template.NAME).",
	"import":   "Import blocks belong in the root module; an import's to can name a VM inside a module (module.NAME.fleet.web[0]).",
	"drift":    "The top-level drift block applies to every fleet of the spec, so it belongs in the root module; a fleet in a module may have its own drift block.",
}

// moduleScope is what a decoder knows of the module it decodes, when it
// is not the root.
type moduleScope struct {
	path   addrs.Module
	parent *decoder
	call   *hcl.Block
	// dirs are the folders of the modules from the root down to this one,
	// cleaned, to refuse a module that includes itself; shown are the same
	// as the spec names them, for the message.
	dirs, shown []string
	// inputs are the module block's arguments, evaluated for this
	// instance, by variable name.
	inputs map[string]moduleInput
}

type moduleInput struct {
	value cty.Value
	attr  *hcl.Attribute
}

// moduleCall is one instance of a module block, decoded.
type moduleCall struct {
	name    string
	key     addrs.Key
	counted bool
	keyed   bool
	spec    *Spec
	failed  bool
	// declRange is the module block's range.
	declRange hcl.Range
}

// path is the path of the module a decoder decodes.
func (d *decoder) path() addrs.Module {
	if d.mod == nil {
		return addrs.RootModule
	}
	return d.mod.path
}

// refuseRootBlocks reports, in a module, the blocks only the root may
// declare, and drops them.
func (d *decoder) refuseRootBlocks(all blocks) {
	for typ, why := range rootOnly {
		for _, b := range all[typ] {
			d.errorf(b.DefRange.Ptr(), "A module cannot declare "+article(typ)+" "+typ+" block",
				"%s This block is in %s (folder %s).", why, d.path(), d.spec.Dir)
		}
		delete(all, typ)
	}
}

// decodeModules decodes every module block, each instance of it with its
// own decoder, and adds their fleets to the spec.
func (d *decoder) decodeModules(bs []*hcl.Block) {
	for _, b := range bs {
		d.decodeModule(b)
	}
	for _, c := range d.spec.children {
		if c.spec == nil {
			continue
		}
		d.spec.Fleets = append(d.spec.Fleets, c.spec.Fleets...)
		d.spec.Moves = append(d.spec.Moves, c.spec.Moves...) // addresses from the root (moved.go)
		d.spec.Removed = append(d.spec.Removed, c.spec.Removed...)
		d.spec.sensitiveVars = append(d.spec.sensitiveVars, c.spec.sensitiveVars...)
	}
}

func (d *decoder) decodeModule(b *hcl.Block) {
	name := b.Labels[0]
	if !validLabel(name) {
		d.errorf(b.LabelRanges[0].Ptr(), "Invalid module name",
			"%q is not a valid name: use letters, digits, underscores and dashes, starting with a letter, so that module.%s can be referred to.", name, name)
		return
	}
	if !d.declare("module", name, b.DefRange) {
		return
	}
	attrs, diags := b.Body.JustAttributes()
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return
	}
	for _, a := range sortedAttrs(attrs) { // all of them, and the module is still checked
		if why, ok := moduleUnsupported[a.Name]; ok {
			d.errorf(a.NameRange.Ptr(), "Unsupported argument "+a.Name, "%s", why)
		}
	}
	dir, ok := d.moduleSource(b, attrs["source"])
	if !ok {
		return
	}
	files, diags := d.parseModule(dir)
	d.diags = append(d.diags, diags...)
	if files == nil {
		return
	}
	d.expandModule(b, name, dir, files, attrs)
}

// moduleSource reads source: a local path, relative to the folder of the
// calling module, to a folder of spec files that is not one of the
// modules calling it. It returns that folder.
func (d *decoder) moduleSource(b *hcl.Block, a *hcl.Attribute) (string, bool) {
	if a == nil {
		d.errorf(b.DefRange.Ptr(), "Missing source", "A module block needs source = \"./PATH\": the folder of the module, relative to this file's folder.")
		return "", false
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.String) {
		why := "it cannot refer to variables."
		if len(a.Expr.Variables()) == 0 && !diags.HasErrors() {
			why = "not " + valueKind(v) + "."
		}
		d.errorf(a.Expr.Range().Ptr(), "Invalid module source",
			"source must be a literal string, a local path such as \"./modules/webtier\": %s", why)
		return "", false
	}
	src := v.AsString()
	if !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") {
		d.errorf(a.Expr.Range().Ptr(), "Unsupported module source",
			"%q is not a local path. Only local paths are supported in this version: a folder relative to %s, starting with ./ or ../ (such as \"./modules/webtier\"). "+
				"A registry or git source would have to be downloaded, which NovaCron does not do yet: copy the module into the spec's folder.",
			src, d.dirShown())
		return "", false
	}
	dir := filepath.Join(d.sourceBase(), filepath.FromSlash(src))
	if !d.confined(a, dir) {
		return "", false
	}
	if reason := moduleDirProblem(dir); reason != "" {
		d.errorf(a.Expr.Range().Ptr(), "Invalid module source",
			"%s %s. Only local paths are supported in this version: source is a folder of %s files, relative to %s.", dir, reason, FileSuffix, d.dirShown())
		return "", false
	}
	return dir, d.checkModuleCycle(a, dir)
}

func (d *decoder) dirShown() string {
	if d.mod == nil && d.opts.ModuleRoot != "" {
		return "the workspace's folder"
	}
	if d.mod != nil {
		return "the folder of " + d.path().String() + " (" + filepath.ToSlash(d.spec.Dir) + ")"
	}
	if d.spec.Dir == "" || d.spec.Dir == "." {
		return "the spec folder"
	}
	return d.spec.Dir
}

// moduleDirProblem says why dir is not a module's folder, or "".
func moduleDirProblem(dir string) string {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist"
	case errors.Is(err, syscall.ELOOP):
		return "is a loop of symbolic links"
	case err != nil:
		return "cannot be read"
	case !fi.IsDir():
		return "is not a folder"
	}
	names, diags := specFiles(dir)
	switch {
	case diags.HasErrors():
		return "cannot be read"
	case len(names) == 0:
		return "has no " + FileSuffix + " files"
	}
	return ""
}

// checkModuleCycle refuses a module that includes itself, and one nested
// deeper than MaxModuleDepth.
func (d *decoder) checkModuleCycle(a *hcl.Attribute, dir string) bool {
	chain, shown := d.moduleDirs()
	abs := cleanDir(dir)
	for i, up := range chain {
		if up == abs {
			d.errorf(a.Expr.Range().Ptr(), "Module includes itself",
				"%s calls the module in %s, which is already on the path of calls that leads here (%s), so the modules would include each other without end.",
				d.where(), filepath.ToSlash(dir), strings.Join(append(shown[i:], filepath.ToSlash(dir)), " → "))
			return false
		}
	}
	if depth := d.path().Depth() + 1; depth > MaxModuleDepth {
		d.errorf(a.Expr.Range().Ptr(), "Modules nested too deeply",
			"This module block would be at depth %d; modules nest at most %d deep.", depth, MaxModuleDepth)
		return false
	}
	return true
}

func (d *decoder) where() string {
	if d.mod == nil {
		return "The root module"
	}
	return d.path().String()
}

func article(word string) string {
	if strings.ContainsAny(word[:1], "aeiou") {
		return "an"
	}
	return "a"
}

// moduleDirs is the chain of module folders from the root to d's module,
// cleaned and as the spec names them.
func (d *decoder) moduleDirs() ([]string, []string) {
	if d.mod == nil {
		return []string{cleanDir(d.spec.Dir)}, []string{filepath.ToSlash(d.spec.Dir)}
	}
	return d.mod.dirs, d.mod.shown
}

func cleanDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return filepath.Clean(dir)
}

// expandModule evaluates count or for_each and decodes each instance.
func (d *decoder) expandModule(b *hcl.Block, name, dir string, files []parsedFile, attrs hcl.Attributes) {
	count, forEach := attrs["count"], attrs["for_each"]
	if count != nil && forEach != nil {
		d.errorf(forEach.NameRange.Ptr(), "Both count and for_each", "A module block takes count or for_each, not both.")
		return
	}
	if !d.checkModuleRepetitionRefs(attrs, count != nil, forEach != nil) {
		return
	}
	keys := []instanceKey{{}}
	switch {
	case count != nil:
		n := d.countOf(count)
		if n < 0 {
			return
		}
		keys = make([]instanceKey, n)
		for i := range keys {
			keys[i].index = i
		}
	case forEach != nil:
		if keys = d.forEachKeys(forEach); keys == nil {
			return
		}
	}
	rng := b.DefRange
	if a := cmpAttr(count, forEach); a != nil {
		rng = a.Expr.Range()
	}
	if !d.spendModules(b, rng, len(keys)) {
		return
	}
	dig := digest(files)
	if len(keys) == 0 { // count = 0: module.NAME is still an empty list (or map)
		d.spec.children = append(d.spec.children, &moduleCall{name: name, counted: count != nil, keyed: forEach != nil, declRange: b.DefRange})
	}
	seen := map[string]bool{} // the errors of earlier instances
	for _, k := range keys {
		if d.budget.spent {
			return
		}
		c := &moduleCall{name: name, counted: count != nil, keyed: forEach != nil, declRange: b.DefRange}
		switch {
		case c.keyed:
			c.key = addrs.StringKey(k.key)
		case c.counted:
			c.key = addrs.IntKey(k.index)
		}
		d.decodeModuleInstance(b, c, dir, dig, files, attrs, k, seen)
	}
}

// decodeModuleInstance decodes one instance of a module block.
// Every instance is decoded, however many fail; each error names the
// instance it is in, and one that an earlier instance reported the same way
// is left out.
func (d *decoder) decodeModuleInstance(b *hcl.Block, c *moduleCall, dir, dig string, files []parsedFile, attrs hcl.Attributes, k instanceKey, seen map[string]bool) {
	path := d.path().Child(c.name, c.key)
	before := len(d.diags)
	inputs, ok := d.moduleInputs(attrs, c, k)
	if !ok { // an argument's error for this instance: the next may have its own
		d.diags = append(d.diags[:before], instanceDiags(d.diags[before:], path, seen)...)
		return
	}
	child := newDecoder(d.loader, dir, Options{Registry: d.opts.Registry, ModuleRoot: d.opts.ModuleRoot})
	child.budget = d.budget
	dirs, shown := d.moduleDirs()
	child.mod = &moduleScope{
		path: path, parent: d, call: b, inputs: inputs,
		dirs:  append(append([]string{}, dirs...), cleanDir(dir)),
		shown: append(append([]string{}, shown...), filepath.ToSlash(dir)),
	}
	child.spec.Providers, child.spec.Templates = d.spec.Providers, d.spec.Templates
	child.spec.Digest = dig
	child.spec.module = child.mod.path
	child.decode(files)
	hideSensitive(child.diags)
	child.explainUnknownNames()
	d.diags = append(d.diags, instanceDiags(child.diags, child.mod.path, seen)...)
	c.spec, c.failed = child.spec, child.diags.HasErrors()
	d.spec.children = append(d.spec.children, c)
	d.spec.Digest = foldDigest(d.spec.Digest, c.spec.Digest)
}

// instanceDiags are the diagnostics of one module instance (at path) not
// already in seen, each naming the instance, when a module block on its
// path has count or for_each: "(in module.m["b"])". A nested module's
// diagnostics name their own, deeper, instance already.
func instanceDiags(diags hcl.Diagnostics, path addrs.Module, seen map[string]bool) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, diag := range diags {
		key := fmt.Sprintf("%d\x00%s\x00%s\x00%v", diag.Severity, diag.Summary, diag.Detail, diag.Subject)
		if seen[key] {
			continue
		}
		seen[key] = true
		if keyed(path) && !strings.Contains(diag.Detail, "(in module.") && !strings.Contains(diag.Detail, path.String()) {
			diag.Detail = strings.TrimSpace(diag.Detail + " (in " + path.String() + ")")
		}
		out = append(out, diag)
	}
	return out
}

// moduleInputs evaluates the module block's arguments for one instance,
// with count.index or each.key and each.value.
func (d *decoder) moduleInputs(attrs hcl.Attributes, c *moduleCall, k instanceKey) (map[string]moduleInput, bool) {
	ctx := d.evalContext().NewChild()
	ctx.Variables = map[string]cty.Value{}
	switch {
	case c.keyed:
		ctx.Variables["each"] = cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(k.key), "value": k.each})
	case c.counted:
		ctx.Variables["count"] = cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(k.index))})
	}
	out := map[string]moduleInput{}
	ok := true
	for _, a := range sortedAttrs(attrs) {
		if _, refused := moduleUnsupported[a.Name]; moduleMeta[a.Name] || refused {
			continue
		}
		v, diags := a.Expr.Value(ctx)
		d.diags = append(d.diags, diags...)
		if diags.HasErrors() || !d.checkSize(v, a.Expr.Range()) {
			ok = false
			continue
		}
		out[a.Name] = moduleInput{value: v, attr: a}
	}
	return out, ok
}

// foldDigest makes a spec's digest cover a module it calls, so that a
// saved plan is refused once a module's files change.
func foldDigest(parent, child string) string {
	h := sha256.Sum256([]byte(parent + "\x00" + child))
	return hex.EncodeToString(h[:])
}

// dotIfModule is "." after a module path, "" for the root.
func dotIfModule(m addrs.Module) string {
	if m.IsRoot() {
		return ""
	}
	return "."
}

// keyed reports whether a module block on path has count or for_each.
func keyed(path addrs.Module) bool {
	for _, s := range path.Steps() {
		if !s.Key.IsNone() {
			return true
		}
	}
	return false
}
