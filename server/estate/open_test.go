package estate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/server/estate"
)

// The workspaces are the root itself when it holds spec files, named by
// its folder, and the spec folders directly under it.
func TestOpenWorkspaces(t *testing.T) {
	root := fillRoot(t, filepath.Join(t.TempDir(), "estate-1"))
	writeFile(t, filepath.Join(root, "top.nova.hcl"), apiSpec)
	writeFile(t, filepath.Join(root, "empty", "README"), "no spec here")
	writeFile(t, filepath.Join(root, ".hidden", "x.nova.hcl"), apiSpec)
	e := open(t, root, nil)
	infos, err := e.Workspaces(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, w := range infos {
		names = append(names, w.Name)
		if w.Error != "" {
			t.Errorf("workspace %s: %s", w.Name, w.Error)
		}
		if w.APIOwned != (w.Name == "cloud") || (w.APISpecFile != "") != w.APIOwned {
			t.Errorf("workspace %s: api_owned %v, api_spec_file %q", w.Name, w.APIOwned, w.APISpecFile)
		}
	}
	if d := cmp.Diff([]string{"cloud", "estate-1", "quickstart"}, names); d != "" {
		t.Errorf("workspaces (-want +got):\n%s", d)
	}
	if _, err := e.Workspace(context.Background(), "empty"); !errors.Is(err, estate.ErrNotFound) {
		t.Errorf("a folder without spec files: %v", err)
	}
}

// Open refuses a root whose only spec folder's name is not a safe
// workspace name, an API workspace that is not there, and a root without
// spec folders.
func TestOpenRefused(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, root string)
		api   string
		want  string
	}{
		{"bad folder name", func(t *testing.T, root string) { writeFile(t, filepath.Join(root, "my specs", "a.nova.hcl"), apiSpec) }, "", "no spec folder under"},
		{"no API workspace", func(t *testing.T, root string) { writeFile(t, filepath.Join(root, "a", "a.nova.hcl"), apiSpec) }, "cloud", "is not a folder of spec files"},
		{"nothing to serve", func(t *testing.T, root string) { writeFile(t, filepath.Join(root, "a", "README"), "") }, "", "holds no spec folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			tt.setup(t, root)
			e, err := estate.Open(context.Background(), root, estate.Options{APIWorkspace: tt.api})
			if err == nil {
				e.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open: %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

// A workspace whose inventory cannot be read is served with the error,
// and lists no VMs, until a refresh succeeds.
func TestInventoryError(t *testing.T) {
	root := newRoot(t)
	writeFile(t, filepath.Join(root, "broken", "main.nova.hcl"), "variable \"x\" {}\n"+apiSpec)
	e := open(t, root, nil)
	info, err := e.Workspace(context.Background(), "broken")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(info.Error, `The variable "x" has no default`) {
		t.Errorf("error of a workspace whose spec needs a value: %q", info.Error)
	}
	if err := e.Refresh(context.Background(), "broken"); err == nil {
		t.Errorf("Refresh of the broken workspace succeeded")
	}
	if err := os.WriteFile(filepath.Join(root, "broken", "main.nova.hcl"), []byte(apiSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.Refresh(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if info, _ := e.Workspace(context.Background(), "broken"); info.Error != "" || info.Refreshed.IsZero() {
		t.Errorf("after a good refresh: %+v", info)
	}
}

// A VM no spec manages is listed under its provider and driver id, and
// is no workspace's to act on.
func TestUnmanagedVM(t *testing.T) {
	root := newRoot(t)
	e := open(t, root, nil)
	ctx := context.Background()
	id := createOutOfBand(t, filepath.Join(root, "quickstart"), "stray")
	if err := e.Refresh(ctx, "quickstart"); err != nil {
		t.Fatal(err)
	}
	got := vm(t, e, "quickstart:sim.lab/"+id)
	if got.ManagedBy != "" || got.Address != "" || got.Name != "stray" {
		t.Errorf("unmanaged VM: %+v", got)
	}
	if _, err := e.Act(ctx, "bob", got.ID, estate.ActionRequest{Action: "stop"}); !isConflict(err, "is not managed by NovaCron") {
		t.Errorf("Act on an unmanaged VM: %v", err)
	}
	if _, err := e.DeleteVM(ctx, "bob", got.ID); !isConflict(err, "is not managed by NovaCron") {
		t.Errorf("DeleteVM of an unmanaged VM: %v", err)
	}
}
