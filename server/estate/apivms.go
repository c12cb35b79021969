package estate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
)

// CreateVM adds a VM to the API-owned workspace and starts the run that
// makes it: a vm block is added to the API file (APISpecFile), which must
// leave the spec valid (else an *InvalidError), and a plan targeting it is
// applied. A name the workspace's spec has already is a *ConflictError.
// When the run cannot plan, the block is taken out again.
func (e *Estate) CreateVM(ctx context.Context, who string, r VMRequest) (*Run, error) {
	s, err := e.apiSpace()
	if err != nil {
		return nil, err
	}
	if err := checkVMRequest(r); err != nil {
		return nil, err
	}
	sp, err := e.loadSpec(s)
	if err != nil {
		return nil, err
	}
	if inv := s.cached(); inv != nil && r.Host != "" {
		if pinv, ok := inv.invs[r.Provider]; ok && !hasHost(pinv, r.Host) {
			return nil, &InvalidError{Message: fmt.Sprintf("provider %s has no host %q", r.Provider, r.Host)}
		}
	}
	addr := "vm." + r.Name
	if inst := instanceOf(sp, addr); inst != nil {
		return nil, &ConflictError{Message: fmt.Sprintf("%s exists already, declared at %s", addr, ownerOf(inst.Fleet, s))}
	}
	j, err := e.apiJob(s, who, "create", r.Name, func(body *hclwrite.Body) error {
		if vmBlock(body, r.Name) != nil {
			return &ConflictError{Message: fmt.Sprintf("%s exists already", addr)}
		}
		writeVM(body.AppendNewBlock("vm", []string{r.Name}).Body(), r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return e.start(j)
}

// DeleteVM removes a VM of the API-owned workspace and starts the run that
// deletes it; a VM a spec owns is a *ConflictError naming the spec.
func (e *Estate) DeleteVM(ctx context.Context, who, id string) (*Run, error) {
	ws, addr, _ := strings.Cut(id, ":")
	if s := e.spaces[ws]; s != nil && s.api {
		if name, ok := strings.CutPrefix(addr, "vm."); ok && e.apiHas(s, name) {
			j, err := e.apiJob(s, who, "delete", name, func(body *hclwrite.Body) error {
				if b := vmBlock(body, name); b != nil {
					body.RemoveBlock(b)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			return e.start(j)
		}
	}
	_, vm, err := e.managed(id)
	if err != nil {
		return nil, err
	}
	return nil, &ConflictError{Message: fmt.Sprintf("%s is managed by %s: remove it from the spec and apply it instead", vm.Address, vm.ManagedBy)}
}

// actAPI starts, stops or migrates a VM the API created, by changing its
// block's power or host and applying that.
func (e *Estate) actAPI(ctx context.Context, s *space, who string, vm *VM, r ActionRequest) (*Run, error) {
	name := strings.TrimPrefix(vm.Address, "vm.")
	j, err := e.apiJob(s, who, r.Action, name, func(body *hclwrite.Body) error {
		b := vmBlock(body, name)
		if b == nil {
			return fmt.Errorf("%s: %w", vm.Address, ErrNotFound)
		}
		switch r.Action {
		case plan.RequestStart:
			b.Body().SetAttributeValue("power", cty.StringVal(string(driver.PowerRunning)))
		case plan.RequestStop:
			b.Body().SetAttributeValue("power", cty.StringVal(string(driver.PowerStopped)))
		case plan.RequestMigrate:
			b.Body().SetAttributeValue("host", cty.StringVal(r.TargetHost))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return e.start(j)
}

// apiSpace is the API-owned workspace.
func (e *Estate) apiSpace() (*space, error) {
	if s := e.spaces[e.o.APIWorkspace]; s != nil && s.api {
		return s, nil
	}
	return nil, &ConflictError{Message: "the server has no API-owned workspace, so VMs cannot be created or deleted through the API"}
}

// apiHas reports whether the API file has a vm block NAME.
func (e *Estate) apiHas(s *space, name string) bool {
	s.apiMu.Lock()
	defer s.apiMu.Unlock()
	f, err := readAPIFile(s)
	return err == nil && vmBlock(f.Body(), name) != nil
}

// checkVMRequest checks a VM request's own values; whether the provider
// and the template exist, the spec says when the block is loaded.
func checkVMRequest(r VMRequest) error {
	ptype, pname, _ := strings.Cut(r.Provider, ".")
	switch {
	case !validName(r.Name):
		return &InvalidError{Message: fmt.Sprintf("name %q: a VM name is a letter, then letters, digits, _ and - (at most %d)", r.Name, maxName)}
	case !addrs.ValidName(ptype) || !addrs.ValidName(pname):
		return &InvalidError{Message: fmt.Sprintf("provider %q: name a provider block as TYPE.NAME, such as sim.lab", r.Provider)}
	case !templateName(r.Template):
		return &InvalidError{Message: fmt.Sprintf("template %q: name a template block of the workspace", r.Template)}
	case r.CPU < 1 || r.MemoryGB <= 0 || r.DiskGB < 0:
		return &InvalidError{Message: "cpu must be at least 1, memory_gb more than 0, disk_gb not negative"}
	case r.Power != "" && !driver.Power(r.Power).Valid():
		return &InvalidError{Message: fmt.Sprintf("power must be running or stopped, not %q", r.Power)}
	}
	return nil
}

// templateName reports whether s can be a template block's name in a
// reference: letters, digits, _, - and . (ubuntu-22.04), a letter first.
func templateName(s string) bool {
	if s == "" || len(s) > maxName || !addrs.ValidName(s[:1]) {
		return false
	}
	return addrs.ValidName("x" + strings.ReplaceAll(s, ".", "_"))
}

// writeVM sets a vm block's attributes from the request.
func writeVM(b *hclwrite.Body, r VMRequest) {
	ptype, pname, _ := strings.Cut(r.Provider, ".")
	b.SetAttributeTraversal("provider", hcl.Traversal{hcl.TraverseRoot{Name: "provider"}, hcl.TraverseAttr{Name: ptype}, hcl.TraverseAttr{Name: pname}})
	b.SetAttributeTraversal("template", hcl.Traversal{hcl.TraverseRoot{Name: "template"}, hcl.TraverseAttr{Name: r.Template}})
	b.SetAttributeValue("cpu", cty.NumberIntVal(int64(r.CPU)))
	b.SetAttributeValue("memory_gb", cty.NumberFloatVal(r.MemoryGB))
	b.SetAttributeValue("disk_gb", cty.NumberIntVal(int64(r.DiskGB)))
	if r.Host != "" {
		b.SetAttributeValue("host", cty.StringVal(r.Host))
	}
	if r.Power != "" {
		b.SetAttributeValue("power", cty.StringVal(r.Power))
	}
	if len(r.Tags) > 0 {
		tags := map[string]cty.Value{}
		for _, k := range slices.Sorted(maps.Keys(r.Tags)) {
			tags[k] = cty.StringVal(r.Tags[k])
		}
		b.SetAttributeValue("tags", cty.MapVal(tags))
	}
}
