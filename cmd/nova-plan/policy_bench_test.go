package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/policy"
	"github.com/novacron/novacron/engine/spec"
)

// BenchmarkPolicyCheck10k: the policy check of a plan that creates
// 10,000 VMs of one prod fleet, with examples/policy (every rule reads
// every change or every instance): the input document built from the
// plan and the spec, then every deny and warn rule evaluated. Loading and
// compiling the policies is done once, outside the timer, as the CLI does
// once per command.
func BenchmarkPolicyCheck10k(b *testing.B) {
	set, diags := policy.Load(context.Background(), policy.Folder{Path: "../../examples/policy"})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	p, s := benchPolicyPlan(benchVMs)
	var results []policy.Result
	for b.Loop() {
		input, err := policyDocument(p, s)
		if err != nil {
			b.Fatal(err)
		}
		results, diags = set.Evaluate(context.Background(), input)
		if diags.HasErrors() {
			b.Fatal(diags)
		}
	}
	if len(results) != benchVMs+1 { // an owner warning per VM, and one forbidden provider denial
		b.Fatalf("got %d results, want %d", len(results), benchVMs+1)
	}
}

// benchPolicyPlan is a plan creating n VMs of fleet.app on sim.big, and
// the spec that declares them.
func benchPolicyPlan(n int) (*plan.Plan, *spec.Spec) {
	prov := &spec.Provider{Type: "sim", Name: "big"}
	f := &spec.Fleet{Kind: spec.KindFleet, Name: "app", Provider: prov, Template: &spec.Template{Name: "base"},
		Rollout: &spec.Rollout{BatchSize: 100, MaxUnavailable: 100}}
	p := &plan.Plan{}
	for i := range n {
		addr := fmt.Sprintf("fleet.app[%d]", i)
		tags := map[string]string{"env": "prod", "tier": "app"}
		f.Instances = append(f.Instances, &spec.Instance{Address: addr, Fleet: f, Index: i, Name: fmt.Sprintf("app-%d", i),
			CPU: 1, MemoryMiB: 1024, DiskGB: 20, Power: driver.PowerRunning, Tags: tags})
		p.Changes = append(p.Changes, &plan.Change{Address: addr, Fleet: "fleet.app", Action: plan.Create,
			After: &plan.Attrs{Provider: "sim.big", Name: fmt.Sprintf("app-%d", i), CPU: 1, MemoryMiB: 1024, DiskGB: 20,
				Power: driver.PowerRunning, TemplateName: "base", Tags: tags}, Reasons: []string{"not in the state"}})
	}
	return p, &spec.Spec{Fleets: []*spec.Fleet{f}}
}

// BenchmarkPlanCreate10kPolicy: `plan` of 10,000 new VMs, as a process,
// with the example policies (-policy) and without; compare the two
// within one run for the cost of the check as a user sees it.
func BenchmarkPlanCreate10kPolicy(b *testing.B) {
	dir := benchDir(b, "0s")
	policies, err := filepath.Abs("../../examples/policy")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{{"without", nil}, {"with", []string{"-policy=" + policies}}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				timed(b, dir, 0, append([]string{"plan"}, tc.args...)...)
			}
		})
	}
}
