package azuretest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/azure"
	"github.com/novacron/novacron/engine/operation"
	"github.com/novacron/novacron/engine/workspace"
	"github.com/novacron/novacron/internal/azuretest"
)

// These tests run the path nova-plan takes (engine/workspace: spec,
// drivers, plan, apply, outcomes as diagnostics) in this process, since
// the SDK's server fakes live in the process: nova-plan's own binary
// cannot reach them.

const (
	wsSubscription = "00000000-1111-2222-3333-444444444444"
	wsSubnet       = "/subscriptions/" + wsSubscription + "/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"
)

func wsStore() *azuretest.Store {
	return azuretest.New(azuretest.Config{Subscription: wsSubscription, ResourceGroup: "rg", Location: "westeurope",
		Subnets: []string{wsSubnet}, Images: []string{"Canonical:0001-com-ubuntu-server-jammy:22_04-lts"},
		Sizes: []string{"Standard_B1ms", "Standard_B2s"}})
}

// wsSpec is a one-VM spec on Azure; sub is the subscription_id line,
// image and size the template's settings.
func wsSpec(sub, image, size string) string {
	if size != "" {
		size = "vm_size = " + `"` + size + `"`
	}
	return `
provider "azure" "cloud" {
  ` + sub + `
  resource_group = "rg"
  location       = "westeurope"
  subnet_id      = "` + wsSubnet + `"
  ssh_public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5vdmFjcm9uLXRlc3Qta2V5 test"
}
template "t" {
  azure {
    image = "` + image + `"
    ` + size + `
  }
}
vm "one" {
  template  = template.t
  cpu       = 1
  memory_gb = 2
  disk_gb   = 30
}
`
}

// run plans and applies the spec in a fresh workspace on s, as `nova-plan
// apply` does, and returns every diagnostic.
func run(t *testing.T, s *azuretest.Store, body string) hcl.Diagnostics {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.nova.hcl"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	reg := &driver.Registry{}
	reg.Register(azure.FactoryWith(azure.Options{Credential: s.Credential(), Transport: s.Transport(),
		PollFrequency: 5 * time.Millisecond, RetryDelay: 5 * time.Millisecond}))
	ctx := context.Background()
	sess, diags := workspace.New(dir, reg).Begin(ctx, workspace.BeginOptions{Operation: "apply", LockTimeout: time.Second})
	if diags.HasErrors() {
		return diags
	}
	defer sess.Close()
	p, ds := sess.Plan(ctx, workspace.PlanOptions{})
	if diags = append(diags, ds...); diags.HasErrors() {
		return diags
	}
	res, err := sess.Apply(ctx, p, workspace.ApplyOptions{Operation: "apply", Parallelism: 4})
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return append(diags, operation.OutcomeDiagnostics(sess.Spec, p.Plan, res)...)
}

// TestApply: the spec applies; the template's custom_data reaches Azure
// but not the VM's tags (its record shows only a digest).
func TestApply(t *testing.T) {
	s := wsStore()
	const secret = "#cloud-config\\npassword: hunter2-azure"
	body := strings.Replace(wsSpec(`subscription_id = "`+wsSubscription+`"`, "Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest", ""),
		"azure {", "azure {\n    custom_data = \""+secret+"\"", 1)
	if diags := run(t, s, body); diags.HasErrors() {
		t.Fatalf("apply: %s", diags.Error())
	}
	if got := s.VMNames(); len(got) != 1 || got[0] != "one" {
		t.Fatalf("VMs after apply: %v", got)
	}
	tags, data := s.VMTags("one"), s.CustomData("one")
	for k, v := range tags {
		if strings.Contains(v, "hunter2") {
			t.Errorf("tag %s shows the custom data: %s", k, v)
		}
	}
	if !strings.Contains(data, "hunter2-azure") {
		t.Errorf("the VM's custom data is %q, want the template's", data)
	}
}

// TestBadInput: each mistake is one error diagnostic naming the setting
// to fix, and nothing is created.
func TestBadInput(t *testing.T) {
	sub := `subscription_id = "` + wsSubscription + `"`
	image := "Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest"
	cases := []struct {
		name, body string
		refuse     bool
		want       []string
	}{
		{name: "missing subscription", body: wsSpec("", image, ""),
			want: []string{"subscription_id is not set", "NOVACRON_AZURE_SUBSCRIPTION_ID"}},
		{name: "unknown image", body: wsSpec(sub, "Canonical:no-such-offer:1:latest", ""),
			want: []string{"image is not found", "set image"}},
		{name: "nonexistent size", body: wsSpec(sub, image, "Standard_Nope"),
			want: []string{`vm_size "Standard_Nope" is not a VM size`}},
		{name: "malformed image", body: wsSpec(sub, "ubuntu", ""),
			want: []string{"image must be a marketplace URN"}},
		{name: "credentials refused", body: wsSpec(sub, image, ""), refuse: true,
			want: []string{"no Azure credentials", "AZURE_CLIENT_ID"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(azure.EnvName("subscription_id"), "")
			s := wsStore()
			if tc.refuse {
				s.Credential().SetError(errTokenRefused)
			}
			diags := run(t, s, tc.body)
			errs := diags.Errs()
			if len(errs) != 1 {
				t.Fatalf("%d error diagnostics, want one: %s", len(errs), diags.Error())
			}
			text := diags.Error()
			for _, w := range tc.want {
				if !strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
					t.Errorf("the diagnostic lacks %q: %s", w, text)
				}
			}
			if n, m := len(s.VMNames()), len(s.NICNames()); n+m != 0 {
				t.Errorf("%d VMs and %d network interfaces made", n, m)
			}
		})
	}
}

var errTokenRefused = tokenError("DefaultAzureCredential: failed to acquire a token")

type tokenError string

func (e tokenError) Error() string { return string(e) }
