package vsphere

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/vcsim"
)

// twoProviderSpec is a fleet on provider a (cluster DC0_C0) and one on
// provider b, whose block body is bBody.
func twoProviderSpec(bBody string) string {
	return fmt.Sprintf(`
provider "vsphere" "a" {
  datacenter = "DC0"
  cluster    = "DC0_C0"
}
provider "vsphere" "b" {
  datacenter = "DC0"
  %s
}
template "t" {
  vsphere { vm = "novacron-template" }
}
fleet "p" {
  provider  = provider.vsphere.a
  count     = 2
  template  = template.t
  cpu       = 1
  memory_gb = 0.25
  disk_gb   = 10
}
fleet "q" {
  provider  = provider.vsphere.b
  count     = 1
  template  = template.t
  cpu       = 1
  memory_gb = 0.25
  disk_gb   = 10
}
`, bBody)
}

// TestTwoProvidersOneVCenter: two providers on one vCenter, each on a
// cluster of its own, list only their own cluster's VMs, so neither takes
// the other's for strays; a provider whose scope takes in the other's
// (the whole datacenter) makes plan and destroy refuse, naming both,
// and destroys nothing.
func TestTwoProvidersOneVCenter(t *testing.T) {
	s := startSim(t, vcsim.Options{Clusters: 2, Hosts: 2})
	useSim(t, s)
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, twoProviderSpec(`cluster = "DC0_C1"`))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	nova.NoChanges(t, dir, "apply")

	var got []string
	for _, vm := range nova.Inventory(t, dir) {
		if vm.Address != "" {
			got = append(got, vm.Address+" "+vm.Host[:len("DC0_C0")])
		}
	}
	want := []string{"fleet.p[0] DC0_C0", "fleet.p[1] DC0_C0", "fleet.q[0] DC0_C1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("inventory lists each VM once, in its provider's cluster (-want +got):\n%s", diff)
	}

	clitest.WriteSpec(t, dir, twoProviderSpec(""))
	for _, args := range [][]string{{"plan"}, {"destroy", "-auto-approve"}} {
		r := nova.Run(t, dir, args...).Must(t, 1, strings.Join(args, " ")+" with overlapping providers")
		for _, w := range []string{"Providers' scopes overlap", "provider vsphere.a", "provider vsphere.b", "their scopes overlap"} {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("%s: no %q in:\n%s", args[0], w, r.Stderr)
			}
		}
	}
	if n := countVMs(t, s, "p-"); n != 2 {
		t.Errorf("%d VMs of fleet p left; want 2 (nothing destroyed)", n)
	}
}

// countVMs counts the simulator's VMs whose names start with prefix.
func countVMs(t *testing.T, s *vcsim.Sim, prefix string) int {
	t.Helper()
	_, f := simClient(t, s)
	vms, err := f.VirtualMachineList(context.Background(), prefix+"*")
	if err != nil && !isFindMiss(err) {
		t.Fatal(err)
	}
	return len(vms)
}
