package vsphere

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/vcsim"
)

// rebalanceSpec is three 1-vCPU VMs on hosts of 2 cores (cpu ratio 1):
// a and b on pinA, c on pinC ("" leaves a VM unpinned).
func rebalanceSpec(pinA, pinC string) string {
	var b strings.Builder
	b.WriteString(`
provider "vsphere" "lab" {
  datacenter           = "DC0"
  cluster              = "DC0_C0"
  datastore            = "LocalDS_0"
  network              = "DC0_DVPG0"
  shutdown_timeout     = "5s"
  cpu_allocation_ratio = 1
}

template "small" {
  vsphere { vm = "novacron-template" }
}
`)
	for _, vm := range []struct{ name, host string }{{"a", pinA}, {"b", pinA}, {"c", pinC}} {
		host := ""
		if vm.host != "" {
			host = fmt.Sprintf("\n  host      = %q", vm.host)
		}
		fmt.Fprintf(&b, "vm %q {\n  template  = template.small\n  cpu       = 1\n  memory_gb = 0.5\n  disk_gb   = 10%s\n}\n", vm.name, host)
	}
	return b.String()
}

// rebalanceReport is the part of `rebalance -json` this test reads.
type rebalanceReport struct {
	Changes []struct {
		Address string `json:"address"`
		Action  string `json:"action"`
		After   struct {
			Host string `json:"host"`
		} `json:"after"`
	} `json:"changes"`
	Rebalance struct {
		Unmeasured int `json:"unmeasured"`
		Unreported []struct {
			Provider string `json:"provider"`
		} `json:"unreported_providers"`
		Hot []struct {
			Host string  `json:"host"`
			CPU  float64 `json:"cpu_percent"`
		} `json:"hot_hosts"`
	} `json:"rebalance"`
}

// TestRebalanceFromQuickStats: nova-plan rebalance, given no -utilization
// file, reads the VMs' quick statistics from the simulator through the
// driver: a and b use 2000 and 1600 MHz of H0's 2 cores at 2000 MHz (90 %,
// hot), c has no statistics and counts at its allocation (not as idle).
// One VM moves to H2 (H1 would pass the threshold with c at 1 core), the
// saved plan applies as a vMotion, and a second rebalance has nothing to do.
func TestRebalanceFromQuickStats(t *testing.T) {
	s := startSim(t, vcsim.Options{})
	useSim(t, s)
	dir := t.TempDir()
	h0, h1, h2 := vcsim.HostName(0), vcsim.HostName(1), vcsim.HostName(2)
	for _, h := range []string{h0, h1, h2} {
		if err := s.SetHostCPUMHz(h, 2000); err != nil {
			t.Fatal(err)
		}
	}
	clitest.WriteSpec(t, dir, rebalanceSpec(h0, h1))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply a and b on H0, c on H1")
	clitest.WriteSpec(t, dir, rebalanceSpec("", "")) // unpinned: they may move now
	for name, mhz := range map[string]int32{"a": 2000, "b": 1600} {
		if err := s.SetQuickStats(name, types.VirtualMachineQuickStats{OverallCpuUsage: mhz, HostMemoryUsage: 256, GuestMemoryUsage: 100}); err != nil {
			t.Fatal(err)
		}
	}

	var rep rebalanceReport
	out := nova.Run(t, dir, "rebalance", "-json").Must(t, 0, "rebalance -json")
	if err := json.Unmarshal([]byte(out.Stdout), &rep); err != nil {
		t.Fatalf("rebalance -json: %v\n%s", err, out.Stdout)
	}
	r := rep.Rebalance
	if r.Unmeasured != 1 || len(r.Unreported) != 0 || len(r.Hot) != 1 || r.Hot[0].Host != h0 || r.Hot[0].CPU != 90 {
		t.Errorf("rebalance -json reports %+v; want 1 unmeasured VM (c), no unreported provider, %s hot at 90 %% cpu", r, h0)
	}
	if strings.Contains(out.Stderr, "cannot report utilization") {
		t.Errorf("rebalance warns that vSphere cannot report utilization:\n%s", out.Stderr)
	}
	if len(rep.Changes) != 1 || rep.Changes[0].Action != "migrate" || rep.Changes[0].After.Host != h2 {
		t.Fatalf("rebalance plans %+v; want one migration to %s\n%s", rep.Changes, h2, out.Stdout)
	}
	moved := strings.TrimPrefix(rep.Changes[0].Address, "vm.")

	text := nova.Run(t, dir, "rebalance", "-no-color", "-out", "r.plan").Must(t, 0, "rebalance -out")
	if want := fmt.Sprintf("Hot host %s (vsphere.lab): cpu 90.0 %%", h0); !strings.Contains(text.Stdout, want) {
		t.Errorf("rebalance does not say %q:\n%s", want, text.Stdout)
	}
	nova.Run(t, dir, "apply", "r.plan").Must(t, 0, "apply the rebalance plan")
	got := map[string]string{}
	for _, name := range []string{"a", "b", "c"} {
		got[name] = hostOnVCenter(t, s, name)
	}
	want := map[string]string{"a": h0, "b": h0, "c": h1}
	want[moved] = h2
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hosts on vCenter after the rebalance (-want +got):\n%s", diff)
	}
	nova.Run(t, dir, "rebalance", "-detailed-exitcode").Must(t, 0, "a second rebalance")
	nova.NoChanges(t, dir, "the rebalance")
}
