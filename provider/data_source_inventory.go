package provider

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/spec"
)

var (
	_ datasource.DataSource              = &InventoryDataSource{}
	_ datasource.DataSourceWithConfigure = &InventoryDataSource{}
)

// InventoryDataSource is novacron_inventory: the VMs of a backend, read in
// one bulk call, with filters.
type InventoryDataSource struct{ backends *backends }

// NewInventoryDataSource returns the data source.
func NewInventoryDataSource() datasource.DataSource { return &InventoryDataSource{} }

type inventoryModel struct {
	ID        types.String   `tfsdk:"id"`
	Backend   types.String   `tfsdk:"backend"`
	NameRegex types.String   `tfsdk:"name_regex"`
	Host      types.String   `tfsdk:"host"`
	Power     types.String   `tfsdk:"power"`
	Tags      types.Map      `tfsdk:"tags"`
	Managed   types.Bool     `tfsdk:"managed"`
	VMs       types.List     `tfsdk:"vms"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

// inventoryVM is one element of vms.
type inventoryVM struct {
	ID          types.String  `tfsdk:"id"`
	Name        types.String  `tfsdk:"name"`
	Host        types.String  `tfsdk:"host"`
	CPU         types.Int64   `tfsdk:"cpu"`
	MemoryGB    types.Float64 `tfsdk:"memory_gb"`
	DiskGB      types.Int64   `tfsdk:"disk_gb"`
	Power       types.String  `tfsdk:"power"`
	TemplateID  types.String  `tfsdk:"template_id"`
	Tags        types.Map     `tfsdk:"tags"`
	IPAddresses types.List    `tfsdk:"ip_addresses"`
	Owner       types.String  `tfsdk:"owner"`
}

// Metadata names the data source.
func (d *InventoryDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_inventory"
}

// Schema describes the data source.
func (d *InventoryDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The VMs of a backend, read in one bulk call, optionally filtered. Every filter that is set must match.",
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{Computed: true, Description: "The backend's name."},
			"backend":    schema.StringAttribute{Required: true, Description: "Name of the backend to list.", Validators: []validator.String{stringvalidator.RegexMatches(backendNameRe, "must be a backend name")}},
			"name_regex": schema.StringAttribute{Optional: true, Description: "Only VMs whose name matches this regular expression (RE2 syntax).", Validators: []validator.String{regexValidator{}}},
			"host":       schema.StringAttribute{Optional: true, Description: "Only VMs on this host.", Validators: []validator.String{stringvalidator.LengthBetween(1, 255)}},
			"power":      schema.StringAttribute{Optional: true, Description: "Only VMs in this power state: `running` or `stopped`.", Validators: []validator.String{stringvalidator.OneOf(string(driver.PowerRunning), string(driver.PowerStopped))}},
			"tags":       schema.MapAttribute{ElementType: types.StringType, Optional: true, Description: "Only VMs carrying every one of these tags with these values."},
			"managed":    schema.BoolAttribute{Optional: true, Description: "true: only VMs carrying a NovaCron ownership marker; false: only VMs without one."},
			"vms": schema.ListAttribute{
				Computed: true, ElementType: types.ObjectType{AttrTypes: inventoryVMTypes()},
				Description: "The matching VMs, sorted by name: id, name, host, cpu, memory_gb, disk_gb, power, template_id, tags, ip_addresses, and owner (the address in the VM's ownership marker, \"\" if it has none). " +
					"template_id is the template's canonical ID as the backend reports it; the values of sensitive settings (a resource's sensitive_template, a nova-plan spec's sensitive template settings) show only as the engine's digest (`sensitive:…`). " +
					"A value of a resource's template shows as it is: put secrets in sensitive_template.",
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

func inventoryVMTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "name": types.StringType, "host": types.StringType,
		"cpu": types.Int64Type, "memory_gb": types.Float64Type, "disk_gb": types.Int64Type,
		"power": types.StringType, "template_id": types.StringType, "owner": types.StringType,
		"tags": types.MapType{ElemType: types.StringType}, "ip_addresses": types.ListType{ElemType: types.StringType},
	}
}

// Configure receives the provider's backends.
func (d *InventoryDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.backends = configuredBackends(req.ProviderData, &resp.Diagnostics)
}

// Read lists the backend's VMs.
func (d *InventoryDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m inventoryModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, s, diags := startSession(ctx, d.backends, m.Backend.ValueString(), m.Timeouts.Read, defaultReadTimeout)
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
	f, diags := m.filter(ctx)
	resp.Diagnostics.Append(diags...)
	var vms []inventoryVM
	for _, vm := range sortedByName(inv.VMs) {
		if f.match(vm) {
			vms = append(vms, inventoryVMOf(vm))
		}
	}
	m.ID = m.Backend
	m.VMs, diags = types.ListValueFrom(ctx, types.ObjectType{AttrTypes: inventoryVMTypes()}, nonNilSlice(vms))
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func inventoryVMOf(vm *driver.VM) inventoryVM {
	out := inventoryVM{
		ID: types.StringValue(vm.ID), Name: types.StringValue(vm.Name), Host: types.StringValue(vm.Host),
		CPU: types.Int64Value(int64(vm.CPU)), MemoryGB: types.Float64Value(gib(vm.MemoryMiB)),
		DiskGB: types.Int64Value(int64(vm.DiskGB)), Power: types.StringValue(string(vm.Power)),
		TemplateID: types.StringValue(vm.Template), Tags: mapValue(userTags(vm.Tags)),
		IPAddresses: listValue(vm.Addresses), Owner: types.StringValue(""),
	}
	if vm.Marker != nil {
		out.Owner = types.StringValue(vm.Marker.Address)
	}
	return out
}

// sortedByName orders VMs by name, then ID, for stable output.
func sortedByName(vms []driver.VM) []*driver.VM {
	out := make([]*driver.VM, len(vms))
	for i := range vms {
		out[i] = &vms[i]
	}
	slices.SortFunc(out, func(a, b *driver.VM) int { return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID)) })
	return out
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// vmFilter is the data source's filters; zero fields match everything.
type vmFilter struct {
	name    *regexp.Regexp
	host    string
	power   driver.Power
	tags    map[string]string
	managed *bool
}

func (m *inventoryModel) filter(ctx context.Context) (vmFilter, diag.Diagnostics) {
	var diags diag.Diagnostics
	f := vmFilter{host: m.Host.ValueString(), power: driver.Power(m.Power.ValueString()), tags: stringMap(ctx, m.Tags, &diags)}
	if !m.NameRegex.IsNull() {
		f.name = regexp.MustCompile(m.NameRegex.ValueString()) // checked by regexValidator
	}
	if !m.Managed.IsNull() {
		f.managed = new(m.Managed.ValueBool())
	}
	return f, diags
}

func (f vmFilter) match(vm *driver.VM) bool {
	switch {
	case f.name != nil && !f.name.MatchString(vm.Name),
		f.host != "" && vm.Host != f.host,
		f.power != "" && vm.Power != f.power,
		f.managed != nil && *f.managed != (vm.Marker != nil):
		return false
	}
	for k, v := range f.tags {
		if got, ok := vm.Tags[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// regexValidator checks that a string compiles as a regular expression.
type regexValidator struct{}

func (regexValidator) Description(context.Context) string { return "a regular expression (RE2 syntax)" }

func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression", spec.Sentence(err.Error()))
	}
}
