package driver

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
)

// OpenRequest is what a Factory needs to open a driver.
type OpenRequest struct {
	// Name is the provider's name in the spec ("lab" in provider "sim" "lab").
	Name string
	// DataDir is a folder the driver may keep files in (the workspace's
	// .nova folder); drivers that keep no local data ignore it.
	DataDir string
	// Config holds the provider block's settings, checked against Settings.
	Config Config
}

// Factory describes one driver type and opens drivers of it.
type Factory struct {
	Type        string
	Description string
	// Settings are the attributes of `provider "TYPE" "NAME" { … }`.
	Settings []Setting
	// TemplateSettings are the attributes of a template's `TYPE { … }` block.
	TemplateSettings []Setting
	// MaxAddress is the longest VM address, in characters, that the
	// driver can keep in its ownership marker (a tag value); 0: no limit.
	// The spec refuses a longer one (a deep module path, a long key)
	// before anything is applied.
	MaxAddress int
	Open       func(ctx context.Context, req OpenRequest) (Driver, error)
}

// Registry maps driver type names to factories. The zero value is empty and
// ready to use; it is safe for concurrent use.
type Registry struct {
	mu        sync.RWMutex
	factories map[string]Factory
}

// Register adds a factory; registering a type twice is a programming error.
func (r *Registry) Register(f Factory) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.factories == nil {
		r.factories = map[string]Factory{}
	}
	if _, dup := r.factories[f.Type]; dup {
		panic(fmt.Sprintf("driver: type %q registered twice", f.Type))
	}
	r.factories[f.Type] = f
}

// Lookup returns the factory of a driver type.
func (r *Registry) Lookup(typ string) (Factory, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, ok := r.factories[typ]
	return f, ok
}

// Types lists the registered driver types, sorted.
func (r *Registry) Types() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.factories))
}

// Opener adapts a driver package's Open, which returns the package's own
// driver type, to Factory.Open.
func Opener[D Driver](open func(context.Context, OpenRequest) (D, error)) func(context.Context, OpenRequest) (Driver, error) {
	return func(ctx context.Context, req OpenRequest) (Driver, error) { return open(ctx, req) }
}
