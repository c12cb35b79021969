package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider/schema"

	"github.com/novacron/novacron/engine/driver"
)

// TestProviderSchemaFollowsRegistry: each registered driver type is a block
// named after it, with one attribute per setting of the matching type, its
// sensitivity, and its environment variable in the description, plus the
// meta-arguments and name.
func TestProviderSchemaFollowsRegistry(t *testing.T) {
	reg := &driver.Registry{}
	reg.Register(driver.Factory{Type: "cloud", Description: "a test cloud", Settings: []driver.Setting{
		{Name: "endpoint", Type: driver.String, Required: true, Description: "API endpoint"},
		{Name: "token", Type: driver.String, Sensitive: true, Description: "API token"},
		{Name: "retries", Type: driver.Int, Default: int64(3)},
		{Name: "ratio", Type: driver.Number},
		{Name: "insecure", Type: driver.Bool},
		{Name: "timeout", Type: driver.Duration},
		{Name: "labels", Type: driver.StringMap},
		{Name: "zones", Type: driver.StringList},
	}})
	s := providerSchema(reg)
	block, ok := s.Blocks["cloud"].(schema.ListNestedBlock)
	if !ok || len(s.Blocks) != 1 {
		t.Fatalf("blocks %v: want one list block named cloud", s.Blocks)
	}
	attrs := block.NestedObject.Attributes
	wantTypes := map[string]string{
		"name": "StringAttribute", "endpoint": "StringAttribute", "token": "StringAttribute", "retries": "Int64Attribute",
		"ratio": "Float64Attribute", "insecure": "BoolAttribute", "timeout": "StringAttribute", "labels": "MapAttribute",
		"zones": "ListAttribute", "parallelism": "Int64Attribute", "rate_limit": "Float64Attribute",
	}
	if len(attrs) != len(wantTypes) {
		t.Errorf("block has %d attributes, want %d", len(attrs), len(wantTypes))
	}
	for name, want := range wantTypes {
		a, ok := attrs[name]
		if got := strings.TrimPrefix(fmt.Sprintf("%T", a), "schema."); !ok || got != want {
			t.Errorf("attribute %s is %s, want %s", name, got, want)
		}
	}
	if !attrs["token"].IsSensitive() || attrs["endpoint"].IsSensitive() {
		t.Error("token must be sensitive and endpoint not")
	}
	if !attrs["name"].IsRequired() || attrs["endpoint"].IsRequired() {
		t.Error("name must be required; endpoint optional in the schema (it may come from NOVACRON_CLOUD_ENDPOINT)")
	}
	for name, want := range map[string]string{"endpoint": "NOVACRON_CLOUD_ENDPOINT", "retries": "Default: 3", "timeout": "duration"} {
		if d := attrs[name].GetDescription(); !strings.Contains(d, want) {
			t.Errorf("description of %s is %q; want it to mention %q", name, d, want)
		}
	}
}
