package operation

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

// Inventory reads every provider's inventory, one bulk call each, all at
// once. A provider whose read fails gets an error on its provider block,
// without the spec's sensitive values; when ctx was cancelled, the errors
// are replaced by Interrupted's. InventoryRead, when set, is told of each
// read, one at a time, once all are done.
func (o *Operation) Inventory(ctx context.Context) (map[string]driver.Inventory, hcl.Diagnostics) {
	return o.inventory(ctx, false)
}

// sharedInventory is Inventory read with driver.ReadCompact: for a plan,
// whose diff and fingerprint only read the VMs (TestDiffLeavesInventory),
// so that a driver need not copy them for it, nor make them all into VMs
// at once where it keeps them in a compact table (the sim). The caller
// changes nothing of it, keeps none of it past the plan, and reads its VMs
// through driver.Inventory's Len, ID, Fill, At and List.
func (o *Operation) sharedInventory(ctx context.Context) (map[string]driver.Inventory, hcl.Diagnostics) {
	return o.inventory(ctx, true)
}

func (o *Operation) inventory(ctx context.Context, shared bool) (map[string]driver.Inventory, hcl.Diagnostics) {
	type result struct {
		key string
		inv driver.Inventory
		err error
		d   time.Duration
	}
	results := make(chan result, len(o.Providers))
	var wg sync.WaitGroup
	for k, p := range o.Providers {
		wg.Go(func() {
			start := time.Now()
			read := p.Driver.Inventory
			if shared {
				read = func(ctx context.Context) (driver.Inventory, error) { return driver.ReadCompact(ctx, p.Driver) }
			}
			inv, err := read(ctx)
			results <- result{k, inv, err, time.Since(start)}
		})
	}
	wg.Wait()
	close(results)
	out := make(map[string]driver.Inventory, len(o.Providers))
	var diags hcl.Diagnostics
	red := o.redactor()
	for r := range results {
		if o.InventoryRead != nil {
			o.InventoryRead(r.key, r.d, r.err)
		}
		if r.err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Cannot read the inventory of provider " + r.key,
				Detail: spec.Sentence(red.String(r.err.Error())), Subject: subject(o.Providers[r.key].DeclRange),
			})
			continue
		}
		out[r.key] = r.inv
	}
	sort.Slice(diags, func(i, j int) bool { return diags[i].Summary < diags[j].Summary })
	return out, IfInterrupted(ctx, diags)
}

// subject is r as a diagnostic's Subject: nil when there is no source.
func subject(r hcl.Range) *hcl.Range {
	if r.Filename == "" {
		return nil
	}
	return r.Ptr()
}
