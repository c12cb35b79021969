package hyperv

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/hypervtest"
)

// lifecycleSpec is a 3-VM fleet and a VM pinned to a host, on the test
// server's two hosts.
func lifecycleSpec(s *hypervtest.Server, cpu int, memoryGB float64, dbHost string) string {
	return fmt.Sprintf(`
provider "hyperv" "lab" {
  url              = %q
  username         = %q
  ca_file          = %q
  hosts            = ["HV1", "HV2"]
  switch           = "LAN"
  path             = "C:\\VMs"
  shutdown_timeout = "5s"
}

template "tiny" {
  hyperv { vhdx = %q }
}

fleet "web" {
  count     = 3
  template  = template.tiny
  cpu       = %d
  memory_gb = %g
  disk_gb   = 10
  tags      = { tier = "web" }
  placement {
    spread_by = "host"
  }
}

vm "db" {
  template  = template.tiny
  cpu       = 1
  memory_gb = 1
  disk_gb   = 20
  host      = %q
}
`, s.URL, s.User, s.CAFile, hypervtest.Template, cpu, memoryGB, dbHost)
}

// TestLifecycle drives a fleet and a pinned VM through nova-plan against
// the test server (HTTPS, NTLM): apply, resize (a restart, which the plan says), move
// the pin (a live Move-VM, verified on the server), destroy; a plan after
// each apply finds nothing to change, and the server's own state is
// checked at each step.
func TestLifecycle(t *testing.T) {
	s := startServer(t, hypervtest.Options{})
	usePassword(t, s)
	dir := t.TempDir()

	clitest.WriteSpec(t, dir, lifecycleSpec(s, 1, 1, "HV1"))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	vms := nova.Managed(t, dir)
	if len(vms) != 4 || vms["vm.db"].Host != "HV1" || vms["vm.db"].DiskGB != 20 {
		t.Fatalf("after apply: %+v; want 4 VMs, db on HV1 with 20 GB", vms)
	}
	checkServer(t, s, 4, 1, 1024)
	nova.NoChanges(t, dir, "apply")

	clitest.WriteSpec(t, dir, lifecycleSpec(s, 2, 2, "HV1"))
	var want []string
	for i := range 3 {
		want = append(want, fmt.Sprintf("fleet.web[%d] update (restart)", i))
	}
	if diff := cmp.Diff(want, nova.Plan(t, dir).Actions()); diff != "" {
		t.Fatalf("plan of growing cpu and memory, which Hyper-V changes only while the VM is off (-want +got):\n%s", diff)
	}
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the resize")
	for addr, vm := range nova.Managed(t, dir) {
		if addr != "vm.db" && (vm.CPU != 2 || vm.MemoryGB != 2 || vm.Power != "running") {
			t.Errorf("%s after the resize: %d vCPU, %g GB, %s; want 2, 2, running", addr, vm.CPU, vm.MemoryGB, vm.Power)
		}
	}
	checkServer(t, s, 4, 2, 2048)
	nova.NoChanges(t, dir, "the resize")

	clitest.WriteSpec(t, dir, lifecycleSpec(s, 2, 2, "HV2"))
	if diff := cmp.Diff([]string{"vm.db migrate (live)"}, nova.Plan(t, dir).Actions()); diff != "" {
		t.Fatalf("plan of moving the pin (-want +got):\n%s", diff)
	}
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the move")
	if vm := serverVM(t, s, "db"); vm.Host != "HV2" || vm.State != "Running" {
		t.Errorf("the server has db on %s (%s) after the move, want HV2, Running", vm.Host, vm.State)
	}
	nova.NoChanges(t, dir, "the move")

	nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
	if vms := s.VMs(); len(vms) != 0 {
		t.Errorf("after destroy the server has VMs %+v", vms)
	}
	if diff := cmp.Diff([]string{hypervtest.Template}, s.Files()); diff != "" {
		t.Errorf("after destroy the server's VHDX files are not the template alone (-want +got):\n%s", diff)
	}
}

// checkServer checks the server's VMs: n of them, each with NovaCron's
// record in Notes, a differencing disk of the template in its own
// folder, and the web VMs at cpu and memory.
func checkServer(t *testing.T, s *hypervtest.Server, n, cpu int, memMiB int64) {
	t.Helper()
	vms := s.VMs()
	if len(vms) != n {
		t.Fatalf("the server has %d VMs, want %d", len(vms), n)
	}
	for _, vm := range vms {
		if _, rec, ok := readNotes(vm.Notes); !ok || rec.Lineage == "" || !strings.HasPrefix(rec.Address, "fleet.web[") && rec.Address != "vm.db" {
			t.Errorf("VM %s has Notes %q, without NovaCron's record", vm.Name, vm.Notes)
		}
		if len(vm.Disks) != 1 || !strings.HasPrefix(vm.Disks[0], vm.Path+`\`) {
			t.Errorf("VM %s (folder %s) has disks %v, want one in its folder", vm.Name, vm.Path, vm.Disks)
			continue
		}
		if f, _ := s.VHD(vm.Disks[0]); f.Parent != hypervtest.Template {
			t.Errorf("VM %s's disk %s has parent %q, want the template", vm.Name, f.Path, f.Parent)
		}
		if strings.HasPrefix(vm.Name, "web-") && (vm.CPU != cpu || vm.MemBytes != memMiB<<20 || vm.State != "Running") {
			t.Errorf("VM %s: %d vCPU, %d MiB, %s; want %d, %d, Running", vm.Name, vm.CPU, vm.MemBytes>>20, vm.State, cpu, memMiB)
		}
	}
}

// serverVM returns the server's VM with the name.
func serverVM(t *testing.T, s *hypervtest.Server, name string) hypervtest.VM {
	t.Helper()
	for _, vm := range s.VMs() {
		if vm.Name == name {
			return vm
		}
	}
	t.Fatalf("the server has no VM %s", name)
	return hypervtest.VM{}
}

// TestHostileTextThroughCLI: text that closes PowerShell's quotes, in a
// for_each key (so in the address NovaCron writes in Notes) and a tag
// value, is made, planned and destroyed through nova-plan as data: the
// server's VM carries it exactly, and the VMs beside it are untouched.
// (The spec language itself refuses such VM names; TestHostileNames
// sends them to the server through the driver.)
func TestHostileTextThroughCLI(t *testing.T) {
	s := startServer(t, hypervtest.Options{VMs: 2})
	usePassword(t, s)
	dir := t.TempDir()
	const evil = "a'; Remove-VM * -Force; '\u2019; exit" // U+2019 closes a PowerShell quote too
	clitest.WriteSpec(t, dir, fmt.Sprintf(`
provider "hyperv" "lab" {
  url      = %q
  username = %q
  ca_file  = %q
  hosts    = ["HV1", "HV2"]
}
template "tiny" {
  hyperv { vhdx = %q }
}
fleet "evil" {
  for_each  = toset([%q])
  name      = "evil-1"
  template  = template.tiny
  cpu       = 1
  memory_gb = 1
  disk_gb   = 10
  tags      = { note = each.key }
}
`, s.URL, s.User, s.CAFile, hypervtest.Template, evil))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	_, rec, ok := readNotes(serverVM(t, s, "evil-1").Notes)
	want := evil
	if !ok || rec.Tags["note"] != want || !strings.Contains(rec.Address, want) {
		t.Errorf("the server's VM has record %+v (%t), want the tag and address to hold %q", rec, ok, want)
	}
	nova.NoChanges(t, dir, "apply")
	nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
	vms := s.VMs()
	if len(vms) != 2 || vms[0].Name != "other-0000" || vms[1].Name != "other-0001" {
		t.Errorf("after destroy the server has %+v, want the two VMs it started with", vms)
	}
}

// TestMemoryHotResize: with memory_hot_resize, growing the memory of
// running VMs is planned and applied without a restart (Set-VMMemory on
// the running VM); lowering it still restarts.
func TestMemoryHotResize(t *testing.T) {
	s := startServer(t, hypervtest.Options{RuntimeMemoryResize: true})
	usePassword(t, s)
	dir := t.TempDir()
	spec := func(memoryGB int) string {
		return fmt.Sprintf(`
provider "hyperv" "lab" {
  url               = %q
  username          = %q
  ca_file           = %q
  hosts             = ["HV1", "HV2"]
  memory_hot_resize = true
}
template "tiny" {
  hyperv { vhdx = %q }
}
vm "a" {
  template  = template.tiny
  cpu       = 1
  memory_gb = %d
  disk_gb   = 10
}
`, s.URL, s.User, s.CAFile, hypervtest.Template, memoryGB)
	}
	clitest.WriteSpec(t, dir, spec(1))
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply")
	clitest.WriteSpec(t, dir, spec(2))
	if diff := cmp.Diff([]string{"vm.a update"}, nova.Plan(t, dir).Actions()); diff != "" {
		t.Fatalf("plan of growing memory with memory_hot_resize (-want +got):\n%s", diff)
	}
	nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply the growth")
	if vm := serverVM(t, s, "a"); vm.MemBytes != 2<<30 || vm.State != "Running" {
		t.Errorf("after the growth the server's VM has %d MiB, %s", vm.MemBytes>>20, vm.State)
	}
	nova.NoChanges(t, dir, "the growth")
	clitest.WriteSpec(t, dir, spec(1))
	if diff := cmp.Diff([]string{"vm.a update (restart)"}, nova.Plan(t, dir).Actions()); diff != "" {
		t.Fatalf("plan of lowering memory (-want +got):\n%s", diff)
	}
}
