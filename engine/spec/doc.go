// Package spec turns a folder of *.nova.hcl files into the typed desired
// model: variables, locals, providers, templates, fleets expanded into VM
// instances, outputs and import blocks. It uses hcl/v2 and go-cty; every
// problem is an hcl.Diagnostic with a source range, and all of them are
// collected rather than stopping at the first.
//
// It knows drivers only through driver.Registry (to check provider and
// template settings) and never talks to a provider, state or the plan.
package spec
