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

// An uploaded spec is planned against the workspace's state and
// providers, and applied from the same files.
func TestUploadPlanApply(t *testing.T) {
	root := newRoot(t)
	e := open(t, root, nil)
	ctx := context.Background()
	src, err := os.ReadFile(filepath.Join(root, "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"main.nova.hcl": strings.Replace(string(src), "default     = 4", "default     = 2", 1)}
	p, err := e.Plan(ctx, "quickstart", "ci", estate.PlanRequest{Files: files})
	if err != nil {
		t.Fatal(err)
	}
	if p.Plan.Summary["create"] != 3 {
		t.Fatalf("plan of the upload creates %d VMs, want 3", p.Plan.Summary["create"])
	}
	r, err := e.Apply(ctx, "quickstart", p.ID, p.Digest, "ci")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, e, r.ID, estate.RunSucceeded)
	if _, total, _ := e.VMs(ctx, estate.Filter{Workspace: "quickstart"}); total != 3 {
		t.Errorf("%d VMs after applying the upload, want 3", total)
	}
}

// An uploaded spec with errors is an *InvalidError whose diagnostics
// point into the uploaded file.
func TestUploadSpecError(t *testing.T) {
	e := open(t, newRoot(t), nil)
	files := map[string]string{"main.nova.hcl": "provider \"sim\" \"lab\" {\n  hosts = 2\n}\n\nfleet \"web\" {\n  provider = provider.sim.lab\n  cpu      = \"many\"\n}\n"}
	_, err := e.Plan(context.Background(), "quickstart", "ci", estate.PlanRequest{Files: files})
	var inv *estate.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("Plan: %v, want an *InvalidError", err)
	}
	var ranges []estate.Range
	for _, d := range inv.Diagnostics {
		if d.Range != nil && d.Severity == "error" {
			ranges = append(ranges, *d.Range)
		}
	}
	if len(ranges) == 0 {
		t.Fatalf("no diagnostic with a range: %+v", inv.Diagnostics)
	}
	for _, r := range ranges {
		if r.Filename != "main.nova.hcl" || r.Line < 1 || r.Column < 1 {
			t.Errorf("diagnostic range %+v, want a line and column of main.nova.hcl", r)
		}
	}
}

// Upload names that are not plain NAME.nova.hcl, and uploads over the
// bounds, are refused before anything is written.
func TestUploadRefused(t *testing.T) {
	e := open(t, newRoot(t), nil)
	big := strings.Repeat("#", estate.MaxUploadFile+1)
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"parent folder", map[string]string{"../evil.nova.hcl": ""}, "is not a spec file name"},
		{"sub folder", map[string]string{"a/b.nova.hcl": ""}, "is not a spec file name"},
		{"absolute", map[string]string{"/etc/x.nova.hcl": ""}, "is not a spec file name"},
		{"other suffix", map[string]string{"main.hcl": ""}, "is not a spec file name"},
		{"no name", map[string]string{".nova.hcl": ""}, "is not a spec file name"},
		{"space", map[string]string{"my spec.nova.hcl": ""}, "is not a spec file name"},
		{"too large", map[string]string{"main.nova.hcl": big}, "is larger than"},
		{"too many", manyFiles(estate.MaxUploadFiles + 1), "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Plan(context.Background(), "quickstart", "ci", estate.PlanRequest{Files: tt.files})
			var inv *estate.InvalidError
			if !errors.As(err, &inv) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Plan: %v, want an *InvalidError saying %q", err, tt.want)
			}
		})
	}
}

func manyFiles(n int) map[string]string {
	out := map[string]string{}
	for i := range n {
		out[strings.Repeat("a", i+1)+".nova.hcl"] = ""
	}
	return out
}

// Variables and targets are checked, and targets limit the plan.
func TestPlanInputs(t *testing.T) {
	e := open(t, newRoot(t), nil)
	ctx := context.Background()
	p, err := e.Plan(ctx, "quickstart", "ci", estate.PlanRequest{Targets: []string{"vm.db-01"}})
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, c := range p.Plan.Changes {
		addrs = append(addrs, c.Address)
	}
	if d := cmp.Diff([]string{"vm.db-01"}, addrs); d != "" {
		t.Errorf("targeted plan (-want +got):\n%s", d)
	}
	for _, r := range []estate.PlanRequest{{Targets: []string{"fleet."}}, {Vars: map[string]string{"a b": "1"}}, {Vars: map[string]string{"web_count": "900"}}} {
		var inv *estate.InvalidError
		if _, err := e.Plan(ctx, "quickstart", "ci", r); !errors.As(err, &inv) {
			t.Errorf("Plan(%+v): %v, want an *InvalidError", r, err)
		}
	}
}
