package gce

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/gcetest"
)

// The cases of the hostile new user's review (issue 14) that are not bad
// input: settings the driver must take, and messages that must say what
// happened.

// oneVM is a spec of one VM named name in the server's first zone, with
// extra lines in the provider block.
func oneVM(s *gcetest.Server, provider, name string) string {
	return fmt.Sprintf(`
provider "gce" "cloud" {
  project       = %q
  zone          = %q
  poll_interval = "10ms"
%s
}
template "t" {
  gce { image = %q }
}
vm %q {
  template  = template.t
  cpu       = 2
  memory_gb = 2
  disk_gb   = 10
}
`, s.Project, s.Zones[0], provider, gcetest.ImagePath, name)
}

// TestEndpointWithoutSlash: an endpoint without its trailing slash is the
// same base URL (F3): the plan and apply work, and the calls reach
// /compute/v1/.
func TestEndpointWithoutSlash(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, oneVM(s, fmt.Sprintf("  endpoint = %q", strings.TrimSuffix(s.Endpoint, "/")), "web-0"))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply with an endpoint without its slash")
	if n := len(s.Managed()); n != 1 {
		t.Errorf("the server holds %d managed instances, want 1", n)
	}
}

// TestEmptyNetworkIsDefault: network = "" means the default network, as
// subnetwork = "" and project = "" mean theirs (F4).
func TestEmptyNetworkIsDefault(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, oneVM(s, fmt.Sprintf("  endpoint = %q\n  network = \"\"\n  subnetwork = \"\"", s.Endpoint), "web-0"))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, `apply with network = ""`)
	if got := s.Managed(); len(got) != 1 || got[0].Network != gcetest.Network {
		t.Errorf("the server holds %+v, want one instance in network %s", got, gcetest.Network)
	}
}

// TestNameClashAtPlan: a VM whose instance name an unlabelled instance of
// its zone already has is refused at plan time, saying how to import it
// (F8), and apply makes nothing.
func TestNameClashAtPlan(t *testing.T) {
	s := startServer(t, gcetest.Options{Instances: 3}) // unmanaged-00002 is in the first zone
	dir := t.TempDir()
	clitest.WriteSpec(t, dir, oneVM(s, fmt.Sprintf("  endpoint = %q", s.Endpoint), "unmanaged-00002"))
	for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
		r := nova.Run(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
		for _, w := range []string{"vm.unmanaged-00002", "instance named unmanaged-00002 already exists in zone " + s.Zones[0], "list_unmanaged = true", "nova-plan import 'vm.unmanaged-00002' " + s.Zones[0] + "/unmanaged-00002"} {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], w, r.Stderr)
			}
		}
	}
	if n := s.Calls("compute.instances.insert"); n != 0 {
		t.Errorf("the server saw %d inserts, want none", n)
	}
}

// TestWaitCancelled: a wait cut short by the run's cancellation says so,
// not that wait_timeout passed (F9); one that outlives wait_timeout names
// it.
func TestWaitCancelled(t *testing.T) {
	s := startServer(t, gcetest.Options{})
	cfg := serverConfig(s)
	cfg[settingPollInterval] = time.Minute
	d := openDriver(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer time.AfterFunc(300*time.Millisecond, cancel).Stop()
	_, err := d.Create(ctx, testSpec("web-0"))
	if err == nil || !strings.Contains(err.Error(), "the run was cancelled") || strings.Contains(err.Error(), "wait_timeout") {
		t.Errorf("Create cancelled while waiting: %v; want it to say the run was cancelled, and not name wait_timeout", err)
	}
	if driver.KindOf(err) != driver.KindTransient {
		t.Errorf("Create cancelled: kind %s, want transient", driver.KindOf(err))
	}
	cfg[settingWaitTimeout] = 50 * time.Millisecond
	d = openDriver(t, cfg)
	_, err = d.Create(context.Background(), testSpec("web-1"))
	if err == nil || !strings.Contains(err.Error(), "after wait_timeout 50ms") || strings.Contains(err.Error(), "cancelled") {
		t.Errorf("Create past wait_timeout: %v; want it to name wait_timeout 50ms", err)
	}
}

// TestNameHint: a name that is no instance name is fixed where it comes
// from: a vm block is told to set name, never to rename a fleet (F6).
func TestNameHint(t *testing.T) {
	for addr, want := range map[string]string{
		"fleet.web[0]": "set name, or rename the fleet", `fleet.web["a"]`: "set name, or rename the fleet",
		"vm.one": "set name", "": "set name",
	} {
		if got := nameHint(driver.VMSpec{Marker: driver.Marker{Address: addr}}); got != want {
			t.Errorf("nameHint of %q = %q, want %q", addr, got, want)
		}
	}
}
