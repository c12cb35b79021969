package rebalance_test

import (
	"testing"

	"github.com/novacron/novacron/engine/rebalance"
)

func TestDecodeUsage(t *testing.T) {
	src := `{
  "format_version": 1,
  "vms": {
    "vm.a": {"cpu": 1.5, "memory_mib": 2048},
    "vm.b": {"samples": [
      {"time": "2026-12-01T11:00:00Z", "cpu": 2, "memory_mib": 300},
      {"time": "2026-12-01T10:00:00Z", "cpu": 1, "memory_mib": 100}
    ]}
  }
}`
	f, diags := rebalance.DecodeUsage("use.json", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cases := []struct {
		addr     string
		cpu, mem float64
		samples  int
		line     int
	}{
		{"vm.a", 1.5, 2048, 0, 4},
		{"vm.b", 2, 300, 2, 5}, // the newest sample
	}
	for _, c := range cases {
		u := f.VMs[c.addr]
		if u == nil {
			t.Fatalf("%s missing", c.addr)
		}
		cpu, mem := u.Now()
		if cpu != c.cpu || mem != c.mem || len(u.History) != c.samples || u.Range.Start.Line != c.line {
			t.Errorf("%s: now %g cores %g MiB, %d samples, line %d; want %g, %g, %d, %d", c.addr, cpu, mem, len(u.History), u.Range.Start.Line, c.cpu, c.mem, c.samples, c.line)
		}
	}
}
