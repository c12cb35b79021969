package libvirt

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/novacron/novacron/internal/gcetest"
)

// moveSpec is a fleet of tiny guests on the provider named, with libvirt
// and the Compute Engine test server both declared. On libvirt the disk
// is 1 GB; Compute Engine's image needs 10.
func moveSpec(s *gcetest.Server, prefix, logDir, on string, diskGB int) string {
	return fmt.Sprintf(`
provider "libvirt" "local" {
  uri              = "qemu:///system"
  domain_type      = "qemu"
  serial_log_dir   = %q
  shutdown_timeout = "20s"
}

provider "gce" "cloud" {
  project       = %q
  zone          = %q
  endpoint      = %q
  poll_interval = "10ms"
}

template "tiny" {
  libvirt {
    kernel    = "%[5]s/vmlinuz"
    initrd    = "%[5]s/initrd.img"
    cmdline   = "console=ttyS0 quiet"
    user_data = "#cloud-config\n"
  }
  gce { image = %[6]q }
}

fleet "tiny" {
  provider  = provider.%[7]s
  count     = 4
  name      = "%[8]s${count.index}"
  template  = template.tiny
  cpu       = 1
  memory_gb = 0.125
  disk_gb   = %[9]d
  tags      = { tier = "web" }
  rollout {
    batch_size = 2
  }
}
`, logDir, s.Project, s.Zones[0], s.Endpoint, guestDir, gcetest.ImagePath, on, prefix, diskGB)
}

// TestMoveToGCE: a 4-VM fleet on libvirt moves to Compute Engine by
// changing its provider. The plan replaces every VM in two batches of 2;
// the apply leaves no domain or volume of the fleet on libvirt and 4
// marked instances on the test server; a plan after finds nothing to do.
func TestMoveToGCE(t *testing.T) {
	requireGuest(t)
	l := systemConn(t)
	prefix := uniquePrefix(t, l, "move")
	s, err := gcetest.Start(gcetest.Options{})
	if err != nil {
		t.Fatalf("starting the Compute Engine test server: %v", err)
	}
	t.Cleanup(s.Close)
	creds, err := s.WriteCredentials(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", creds)
	dir, logDir := t.TempDir(), t.TempDir()

	writeSpec(t, dir, moveSpec(s, prefix, logDir, "libvirt.local", 1))
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply on libvirt")
	if n := len(leftDomains(t, l, prefix)); n != 4 {
		t.Fatalf("libvirt has %d domains named %s* after the apply, want 4", n, prefix)
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the apply on libvirt")

	writeSpec(t, dir, moveSpec(s, prefix, logDir, "gce.cloud", 10))
	r := nova(t, dir, "plan", "-json").Must(t, 0, "plan -json of the move")
	var p struct {
		Changes []struct {
			Address, Action, Provider string
			PreviousProvider          string `json:"previous_provider"`
			Batch                     int
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan -json printed invalid JSON: %v\n%s", err, r.Stdout)
	}
	batches := map[int]int{}
	for _, c := range p.Changes {
		batches[c.Batch]++
		if c.Action != "replace" || c.PreviousProvider != "libvirt.local" || c.Provider != "gce.cloud" {
			t.Errorf("%s: %s from %q to %q; want a replace from libvirt.local to gce.cloud", c.Address, c.Action, c.PreviousProvider, c.Provider)
		}
	}
	if len(p.Changes) != 4 || len(batches) != 2 {
		t.Errorf("the move plans %d changes in batches %v, want 4 in 2 batches of 2", len(p.Changes), batches)
	}

	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the move")
	checkLeft(t, l, prefix, nil, nil)
	var addrs []string
	for _, i := range s.Managed() {
		if i.Status != "RUNNING" || i.MachineType != "e2-micro" || i.Labels["tier"] != "web" || !strings.HasPrefix(i.Name, prefix) {
			t.Errorf("instance %s: %s %s, labels %v; want a running e2-micro labelled tier=web", i.Name, i.Status, i.MachineType, i.Labels)
		}
		addrs = append(addrs, i.Name)
	}
	if want := []string{prefix + "0", prefix + "1", prefix + "2", prefix + "3"}; !slices.Equal(addrs, want) {
		t.Errorf("the Compute Engine server runs %v, want %v", addrs, want)
	}
	listed := managed(t, dir, prefix).VMs
	if len(listed) != 4 {
		t.Errorf("inventory lists %d VMs named %s*, want the 4 on Compute Engine", len(listed), prefix)
	}
	for _, vm := range listed {
		if vm.Address == "" {
			t.Errorf("inventory lists %s without its address (marker)", vm.Name)
		}
	}
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after the move")
	if u := s.Unexpected(); len(u) > 0 {
		t.Errorf("the test server refused calls it does not know: %q", u)
	}
}
