package estate_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

// An uploaded spec declares only the workspace's own provider blocks,
// unchanged, and no novacron block but the folder's own: anything else is
// refused before any provider is opened — nothing connects.
func TestUploadProvidersRefused(t *testing.T) {
	root := newRoot(t)
	e := open(t, root, nil)
	own, err := os.ReadFile(filepath.Join(root, "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "libvirt.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var dialed atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			dialed.Add(1)
			c.Close()
		}
	}()
	changed := strings.Replace(string(own), "hosts          = 4", "hosts          = 9", 1)
	if changed == string(own) {
		t.Fatal("the quickstart's provider block changed: update the test")
	}
	tests := []struct {
		name, src, want string
	}{
		{"libvirt", "provider \"libvirt\" \"x\" {\n  uri = \"qemu+unix:///system?socket=" + sock + "\"\n}\n", "provider.libvirt.x"},
		{"ec2", "provider \"ec2\" \"x\" {\n  region = \"us-east-1\"\n}\n", "provider.ec2.x"},
		{"changed setting", changed, "provider.sim.lab"},
		{"novacron block", "novacron {\n  backend \"local\" {\n    path = \"/tmp\"\n  }\n}\n" + string(own), "novacron"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Plan(context.Background(), "quickstart", "ci", estate.PlanRequest{Files: map[string]string{"main.nova.hcl": tt.src}})
			var inv *estate.InvalidError
			if !errors.As(err, &inv) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Plan: %v, want an *InvalidError naming %s", err, tt.want)
			}
			if !strings.Contains(err.Error(), "main.nova.hcl:") || strings.Contains(err.Error(), "/tmp/nova-serve-spec") {
				t.Errorf("message %q does not name the block as main.nova.hcl:LINE:COL", err)
			}
			if len(inv.Diagnostics) == 0 || inv.Diagnostics[0].Range == nil || inv.Diagnostics[0].Range.Filename != "main.nova.hcl" {
				t.Errorf("diagnostics %+v, want one with a range in main.nova.hcl", inv.Diagnostics)
			}
		})
	}
	if n := dialed.Load(); n != 0 {
		t.Errorf("the server connected %d times to the uploaded provider's socket", n)
	}
	// The workspace's own blocks, unchanged, are accepted.
	if _, err := e.Plan(context.Background(), "quickstart", "ci", estate.PlanRequest{Files: map[string]string{"main.nova.hcl": string(own)}}); err != nil {
		t.Errorf("Plan of the workspace's own spec uploaded: %v", err)
	}
}

// A plan's variables may not change the workspace's provider settings
// either: the server would connect where the caller chose.
func TestPlanVarsCannotChangeProviders(t *testing.T) {
	root := newRoot(t)
	writeFile(t, filepath.Join(root, "vary", "main.nova.hcl"), "variable \"hosts\" {\n  type    = number\n  default = 2\n}\n\nvariable \"cpu\" {\n  type    = number\n  default = 1\n}\n\nprovider \"sim\" \"lab\" {\n  hosts = var.hosts\n}\n")
	e := open(t, root, nil)
	_, err := e.Plan(context.Background(), "vary", "ci", estate.PlanRequest{Vars: map[string]string{"hosts": "5"}})
	var inv *estate.InvalidError
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "provider.sim.lab") || !strings.Contains(err.Error(), "main.nova.hcl:") {
		t.Errorf("Plan with a variable that changes a provider: %v, want an *InvalidError naming provider.sim.lab at main.nova.hcl", err)
	}
	if _, err := e.Plan(context.Background(), "vary", "ci", estate.PlanRequest{Vars: map[string]string{"hosts": "2", "cpu": "4"}}); err != nil {
		t.Errorf("Plan with variables that leave the providers as they are: %v", err)
	}
}
