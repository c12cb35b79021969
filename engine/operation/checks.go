package operation

import (
	"context"
	"fmt"
	"maps"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
)

// checkCreates asks each driver that can (driver.CreateChecker) whether
// it would make the VMs the plan creates, and returns one diagnostic per
// fleet it refuses, at the fleet's template attribute.
func (o *Operation) checkCreates(ctx context.Context, p *plan.Plan) hcl.Diagnostics {
	var diags hcl.Diagnostics
	refused := map[string]bool{} // fleets already reported
	for _, c := range p.Changes {
		if (c.Action != plan.Create && c.Action != plan.Replace) || c.After == nil || c.Marker == nil || refused[c.Fleet] {
			continue
		}
		checker, ok := o.Providers[c.Provider()].Driver.(driver.CreateChecker)
		if !ok {
			continue
		}
		if err := checker.CheckCreate(ctx, createSpec(c)); err != nil {
			refused[c.Fleet] = true
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "VM cannot be created",
				Detail:  spec.Sentence(fmt.Sprintf("%s: %v", c.Address, redactError(o.redactor(), err))),
				Subject: o.templateRange(c.Fleet),
			})
		}
	}
	return diags
}

// createSpec is what Create would be asked to make for c.
func createSpec(c *plan.Change) driver.VMSpec {
	a := c.After
	return driver.VMSpec{
		Name: a.Name, Host: a.Host, CPU: a.CPU, MemoryMiB: a.MemoryMiB, DiskGB: a.DiskGB,
		Power: a.Power, Template: c.Template, Tags: maps.Clone(a.Tags), Marker: *c.Marker,
	}
}

// templateRange is where the fleet at addr names its template, or nil.
func (o *Operation) templateRange(addr string) *hcl.Range {
	if o.Spec == nil {
		return nil
	}
	for _, f := range o.Spec.Fleets {
		if f.Address() == addr {
			return f.Range("template").Ptr()
		}
	}
	return nil
}
