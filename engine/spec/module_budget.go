package spec

import (
	"github.com/hashicorp/hcl/v2"
)

// MaxModuleInstances bounds the module instances of one spec, every module
// block and nesting level together. Each instance is decoded on its own, so
// without it count = 1000 three levels deep is a billion decodes.
const MaxModuleInstances = 1000

// loadBudget is what one Load has spent on modules, shared by the decoders
// of the root and of every module instance.
type loadBudget struct {
	modules int // module instances decoded or about to be
	vms     int // VM instances of fleets in modules
	// spent is set once a limit is crossed: no more instances are
	// decoded, so the one diagnostic is not repeated per instance.
	spent bool
	// parsed are the module folders read so far, by the path their
	// source gives: a folder is read and parsed once, however many
	// instances and callers it has.
	parsed map[string]parsedDir
}

type parsedDir struct {
	files []parsedFile
	diags hcl.Diagnostics
}

// parseModule reads and parses a module's folder once per Load.
func (d *decoder) parseModule(dir string) ([]parsedFile, hcl.Diagnostics) {
	if p, ok := d.budget.parsed[dir]; ok {
		if p.diags.HasErrors() {
			return nil, nil // reported by the first call
		}
		return p.files, nil
	}
	files, diags := d.loader.parseDir(dir)
	d.budget.parsed[dir] = parsedDir{files: files, diags: diags}
	if diags.HasErrors() {
		return nil, diags
	}
	return files, diags
}

// spendModules counts n more instances of the module block b; past
// MaxModuleInstances it reports the block, at rng, and returns false.
func (d *decoder) spendModules(b *hcl.Block, rng hcl.Range, n int) bool {
	if d.budget.spent {
		return false
	}
	d.budget.modules += n
	if d.budget.modules <= MaxModuleInstances {
		return true
	}
	d.budget.spent = true
	d.errorf(rng.Ptr(), "Too many module instances",
		"With the %d instances of module %q%s, the spec would have %d module instances or more; a spec may have at most %s of them, every module block and nesting level together "+
			"(a module block with count = 10 in a module called 10 times is 100). Each instance is decoded on its own.",
		n, b.Labels[0], d.inModule(), d.budget.modules, thousands(MaxModuleInstances))
	return false
}

// spendVMs counts n more VMs of a fleet in a module; past MaxInstances, the
// most one fleet may have, it reports the fleet at rng and returns false.
func (d *decoder) spendVMs(f *Fleet, rng hcl.Range, n int) bool {
	if d.mod == nil {
		return true
	}
	if d.budget.spent {
		return false
	}
	d.budget.vms += n
	if d.budget.vms <= MaxInstances {
		return true
	}
	d.budget.spent = true
	d.errorf(rng.Ptr(), "Too many VMs in modules",
		"With the %d VMs of %s, the fleets in modules would have %d VMs or more; the fleets of all module instances together may have at most %s, as many as one fleet.",
		n, f.Address(), d.budget.vms, thousands(MaxInstances))
	return false
}

// inModule is " in module.a[1]" in a module, "" in the root.
func (d *decoder) inModule() string {
	if d.mod == nil {
		return ""
	}
	return " in " + d.path().String()
}

// cmpAttr is count or for_each, whichever is set, or nil.
func cmpAttr(count, forEach *hcl.Attribute) *hcl.Attribute {
	if count != nil {
		return count
	}
	return forEach
}
