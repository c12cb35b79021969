package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

// warnPlacement warns, once per fleet, of the live VMs the plan leaves
// where they run that break the fleet's placement block: rules added (or
// hosts relabelled) after the VMs were placed. As in Nomad and
// Terraform, rules apply when a VM is placed; a plan does not move running
// VMs for them, but says so, at the block, and how to move them.
func (d *differ) warnPlacement() {
	if d.in.Destroy || d.in.Spec == nil {
		return
	}
	var changed map[string]bool
	for _, f := range d.in.Spec.Fleets {
		if !hasRules(f.Placement) || d.covered != nil && !d.covered[f.Address()] {
			continue // under -target, only the fleets the plan covers
		}
		if changed == nil {
			changed = d.placedAnew()
		}
		d.warnFleet(f, d.keptVMs(f, changed))
	}
}

func hasRules(p spec.Placement) bool {
	return p.SpreadBy != "" || len(p.AvoidSameHostAs) > 0 || len(p.HostLabels) > 0
}

// placedAnew are the addresses the plan places again or removes.
func (d *differ) placedAnew() map[string]bool {
	out := map[string]bool{}
	for _, c := range d.plan.Changes {
		switch c.Action {
		case Create, Replace, Migrate, Delete:
			out[c.Address] = true
		}
	}
	return out
}

// keptVM is a live VM of a fleet that the plan leaves on its host, and
// its size (for whether another host could take it).
type keptVM struct {
	addr, host string
	cpu        int
	mib        int64
	disk       int
}

// keptVMs are the fleet's live VMs, on its provider, that the plan leaves
// where they run, in instance order.
func (d *differ) keptVMs(f *spec.Fleet, changed map[string]bool) []keptVM {
	pk := f.Provider.Key()
	idx := d.live[pk]
	out := make([]keptVM, 0, len(f.Instances))
	var s vmScratch
	for _, inst := range f.Instances {
		rec := d.st.VMs[inst.Address]
		if rec == nil || rec.Provider != pk || changed[inst.Address] {
			continue
		}
		if k, ok := idx.find(rec.ID); ok {
			if vm := idx.view(k, &s); vm.Host != "" {
				out = append(out, keptVM{inst.Address, vm.Host, vm.CPU, vm.MemoryMiB, vm.DiskGB})
			}
		}
	}
	return out
}

// ruleBreak is one rule of a placement block and the VMs that break it.
type ruleBreak struct {
	rule  string // what the VMs break, for the warning
	addrs []string
}

func (d *differ) warnFleet(f *spec.Fleet, kept []keptVM) {
	if len(kept) == 0 {
		return
	}
	breaks := d.breaks(f, kept)
	all := map[string]bool{}
	var parts []string
	for _, b := range breaks {
		for _, a := range b.addrs {
			all[a] = true
		}
		parts = append(parts, b.rule)
	}
	if len(all) == 0 {
		return
	}
	subject, at := blockRange(f)
	addrs := slices.Sorted(maps.Keys(all))
	verb := "break"
	if len(addrs) == 1 {
		verb = "breaks"
	}
	detail := fmt.Sprintf("%s of the %d VMs of %s that this plan leaves where they run %s its placement block%s: %s. "+
		"Placement rules apply when a VM is placed (created or replaced): a plan does not move running VMs for them. "+
		"To move them, plan with -replace for each (%s): it places the VM again under the rules. nova-plan rebalance does not move VMs for placement rules.",
		countOf(len(addrs), "VM"), len(kept), f.Address(), verb, at, strings.Join(parts, "; "), replaceFlags(addrs))
	d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Running VMs break the placement rules", Subject: subject, Detail: detail})
	d.plan.Warnings = append(d.plan.Warnings, detail)
}

// blockRange is the fleet's placement block (else the fleet's) for a
// diagnostic, and " at FILE:LINE,COL-COL" for its text; nil and "" when
// the fleet has no source (the Terraform provider's).
func blockRange(f *spec.Fleet) (*hcl.Range, string) {
	r := f.Placement.Range
	if r.Filename == "" {
		r = f.DeclRange
	}
	if r.Filename == "" {
		return nil, ""
	}
	return &r, " at " + r.String()
}

// breaks checks the kept VMs against each rule of the fleet's block.
func (d *differ) breaks(f *spec.Fleet, kept []keptVM) []ruleBreak {
	pk, p := f.Provider.Key(), f.Placement
	hosts := map[string]driver.Host{}
	for _, h := range d.in.Inventories[pk].Hosts {
		hosts[h.Name] = h
	}
	var out []ruleBreak
	if len(p.HostLabels) > 0 {
		bad := keptWhere(kept, func(v keptVM) bool { return !hasLabels(hosts[v.host], p.HostLabels) })
		out = appendBreak(out, bad, "host_labels: %s on a host without its labels")
	}
	if len(p.AvoidSameHostAs) > 0 {
		on := d.fleetsOnHosts(pk)
		bad := keptWhere(kept, func(v keptVM) bool {
			return slices.ContainsFunc(p.AvoidSameHostAs, func(g string) bool { return on[v.host][g] })
		})
		out = appendBreak(out, bad, "avoid_same_host_as: %s on a host holding a VM of "+strings.Join(p.AvoidSameHostAs, " or "))
	}
	if p.SpreadBy != "" {
		out = append(out, unevenSpread(kept, hosts, p, d.couldTake(f))...)
	}
	return out
}

func appendBreak(out []ruleBreak, addrs []string, format string) []ruleBreak {
	if len(addrs) == 0 {
		return out
	}
	return append(out, ruleBreak{fmt.Sprintf(format, listAddrs(addrs)), addrs})
}

func keptWhere(kept []keptVM, bad func(keptVM) bool) []string {
	var out []string
	for _, v := range kept {
		if bad(v) {
			out = append(out, v.addr)
		}
	}
	return out
}

func hasLabels(h driver.Host, want map[string]string) bool {
	for k, v := range want {
		if got, ok := h.Labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// fleetsOnHosts is, per host of provider pk, the fleets whose VMs it holds.
func (d *differ) fleetsOnHosts(pk string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	idx := d.live[pk]
	var s vmScratch
	for k := range idx.len() {
		vm := idx.view(k, &s)
		if vm.Marker == nil {
			continue
		}
		if out[vm.Host] == nil {
			out[vm.Host] = map[string]bool{}
		}
		out[vm.Host][fleetOf(vm.Marker.Address)] = true
	}
	return out
}
