package workspace_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/workspace"
)

// createsPlan is a plan that creates n VMs, as a plan of a new fleet is.
func createsPlan(n int) *plan.Plan {
	p := &plan.Plan{
		FormatVersion: plan.FormatVersion, Lineage: "lin-digest", SpecDigest: "spec",
		InventoryFingerprint: plan.Fingerprint{Managed: "m", Others: map[string]string{"sim.big": "o"},
			Hosts: map[string][]plan.HostCapacity{"sim.big": {{Name: "hv-001", CPU: 256, MemoryMiB: 1 << 20}}}},
		FleetDeps: map[string][]string{"fleet.app": {}}, Changes: []*plan.Change{},
	}
	for i := range n {
		addr := fmt.Sprintf("fleet.app[%d]", i)
		p.Changes = append(p.Changes, &plan.Change{
			Address: addr, Fleet: "fleet.app", Action: plan.Create,
			After: &plan.Attrs{Provider: "sim.big", Name: fmt.Sprintf("app-%d", i), Host: "hv-001", CPU: 1, MemoryMiB: 1024,
				Power: driver.PowerRunning, Template: `image="base"`, TemplateName: "base", Tags: map[string]string{"tier": "app"}},
			Reasons: []string{"not found: no VM carries this address's marker"},
			Marker:  &driver.Marker{Address: addr, Lineage: "lin-digest", SpecHash: "0123456789abcdef"},
		})
	}
	return p
}

// TestDigestIsTheSHA256OfThePlansJSON: the digest the audit log and the
// server keep for a plan is what it always was, the SHA-256 of the plan's
// JSON encoding (a saved plan file's checksum), though it is no longer
// computed from the whole encoding at once.
func TestDigestIsTheSHA256OfThePlansJSON(t *testing.T) {
	withExtras := createsPlan(3)
	withExtras.Destroy, withExtras.Targets = true, []string{"fleet.app"}
	withExtras.Warnings = []string{`a "changes":[] warning <&>`}
	withExtras.Variables = map[string]plan.Variable{"changes": {Type: []byte(`"string"`), Value: []byte(`"[]"`)}}
	noChanges := createsPlan(0)
	nilChanges := createsPlan(0)
	nilChanges.Changes = nil
	for name, p := range map[string]*plan.Plan{"creates": createsPlan(50), "extras": withExtras, "empty": noChanges, "nil": nilChanges, "zero": {}} {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got, want := workspace.Digest(p), hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: Digest = %s; want %s, the SHA-256 of its JSON", name, got, want)
		}
	}
}

// BenchmarkDigest10k digests a plan that creates 10,000 VMs, as every
// apply does for its audit record.
func BenchmarkDigest10k(b *testing.B) {
	p := createsPlan(10000)
	b.ReportAllocs()
	for b.Loop() {
		workspace.Digest(p)
	}
}
