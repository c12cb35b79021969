package operation

import (
	"context"
	"errors"

	"github.com/hashicorp/hcl/v2"
)

// IfInterrupted replaces the errors of a step that was interrupted (ctx
// cancelled: Ctrl-C, or Terraform's stop) with Interrupted's: a provider
// whose inventory read was cut short did not fail. A step that ran out of
// time (ctx's deadline) keeps its errors, which say so.
func IfInterrupted(ctx context.Context, diags hcl.Diagnostics) hcl.Diagnostics {
	if !errors.Is(ctx.Err(), context.Canceled) || !diags.HasErrors() {
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
