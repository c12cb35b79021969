package workspace

import (
	"context"
	"regexp"

	"github.com/hashicorp/hcl/v2"
)

// pkgPrefix matches the Go package names lower layers put in front of
// their errors ("state/local: reading …"): useful in a log, noise to a
// user, who never named a package.
var pkgPrefix = regexp.MustCompile(`(^|: )state(?:/[a-z]+)?: `)

// Message returns an error's text as a user should read it: without Go
// package names.
func Message(err error) string { return userText(err.Error()) }

func userText(s string) string { return pkgPrefix.ReplaceAllString(s, "$1") }

// interrupted replaces the errors of an operation that was interrupted
// (its context cancelled by Ctrl-C) with one that says so: a provider whose
// inventory read was cut short did not fail.
func interrupted(ctx context.Context, diags hcl.Diagnostics) hcl.Diagnostics {
	if ctx.Err() == nil || !diags.HasErrors() {
		return diags
	}
	return Interrupted()
}

// Interrupted is the diagnostic of an operation stopped by an interrupt
// before it changed anything.
func Interrupted() hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError, Summary: "Interrupted",
		Detail: "The command was interrupted (Ctrl-C or SIGTERM) before it changed anything.",
	}}
}
