package azuretest_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/azure"
	"github.com/novacron/novacron/engine/spec"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/internal/azuretest"
)

// TestExample: examples/azure applies as written (its variables and the
// subscription from the environment, as its README says) and destroys,
// against the SDK's server fakes.
func TestExample(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "azure", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	s := azuretest.New(azuretest.Config{Subscription: wsSubscription, ResourceGroup: "novacron-example", Location: "westeurope",
		Subnets: []string{wsSubnet}, Images: []string{"Canonical:0001-com-ubuntu-server-jammy:22_04-lts"},
		Sizes: []string{"Standard_B2s"}})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), src, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(azure.EnvName("subscription_id"), wsSubscription)
	reg := &driver.Registry{}
	reg.Register(azure.FactoryWith(azure.Options{Credential: s.Credential(), Transport: s.Transport(),
		PollFrequency: 5 * time.Millisecond, RetryDelay: 5 * time.Millisecond}))
	env := []string{"NOVA_VAR_subnet_id=" + wsSubnet, "NOVA_VAR_ssh_public_key=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vdmFjcm9uLXRlc3Qta2V5 me"}
	ws := workspace.New(dir, reg)
	for _, destroy := range []bool{false, true} {
		ctx := context.Background()
		sess, diags := ws.Begin(ctx, workspace.BeginOptions{Operation: "apply", LockTimeout: time.Second, Spec: spec.Options{Env: env}})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		p, diags := sess.Plan(ctx, workspace.PlanOptions{Destroy: destroy})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		if _, err := sess.Apply(ctx, p, workspace.ApplyOptions{Operation: "apply", Parallelism: 4}); err != nil {
			t.Fatal(err)
		}
		sess.Close()
		want := []string{"web-0", "web-1"}
		if destroy {
			want = []string{}
		}
		if got := s.VMNames(); !slices.Equal(got, want) {
			t.Errorf("destroy=%t: VMs %v, want %v", destroy, got, want)
		}
	}
}
