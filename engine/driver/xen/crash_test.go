package xen

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/novacron/novacron/internal/clitest"
	"github.com/novacron/novacron/internal/xentest"
)

// crashSpec is a fleet of four on the server's network, placed by the
// pool (no host).
func crashSpec(s *xentest.Server, ca string) string {
	return fmt.Sprintf(`
provider "xen" "lab" {
  url           = %q
  ca_file       = %q
  network       = %q
  poll_interval = "5ms"
}

template "debian" {
  xen { template = %q }
}

fleet "c" {
  count     = 4
  template  = template.debian
  cpu       = 1
  memory_gb = 1
  disk_gb   = 10
}
`, s.URL, ca, xentest.NetworkName, xentest.TemplateName)
}

// TestKilledMidCreate kills nova-plan (kill -9) while its four creates
// wait on the server at one step, then plans and applies again: the
// half-made VMs are replaced (never adopted as they are: one stopped
// before its interface was plugged would run without one), the fleet
// ends exactly as the spec asks, nothing is left behind, and a plan
// after finds nothing to change.
func TestKilledMidCreate(t *testing.T) {
	for _, step := range []string{
		"VM.provision", // the clone is still a template, with its marker
		"VIF.create",   // a sized, halted VM whose template interface is gone
	} {
		t.Run(step, func(t *testing.T) {
			s := startServer(t, xentest.Options{TaskPolls: 1})
			usePassword(t, s)
			dir := t.TempDir()
			ca, err := s.WriteCA(dir)
			if err != nil {
				t.Fatal(err)
			}
			before := s.Count()
			clitest.WriteSpec(t, dir, crashSpec(s, ca))
			killDuring(t, s, dir, step, 4)

			p := nova.Plan(t, dir).Actions()
			for _, a := range p {
				if !strings.HasSuffix(a, " replace") && !strings.HasSuffix(a, " create") {
					t.Errorf("plan after the kill: %q; want each half-made VM replaced (or created)", a)
				}
			}
			nova.Run(t, dir, "apply", "-auto-approve").Must(t, 0, "apply after the kill")
			vms := onServer(t, s)
			if len(vms) != 4 {
				t.Errorf("after the apply the server has %d VMs, want 4", len(vms))
			}
			for addr, vm := range vms {
				if vm.PowerState != "Running" || vm.VCPUsAtStartup != 1 || vm.MemoryDynMax != 1<<30 || len(vm.VIFs) != 1 || fmt.Sprint(vm.Disks) != "[10]" || vm.OtherConfig[keyCreating] != "" {
					t.Errorf("%s after the apply: %s, %d vCPUs, %d bytes, %d VIFs, disks %v, other_config %v; want running, 1 vCPU, 1 GiB, one VIF, one 10 GB disk, the create finished",
						addr, vm.PowerState, vm.VCPUsAtStartup, vm.MemoryDynMax, len(vm.VIFs), vm.Disks, vm.OtherConfig)
				}
			}
			nova.NoChanges(t, dir, "the apply after the kill")
			nova.Run(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy")
			if after := s.Count(); after != before {
				t.Errorf("after destroy the server holds %+v, before apply %+v: a half-made VM or its disk was left behind", after, before)
			}
		})
	}
}

// killDuring runs `nova-plan apply` in dir and kills it (SIGKILL) once n
// calls of method wait on the server.
func killDuring(t *testing.T, s *xentest.Server, dir, method string, n int) {
	t.Helper()
	release := s.Hold(method)
	defer release()
	cmd := exec.Command(nova.Bin, "apply", "-auto-approve")
	cmd.Dir, cmd.Env = dir, append(cmd.Environ(), "NO_COLOR=1")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for s.Held(method) < n && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if got := s.Held(method); got < n {
		t.Fatalf("%d calls of %s waited on the server before the kill, want %d; nova-plan said:\n%s", got, method, n, out.String())
	}
}

// TestHalfMadeCloneLeft: a create whose cleanup fails too says so on one
// line (a progress line escapes a newline as \x0a), and Inventory lists
// the clone it left with a template no spec matches, so the next plan
// replaces it.
func TestHalfMadeCloneLeft(t *testing.T) {
	s := startServer(t, xentest.Options{})
	cfg := serverConfig(t, s)
	cfg[settingNetwork] = xentest.NetworkName
	d := openDriver(t, cfg)
	ctx := context.Background()
	s.FailNext("VIF.create", xentest.Fault{Code: "INTERNAL_ERROR", Params: []string{"lost"}})
	s.FailNext("VM.destroy", xentest.Fault{Code: "INTERNAL_ERROR", Params: []string{"gone"}})
	_, err := d.Create(ctx, testSpec("left"))
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), `the half-made VM "left" could not be removed`) || !strings.Contains(err.Error(), "the next plan replaces it") {
		t.Fatalf("Create failing at VIF.create and at the cleanup: %q; want one line naming the half-made VM and what happens to it", err)
	}
	inv, err := d.Inventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.VMs) != 1 || inv.VMs[0].Marker == nil || !strings.HasPrefix(inv.VMs[0].Template, unfinishedPrefix) {
		t.Fatalf("Inventory after the failed create: %+v; want the half-made VM, marked, its template %q…", inv.VMs, unfinishedPrefix)
	}
	if err := d.Delete(ctx, inv.VMs[0].ID); err != nil {
		t.Fatal(err)
	}
	if inv, _ := d.Inventory(ctx); len(inv.VMs) != 0 {
		t.Errorf("after Delete the inventory lists %+v", inv.VMs)
	}
}
