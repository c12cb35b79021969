package estate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novacron/novacron/server/estate"
)

// varySpec is a workspace whose provider reads a variable with a default,
// and which has a required variable the server gives no value.
const varySpec = `variable "hosts" {
  type    = number
  default = 2
}

variable "ticket" {
  type = string
}

provider "sim" "lab" {
  hosts = var.hosts
}
`

// TestRequestVarsCannotChangeProviders: neither an upload with variables
// (both sides evaluated with the request's variables would agree) nor a
// workspace with a required variable (which the check once skipped) lets a
// request's variables change a provider's settings.
func TestRequestVarsCannotChangeProviders(t *testing.T) {
	root := newRoot(t)
	writeFile(t, filepath.Join(root, "vary", "main.nova.hcl"), varySpec)
	e := open(t, root, nil)
	ctx := context.Background()
	changed := map[string]string{"hosts": "6", "ticket": "CHG-1"}
	cases := map[string]estate.PlanRequest{
		"variables, required one given":  {Vars: changed},
		"upload of the same spec + vars": {Vars: changed, Files: map[string]string{"main.nova.hcl": varySpec}},
	}
	for name, r := range cases {
		_, err := e.Plan(ctx, "vary", "ci", r)
		var inv *estate.InvalidError
		if !errors.As(err, &inv) || !strings.Contains(err.Error(), "provider.sim.lab") {
			t.Errorf("%s: %v, want an *InvalidError naming provider.sim.lab", name, err)
		}
	}
	same := map[string]string{"hosts": "2", "ticket": "CHG-1"}
	if _, err := e.Plan(ctx, "vary", "ci", estate.PlanRequest{Vars: same}); err != nil {
		t.Errorf("variables that leave the provider as it is: %v", err)
	}
	if _, err := e.Plan(ctx, "vary", "ci", estate.PlanRequest{Vars: same, Files: map[string]string{"main.nova.hcl": varySpec}}); err != nil {
		t.Errorf("an upload that leaves the provider as it is: %v", err)
	}
}

// TestUploadGetsNoServerVariables: an upload that declares one of the
// server's variables without `sensitive` cannot show its value; the
// workspace's own spec still reads it.
func TestUploadGetsNoServerVariables(t *testing.T) {
	const secret = "hunter2-SECRET"
	t.Setenv("NOVA_VAR_db_password", secret)
	root := newRoot(t)
	src, err := os.ReadFile(filepath.Join(root, "quickstart", "main.nova.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	own := "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}\n\n" + string(src)
	writeFile(t, filepath.Join(root, "quickstart", "secret.nova.hcl"), "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}\n")
	e := open(t, root, nil)
	ctx := context.Background()
	if _, err := e.Plan(ctx, "quickstart", "ci", estate.PlanRequest{}); err != nil {
		t.Fatalf("the workspace's own spec with a server variable: %v", err)
	}
	leak := strings.Replace(own, "sensitive = true", "", 1) + "\nvm \"leak\" {\n  provider = provider.sim.lab\n  template = template.ubuntu-22.04\n  cpu = 1\n  memory_gb = 1\n  tags = { leak = var.db_password }\n}\n"
	p, err := e.Plan(ctx, "quickstart", "ci", estate.PlanRequest{Files: map[string]string{"main.nova.hcl": leak}})
	if err == nil {
		t.Fatalf("an upload reading a server variable planned: %+v", p.Plan.Changes)
	}
	if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "db_password") {
		t.Errorf("upload reading a server variable: %v, want a refusal naming db_password without its value", err)
	}
}
