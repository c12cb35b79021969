package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Whole-number attributes (cpu, disk_gb, instance_count, rollout sizes) are
// number attributes with a validator, not int64 ones: the framework cannot
// read 1.5 into an int64 and fails with a message that blames the provider
// ("Value %!s(*big.Float=1.5) is not an integer"); a number attribute reads
// any number and the validator says what is wrong, on the attribute.

// wholeNumber checks that a number is whole and within [lo, hi].
type wholeNumber struct {
	lo, hi int64
}

var _ validator.Number = wholeNumber{}

func (v wholeNumber) Description(context.Context) string {
	return fmt.Sprintf("a whole number from %d to %d", v.lo, v.hi)
}

func (v wholeNumber) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v wholeNumber) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(attrName(req.Path), req.ConfigValue.ValueBigFloat()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+attrName(req.Path), err.Error())
	}
}

// check says what is wrong with f as the attribute name, or nil.
func (v wholeNumber) check(name string, f *big.Float) error {
	if f == nil || !f.IsInt() {
		return fmt.Errorf("%s must be a whole number; got %s", name, formatNumber(f))
	}
	if n, acc := f.Int64(); acc != big.Exact || n < v.lo || n > v.hi {
		return fmt.Errorf("%s must be between %d and %d; got %s", name, v.lo, v.hi, formatNumber(f))
	}
	return nil
}

func formatNumber(f *big.Float) string {
	if f == nil {
		return "null"
	}
	return f.Text('g', -1)
}

// attrName is the last attribute name of a path: cpu in instances["a"].cpu.
func attrName(p path.Path) string {
	steps := p.Steps()
	for i := len(steps) - 1; i >= 0; i-- {
		if a, ok := steps[i].(path.PathStepAttributeName); ok {
			return string(a)
		}
	}
	return p.String()
}

// intOf reads a whole-number attribute checked by wholeNumber; null and
// unknown are 0.
func intOf(n types.Number) int {
	if n.IsNull() || n.IsUnknown() || n.ValueBigFloat() == nil {
		return 0
	}
	i, _ := n.ValueBigFloat().Int64()
	return int(i)
}

// numberOf is an int as a number attribute.
func numberOf(i int) types.Number { return types.NumberValue(new(big.Float).SetInt64(int64(i))) }
