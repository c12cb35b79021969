// Package policy checks plans against policies written in Rego, the
// language of Open Policy Agent and conftest, evaluated in-process with
// OPA's Go API.
//
// Load reads the .rego files of one or more folders and compiles them;
// Set.Evaluate evaluates every `deny` and `warn` rule of the packages
// named novacron or novacron.* against an input document and returns
// Results; RunTests runs the policies' own `test_` rules with OPA's test
// runner. The rule contract (docs/cli.md):
//
//	package novacron.min_fleet_size
//
//	deny contains msg if { … }                       # a string: the message
//	warn contains {"msg": m, "address": a} if { … }  # an object: msg and the address it names
//
// A policy that does not parse or compile, a deny or warn rule that is not
// a set, and a rule that yields something other than a string or an
// object with a string msg are diagnostics with the file, line and column
// where OPA places them.
//
// The package knows nothing of plans: the caller builds the input (the
// CLI gives the plan JSON of docs/json-format.md plus the spec's fleets).
// It starts no goroutines of its own, reads no state and writes nothing.
package policy
