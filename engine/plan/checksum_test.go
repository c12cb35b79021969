package plan_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/spec"
)

// TestChecksumIsThePlanFiles: a plan's checksum, hashed a change at a
// time, is the checksum its saved file carries.
func TestChecksumIsThePlanFiles(t *testing.T) {
	p, _ := samplePlan(t)
	path := filepath.Join(t.TempDir(), "tfplan")
	if err := plan.WriteFile(path, p); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var env struct{ Checksum string }
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	if got := p.Checksum(); got != env.Checksum {
		t.Errorf("Checksum = %s; the file's is %s", got, env.Checksum)
	}
}

// TestSpecHashIsWhatItWas: the marker's spec hash, now built with appends,
// is what fmt wrote before, for tags that need quoting too: VMs made
// before keep their markers' meaning.
func TestSpecHashIsWhatItWas(t *testing.T) {
	f := &spec.Fleet{Kind: spec.KindFleet, Name: "web", Provider: &spec.Provider{Type: "sim", Name: "lab"},
		TemplateRef: driver.TemplateRef{Name: "u", Config: driver.Config{"image": `a "b"`}}}
	for _, inst := range []*spec.Instance{
		{Address: "fleet.web[0]", Fleet: f, Name: "web-0", CPU: 2, MemoryMiB: 2048, DiskGB: 20, Power: driver.PowerRunning},
		{Address: `fleet.web["é\n"]`, Fleet: f, Name: "w|x", Host: "hv-01", CPU: -1, MemoryMiB: 1 << 40, Power: driver.PowerStopped,
			Tags: map[string]string{"b": "x\x1b\"", "a": "ü", `k"=`: ",", "": ""}},
	} {
		h := sha256.New()
		fmt.Fprintf(h, "%s|%s|%s|%d|%d|%d|%s|%s|", inst.Address, inst.Name, inst.Host,
			inst.CPU, inst.MemoryMiB, inst.DiskGB, inst.Power, f.TemplateRef.ID())
		for _, k := range slices.Sorted(maps.Keys(inst.Tags)) {
			fmt.Fprintf(h, "%q=%q,", k, inst.Tags[k])
		}
		if got, want := plan.SpecHash(inst), hex.EncodeToString(h.Sum(nil))[:16]; got != want {
			t.Errorf("SpecHash(%s) = %s; want %s", inst.Address, got, want)
		}
	}
}
