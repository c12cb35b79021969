package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// upgradeV0 runs the provider server's upgrade of a schema version 0
// state of typ (as Terraform sends it) and returns the upgraded lineage.
func upgradeV0(t *testing.T, typ, state string) string {
	t.Helper()
	srv, err := factories()["novacron"]()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: typ, Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(state)},
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("upgrade: %v %+v", err, resp.Diagnostics)
	}
	v, err := resp.UpgradedState.Unmarshal(schemas.ResourceSchemas[typ].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var lineage string
	if err := attrs["lineage"].As(&lineage); err != nil {
		t.Fatal(err)
	}
	return lineage
}

// TestUpgradeKeepsTheV0Lineage: a state of schema version 0 upgrades to
// the lineage its VMs' markers carry (version 0's, from the name), the
// same on every run, so the upgraded resource still owns its VMs.
func TestUpgradeKeepsTheV0Lineage(t *testing.T) {
	vm, _ := json.Marshal(map[string]any{
		"id": "vm-000001", "backend": "lab", "name": "db", "template": map[string]string{"image": "u"},
		"template_id": `image="u"`, "cpu": 1, "memory_gb": 1, "disk_gb": 20, "power": "running", "host": "hv-01",
		"tags": nil, "ip_addresses": []string{}, "timeouts": nil,
	})
	fleet, _ := json.Marshal(map[string]any{
		"id": "lab/web", "backend": "lab", "name": "web", "instance_count": 1, "instances": nil, "name_pattern": nil,
		"template": map[string]string{"image": "u"}, "cpu": 1, "memory_gb": 1, "disk_gb": 20, "power": "running",
		"tags": nil, "placement": nil, "rollout": nil, "changes": []any{}, "last_apply": []any{}, "timeouts": nil,
		"vms": map[string]any{"0": map[string]any{"id": "vm-000002", "name": "web-0", "host": "hv-01", "ip_address": "10.0.0.2", "cpu": 1}},
	})
	for _, tt := range []struct{ typ, state, want string }{
		{"novacron_vm", string(vm), "terraform:novacron_vm:db"},
		{"novacron_fleet", string(fleet), "terraform:novacron_fleet:web"},
	} {
		first, again := upgradeV0(t, tt.typ, tt.state), upgradeV0(t, tt.typ, tt.state)
		if diff := cmp.Diff([]string{tt.want, tt.want}, []string{first, again}); diff != "" {
			t.Errorf("%s: upgraded lineages (-want +got):\n%s", tt.typ, diff)
		}
	}
}
