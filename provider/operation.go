package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/novacron/novacron/state"
)

// timeoutFunc is a timeouts block's getter for one operation, such as
// m.Timeouts.Read.
type timeoutFunc func(ctx context.Context, def time.Duration) (time.Duration, diag.Diagnostics)

// withTimeout bounds ctx by the operation's timeout. cancel is never nil.
func withTimeout(ctx context.Context, timeout timeoutFunc, def time.Duration) (context.Context, context.CancelFunc, diag.Diagnostics) {
	d, diags := timeout(ctx, def)
	if diags.HasError() {
		return ctx, func() {}, diags
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, diags
}

// startSession is the opening of most CRUD calls: the operation's timeout,
// then the backend's driver. cancel is never nil; call it when done.
func startSession(ctx context.Context, bs *backends, backend string, timeout timeoutFunc, def time.Duration) (context.Context, context.CancelFunc, *session, diag.Diagnostics) {
	ctx, cancel, diags := withTimeout(ctx, timeout, def)
	if diags.HasError() {
		return ctx, cancel, nil, diags
	}
	s, ds := openSession(ctx, bs, backend, path.Root("backend"))
	diags.Append(ds...)
	return ctx, cancel, s, diags
}

// destroy deletes every VM recorded in st with the core, and the VMs that
// carry st's lineage; a recorded VM another owner took over is forgotten,
// with a warning, not deleted. after holds what could not be deleted (on a
// partial failure); place says where diagnostics about one VM go.
func (s *session) destroy(ctx context.Context, st *state.State, place placer) (*state.State, diag.Diagnostics) {
	inv, diags := s.inventory(ctx)
	if diags.HasError() {
		return nil, diags
	}
	taken := takenOver(inv, st)
	st = withoutTaken(st, taken)
	diags.Append(forgetTaken(taken, s.b.name)...)
	p, ds := s.plan(inv, nil, st, true, place)
	diags.Append(ds...)
	if diags.HasError() {
		return nil, diags
	}
	a, ds := s.apply(ctx, p, nil, st, place)
	return a.after, append(diags, ds...)
}
