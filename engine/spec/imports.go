package spec

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/addrs"
)

// Import is an `import` block: the live VM with ID, on the provider of the
// instance at Address, is to be adopted into that address (as Terraform's
// import block does). The plan checks the VM; the spec checks the address.
type Import struct {
	Address   string // canonical instance address: fleet.web[0], vm.db-01
	ID        string // the provider's id of the VM
	DeclRange hcl.Range
	ToRange   hcl.Range
	IDRange   hcl.Range
}

var importSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "to", Required: true}, {Name: "id", Required: true}},
}

// decodeImports decodes every import block, once the fleets are expanded,
// and refuses two imports of one address or of one VM.
func (d *decoder) decodeImports(bs []*hcl.Block) {
	for _, b := range bs {
		if imp, ok := d.decodeImport(b); ok {
			d.spec.Imports = append(d.spec.Imports, imp)
		}
	}
	d.checkImportDuplicates()
}

func (d *decoder) decodeImport(b *hcl.Block) (*Import, bool) {
	content, diags := b.Body.Content(importSchema)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return nil, false
	}
	to, id := content.Attributes["to"], content.Attributes["id"]
	imp := &Import{DeclRange: b.DefRange, ToRange: to.Expr.Range(), IDRange: id.Expr.Range()}
	addrOK := d.importAddress(imp, to.Expr)
	idOK := d.importID(imp, id.Expr)
	return imp, addrOK && idOK
}

// importAddress reads `to`, a static reference to an instance the spec
// declares. It is read from the source text, as provider and template
// references are, so that vm.db-01 is not read as a subtraction.
func (d *decoder) importAddress(imp *Import, expr hcl.Expression) bool {
	text := strings.TrimSpace(d.source(expr.Range()))
	if strings.HasPrefix(text, `"`) {
		d.errorf(expr.Range().Ptr(), "Invalid import address",
			"to must be a reference to a VM of the spec, not a string: write it without quotes, such as fleet.web[0] or vm.db-01.")
		return false
	}
	text, ok := templateUnescaped(text)
	if !ok {
		d.errorf(expr.Range().Ptr(), "Invalid import address",
			"to must be a static reference, so a key cannot hold an interpolation (${ … }) or a directive (%%{ … }). For a key that holds the characters ${ or %%{, write them $${ and %%%%{, as in any HCL string.")
		return false
	}
	a, err := addrs.ParseInstance(text)
	if err != nil {
		d.errorf(expr.Range().Ptr(), "Invalid import address", "%s.", err)
		return false
	}
	addr := a.String()
	imp.Address = addr
	f := d.spec.Fleet(a.Fleet().String())
	if f == nil {
		kind, name := a.Fleet().Kind.String(), a.Fleet().Name
		if _, declared := d.declared[kind+" "+name]; !declared {
			d.errorf(expr.Range().Ptr(), "Import into an undeclared "+kind,
				"There is no %s %q in the spec, so nothing can be imported into %s. Declare the VM first: an import only adopts a VM into an address the spec describes.", kind, name, addr)
		}
		return false // a declared fleet that failed to decode has its own errors
	}
	if d.spec.Instance(addr) == nil {
		if len(f.Instances) == 0 && d.diags.HasErrors() {
			return false // the fleet's count or for_each may have failed: its errors say so
		}
		d.errorf(expr.Range().Ptr(), "Import into an address the spec does not declare",
			"%s has no VM %s; %s.", f.Address(), addr, describeInstances(f))
		return false
	}
	return true
}

// templateUnescaped reads HCL's template escapes in the text of a
// reference: $${ is a literal ${ and %%{ a literal %{ (in a quoted key:
// names cannot hold either). It returns false for an unescaped ${ or %{,
// which HCL reads as an interpolation or a directive.
func templateUnescaped(text string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		rest := text[i:]
		switch {
		case strings.HasPrefix(rest, "$${"), strings.HasPrefix(rest, "%%{"):
			b.WriteString(rest[1:3])
			i += 2
		case strings.HasPrefix(rest, "${"), strings.HasPrefix(rest, "%{"):
			return "", false
		default:
			b.WriteByte(text[i])
		}
	}
	return b.String(), true
}

// describeInstances lists a fleet's addresses briefly, for messages.
func describeInstances(f *Fleet) string {
	n := len(f.Instances)
	switch {
	case n == 0:
		return "it has no VMs"
	case n == 1:
		return "its VM is " + f.Instances[0].Address
	case n <= 3:
		addrs := make([]string, n)
		for i, inst := range f.Instances {
			addrs[i] = inst.Address
		}
		return "its VMs are " + strings.Join(addrs, ", ")
	}
	return fmt.Sprintf("its %d VMs are %s … %s", n, f.Instances[0].Address, f.Instances[n-1].Address)
}

// importID evaluates `id`, which may use variables and locals, to a
// non-empty string that is not sensitive (plans show it).
func (d *decoder) importID(imp *Import, expr hcl.Expression) bool {
	v, ok := d.evalPlain(expr, d.evalContext(), "id", cty.String)
	if !ok {
		return false
	}
	if v.AsString() == "" {
		d.errorf(expr.Range().Ptr(), "Invalid import id", "id must be the provider's id of the VM to import, not an empty string.")
		return false
	}
	imp.ID = v.AsString()
	return true
}

// checkImportDuplicates refuses two imports into one address, and two
// imports of one VM.
func (d *decoder) checkImportDuplicates() {
	byAddr, byVM := map[string]*Import{}, map[string]*Import{}
	for _, imp := range d.spec.Imports {
		if first := byAddr[imp.Address]; first != nil {
			d.errorf(imp.ToRange.Ptr(), "Duplicate import",
				"%s is already imported by the import block at %s. Each address takes one import.", imp.Address, first.DeclRange)
			continue
		}
		byAddr[imp.Address] = imp
		p := d.spec.Instance(imp.Address).Fleet.Provider
		if p == nil {
			continue // reported: the fleet has no provider
		}
		vm := p.Key() + "\x00" + imp.ID
		if first := byVM[vm]; first != nil {
			d.errorf(imp.IDRange.Ptr(), "VM imported twice",
				"VM %q is imported into both %s (at %s) and %s. A VM can be managed at one address only.", imp.ID, first.Address, first.DeclRange, imp.Address)
			continue
		}
		byVM[vm] = imp
	}
}
