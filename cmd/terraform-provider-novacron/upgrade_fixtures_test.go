package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The provider's upgrade fixtures (testdata/upgrade, made by
// scripts/upgrade-fixtures.sh from the commits that wrote them; the table
// is in cmd/nova-plan/testdata/upgrade/README.md): the terraform.tfstate
// (as tfstate.json) and the simulator's cluster (as novacron/) that
// `terraform apply` of estate.tf left with the provider of each schema
// version of novacron_vm and novacron_fleet.

// fixtureWorkdir is a workdir holding testdata/upgrade/NAME: main.tf,
// terraform.tfstate and the simulator's .novacron.
func fixtureWorkdir(t *testing.T, name string) *workdir {
	t.Helper()
	w := newWorkdir(t)
	for _, f := range []string{"main.tf", "variables.tf", "outputs.tf"} {
		os.Remove(filepath.Join(w.dir, f))
	}
	src := filepath.Join("testdata", "upgrade", name)
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		switch {
		case rel == "tfstate.json":
			rel = "terraform.tfstate"
		case rel == "novacron" || strings.HasPrefix(rel, "novacron"+string(filepath.Separator)):
			rel = "." + rel
		}
		dst := filepath.Join(w.dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o600)
	})
	if err != nil {
		t.Fatalf("copying the fixture %s: %v", name, err)
	}
	return w
}

// tfInstance is what the test reads of a resource instance in
// terraform.tfstate.
type tfInstance struct {
	Type          string
	SchemaVersion int
	Lineage       string
}

func (w *workdir) instances() map[string]tfInstance {
	w.t.Helper()
	var st struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				SchemaVersion int `json:"schema_version"`
				Attributes    struct {
					Lineage string `json:"lineage"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(readFile(w.t, filepath.Join(w.dir, "terraform.tfstate"))), &st); err != nil {
		w.t.Fatal(err)
	}
	out := map[string]tfInstance{}
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			out[r.Type+"."+r.Name] = tfInstance{r.Type, in.SchemaVersion, in.Attributes.Lineage}
		}
	}
	return out
}

// TestOldProviderStatePlansClean: the Terraform state the provider of each
// schema version of novacron_vm and novacron_fleet wrote plans with no
// changes on the estate it describes; a refresh writes it at schema
// version 1, keeping the lineage the VMs' markers carry (version 0's,
// from the name); a change and the destroy then work on every VM.
func TestOldProviderStatePlansClean(t *testing.T) {
	for _, tt := range []struct {
		name    string
		version int
	}{
		{"15265a3-schema0", 0},
		{"64eb284-schema1", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := fixtureWorkdir(t, tt.name)
			data := filepath.Join(w.dir, ".novacron")
			old := w.instances()
			for addr, in := range old {
				if in.SchemaVersion != tt.version {
					t.Fatalf("the fixture's %s is at schema version %d, want %d", addr, in.SchemaVersion, tt.version)
				}
			}
			before := simVMs(t, data)
			w.run(0, "plan", "-detailed-exitcode")
			w.run(0, "apply", "-auto-approve", "-refresh-only")
			upgraded := w.instances()
			for addr, in := range upgraded {
				if in.SchemaVersion != 1 {
					t.Errorf("%s is at schema version %d after a refresh, want 1", addr, in.SchemaVersion)
				}
				if tt.version == 1 && in.Lineage != old[addr].Lineage {
					t.Errorf("%s: the refresh changed the lineage %q to %q", addr, old[addr].Lineage, in.Lineage)
				}
			}
			owner := map[string]string{"fleet.": "novacron_fleet.web", "vm.": "novacron_vm.db"}
			for name, vm := range simVMs(t, data) {
				if vm.Marker == nil {
					t.Errorf("VM %s carries no marker", name)
					continue
				}
				addr := owner[vm.Marker.Address[:strings.Index(vm.Marker.Address, ".")+1]]
				if got := upgraded[addr].Lineage; got == "" || got != vm.Marker.Lineage {
					t.Errorf("%s has lineage %q after the upgrade, and its VM %s's marker %q", addr, got, name, vm.Marker.Lineage)
				}
			}
			w.run(0, "plan", "-detailed-exitcode")
			if got, want := ids(simVMs(t, data)), ids(before); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("the upgrade changed the VMs: %v, want %v", got, want)
			}

			w.write("main.tf", strings.Replace(readFile(t, filepath.Join(w.dir, "main.tf")), "instance_count = 3", "instance_count = 4", 1))
			w.run(0, "apply", "-auto-approve")
			w.run(0, "plan", "-detailed-exitcode")
			if n := len(simVMs(t, data)); n != 5 {
				t.Errorf("%d VMs after the fleet grew to 4, want 5", n)
			}
			w.run(0, "destroy", "-auto-approve")
			if n := len(simVMs(t, data)); n != 0 {
				t.Errorf("%d VMs left after destroy", n)
			}
		})
	}
}
