package azuretest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/azure"
	"github.com/novacron/novacron/engine/driver/sim"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/workspace"
)

// moveSpec is a fleet of n on the provider named by to, with both
// providers declared.
func moveSpec(n int, to string) string {
	return fmt.Sprintf(`
provider "sim" "lab" {
  hosts          = 2
  host_cpu       = 64
  host_memory_gb = 256
}
provider "azure" "cloud" {
  subscription_id = %q
  resource_group  = "rg"
  location        = "westeurope"
  subnet_id       = %q
  ssh_public_key  = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vdmFjcm9uLXRlc3Qta2V5 test"
}
template "t" {
  sim   { image = "ubuntu-22.04" }
  azure { image = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest" }
}
fleet "web" {
  provider  = %s
  count     = %d
  template  = template.t
  cpu       = 1
  memory_gb = 2
  disk_gb   = 30
  rollout { batch_size = 5 }
}
`, wsSubscription, wsSubnet, to, n)
}

// TestMoveFromSim: changing a 20-VM fleet's provider from sim to azure
// plans a replace per VM that names both providers; the apply makes the
// VMs on Azure and leaves none on the simulator.
func TestMoveFromSim(t *testing.T) {
	s := wsStore()
	dir := t.TempDir()
	reg := &driver.Registry{}
	reg.Register(sim.Factory())
	reg.Register(azure.FactoryWith(azure.Options{Credential: s.Credential(), Transport: s.Transport(),
		PollFrequency: 5 * time.Millisecond, RetryDelay: 5 * time.Millisecond}))
	ws := workspace.New(dir, reg)
	step := func(to string) *operation.Planned {
		if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(moveSpec(20, to)), 0o600); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		sess, diags := ws.Begin(ctx, workspace.BeginOptions{Operation: "apply", LockTimeout: time.Second})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		defer sess.Close()
		p, diags := sess.Plan(ctx, workspace.PlanOptions{})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		res, err := sess.Apply(ctx, p, workspace.ApplyOptions{Operation: "apply", Parallelism: 8})
		if err != nil {
			t.Fatal(err)
		}
		if ds := operation.OutcomeDiagnostics(sess.Spec, p.Plan, res); ds.HasErrors() {
			t.Fatal(ds.Error())
		}
		if to == "provider.azure.cloud" {
			inv, err := sess.Drivers["sim.lab"].Inventory(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(inv.VMs) != 0 {
				t.Errorf("%d VMs left on the simulator after the move", len(inv.VMs))
			}
		}
		return p
	}
	step("provider.sim.lab")
	p := step("provider.azure.cloud")
	if len(p.Plan.Changes) != 20 {
		t.Fatalf("%d changes, want 20 replaces", len(p.Plan.Changes))
	}
	for _, c := range p.Plan.Changes {
		if c.Action.String() != "replace" || c.Before == nil || c.After == nil || c.Before.Provider != "sim.lab" || c.After.Provider != "azure.cloud" {
			t.Errorf("%s: %s from %v to %v, want a replace from sim.lab to azure.cloud", c.Address, c.Action, c.Before, c.After)
		}
	}
	if got := s.VMNames(); len(got) != 20 || !slices.Contains(got, "web-19") {
		t.Errorf("Azure holds %d VMs after the move: %v", len(got), got)
	}
}
