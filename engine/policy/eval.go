package policy

import (
	"bytes"
	"context"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// Evaluate evaluates every deny and warn rule with input, a JSON
// document, and returns their messages: denials first, then by address
// and message. An evaluation error (a conflict, a failed builtin in a
// strict policy) or a message of the wrong shape is a diagnostic at its
// rule.
func (s *Set) Evaluate(ctx context.Context, input []byte) ([]Result, hcl.Diagnostics) {
	in, err := ast.ValueFromReader(bytes.NewReader(input))
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot evaluate the policies",
			Detail: fmt.Sprintf("The input document is not JSON: %v.", err)}}
	}
	return s.EvaluateValue(ctx, in)
}

// EvaluateValue is Evaluate with an input already parsed.
func (s *Set) EvaluateValue(ctx context.Context, input ast.Value) ([]Result, hcl.Diagnostics) {
	var out []Result
	var diags hcl.Diagnostics
	for _, r := range s.rules {
		rs, err := r.query.Eval(ctx, rego.EvalParsedInput(input))
		if err != nil {
			diags = append(diags, regoDiagnostics("Policy evaluation failed", err, r.srcs)...)
			continue
		}
		got, ds := r.results(rs)
		out, diags = append(out, got...), append(diags, ds...)
	}
	return sortResults(out), diags
}

// results reads the messages of one rule's set.
func (r rule) results(rs rego.ResultSet) ([]Result, hcl.Diagnostics) {
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, nil // undefined: no message
	}
	items, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		return nil, r.badShape(rs[0].Expressions[0].Value)
	}
	out := make([]Result, 0, len(items))
	for _, it := range items {
		res, ok := r.message(it)
		if !ok {
			return out, r.badShape(it)
		}
		out = append(out, res)
	}
	return out, nil
}

// message reads a string, or an object with a string msg and an optional
// string address.
func (r rule) message(v any) (Result, bool) {
	switch v := v.(type) {
	case string:
		return Result{Level: r.level, Message: v}, true
	case map[string]any:
		msg, ok := v["msg"].(string)
		addr, addrOK := v["address"].(string)
		if _, given := v["address"]; !given {
			addrOK = true
		}
		return Result{Level: r.level, Address: addr, Message: msg}, ok && addrOK
	}
	return Result{}, false
}

func (r rule) badShape(v any) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError, Summary: "Invalid policy result",
		Detail: fmt.Sprintf("%s gave %s; each of its messages must be a string or an object {\"msg\": string, \"address\": string}.",
			r.ref, describe(v)),
		Subject: r.at,
	}}
}

func describe(v any) string {
	b, err := ast.InterfaceToValue(v)
	if err != nil {
		return fmt.Sprintf("%T", v)
	}
	s := b.String()
	if len(s) > 80 {
		s = s[:77] + "…"
	}
	return s
}
