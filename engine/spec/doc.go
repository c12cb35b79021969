// Package spec turns a folder of *.nova.hcl files into the typed desired
// model: variables, locals, providers, templates, fleets expanded into VM
// instances, outputs, import blocks, moved and removed blocks (moved.go,
// checked against the spec and each other in moved_check.go) and drift
// ignore rules (drift.go). It uses hcl/v2 and go-cty; every
// problem is an hcl.Diagnostic with a source range, and all of them are
// collected rather than stopping at the first. Instance addresses are built
// and read with engine/addrs. Sentence is the one helper that makes an
// error message a diagnostic's sentence, for the spec and the engine's
// faces.
//
// Before hcl parses anything (spec files, variable files, -var values) it
// refuses what hcl cannot parse safely: bytes that are not text, and
// nesting deeper than MaxNesting (limits.go, nesting.go); files are read
// bounded (MaxFileBytes) and must be regular. While it evaluates, every
// value is held to a budget (MaxValueBytes, MaxValueElements; budget.go):
// each local, variable, attribute and output is measured, templates and
// for expressions count as they build (budget_expr.go), and functions that
// could build more refuse first (functions_budget.go). Modules are bounded
// as a whole (MaxModuleInstances, and the VMs of their fleets; module_budget.go),
// each module folder parsed once per Load, and Options.ModuleRoot confines
// their sources to one folder (module_confine.go), for uploaded specs. Sensitive values
// never appear in a diagnostic, nor in the snippet of a variable file it
// points into (Loader.Files masks them). A sensitive template setting
// reaches the driver through TemplateRef.Config and appears elsewhere only
// as the digest SealTemplates sets; a setting its driver declares Shown
// refuses a sensitive value. A variable whose value reaches a setting its
// driver declares sensitive, directly or through locals, is sensitive as
// if it said sensitive = true (sensitive_feeds.go): the rule follows the
// references, before anything is evaluated. The spec knows its sensitive
// values, and its
// Redactor removes them from what drivers say (secrets.go).
//
// ReadBackend reads only the novacron block (where the state is kept, and
// whether it must be encrypted: encryption.go; which policies check its plans:
// policy_setting.go), before anything else and with literal values only; Load checks that
// block the same way and uses nothing of it. The value of conn_str, and of
// any setting of the novacron block named like a secret (SecretName), is
// masked in the files diagnostics show (backend_mask.go).
//
// It knows drivers only through driver.Registry (to check provider and
// template settings) and never talks to a provider, state or the plan.
package spec
