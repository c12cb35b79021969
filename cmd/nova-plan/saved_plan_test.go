package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
)

func TestSavedPlanAppliesExactly(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	r := nova(t, dir, "plan", "-out=web.plan").Must(t, 0, "plan -out")
	if !strings.Contains(r.Stdout, "nova-plan apply web.plan") {
		t.Errorf("plan -out does not say how to apply:\n%s", r.Stdout)
	}
	show := nova(t, dir, "show", "-json", "web.plan").Must(t, 0, "show -json PLANFILE")
	fresh := nova(t, dir, "plan", "-json").Must(t, 0, "plan -json")
	if show.Stdout != fresh.Stdout {
		t.Errorf("show -json of the saved plan differs from plan -json:\nshow:\n%s\nplan:\n%s", show.Stdout, fresh.Stdout)
	}
	nova(t, dir, "apply", "web.plan").Must(t, 0, "apply the saved plan")
	nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan after applying the saved plan")
}

func TestSavedPlanIsStaleAfterAnotherApply(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	nova(t, dir, "plan", "-out=first.plan").Must(t, 0, "plan -out")
	nova(t, dir, "apply", "-auto-approve").Must(t, 0, "another apply")
	r := nova(t, dir, "apply", "first.plan").Must(t, 1, "apply of a stale plan")
	if !strings.Contains(r.Stderr, "Saved plan is stale") {
		t.Errorf("stale plan error does not say so:\n%s", r.Stderr)
	}
	if n := len(inventory(t, dir).VMs); n != 4 {
		t.Errorf("the refused plan changed the inventory: %d VMs, want 4", n)
	}
}

func TestSavedPlanIsStaleAfterSpecEdit(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	nova(t, dir, "plan", "-out=p.plan").Must(t, 0, "plan -out")
	s := defaultSpec()
	s.webCPU = 8
	writeSpec(t, dir, s.String())
	r := nova(t, dir, "apply", "p.plan").Must(t, 1, "apply after a spec edit")
	if !strings.Contains(r.Stderr, "the spec files changed") {
		t.Errorf("error does not name the cause:\n%s", r.Stderr)
	}
}

func TestSavedPlanKeepsVariablesButNotSecrets(t *testing.T) {
	spec := `
variable "count" {
  type    = number
  default = 1
}
variable "token" {
  type      = string
  sensitive = true
}
provider "sim" "lab" {}
template "t" {
  sim { image = "x" }
}
fleet "web" {
  count     = var.count
  template  = template.t
  cpu       = 1
  memory_gb = 1
}
`
	dir := newDir(t, spec)
	nova(t, dir, "plan", "-out=p.plan", "-var", "count=2", "-var", "token=s3cr3t-value").Must(t, 0, "plan with vars")
	data, err := os.ReadFile(filepath.Join(dir, "p.plan"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "s3cr3t-value") {
		t.Fatal("the plan file holds the sensitive value in plain text")
	}
	r := nova(t, dir, "apply", "p.plan").Must(t, 1, "apply without the sensitive value")
	if !strings.Contains(r.Stderr, "NOVA_VAR_token") {
		t.Errorf("the error does not say how to give the sensitive value:\n%s", r.Stderr)
	}
	r = nova(t, dir, "apply", "-var", "token=s3cr3t-value", "-var", "count=3", "p.plan").Must(t, 1, "apply changing a saved value")
	if !strings.Contains(r.Stderr, "var.count was given a different value") {
		t.Errorf("changing a saved value with -var is not refused clearly:\n%s", r.Stderr)
	}
	nova(t, dir, "apply", "-var", "token=s3cr3t-value", "p.plan").Must(t, 0, "apply with the sensitive value")
	if n := len(inventory(t, dir, "-var", "token=x").VMs); n != 2 {
		t.Errorf("the saved count=2 was not used: %d VMs", n)
	}
}

func TestCorruptPlanFile(t *testing.T) {
	dir := newDir(t, defaultSpec().String())
	nova(t, dir, "plan", "-out=p.plan").Must(t, 0, "plan -out")
	path := filepath.Join(dir, "p.plan")
	data, _ := os.ReadFile(path)
	for name, bad := range map[string][]byte{
		"truncated":  data[:len(data)/2],
		"flipped":    []byte(strings.Replace(string(data), "web", "wex", 1)),
		"not a plan": []byte("hello"),
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(path, bad, 0o600); err != nil {
				t.Fatal(err)
			}
			r := nova(t, dir, "apply", "p.plan").Must(t, 1, "apply of a corrupt plan")
			if !strings.Contains(r.Stderr, "p.plan") || strings.Contains(r.Stderr, "panic") {
				t.Errorf("the error does not name the file (or panicked):\n%s", r.Stderr)
			}
		})
	}
	if n := len(inventory(t, dir).VMs); n != 0 {
		t.Errorf("a corrupt plan changed the inventory: %d VMs", n)
	}
}

// A saved plan covers what its name checks and placement looked at, not
// only the VMs the workspace manages: a VM made by hand with a name the
// plan creates, or one that takes room on a host, makes it stale.
func TestSavedPlanIsStaleAfterOtherVMsChange(t *testing.T) {
	cases := []struct {
		name string
		vm   driver.VMSpec
		want string
	}{
		{"a VM takes a planned name", driver.VMSpec{Name: "web-2", Host: "hv-03", CPU: 1, MemoryMiB: 1024},
			"Saved plan is stale: a VM named web-2 (vm-000001) now exists on provider sim.lab, and the plan creates fleet.web[2] with that name."},
		{"a VM takes room on a host", driver.VMSpec{Name: "pet", Host: "hv-01", CPU: 16, MemoryMiB: 1024},
			"Saved plan is stale: VMs on provider sim.lab that this workspace does not manage were created, deleted, resized, moved or re-marked since it was made"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := newDir(t, defaultSpec().String())
			nova(t, dir, "plan", "-out=p.plan").Must(t, 0, "plan -out")
			handMade(t, dir, defaultSimConfig, tc.vm)
			r := nova(t, dir, "apply", "p.plan").Must(t, 1, "apply of the saved plan")
			if !strings.Contains(r.Stderr, tc.want) {
				t.Errorf("the stale plan error does not say %q:\n%s", tc.want, r.Stderr)
			}
			if n := len(inventory(t, dir).VMs); n != 1 {
				t.Errorf("the refused plan changed the inventory: %d VMs, want only the hand-made one", n)
			}
		})
	}
}
