package spec

import (
	"maps"
	"slices"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/novacron/novacron/engine/addrs"
	"github.com/novacron/novacron/engine/driver"
)

// Spec is one folder of *.nova.hcl files, decoded and expanded.
type Spec struct {
	Dir string
	// Digest is a hash of every spec file's name and contents.
	Digest    string
	Variables map[string]*Variable
	Providers map[string]*Provider // by Key: "sim.lab"
	Templates map[string]*Template
	Fleets    []*Fleet // fleet and vm blocks, in source order
	Outputs   []*Output
	Imports   []*Import // import blocks, in source order

	// Moves and Removed are the moved and removed blocks, in source
	// order (moved.go).
	Moves   []*Moved
	Removed []*Removed

	// Drift is the top-level drift block: what drift ignores in every fleet.
	Drift  DriftRules
	locals map[string]cty.Value
	// module is the path of the module this Spec decodes (the root's is
	// empty), and children its module blocks' instances (modules.go).
	module   addrs.Module
	children []*moduleCall
	// sensitiveVars holds the texts of the sensitive variables' values,
	// for Redactor.
	sensitiveVars []string
}

// Variable is a declared input variable and the value it was given.
type Variable struct {
	Name        string
	Description string
	Type        cty.Type
	Default     cty.Value // cty.NilVal when none
	Sensitive   bool
	// SensitiveReason says why a variable not declared sensitive = true
	// is sensitive: its value reaches a setting the driver declares
	// sensitive ("password of provider.vsphere.lab at main.nova.hcl:2").
	SensitiveReason string
	Value           cty.Value
	Source          string // "default", "-var", a file name, or NOVA_VAR_name
	DeclRange       hcl.Range
	failed          bool // a given value could not be converted
	parseHCL        bool // -var and NOVA_VAR_ values are HCL, not plain strings
}

// Provider is a `provider "TYPE" "NAME"` block.
type Provider struct {
	Type      string
	Name      string
	Config    driver.Config
	Factory   driver.Factory
	DeclRange hcl.Range
	// Sensitive names the settings whose values are sensitive: the driver
	// declares them so, or they were given a sensitive value. No message
	// shows them (Spec.Redactor).
	Sensitive []string
	// Parallelism and RateLimit are the block's meta-arguments: at most
	// this many concurrent actions and calls per second (0: no limit).
	Parallelism int
	RateLimit   float64
}

// Key is "TYPE.NAME", the provider's address without the "provider." prefix.
func (p *Provider) Key() string { return p.Type + "." + p.Name }

// Template is a `template "NAME"` block: one logical image, one mapping per
// driver type.
type Template struct {
	Name     string
	Mappings map[string]driver.Config // by driver type
	// Sensitive names, by driver type, the settings whose values are
	// sensitive: they reach the driver, and elsewhere only as a digest
	// (see Spec.SealTemplates).
	Sensitive map[string][]string
	// SettingRanges holds, by driver type then setting name, where each
	// mapping setting is written: diagnostics about a setting point there.
	SettingRanges map[string]map[string]hcl.Range
	DeclRange     hcl.Range
}

// SettingRange is where the template's mapping for a driver type sets a
// setting, or where the template is declared.
func (t *Template) SettingRange(driverType, setting string) hcl.Range {
	if r, ok := t.SettingRanges[driverType][setting]; ok {
		return r
	}
	return t.DeclRange
}

// Kind says whether a Fleet came from a fleet block or a vm block.
type Kind = addrs.Kind

// The kinds of fleet.
const (
	KindFleet = addrs.KindFleet
	KindVM    = addrs.KindVM
)

// Fleet is a fleet block (or a vm block: a fleet of one) with its instances.
type Fleet struct {
	Module      addrs.Module // the module that declares it; the zero value is the root
	Kind        Kind
	Name        string
	Provider    *Provider
	Template    *Template
	TemplateRef driver.TemplateRef // the template's mapping for Provider.Type
	// Providers are the providers sizing chooses from (providers = [ … ]),
	// Provider the first; nil when the fleet names one provider.
	Providers []*Provider
	Sizing    string // "" or SizingCheapest
	// AltTemplates are the template's mappings for the other driver types
	// the fleet may use (Providers, Placement.BurstTo), by type.
	AltTemplates map[string]driver.TemplateRef
	DependsOn    []string // fleet addresses
	Placement    Placement
	Rollout      *Rollout // nil: no rollout ordering
	ForEach      bool     // instances are keyed by for_each
	Lifecycle    Lifecycle
	Drift        DriftRules // the block's own drift rules; see DriftIgnores
	Instances    []*Instance
	DeclRange    hcl.Range
	// AttrRanges holds the source range of each attribute set in the block.
	AttrRanges map[string]hcl.Range
}

// Address is "fleet.NAME" or "vm.NAME", after the module path in a module
// (module.web.fleet.NAME).
func (f *Fleet) Address() string { return f.Addr().String() }

// Addr is the fleet's typed address.
func (f *Fleet) Addr() addrs.Fleet { return addrs.Fleet{Module: f.Module, Kind: f.Kind, Name: f.Name} }

// Range returns the range of an attribute, or the block's when it is unset.
func (f *Fleet) Range(attr string) hcl.Range {
	if r, ok := f.AttrRanges[attr]; ok {
		return r
	}
	return f.DeclRange
}

// Placement is a fleet's placement block.
type Placement struct {
	SpreadBy string // "", "host" or a host label key (a failure domain such as "rack")
	// AvoidSameHostAs are the addresses of fleets whose VMs this fleet's
	// VMs must not share a host with (both ways).
	AvoidSameHostAs []string
	AvoidRange      hcl.Range // the attribute's expression, for diagnostics
	Prefer          string    // "" (pack), "pack" or "spread"
	// HostLabels are the labels a host must have to take the fleet's VMs.
	HostLabels map[string]string
	// BurstTo takes the VMs no host of the fleet's provider can; nil: none.
	BurstTo    *Provider
	BurstRange hcl.Range // burst_to's expression, for diagnostics
	// Range is the block's header (`placement`), for diagnostics about
	// the block as a whole; empty when the fleet has none.
	Range hcl.Range
}

// Rollout is a fleet's rollout block: changes to existing VMs go in batches.
type Rollout struct {
	BatchSize      int
	MaxUnavailable int
}

// Lifecycle is a fleet's lifecycle block.
type Lifecycle struct {
	PreventDestroy      bool
	CreateBeforeDestroy bool
	IgnoreChanges       []string // attribute names
}

// Ignores reports whether changes to attr are ignored.
func (l Lifecycle) Ignores(attr string) bool {
	return slices.Contains(l.IgnoreChanges, attr)
}

// Instance is one desired VM.
type Instance struct {
	Address   string // fleet.web[2], fleet.web["a"], vm.db-01
	Fleet     *Fleet
	Index     int    // position in the fleet
	Key       string // for_each key; "" otherwise
	Name      string
	Host      string // pinned host; "" lets placement choose
	CPU       int
	MemoryMiB int64
	DiskGB    int
	Power     driver.Power
	// Tags are read-only: the instances of a fleet whose tags do not
	// depend on count or each share one map (at 100,000 VMs a map each
	// was a third of a plan's live heap). SetTag changes one instance's.
	Tags map[string]string
}

// SetTag sets one tag of this instance alone: its Tags become a map of
// its own (copy on write), so the fleet's other instances keep theirs.
func (i *Instance) SetTag(key, value string) {
	tags := make(map[string]string, len(i.Tags)+1)
	maps.Copy(tags, i.Tags)
	tags[key] = value
	i.Tags = tags
}

// Output is an output block; its value is evaluated after apply.
type Output struct {
	Name        string
	Description string
	Sensitive   bool
	Expr        hcl.Expression
	DeclRange   hcl.Range
	// why says which of the variables it shows are sensitive because of
	// a setting they feed (sensitive_feeds.go).
	why string
}

// instanceAddress is the address of an instance of f, whose address is
// prefix: fleet.web[2] is written here without the steps of addrs, which
// has the same form (TestInstanceAddressForm).
func instanceAddress(f *Fleet, prefix string, counted, keyed bool, index int, key string) string {
	switch {
	case keyed:
		return f.Addr().Instance(addrs.StringKey(key)).String()
	case counted:
		var buf [128]byte // on the stack: one allocation per address, also for a module's long prefix
		b := strconv.AppendInt(append(append(buf[:0], prefix...), '['), int64(index), 10)
		return string(append(b, ']'))
	default:
		return prefix
	}
}
