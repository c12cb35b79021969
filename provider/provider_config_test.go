package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/novacron/novacron/engine/driver"
)

// TestAccProviderConfig: settings fall back to NOVACRON_<TYPE>_<SETTING>;
// a setting's own check and duplicate backend names are errors; several
// backends of one type coexist.
func TestAccProviderConfig(t *testing.T) {
	dir := testDir(t)
	t.Setenv("NOVACRON_SIM_HOSTS", "5")
	hosts := func(backend string) string {
		return fmt.Sprintf("data \"novacron_hosts\" %q {\n  backend = %q\n}\n", backend, backend)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(dir, "hosts = 0") + hosts("lab"),
				ExpectError: regexp.MustCompile(`(?i)hosts must be between 1 and 10000; got 0`),
			},
			{
				Config: fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  sim {
    name = "lab"
  }
  faulty {
    name = "lab"
  }
}
`, dir) + hosts("lab"),
				ExpectError: regexp.MustCompile(`Another backend is already named "lab"`),
			},
			{
				Config: fmt.Sprintf(`
provider "novacron" {
  data_dir = %q
  sim {
    name = "lab"
  }
  sim {
    name  = "edge"
    hosts = 2
  }
}
`, dir) + hosts("lab") + hosts("edge"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.novacron_hosts.lab", tfjsonpath.New("hosts"), knownvalue.ListSizeExact(5)),
					statecheck.ExpectKnownValue("data.novacron_hosts.edge", tfjsonpath.New("hosts"), knownvalue.ListSizeExact(2)),
				},
			},
		},
	})
}

func TestSettingValue(t *testing.T) {
	req := driver.Setting{Name: "uri", Type: driver.String, Required: true, Description: "the URI"}
	withDefault := driver.Setting{Name: "hosts", Type: driver.Int, Default: int64(4)}
	cases := []struct {
		name    string
		s       driver.Setting
		v       attr.Value
		env     string
		want    any
		wantOK  bool
		wantErr string
	}{
		{"configured", req, types.StringValue("test:///default"), "", "test:///default", true, ""},
		{"from the environment", req, types.StringNull(), "qemu:///system", "qemu:///system", true, ""},
		{"configured wins", req, types.StringValue("a"), "b", "a", true, ""},
		{"missing", req, types.StringNull(), "", nil, false, "Set it in the block or in the environment variable NOVACRON_TEST_URI."},
		{"default", withDefault, types.Int64Null(), "", int64(4), true, ""},
		{"bad environment value", withDefault, types.Int64Null(), "four", nil, false, "environment variable NOVACRON_TEST_HOSTS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(envName("test", tc.s.Name), tc.env)
			var diags diag.Diagnostics
			cfg := driver.Config{}
			readSettings(context.Background(), "test", []driver.Setting{tc.s}, map[string]attr.Value{tc.s.Name: tc.v}, path.Empty(), cfg, &diags)
			if !diags.HasError() {
				cfg.SetDefaults([]driver.Setting{tc.s}) // as readBackend does
			}
			got, ok := cfg[tc.s.Name]
			if ok != tc.wantOK || fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
			if tc.wantErr == "" && diags.HasError() || tc.wantErr != "" && !regexp.MustCompile("(?i)"+regexp.QuoteMeta(tc.wantErr)).MatchString(fmt.Sprint(diags)) {
				t.Errorf("diagnostics %v, want one containing %q", diags, tc.wantErr)
			}
		})
	}
}
