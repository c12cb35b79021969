package main

import (
	"encoding/json"
	"testing"
)

// constrainedSpec is two hosts of 8 vCPU, only hv-02 labelled big=yes, a
// filler of 8 vCPU that only hv-02 can take, and web, two VMs of 2 vCPU
// spread by host; web is declared first when webFirst.
func constrainedSpec(webFirst bool) string {
	filler := `
fleet "filler" {
  template  = template.ubuntu
  cpu       = 8
  memory_gb = 8
  placement { host_labels = { big = "yes" } }
}
`
	web := `
fleet "web" {
  count     = 2
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 2
  placement { spread_by = "host" }
}
`
	fleets := filler + web
	if webFirst {
		fleets = web + filler
	}
	return `provider "sim" "lab" {
  hosts          = 2
  host_cpu       = 8
  host_memory_gb = 32
  host_labels    = { "hv-02" = "big=yes" }
}

template "ubuntu" {
  sim { image = "ubuntu" }
}
` + fleets
}

// TestConstrainedPlacedFirst: a fleet restricted by host_labels is placed
// before a spread fleet that may go anywhere, whatever the spec's order:
// web's spread (a preference) does not take the only host filler can use.
func TestConstrainedPlacedFirst(t *testing.T) {
	for _, webFirst := range []bool{false, true} {
		dir := newDir(t, constrainedSpec(webFirst))
		r := nova(t, dir, "plan", "-json").Must(t, 0, "plan")
		var p testPlan
		if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
			t.Fatalf("plan -json: %v\n%s", err, r.Stdout)
		}
		hosts := map[string]string{}
		for _, c := range p.Changes {
			hosts[c.Address] = c.After.Host
		}
		if hosts["fleet.filler"] != "hv-02" || hosts["fleet.web[0]"] != "hv-01" || hosts["fleet.web[1]"] != "hv-01" {
			t.Errorf("web first %v: hosts %v; want filler on hv-02 and web on hv-01", webFirst, hosts)
		}
	}
}
