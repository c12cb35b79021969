package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// packedSpec is three small VMs on a sim of four hosts, with the placement
// block given (none: packed on one host).
func packedSpec(placement string) string {
	return `provider "sim" "lab" {
  hosts          = 4
  host_cpu       = 16
  host_memory_gb = 64
}

template "ubuntu" {
  sim { image = "ubuntu" }
}

fleet "web" {
  provider  = provider.sim.lab
  count     = 3
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 2
` + placement + "}\n"
}

// TestPlacementRuleAddedLater: a fleet deployed packed, then given
// placement { spread_by = "host" }, plans no change (rules apply when a VM
// is placed) but warns at the block, with its source line, how many VMs
// break it and how to move them; exit 0, also with -detailed-exitcode; the
// JSON plan carries the warning; -replace moves them and the warning goes.
func TestPlacementRuleAddedLater(t *testing.T) {
	dir := newDir(t, packedSpec(""))
	nova(t, dir, "apply", "-auto-approve", "-no-color").Must(t, 0, "apply")
	writeSpec(t, dir, packedSpec("  placement {\n    spread_by = \"host\"\n  }\n"))

	r := nova(t, dir, "plan", "-no-color", "-detailed-exitcode").Must(t, 0, "plan")
	if !strings.Contains(r.Stdout, "No changes.") || strings.Contains(r.Stdout, "Warning:") {
		t.Errorf("stdout should say No changes, and leave the warning to stderr:\n%s", r.Stdout)
	}
	for _, want := range []string{
		"Warning: Running VMs break the placement rules",
		"on main.nova.hcl line 17, in fleet \"web\":",
		"  17:   placement {",
		"2 VMs of the 3 VMs of fleet.web that this plan leaves where they run break its placement block at main.nova.hcl:17,3-12",
		"-replace=fleet.web[1] -replace=fleet.web[2]",
	} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.Stderr)
		}
	}
	golden(t, "placement-rule-added.txt", r.Stderr)

	out := nova(t, dir, "plan", "-json").Must(t, 0, "plan -json")
	var doc struct {
		Changes  []json.RawMessage `json:"changes"`
		Warnings []string          `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out.Stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Changes) != 0 || len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0], "break its placement block at main.nova.hcl:17,3-12") {
		t.Errorf("JSON: %d changes, warnings %q; want none and the warning", len(doc.Changes), doc.Warnings)
	}
	if strings.Contains(out.Stderr, "placement") {
		t.Errorf("plan -json said the warning on stderr too (the document carries it):\n%s", out.Stderr)
	}

	nova(t, dir, "apply", "-auto-approve", "-no-color", "-replace=fleet.web[1]", "-replace=fleet.web[2]").Must(t, 0, "apply the replaces")
	after := nova(t, dir, "plan", "-no-color", "-detailed-exitcode").Must(t, 0, "plan after the replaces")
	if strings.Contains(after.Stderr, "placement") {
		t.Errorf("the VMs were placed again by the rule; the warning should go:\n%s", after.Stderr)
	}
}
