package operation

import (
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/state"
)

// Provider is an open driver and the limits its provider block sets.
type Provider struct {
	Driver driver.Driver
	// Parallelism caps this provider's concurrent actions; 0 uses the
	// driver's Capabilities().MaxParallel.
	Parallelism int
	// RateLimit caps this provider's driver calls per second; 0: none.
	RateLimit float64
	// DeclRange is the provider block, for diagnostics; empty without a
	// spec source.
	DeclRange hcl.Range
}

// ProvidersOf pairs the spec's provider blocks with their open drivers: a
// provider block's parallelism and rate_limit are read here and nowhere
// else. With a nil spec the drivers get no limits.
func ProvidersOf(sp *spec.Spec, drivers map[string]driver.Driver) map[string]Provider {
	out := make(map[string]Provider, len(drivers))
	for key, d := range drivers {
		p := Provider{Driver: d}
		if sp == nil {
			out[key] = p
			continue
		}
		if b := sp.Providers[key]; b != nil {
			p.Parallelism, p.RateLimit, p.DeclRange = b.Parallelism, b.RateLimit, b.DeclRange
		}
		out[key] = p
	}
	return out
}

// Operation is one plan, or one apply, of a spec against open providers.
type Operation struct {
	// Spec is the desired model; nil plans the deletion of what State
	// holds (a destroy without a spec).
	Spec *spec.Spec
	// State is what the face remembers; nil when it has none yet.
	State *state.State
	// Lineage marks every VM this operation creates when State is nil;
	// with a State, the State's lineage is used. Each face supplies its
	// own: a workspace's new random one, a Terraform resource's own.
	Lineage string
	// Providers are the open drivers by provider key ("sim.lab").
	Providers map[string]Provider
	// InventoryRead, when set, is told how long each provider's inventory
	// read took, and its error (for metrics).
	InventoryRead func(provider string, d time.Duration, err error)
}

// Planned is a plan with its graph. It comes from Plan, PlanImport,
// CheckSaved or Order, which build the graph once; Apply walks that graph.
type Planned struct {
	*plan.Plan
	graph *plan.Graph
}

// Graph is the order of the plan's changes.
func (p *Planned) Graph() *plan.Graph { return p.graph }

// drivers returns the open drivers by provider key.
func (o *Operation) drivers() map[string]driver.Driver {
	out := make(map[string]driver.Driver, len(o.Providers))
	for k, p := range o.Providers {
		out[k] = p.Driver
	}
	return out
}

// capabilities returns each open driver's capabilities.
func (o *Operation) capabilities() map[string]driver.Capabilities {
	out := make(map[string]driver.Capabilities, len(o.Providers))
	for k, p := range o.Providers {
		out[k] = p.Driver.Capabilities()
	}
	return out
}
