package workspace

import (
	"context"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
)

// Inventory reads every open provider's inventory, all at once.
func (s *Session) Inventory(ctx context.Context) (map[string]driver.Inventory, hcl.Diagnostics) {
	type result struct {
		key string
		inv driver.Inventory
		err error
	}
	results := make(chan result, len(s.Drivers))
	var wg sync.WaitGroup
	for k, d := range s.Drivers {
		wg.Go(func() {
			inv, err := d.Inventory(ctx)
			results <- result{k, inv, err}
		})
	}
	wg.Wait()
	close(results)
	out := make(map[string]driver.Inventory, len(s.Drivers))
	var diags hcl.Diagnostics
	for r := range results {
		if r.err != nil {
			p := s.Spec.Providers[r.key]
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Cannot read the inventory of provider " + r.key,
				Detail: sentence(r.err.Error()), Subject: p.DeclRange.Ptr(),
			})
			continue
		}
		out[r.key] = r.inv
	}
	sort.Slice(diags, func(i, j int) bool { return diags[i].Summary < diags[j].Summary })
	return out, interrupted(ctx, diags)
}

// Capabilities returns each open driver's capabilities.
func (s *Session) Capabilities() map[string]driver.Capabilities {
	out := make(map[string]driver.Capabilities, len(s.Drivers))
	for k, d := range s.Drivers {
		out[k] = d.Capabilities()
	}
	return out
}
