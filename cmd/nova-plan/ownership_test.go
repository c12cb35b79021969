package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/sim"
)

// stateIDs returns the id the state file records at each address.
func stateIDs(t *testing.T, dir string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ".nova", "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		VMs map[string]struct {
			ID string `json:"id"`
		} `json:"vms"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for addr, vm := range doc.VMs {
		ids[addr] = vm.ID
	}
	return ids
}

// liveIDs returns the ids of the simulated provider's VMs.
func liveIDs(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, vm := range inventory(t, dir).VMs {
		out[vm.ID] = true
	}
	return out
}

// wantPlanRefused runs plan, apply and destroy: each must fail with the
// wanted text, change no VM and leave the state file as it was.
func wantPlanRefused(t *testing.T, dir string, forged []byte, want ...string) {
	t.Helper()
	before := liveIDs(t, dir)
	for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}, {"destroy", "-auto-approve"}} {
		r := nova(t, dir, cmd...).Must(t, 1, strings.Join(cmd, " "))
		for _, w := range want {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", strings.Join(cmd, " "), w, r.Stderr)
			}
		}
	}
	if after := liveIDs(t, dir); len(after) != len(before) {
		t.Errorf("the refused plans changed the VMs: %v, were %v", after, before)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, ".nova", "state.json")); string(after) != string(forged) {
		t.Errorf("the state file was changed:\n%s", after)
	}
}

// A VM whose state address and marker address differ used to be deleted
// for the one and adopted for the other in the same plan: the apply
// deleted it and recorded fleet.web[0] for a VM that no longer existed.
func TestStateAddressAndMarkerDisagree(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	id := stateIDs(t, dir)["fleet.web[0]"]
	for _, to := range []string{"fleet.web[7]", `fleet.web["0"]`} {
		t.Run(to, func(t *testing.T) {
			orig, forged := forgeState(t, dir, func(doc map[string]any) {
				vms := doc["vms"].(map[string]any)
				vms[to] = vms["fleet.web[0]"]
				delete(vms, "fleet.web[0]")
			})
			wantPlanRefused(t, dir, forged, "State and ownership marker disagree",
				"records VM "+id+` ("web-0") at `+to+", but the VM's ownership marker says fleet.web[0]",
				"nova-plan state rm "+to)
			restoreState(t, dir, orig)
			nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan with the state restored")
		})
	}
	t.Run("two entries swapped", func(t *testing.T) {
		orig, forged := forgeState(t, dir, func(doc map[string]any) {
			vms := doc["vms"].(map[string]any)
			vms["fleet.web[0]"], vms["fleet.web[1]"] = vms["fleet.web[1]"], vms["fleet.web[0]"]
		})
		wantPlanRefused(t, dir, forged, "at fleet.web[0], but the VM's ownership marker says fleet.web[1]",
			"at fleet.web[1], but the VM's ownership marker says fleet.web[0]")
		restoreState(t, dir, orig)
	})
}

// takeOver writes another workspace's marker on the VM id of the simulated
// provider in dir, as `nova-plan import -force` in that workspace does.
func takeOver(t *testing.T, dir, id string, m driver.Marker) {
	t.Helper()
	d, err := sim.Open(context.Background(), driver.OpenRequest{Name: "lab", DataDir: filepath.Join(dir, ".nova"), Config: defaultSimConfig})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Update(context.Background(), id, driver.Changes{Marker: &m}); err != nil {
		t.Fatal(err)
	}
}

// A VM this workspace's state records, taken over by another workspace
// (import -force there), used to go unmentioned: plan said "No changes"
// and inventory showed it unmanaged. Now the plan warns and leaves it
// alone, refuses to change or delete it, and inventory names its owner.
func TestVMTakenOverByAnotherWorkspace(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	id := stateIDs(t, dir)["fleet.web[1]"]
	theirs := driver.Marker{Address: "fleet.other[0]", Lineage: "0d15ea5e-their-lineage", SpecHash: "0123456789abcdef"}
	takeOver(t, dir, id, theirs)

	r := nova(t, dir, "plan", "-detailed-exitcode").Must(t, 0, "plan with nothing to change")
	for _, want := range []string{"Warning:", "fleet.web[1]", id, "lineage 0d15ea5e-their-lineage", "fleet.other[0]", "nova-plan state rm fleet.web[1]"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("the plan does not say %q:\n%s", want, r.Stdout)
		}
	}
	inv := nova(t, dir, "inventory").Must(t, 0, "inventory")
	for _, line := range strings.Split(inv.Stdout, "\n") {
		if strings.Contains(line, id) && !strings.HasSuffix(line, "(lineage 0d15ea5e-their-lineage: fleet.other[0])") {
			t.Errorf("inventory shows the taken VM as %q; want it named as the other workspace's", line)
		}
	}
	for _, vm := range inventory(t, dir).VMs {
		if vm.ID == id && (vm.Address != "" || vm.OwnerLineage != theirs.Lineage || vm.OwnerAddress != theirs.Address) {
			t.Errorf("inventory -json shows the taken VM as %+v; want no address here and the other workspace as its owner", vm)
		}
	}

	more := defaultSpec()
	more.webCPU = 3
	writeSpec(t, dir, more.String())
	r = nova(t, dir, "plan").Must(t, 1, "plan that would change it")
	for _, want := range []string{"VM belongs to another workspace", id, "0d15ea5e-their-lineage", "nova-plan state rm fleet.web[1]"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, r.Stderr)
		}
	}
	nova(t, dir, "plan", "-target=fleet.web[0]").Must(t, 0, "plan that leaves it out with -target")
	nova(t, dir, "destroy", "-auto-approve").Must(t, 1, "destroy")
	if !liveIDs(t, dir)[id] {
		t.Fatal("the other workspace's VM was deleted")
	}
	nova(t, dir, "state", "rm", "fleet.web[1]").Must(t, 0, "state rm")
	writeSpec(t, dir, defaultSpec().String())
	nova(t, dir, "destroy", "-auto-approve").Must(t, 0, "destroy once the VM is let go")
	if ids := liveIDs(t, dir); len(ids) != 1 || !ids[id] {
		t.Errorf("after destroy the VMs are %v; want only the other workspace's %s", ids, id)
	}
}

// A delete of a VM that is not in the inventory said "only state changes",
// yet the driver's Delete is called (libvirt removes leftover volumes).
func TestDeleteOfAVMAlreadyGoneSaysWhatItDoes(t *testing.T) {
	dir := t.TempDir()
	applySpec(t, dir, defaultSpec())
	id := stateIDs(t, dir)["fleet.web[2]"]
	d, err := sim.Open(context.Background(), driver.OpenRequest{Name: "lab", DataDir: filepath.Join(dir, ".nova"), Config: defaultSimConfig})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	d.Close()
	fewer := defaultSpec()
	fewer.webCount = 2
	writeSpec(t, dir, fewer.String())
	r := nova(t, dir, "plan").Must(t, 0, "plan")
	want := "VM " + id + " is not in the provider's inventory: the driver is asked to remove what may be left of it, and the state forgets it"
	if !strings.Contains(r.Stdout, want) || strings.Contains(r.Stdout, "only state changes") {
		t.Errorf("the delete's reason is not %q:\n%s", want, r.Stdout)
	}
}
