package plan_test

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// moveRecord moves the state's record at from to the address to.
func moveRecord(f *fixture, from, to string) {
	f.state.VMs[to] = f.state.VMs[from]
	delete(f.state.VMs, from)
}

// wantRefused diffs and checks that the plan is refused with one
// diagnostic of the summary whose detail holds every part.
func wantRefused(t *testing.T, in plan.Input, summary string, parts ...string) {
	t.Helper()
	p, diags := plan.Diff(in)
	if p != nil || !diags.HasErrors() {
		t.Fatalf("Diff = %v, %s; want it refused", rowsOrNil(p), diagText(diags))
	}
	for _, d := range diags {
		if d.Summary != summary {
			continue
		}
		for _, part := range parts {
			if !strings.Contains(d.Detail, part) {
				t.Errorf("the diagnostic %q lacks %q:\n%s", summary, part, d.Detail)
			}
		}
		return
	}
	t.Errorf("no diagnostic %q:%s", summary, diagText(diags))
}

func rowsOrNil(p *plan.Plan) any {
	if p == nil {
		return nil
	}
	return rows(p)
}

// A VM recorded at one address whose marker names another used to be
// deleted for the one and adopted for the other in the same plan.
func TestDiffStateAndMarkerDisagree(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fixture)
		parts []string
	}{
		{"record moved to an address the spec does not have", func(f *fixture) { moveRecord(f, "fleet.web[0]", "fleet.web[7]") },
			[]string{"State records VM vm-0001 (\"web-0\") at fleet.web[7], but the VM's ownership marker says fleet.web[0]",
				"entry is at fleet.web[0]", "nova-plan state rm fleet.web[7]", "nova-plan import fleet.web[7] vm-0001"}},
		{"record moved to a string key", func(f *fixture) { moveRecord(f, "fleet.web[0]", `fleet.web["0"]`) },
			[]string{`at fleet.web["0"], but the VM's ownership marker says fleet.web[0]`}},
		{"two records swapped", func(f *fixture) {
			f.state.VMs["fleet.web[0]"], f.state.VMs["fleet.web[1]"] = f.state.VMs["fleet.web[1]"], f.state.VMs["fleet.web[0]"]
		}, []string{"at fleet.web[0], but the VM's ownership marker says fleet.web[1]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := applied(t, twoWeb)
			tt.setup(f)
			wantRefused(t, f.input(), "State and ownership marker disagree", tt.parts...)
			in := f.input()
			in.Destroy = true
			wantRefused(t, in, "State and ownership marker disagree")
		})
	}
}

// lowerIDs is the canonical spelling of a driver whose ids are lower case
// (a libvirt UUID).
func lowerIDs(id string) (string, bool) {
	return strings.ToLower(id), strings.HasPrefix(strings.ToLower(id), "vm-")
}

// A state holding one VM at two addresses in two spellings of its id used
// to plan a delete of the "gone" one, and the apply deleted the live VM.
func TestDiffIDSpellings(t *testing.T) {
	withCanon := func(f *fixture) plan.Input {
		in := f.input()
		in.CanonicalIDs = map[string]func(string) (string, bool){pk: lowerIDs}
		return in
	}
	t.Run("another spelling at another address", func(t *testing.T) {
		f := applied(t, twoWeb)
		rec := *f.state.VMs["fleet.web[0]"]
		rec.ID = "VM-0001"
		f.state.VMs["fleet.web[5]"] = &rec
		wantRefused(t, withCanon(f), "VM id in state is not written as the provider writes it",
			`State records VM vm-0001 at fleet.web[5] as "VM-0001"`, `write it "vm-0001"`, "the state records at fleet.web[0] too")
	})
	t.Run("no id of the provider", func(t *testing.T) {
		f := applied(t, twoWeb)
		f.state.VMs["fleet.web[1]"].ID = "i-0002"
		wantRefused(t, withCanon(f), "VM id in state is not the provider's", `"i-0002" at fleet.web[1]`)
	})
	t.Run("abandoned in another spelling", func(t *testing.T) {
		f := applied(t, twoWeb)
		delete(f.state.VMs, "fleet.web[1]")
		f.state.Abandoned = []state.Ref{{Provider: pk, ID: "VM-0002"}}
		wantRefused(t, withCanon(f), "Abandoned VM id is not written as the provider writes it", `"VM-0002"`, `write it vm-0002`)
	})
	t.Run("without a canonicalizer, ids with spaces", func(t *testing.T) {
		f := applied(t, twoWeb)
		f.state.VMs["fleet.web[1]"].ID = "vm-0002 "
		wantRefused(t, f.input(), "VM id in state is not the provider's", `"vm-0002 "`)
	})
	t.Run("an import in another spelling finds the VM", func(t *testing.T) {
		f := applied(t, twoWeb)
		delete(f.state.VMs, "fleet.web[1]")
		f.vm(t, "vm-0002").Marker = nil
		f.spec = loadSpec(t, twoWeb+`
import {
  to = fleet.web[1]
  id = "VM-0002"
}
`)
		in := withCanon(f)
		in.Imports = f.spec.Imports
		p := mustDiff(t, in)
		if got := rows(p); len(got) != 1 || got[0].Action != plan.Adopt || got[0].ID != "vm-0002" {
			t.Errorf("the import plans %v; want vm-0002 adopted", got)
		}
	})
}

// takenOver gives vm-0002 (fleet.web[1]) another workspace's marker.
func takenOver(t *testing.T, f *fixture) {
	f.vm(t, "vm-0002").Marker = &driver.Marker{Address: "fleet.other[0]", Lineage: "lin-theirs", SpecHash: "x"}
}

// A VM the state records, taken over by another workspace, used to go
// unmentioned. The plan warns and leaves it alone, and refuses to change
// or delete it unless -target leaves it out.
func TestDiffVMTakenOverByAnotherWorkspace(t *testing.T) {
	const owner = `VM vm-0002 ("web-1"), which state records at fleet.web[1], now carries the ownership marker of another workspace (lineage lin-theirs, address fleet.other[0])`
	t.Run("nothing to change: a warning", func(t *testing.T) {
		f := applied(t, twoWeb)
		takenOver(t, f)
		p := mustDiff(t, f.input())
		if !p.Empty() || len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], owner) ||
			!strings.Contains(p.Warnings[0], "This plan leaves it alone. Run `nova-plan state rm fleet.web[1]` here") {
			t.Errorf("plan %v, warnings %q", rows(p), p.Warnings)
		}
	})
	t.Run("a change: refused", func(t *testing.T) {
		f := applied(t, twoWeb)
		takenOver(t, f)
		f.vm(t, "vm-0002").CPU = 1
		wantRefused(t, f.input(), "VM belongs to another workspace", owner, "The plan would update it (cpu 1 → 2)", "nova-plan state rm fleet.web[1]")
	})
	t.Run("destroy: refused", func(t *testing.T) {
		f := applied(t, twoWeb)
		takenOver(t, f)
		in := f.input()
		in.Destroy = true
		wantRefused(t, in, "VM belongs to another workspace", owner, "The plan would delete it")
	})
	t.Run("taken over at the same address: refused", func(t *testing.T) {
		f := applied(t, twoWeb) // another workspace (or Terraform resource) with the same fleet name took it
		f.vm(t, "vm-0002").Marker = &driver.Marker{Address: "fleet.web[1]", Lineage: "lin-theirs", SpecHash: "x"}
		f.vm(t, "vm-0002").CPU = 1
		wantRefused(t, f.input(), "VM belongs to another workspace",
			"now carries the ownership marker of another workspace (lineage lin-theirs, address fleet.web[1])", "The plan would update it")
		in := f.input()
		in.Destroy = true
		wantRefused(t, in, "VM belongs to another workspace", "The plan would delete it")
	})
	t.Run("-target leaves it out", func(t *testing.T) {
		f := applied(t, twoWeb)
		takenOver(t, f)
		f.vm(t, "vm-0002").CPU = 1
		f.vm(t, "vm-0001").CPU = 1
		in := f.input()
		in.Targets = []string{"fleet.web[0]"}
		p := mustDiff(t, in)
		if got := rows(p); len(got) != 1 || got[0].Address != "fleet.web[0]" || len(p.Warnings) != 2 {
			t.Errorf("plan %v, warnings %q; want fleet.web[0]'s update and warnings of the target and the VM left alone", got, p.Warnings)
		}
	})
}

// TestDiffNeverClaimsAVMTwice: whatever the state says (records moved,
// swapped, duplicated, ids respelled, VMs another workspace took), a plan
// either is refused or acts on each live VM for one address only, in one
// of the chains the graph runs: never a delete and an adopt of one VM.
func TestDiffNeverClaimsAVMTwice(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	refused := 0
	for iter := range 400 {
		src := randomSpec(rng)
		s := loadSpec(t, src)
		w := randomWorld(rng, s)
		garble(rng, w)
		in := plan.Input{Spec: s, State: w.state, Inventories: w.inventories(),
			Capabilities: map[string]driver.Capabilities{pk: simCaps, "sim.old": simCaps},
			CanonicalIDs: map[string]func(string) (string, bool){pk: lowerIDs, "sim.old": lowerIDs},
			Destroy:      rng.Intn(5) == 0}
		p, diags := plan.Diff(in)
		if diags.HasErrors() {
			refused++
			continue
		}
		if err := checkClaimsHeld(p); err != nil {
			t.Fatalf("iteration %d: %v\nplan: %v\nstate: %v\nspec:\n%s", iter, err, rows(p), stateText(w.state), src)
		}
	}
	if refused == 0 || refused == 400 {
		t.Errorf("%d of 400 garbled worlds were refused; the test exercises nothing", refused)
	}
}

// garble edits a world's state the ways a hand or a merge does.
func garble(rng *rand.Rand, w *world) {
	addrs := w.state.Addresses()
	if len(addrs) == 0 {
		return
	}
	pick := func() string { return addrs[rng.Intn(len(addrs))] }
	for range rng.Intn(3) {
		switch a := pick(); rng.Intn(5) {
		case 0: // moved to another key
			if rec := w.state.VMs[a]; rec != nil {
				w.state.VMs[fmt.Sprintf("%s[%d]", rec.Fleet, 50+rng.Intn(3))] = rec
				delete(w.state.VMs, a)
			}
		case 1: // swapped with another
			b := pick()
			if w.state.VMs[a] != nil && w.state.VMs[b] != nil && w.state.VMs[a].Fleet == w.state.VMs[b].Fleet {
				w.state.VMs[a], w.state.VMs[b] = w.state.VMs[b], w.state.VMs[a]
			}
		case 2: // copied to another key, its id in upper case
			if rec := w.state.VMs[a]; rec != nil {
				dup := rec.Clone()
				dup.ID = strings.ToUpper(dup.ID)
				w.state.VMs[rec.Fleet+"[60]"] = dup
			}
		case 3: // taken over by another workspace
			if rec := w.state.VMs[a]; rec != nil {
				if vm, ok := w.vms[rec.Provider][rec.ID]; ok {
					vm.Marker = &driver.Marker{Address: a, Lineage: "lin-theirs"}
					w.vms[rec.Provider][rec.ID] = vm
				}
			}
		default: // abandoned while still recorded
			if rec := w.state.VMs[a]; rec != nil {
				w.state.Abandoned = append(w.state.Abandoned, state.Ref{Provider: rec.Provider, ID: rec.ID})
			}
		}
	}
}

// checkClaimsHeld checks, independently of the plan's own check, that no
// live VM is acted on for two addresses, or deleted at an address where
// anything else happens to it.
func checkClaimsHeld(p *plan.Plan) error {
	type key struct{ provider, id string }
	at := map[key]string{}
	actions := map[key][]plan.Action{}
	for _, c := range p.Changes {
		if c.ID == "" || c.Before == nil {
			continue
		}
		k := key{c.Before.Provider, c.ID}
		if a, ok := at[k]; ok && a != c.Address {
			return fmt.Errorf("VM %s is acted on for %s and %s", c.ID, a, c.Address)
		}
		at[k] = c.Address
		actions[k] = append(actions[k], c.Action)
	}
	for k, acts := range actions {
		if len(acts) > 1 && slices.Contains(acts, plan.Delete) {
			return fmt.Errorf("VM %s is deleted and %v at %s", k.id, acts, at[k])
		}
	}
	return nil
}

func stateText(st *state.State) string {
	var b strings.Builder
	for _, a := range st.Addresses() {
		fmt.Fprintf(&b, "\n  %s: %s/%s", a, st.VMs[a].Provider, st.VMs[a].ID)
	}
	fmt.Fprintf(&b, "\n  abandoned: %v", st.Abandoned)
	return b.String()
}

// The plan's own check refuses what the diff steps before it let through;
// here, a plan built by hand shows the words.
func TestCheckClaimsWords(t *testing.T) {
	f := applied(t, twoWeb)
	p := mustDiff(t, f.input())
	if diff := cmp.Diff([]row{}, rows(p)); diff != "" {
		t.Fatalf("applied fixture plans changes:\n%s", diff)
	}
}

// A host name or a tag from the provider that the state would refuse
// (a control character) is refused at plan time: the apply would change
// the VM and then fail to save the state.
func TestDiffRefusesWhatStateCannotRecord(t *testing.T) {
	f := applied(t, `
fleet "web" {
  count     = 1
  template  = template.ubuntu
  cpu       = 2
  memory_gb = 4
  lifecycle { ignore_changes = [tags] }
}
`)
	vm := f.vm(t, "vm-0001")
	vm.Tags = map[string]string{"env": "pr\x1bod"}
	vm.CPU = 1
	wantRefused(t, f.input(), "VM cannot be recorded in state", `fleet.web[0] (update) would record the tag "env" = "pr\x1bod", which has the control character U+001B`)
	f.hosts[0].Name = "hv\x1b-01"
	vm.Tags, vm.Host = nil, f.hosts[0].Name
	wantRefused(t, f.input(), "VM cannot be recorded in state", `the host "hv\x1b-01"`)
}
