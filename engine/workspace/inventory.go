package workspace

import (
	"context"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/plan"
)

// operation is the session's operation for the core: its spec, state and
// open drivers with their provider blocks' limits. A workspace without
// state plans under a new random lineage.
func (s *Session) operation() *operation.Operation {
	op := &operation.Operation{
		Spec: s.Spec, State: s.State, Providers: operation.ProvidersOf(s.Spec, s.Drivers), InventoryRead: s.InventoryRead,
	}
	if s.State == nil {
		op.Lineage = NewID()
	}
	return op
}

// Inventory reads every open provider's inventory, all at once.
func (s *Session) Inventory(ctx context.Context) (map[string]driver.Inventory, hcl.Diagnostics) {
	return s.operation().Inventory(ctx)
}

// Drift compares the live inventories with the state and the spec, with
// the core.
func (s *Session) Drift(ctx context.Context) (*plan.Drift, hcl.Diagnostics) {
	return s.operation().Drift(ctx)
}

// DriftWith is Drift against inventories already read by Inventory.
func (s *Session) DriftWith(invs map[string]driver.Inventory) (*plan.Drift, hcl.Diagnostics) {
	return s.operation().DriftWith(invs)
}
