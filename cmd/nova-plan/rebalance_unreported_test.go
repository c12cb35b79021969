package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRebalanceNamesProvidersThatCannotReport: the sim driver does not
// measure utilization; rebalance without -utilization says so, naming the
// provider and the flag (stderr), and -json lists it with its running VMs;
// with a file (even one that lists a single VM) there is nothing to say.
func TestRebalanceNamesProvidersThatCannotReport(t *testing.T) {
	dir := newDir(t, rebalanceSpec(2, nil, false)) // vm.db, vm.app0, vm.app1
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	type unreported struct {
		Provider string `json:"provider"`
		VMs      int    `json:"vms"`
	}
	cases := []struct {
		name string
		args []string
		want []unreported
	}{
		{"no file", nil, []unreported{{"sim.lab", 3}}},
		{"file", []string{"-utilization", writeUse(t, dir, map[string][2]float64{"vm.db": {1, 1024}})}, []unreported{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			warning := "Provider sim.lab cannot report utilization"
			text := nova(t, dir, append([]string{"rebalance", "-no-color"}, c.args...)...).Must(t, 0, "rebalance")
			if said := strings.Contains(text.Stderr, warning) && strings.Contains(text.Stderr, "-utilization FILE"); said != (len(c.want) > 0) {
				t.Errorf("stderr names the provider and -utilization: %v, want %v:\n%s", said, len(c.want) > 0, text.Stderr)
			}
			out := nova(t, dir, append([]string{"rebalance", "-json"}, c.args...)...).Must(t, 0, "rebalance -json")
			var doc struct {
				Rebalance struct {
					Unreported []unreported `json:"unreported_providers"`
				} `json:"rebalance"`
			}
			if err := json.Unmarshal([]byte(out.Stdout), &doc); err != nil {
				t.Fatalf("rebalance -json: %v\n%s", err, out.Stdout)
			}
			if diff := cmp.Diff(c.want, doc.Rebalance.Unreported); diff != "" {
				t.Errorf("unreported_providers (-want +got):\n%s", diff)
			}
		})
	}
}
