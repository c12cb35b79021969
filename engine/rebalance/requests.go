package rebalance

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/forecast"
	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// Options are `nova-plan rebalance`'s choices.
type Options struct {
	Mode      Mode
	Threshold float64
	// MaxMoves caps the moves; when 0, MovePercent of the VMs (Budget).
	MaxMoves    int
	MovePercent float64
	MinRatio    float64
	// File, when set, gives the use per address; else the drivers' Use.
	File *UsageFile
	// Predict uses each VM's forecast peak over Horizon hours after the
	// file's newest sample instead of its use now.
	Predict bool
	Horizon int
}

// Report is what a rebalance chose, per provider, for the face to show.
type Report struct {
	Providers map[string]*Result
	Budget    int
	// Unmeasured counts the VMs with no utilization, taken as using all
	// they are allocated.
	Unmeasured int
	// NoHistory counts, with Predict, the VMs the file gives no samples
	// for: their use now is taken instead of a forecast.
	NoHistory int
	// Unreported are the providers, without a file, whose drivers do not
	// measure utilization, with how many of Unmeasured are theirs.
	Unreported []Unreported
}

// Requests chooses the migrations of a rebalance of the VMs the state
// records, in each provider that can migrate, sharing one move budget.
// use holds the drivers' measurements (per provider key and VM id) when
// o.File is nil.
func Requests(in plan.Input, use map[string]map[string]driver.Usage, o Options) ([]plan.VMRequest, *Report, hcl.Diagnostics) {
	b := builder{in: in, use: use, o: o, now: newestSample(o.File)}
	groups := b.group()
	n := 0
	for _, vms := range groups {
		n += len(vms)
	}
	rep := &Report{Providers: map[string]*Result{}, Budget: o.MaxMoves, NoHistory: b.noHistory, Unreported: b.unreported()}
	for _, n := range b.unmeasured {
		rep.Unmeasured += n
	}
	if rep.Budget == 0 {
		rep.Budget = Budget(n, o.MovePercent)
	}
	var reqs []plan.VMRequest
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		r, err := Run(Input{Hosts: in.Inventories[key].Hosts, VMs: groups[key], Mode: o.Mode, Threshold: o.Threshold,
			MaxMoves: rep.Budget - len(reqs), MinRatio: o.MinRatio})
		if err != nil {
			return nil, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid rebalance", Detail: err.Error()}}
		}
		rep.Providers[key] = r
		for _, m := range r.Moves {
			reqs = append(reqs, plan.VMRequest{Address: m.Address, Action: plan.RequestMigrate, Host: m.To, Live: true, Reason: b.reason(r, m)})
		}
	}
	if b.diags.HasErrors() {
		return nil, nil, b.diags
	}
	return reqs, rep, append(append(b.unknown(), unreportedWarnings(rep.Unreported)...), b.diags...)
}

// unknown warns of the file's addresses the state does not record.
func (b *builder) unknown() hcl.Diagnostics {
	var diags hcl.Diagnostics
	if b.o.File == nil {
		return nil
	}
	for _, addr := range slices.Sorted(maps.Keys(b.o.File.VMs)) {
		if b.in.State == nil || b.in.State.VMs[addr] == nil {
			r := b.o.File.VMs[addr].Range
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "No such VM",
				Detail: fmt.Sprintf("%s:%d:%d: the state records no VM at %q; its utilization is not used.", r.Filename, r.Start.Line, r.Start.Column, addr), Subject: &r})
		}
	}
	return diags
}

type builder struct {
	in         plan.Input
	use        map[string]map[string]driver.Usage
	o          Options
	now        time.Time
	unmeasured map[string]int // running VMs with no use, per provider key
	noHistory  int
	diags      hcl.Diagnostics // use figures out of bounds
}

// group returns the state's VMs that are in their provider's inventory,
// by provider key, for the providers that can migrate.
func (b *builder) group() map[string][]VM {
	pins, spread, rules := b.specRules()
	live := map[string]map[string]driver.VM{}
	for key, inv := range b.in.Inventories {
		if b.in.Capabilities[key].Migrate {
			live[key] = map[string]driver.VM{}
			for _, vm := range inv.VMs {
				live[key][vm.ID] = vm
			}
		}
	}
	out := map[string][]VM{}
	if b.in.State == nil {
		return out
	}
	for _, addr := range slices.Sorted(maps.Keys(b.in.State.VMs)) {
		rec := b.in.State.VMs[addr]
		vm, ok := live[rec.Provider][rec.ID]
		if !ok || (b.in.Capabilities[rec.Provider].StoppedUseNoCapacity && vm.Power != driver.PowerRunning) {
			continue
		}
		_, inSpec := spread[rec.Fleet]
		v := VM{Address: addr, Host: vm.Host, CPU: vm.CPU, MemoryMiB: vm.MemoryMiB, Pinned: pins[addr] || !inSpec, Spread: spread[rec.Fleet]}
		v.PreferSpread = b.prefersSpread(rec.Fleet)
		v.Rules = rules[rec.Fleet]
		v.Rules.Group, v.Rules.DiskGiB = rec.Fleet, int64(vm.DiskGB)
		v.UseCPU, v.UseMemoryMiB = b.usage(addr, rec, vm)
		out[rec.Provider] = append(out[rec.Provider], v)
	}
	return out
}

// prefersSpread is whether the spec's fleet at addr has prefer = "spread".
func (b *builder) prefersSpread(addr string) bool {
	if b.in.Spec == nil {
		return false
	}
	for _, f := range b.in.Spec.Fleets {
		if f.Address() == addr {
			return f.Placement.Prefer == "spread"
		}
	}
	return false
}

// specRules returns the pinned addresses, each fleet's spread group
// ("" when it does not spread; absent when the spec has no such fleet:
// its VMs are orphans the next plan deletes, and are not moved), and each
// fleet's other placement rules (host labels, anti-affinity, spread by a
// failure domain).
func (b *builder) specRules() (map[string]bool, map[string]string, map[string]place.VM) {
	pins, spread, rules := map[string]bool{}, map[string]string{}, map[string]place.VM{}
	if b.in.Spec == nil {
		return pins, spread, rules
	}
	for _, f := range b.in.Spec.Fleets {
		p := f.Placement
		spread[f.Address()] = ""
		r := place.VM{Labels: p.HostLabels, Avoid: p.AvoidSameHostAs}
		switch p.SpreadBy {
		case "host":
			spread[f.Address()] = f.Address()
		case "":
		default:
			r.SpreadBy = p.SpreadBy
		}
		rules[f.Address()] = r
		for _, inst := range f.Instances {
			if inst.Host != "" {
				pins[inst.Address] = true
			}
		}
	}
	return pins, spread, rules
}

// usage is a VM's use: the file's (its forecast with Predict), else its
// driver's; with neither, all it is allocated when running.
func (b *builder) usage(addr string, rec *state.VM, vm driver.VM) (float64, float64) {
	if b.o.File != nil {
		if u := b.o.File.VMs[addr]; u != nil {
			b.diags = append(b.diags, checkUse(addr, u, vm)...)
			if b.o.Predict && len(u.History) > 0 {
				cpu, mem, _ := forecast.Fit(u.History, forecast.Defaults).Peak(b.now, b.o.Horizon)
				return cpu, mem
			}
			if b.o.Predict {
				b.noHistory++
			}
			return u.Now()
		}
	} else if u, ok := b.use[rec.Provider][vm.ID]; ok {
		return u.CPU, u.MemoryMiB
	}
	if vm.Power != driver.PowerRunning {
		return 0, 0
	}
	if b.unmeasured == nil {
		b.unmeasured = map[string]int{}
	}
	b.unmeasured[rec.Provider]++
	return float64(vm.CPU), float64(vm.MemoryMiB)
}

func (b *builder) reason(r *Result, m Move) string {
	why := fmt.Sprintf("empties %s for power-off", m.From)
	if b.o.Mode == Hot {
		for _, l := range r.Hot {
			if l.Host == m.From {
				why = fmt.Sprintf("%s is hot (cpu %s %%, memory %s %% > %g %%)", l.Host, Percent(l.CPU), Percent(l.Mem), b.o.Threshold)
			}
		}
	}
	return fmt.Sprintf("rebalance: %s; gain %.1f pp ÷ disruption %.1f pp = %.2f", why, m.Gain, m.Disruption, m.Gain/m.Disruption)
}

// newestSample is the time of a file's newest sample: -predict forecasts
// the hours after it.
func newestSample(f *UsageFile) time.Time {
	var t time.Time
	if f == nil {
		return t
	}
	for _, u := range f.VMs {
		for _, s := range u.History {
			if s.Time.After(t) {
				t = s.Time
			}
		}
	}
	return t
}
