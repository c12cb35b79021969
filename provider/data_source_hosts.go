package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
)

var (
	_ datasource.DataSource              = &HostsDataSource{}
	_ datasource.DataSourceWithConfigure = &HostsDataSource{}
)

// HostsDataSource is novacron_hosts: a backend's hosts, their capacity, and
// what is free on them.
type HostsDataSource struct{ backends *backends }

// NewHostsDataSource returns the data source.
func NewHostsDataSource() datasource.DataSource { return &HostsDataSource{} }

type hostsModel struct {
	ID       types.String   `tfsdk:"id"`
	Backend  types.String   `tfsdk:"backend"`
	Hosts    types.List     `tfsdk:"hosts"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

type hostModel struct {
	Name         types.String  `tfsdk:"name"`
	CPU          types.Int64   `tfsdk:"cpu"`
	MemoryGB     types.Float64 `tfsdk:"memory_gb"`
	VMCount      types.Int64   `tfsdk:"vm_count"`
	UsedCPU      types.Int64   `tfsdk:"used_cpu"`
	UsedMemoryGB types.Float64 `tfsdk:"used_memory_gb"`
	FreeCPU      types.Int64   `tfsdk:"free_cpu"`
	FreeMemoryGB types.Float64 `tfsdk:"free_memory_gb"`
}

func hostTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"name": types.StringType, "cpu": types.Int64Type, "memory_gb": types.Float64Type, "vm_count": types.Int64Type,
		"used_cpu": types.Int64Type, "used_memory_gb": types.Float64Type, "free_cpu": types.Int64Type, "free_memory_gb": types.Float64Type,
	}
}

// Metadata names the data source.
func (d *HostsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_hosts"
}

// Schema describes the data source.
func (d *HostsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The hosts of a backend with their capacity and what its VMs (running and stopped) leave free, from one bulk inventory read.",
		Attributes: map[string]schema.Attribute{
			"id":      schema.StringAttribute{Computed: true, Description: "The backend's name."},
			"backend": schema.StringAttribute{Required: true, Description: "Name of the backend.", Validators: []validator.String{stringvalidator.RegexMatches(backendNameRe, "must be a backend name")}},
			"hosts": schema.ListAttribute{
				Computed: true, ElementType: types.ObjectType{AttrTypes: hostTypes()},
				Description: "The hosts in the backend's order: name, cpu and memory_gb (capacity), vm_count, used_cpu, used_memory_gb, free_cpu and free_memory_gb. " +
					"Backends that place VMs themselves (clouds) report no hosts.",
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

// Configure receives the provider's backends.
func (d *HostsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.backends = configuredBackends(req.ProviderData, &resp.Diagnostics)
}

// Read lists the backend's hosts.
func (d *HostsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m hostsModel
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
	m.ID = m.Backend
	m.Hosts, diags = types.ListValueFrom(ctx, types.ObjectType{AttrTypes: hostTypes()}, hostUsage(inv))
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// hostUsage is each host's capacity and what the inventory's VMs use of it.
func hostUsage(inv driver.Inventory) []hostModel {
	type use struct {
		n, cpu int
		mib    int64
	}
	used := make(map[string]*use, len(inv.Hosts))
	for _, h := range inv.Hosts {
		used[h.Name] = &use{}
	}
	for _, vm := range inv.VMs {
		if u := used[vm.Host]; u != nil {
			u.n, u.cpu, u.mib = u.n+1, u.cpu+vm.CPU, u.mib+vm.MemoryMiB
		}
	}
	out := make([]hostModel, len(inv.Hosts))
	for i, h := range inv.Hosts {
		u := used[h.Name]
		out[i] = hostModel{
			Name: types.StringValue(h.Name), CPU: types.Int64Value(int64(h.CPU)), MemoryGB: types.Float64Value(gib(h.MemoryMiB)),
			VMCount: types.Int64Value(int64(u.n)), UsedCPU: types.Int64Value(int64(u.cpu)), UsedMemoryGB: types.Float64Value(gib(u.mib)),
			FreeCPU: types.Int64Value(int64(h.CPU - u.cpu)), FreeMemoryGB: types.Float64Value(gib(h.MemoryMiB - u.mib)),
		}
	}
	return out
}
