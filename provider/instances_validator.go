package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
)

// instancesValidator checks every instances entry and reports a problem on
// the entry (instances["b"]), which Terraform shows on that entry's line.
// (A diagnostic on instances["b"].cpu would be shown on the fleet's own cpu
// line: Terraform finds the attribute by its last name in the resource's
// body.)
type instancesValidator struct{}

var _ validator.Map = instancesValidator{}

func (instancesValidator) Description(context.Context) string {
	return "every instance's overrides are valid"
}

func (v instancesValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (instancesValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	for _, key := range slices.Sorted(maps.Keys(elems)) {
		obj, ok := elems[key].(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		for _, problem := range instanceProblems(key, obj.Attributes()) {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(key), "Invalid instance", problem)
		}
	}
}

// instanceProblems lists what is wrong with one entry's known attributes.
func instanceProblems(key string, attrs map[string]attr.Value) []string {
	at := func(name string) string { return fmt.Sprintf("instances[%q].%s", key, name) }
	var out []string
	add := func(err error) {
		if err != nil {
			out = append(out, err.Error()+".")
		}
	}
	if s, ok := knownString(attrs["name"]); ok && !vmNameRe.MatchString(s) {
		out = append(out, fmt.Sprintf("%s %q %s.", at("name"), s, vmNameRule))
	}
	if s, ok := knownString(attrs["host"]); ok && (s == "" || len(s) > 255) {
		out = append(out, fmt.Sprintf("%s must be 1 to 255 characters.", at("host")))
	}
	if s, ok := knownString(attrs["power"]); ok && s != string(driver.PowerRunning) && s != string(driver.PowerStopped) {
		out = append(out, fmt.Sprintf("%s must be running or stopped; got %q.", at("power"), s))
	}
	if n, ok := attrs["cpu"].(types.Number); ok && !n.IsNull() && !n.IsUnknown() {
		add(wholeNumber{1, maxCPU}.check(at("cpu"), n.ValueBigFloat()))
	}
	if n, ok := attrs["disk_gb"].(types.Number); ok && !n.IsNull() && !n.IsUnknown() {
		add(wholeNumber{1, maxDiskGB}.check(at("disk_gb"), n.ValueBigFloat()))
	}
	if f, ok := attrs["memory_gb"].(types.Float64); ok && !f.IsNull() && !f.IsUnknown() {
		if err := checkMemoryGB(f.ValueFloat64()); err != nil {
			out = append(out, at("memory_gb")+strings.TrimPrefix(err.Error(), "memory_gb")+".")
		}
	}
	if m, ok := attrs["tags"].(types.Map); ok && !m.IsNull() && !m.IsUnknown() {
		for k := range m.Elements() {
			if k == "" || strings.HasPrefix(k, "novacron:") {
				out = append(out, fmt.Sprintf("%s: tag key %q is not allowed: keys must be non-empty and the novacron: prefix is reserved for the ownership marker.", at("tags"), k))
			}
		}
	}
	return out
}

func knownString(v attr.Value) (string, bool) {
	s, ok := v.(types.String)
	if !ok || s.IsNull() || s.IsUnknown() {
		return "", false
	}
	return s.ValueString(), true
}
