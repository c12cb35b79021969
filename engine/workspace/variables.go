package workspace

import (
	"fmt"
	"maps"
	"slices"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/engine/secret"
	"github.com/novacron/novacron/engine/spec"
)

// savedVariables records the variable values a plan was made with; a
// sensitive value is kept only as an argon2id digest with its own salt
// (engine/secret), which apply checks the value given again against.
func savedVariables(s *spec.Spec) map[string]plan.Variable {
	out := make(map[string]plan.Variable, len(s.Variables))
	for name, v := range s.Variables {
		val, _ := v.Value.UnmarkDeep()
		if v.Sensitive {
			out[name] = plan.Variable{SensitiveDigest: secret.Hash(valueJSON(val))}
			continue
		}
		ty, err1 := ctyjson.MarshalType(val.Type())
		js, err2 := ctyjson.Marshal(val, val.Type())
		if err1 == nil && err2 == nil {
			out[name] = plan.Variable{Type: ty, Value: js}
		}
	}
	return out
}

func valueJSON(v cty.Value) []byte {
	js, _ := ctyjson.Marshal(v, v.Type())
	return js
}

// SavedValues returns the non-sensitive variable values a saved plan was
// made with, for loading the spec again to apply it.
func SavedValues(p *plan.Plan) (map[string]cty.Value, error) {
	out := map[string]cty.Value{}
	for name, v := range p.Variables {
		if v.SensitiveDigest != "" {
			continue
		}
		ty, err := ctyjson.UnmarshalType(v.Type)
		if err != nil {
			return nil, fmt.Errorf("the plan's value of var.%s is damaged: %w", name, err)
		}
		val, err := ctyjson.Unmarshal(v.Value, ty)
		if err != nil {
			return nil, fmt.Errorf("the plan's value of var.%s is damaged: %w", name, err)
		}
		out[name] = val
	}
	return out, nil
}

// checkVariables verifies that the variables have the values the plan was
// made with: a saved plan applies as planned, so -var cannot change a
// saved value, and sensitive values must be given again, identical.
func checkVariables(p *plan.Plan, s *spec.Spec) error {
	for _, name := range slices.Sorted(maps.Keys(p.Variables)) {
		want := p.Variables[name].SensitiveDigest
		if want == "" {
			if err := checkSaved(name, p.Variables[name], s); err != nil {
				return err
			}
			continue
		}
		v := s.Variables[name]
		if v == nil {
			return &plan.StaleError{Reason: fmt.Sprintf("the spec no longer declares var.%s", name)}
		}
		val, _ := v.Value.UnmarkDeep()
		same, err := secret.Verify(valueJSON(val), want)
		if err != nil {
			return fmt.Errorf("the saved plan keeps var.%s in a form this version does not read (it was made by an earlier version, or edited): run plan again", name)
		}
		switch {
		case !val.IsWhollyKnown() || (!same && v.Source == "default"):
			return fmt.Errorf("var.%s is sensitive, so the plan file does not hold its value: give the same value again when applying (-var, -var-file or %s%s)", name, spec.EnvPrefix, name)
		case !same:
			return fmt.Errorf("var.%s differs from the value the plan was made with (it is sensitive: neither is shown); a saved plan applies exactly as planned: give the value it was made with, or plan again with the new one", name)
		}
	}
	return nil
}

// checkSaved compares a non-sensitive variable with its saved value.
func checkSaved(name string, saved plan.Variable, s *spec.Spec) error {
	v := s.Variables[name]
	if v == nil {
		return &plan.StaleError{Reason: fmt.Sprintf("the spec no longer declares var.%s", name)}
	}
	val, _ := v.Value.UnmarkDeep()
	js, err := ctyjson.Marshal(val, val.Type())
	if err != nil || string(js) != string(saved.Value) {
		return fmt.Errorf("var.%s was given a different value than the saved plan was made with; a saved plan applies exactly as planned: plan again with the new value", name)
	}
	return nil
}
