package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/plan"
	"github.com/novacron/novacron/state"
)

// Default timeouts of the resources' operations.
const (
	defaultCreateTimeout = 20 * time.Minute
	defaultUpdateTimeout = 20 * time.Minute
	defaultDeleteTimeout = 20 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
)

var (
	_ resource.Resource                = &VMResource{}
	_ resource.ResourceWithConfigure   = &VMResource{}
	_ resource.ResourceWithModifyPlan  = &VMResource{}
	_ resource.ResourceWithImportState = &VMResource{}
)

// VMResource is novacron_vm.
type VMResource struct{ backends *backends }

// NewVMResource returns the resource.
func NewVMResource() resource.Resource { return &VMResource{} }

// Metadata names the resource.
func (r *VMResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vm"
}

// Schema describes the resource.
func (r *VMResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = vmSchema(ctx)
}

// Configure receives the provider's backends.
func (r *VMResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.backends = configuredBackends(req.ProviderData, &resp.Diagnostics)
}

// vmInputs are what the configuration alone holds: the pinned host (host
// is also computed) and sensitive_template (write-only).
type vmInputs struct {
	host   types.String
	secret types.Map
}

func readVMInputs(ctx context.Context, cfg tfsdk.Config) (vmInputs, diag.Diagnostics) {
	var in vmInputs
	diags := cfg.GetAttribute(ctx, path.Root("host"), &in.host)
	diags.Append(cfg.GetAttribute(ctx, path.Root("sensitive_template"), &in.secret)...)
	return in, diags
}

// Create plans the VM with the engine, under a new lineage, and applies
// the plan.
func (r *VMResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m vmModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	in, diags := readVMInputs(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withTimeout(ctx, m.Timeouts.Create, defaultCreateTimeout)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Lineage = types.StringValue(newLineage("novacron_vm", m.Name.ValueString()))
	saved, diags := r.apply(ctx, &m, nil, in, resp.Private)
	resp.Diagnostics.Append(diags...)
	if saved {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// Read refreshes the VM from the backend's bulk inventory and removes the
// resource when the VM is gone, so that Terraform plans to create it again.
func (r *VMResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m vmModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, s, diags := startSession(ctx, r.backends, m.Backend.ValueString(), m.Timeouts.Read, defaultReadTimeout)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	inv, diags := s.inventory(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	vm := findVM(inv, m.ID.ValueString())
	if vm == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(recallDigest(ctx, req.Private, m.Lineage.ValueString(), m.TemplateID)...)
	m.fromVM(vm)
	resp.Diagnostics.Append(keepDigestOf(ctx, resp.Private, vm.Template)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update plans the change with the engine against the VM in state (an
// update in place, a migration, a start or a stop) and applies it.
func (r *VMResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior vmModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	in, diags := readVMInputs(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withTimeout(ctx, m.Timeouts.Update, defaultUpdateTimeout)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(recallDigest(ctx, req.Private, prior.Lineage.ValueString(), prior.TemplateID)...)
	// Unsaved (nothing applied, or the VM is gone), the state stays null and
	// Terraform keeps the prior state with the error.
	saved, diags := r.apply(ctx, &m, &prior, in, resp.Private)
	resp.Diagnostics.Append(diags...)
	if saved {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// Delete deletes the VM the state records, and any VM that carries the
// resource's lineage (left by an interrupted apply), with the engine.
func (r *VMResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m vmModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, s, diags := startSession(ctx, r.backends, m.Backend.ValueString(), m.Timeouts.Delete, defaultDeleteTimeout)
	defer cancel()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, diags = s.destroy(ctx, m.engineState(ctx, s.b, ""), onVMAttribute)
	resp.Diagnostics.Append(diags...)
}

// ImportState imports a VM by BACKEND/NAME, or BACKEND/NAME@LINEAGE for a
// VM another owner's marker claims: with `terraform import` or an import
// block. The resource gets a lineage of its own; a VM taken over from
// another owner gets the resource's marker (adopt).
func (r *VMResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, diags := parseImportID(req.ID, "lab/web-01")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, diags := openSession(ctx, r.backends, id.backend, path.Root("backend"))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	inv, diags := s.inventory(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	vm, diags := findByName(inv, id.backend, id.name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(id.checkOwner(vm)...)
	if resp.Diagnostics.HasError() {
		return
	}
	lineage := id.vmLineage(vm)
	if vm.Marker != nil && vm.Marker.Lineage != lineage {
		vm, diags = s.adoptVM(ctx, inv, lineage, vm)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	m := importedVM(id.backend, lineage, vm)
	resp.Diagnostics.Append(keepDigestOf(ctx, resp.Private, vm.Template)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// apply plans the resource's desired VM (m) against its prior state (nil
// before it exists) with the engine and applies the plan, then sets m's
// computed attributes from the backend, keeping in private what
// template_id is the digest of. saved reports whether m now describes a VM
// that exists.
func (r *VMResource) apply(ctx context.Context, m, prior *vmModel, in vmInputs, private privateData) (saved bool, diags diag.Diagnostics) {
	s, diags := openSession(ctx, r.backends, m.Backend.ValueString(), path.Root("backend"))
	if diags.HasError() {
		return false, diags
	}
	sp, ds := m.spec(ctx, s, in.host.ValueString(), in.secret)
	diags.Append(ds...)
	inv, ds := s.inventory(ctx)
	diags.Append(ds...)
	if diags.HasError() {
		return false, diags
	}
	desiredID := sp.Fleets[0].TemplateRef.ID()
	st := state.New(m.Lineage.ValueString())
	o := owner{backend: s.b.name, lineage: m.Lineage.ValueString()}
	if prior != nil {
		if d := prior.record(ctx).drift(findVM(inv, prior.ID.ValueString()), prior.Lineage.ValueString()); d != "" {
			diags.Append(staleDiag([]string{d}))
			return false, diags
		}
		st, o.ids = prior.engineState(ctx, s.b, desiredID), map[string]bool{prior.ID.ValueString(): true}
		if inv, ds = s.markImported(ctx, inv, m, prior); ds.HasError() {
			return false, append(diags, ds...)
		}
	}
	diags.Append(nameConflicts(inv, o, []wantedName{{m.Name.ValueString(), path.Root("name")}})...)
	if diags.HasError() {
		return false, diags
	}
	p, ds := s.plan(inv, sp, st, false, onVMAttribute)
	diags.Append(takenDiags(ds, takenOver(inv, st), s.b.name)...)
	if diags.HasError() {
		return false, diags
	}
	if in.host.IsNull() {
		backendPlaces(p.Plan)
	}
	a, ds := s.apply(ctx, p, sp, st, onVMAttribute)
	diags.Append(ds...)
	rec := a.after.VMs[vmAddress(m.Name.ValueString())]
	if rec == nil {
		return false, diags
	}
	rctx, cancel := recording(ctx)
	defer cancel()
	digested, ds := r.refresh(rctx, s, m, rec, desiredID)
	diags.Append(ds...)
	return true, append(diags, keepDigestOf(ctx, private, digested)...)
}

// backendPlaces leaves the host of the VMs an unpinned novacron_vm makes to
// the backend. Terraform plans and applies each novacron_vm on its own and
// in parallel, so the engine's placement, which sees only the inventory of
// its own plan, would send many VMs to the same best-fitting host; the
// backend places each create against what is there when it runs.
func backendPlaces(p *plan.Plan) {
	for _, c := range p.Changes {
		if c.Action == plan.Create || c.Action == plan.Replace {
			c.After.Host = ""
		}
	}
}

// refresh sets m's unknown attributes from the live VM the engine
// recorded (rec), or from the record itself if the backend no longer lists
// it. What the plan knew stays as planned: Terraform holds the result to
// it, and the next refresh reads any drift (such as an address a DHCP
// lease gave meanwhile). It returns the template ID template_id is the
// digest of.
func (r *VMResource) refresh(ctx context.Context, s *session, m *vmModel, rec *state.VM, desiredID string) (string, diag.Diagnostics) {
	inv, diags := s.inventory(ctx)
	planned := *m
	vm := findVM(inv, rec.ID)
	if vm == nil {
		vm = recordVM(rec)
	}
	if vm.Template == "" {
		vm.Template = desiredID
	}
	m.fromVM(vm)
	digested := vm.Template
	if isKnown(planned.IPAddresses) {
		m.IPAddresses = planned.IPAddresses
	}
	if isKnown(planned.Host) {
		m.Host = planned.Host
	}
	if isKnown(planned.TemplateID) {
		m.TemplateID, digested = planned.TemplateID, desiredID
	}
	return digested, diags
}

// isKnown reports whether a planned value is set and known.
func isKnown(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

// planSummary says what a plan of one VM does, for a plan-time warning
// about what Terraform's own diff cannot show (restarts, adoption).
func planSummary(p *plan.Plan, lineage string) []string {
	var notes []string
	for _, c := range p.Changes {
		switch {
		case c.Action == plan.Adopt:
			notes = append(notes, fmt.Sprintf("VM %s already exists and carries this resource's ownership marker "+
				"(an earlier apply was interrupted before Terraform saved it): it will be adopted, not created again.", c.After.Name))
		case c.Action == plan.Update && c.Restart:
			notes = append(notes, fmt.Sprintf("Updating VM %s restarts it (%s).", c.After.Name, scrubbedReasons(c, lineage)))
		}
	}
	return notes
}

// markImported writes the resource's ownership marker on its VM if the VM
// carries none (imported from outside NovaCron; the plan made lineage
// unknown for it), with the core's adopt, as nova-plan's import does: no
// other configuration then imports it without naming this resource's
// lineage. m keeps the prior lineage. It returns the inventory as it is
// afterwards.
func (s *session) markImported(ctx context.Context, inv driver.Inventory, m, prior *vmModel) (driver.Inventory, diag.Diagnostics) {
	if m.Lineage.IsUnknown() {
		m.Lineage = prior.Lineage
	}
	vm := findVM(inv, prior.ID.ValueString())
	if vm == nil || vm.Marker != nil {
		return inv, nil
	}
	if _, diags := s.adoptVM(ctx, inv, prior.Lineage.ValueString(), vm); diags.HasError() {
		return inv, diags
	}
	return s.inventory(ctx)
}
