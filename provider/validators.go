package provider

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/novacron/novacron/engine/spec"
)

var (
	// backendNameRe: a backend name becomes part of file names (the sim's).
	backendNameRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]*$`)
	// vmNameRe is the spec language's VM name rule.
	vmNameRe = spec.VMNameRe
	// fleetNameRe is the spec language's fleet name rule (an identifier).
	fleetNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,62}$`)
)

const vmNameRule = "must be 1 to 63 letters, digits, dots, dashes and underscores, starting with a letter or digit"

func (v settingValidator) validate(ctx context.Context, val attr.Value, p path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	if val.IsNull() || val.IsUnknown() {
		return diags
	}
	out, _, err := settingFromValue(ctx, v.s, val)
	if err == nil {
		err = checkSetting(v.s, out)
	}
	if err != nil {
		diags.AddAttributeError(p, "Invalid value for "+v.s.Name, spec.Sentence(err.Error()))
	}
	return diags
}

// tagKeysValidator refuses tag keys the ownership marker reserves.
type tagKeysValidator struct{}

var _ validator.Map = tagKeysValidator{}

func (tagKeysValidator) Description(context.Context) string {
	return "tag keys must be non-empty and must not start with novacron: (reserved for the ownership marker)"
}

func (v tagKeysValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (tagKeysValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for k := range req.ConfigValue.Elements() {
		if k == "" || strings.HasPrefix(k, "novacron:") {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid tag key",
				fmt.Sprintf("Tag key %q is not allowed: keys must be non-empty and the novacron: prefix is reserved for the ownership marker.", k))
		}
	}
}

// memoryValidator checks memory_gb: more than 0, at most the spec
// language's maximum, and a whole number of MiB.
type memoryValidator struct{}

var _ validator.Float64 = memoryValidator{}

func (memoryValidator) Description(context.Context) string {
	return fmt.Sprintf("more than 0 and at most %d, in whole MiB (multiples of 1/1024)", maxMemoryGB)
}

func (v memoryValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (memoryValidator) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkMemoryGB(req.ConfigValue.ValueFloat64()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid memory_gb", spec.Sentence(err.Error()))
	}
}

func checkMemoryGB(gb float64) error {
	switch mib := gb * 1024; {
	case !(gb > 0) || gb > maxMemoryGB:
		return fmt.Errorf("memory_gb must be more than 0 and at most %d; got %v", maxMemoryGB, gb)
	case mib != math.Trunc(mib):
		return fmt.Errorf("memory_gb must be a whole number of MiB (a multiple of 1/1024); got %v", gb)
	}
	return nil
}
