package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/driver/catalog"
	"github.com/novacron/novacron/engine/spec"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/novacron/novacron"

// DefaultDataDir is where backends keep local files when neither data_dir
// nor NOVACRON_DATA_DIR says otherwise, relative to Terraform's working
// directory.
const DefaultDataDir = ".novacron"

var _ provider.Provider = &NovacronProvider{}

// NovacronProvider is the provider. Its configuration schema is generated
// from the driver registry.
type NovacronProvider struct {
	version  string
	registry *driver.Registry
}

// New returns a constructor of the provider with the built-in drivers.
func New(version string) func() provider.Provider {
	return NewWithRegistry(version, catalog.Default())
}

// NewWithRegistry returns a constructor of the provider over a registry.
func NewWithRegistry(version string, reg *driver.Registry) func() provider.Provider {
	return func() provider.Provider {
		return &NovacronProvider{version: version, registry: reg}
	}
}

// Metadata names the provider.
func (p *NovacronProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "novacron"
	resp.Version = p.version
}

// Schema describes the provider configuration.
func (p *NovacronProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema(p.registry)
}

// Configure reads the backend blocks; drivers open later, on first use.
func (p *NovacronProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var dataDir types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("data_dir"), &dataDir)...)
	if resp.Diagnostics.HasError() {
		return
	}
	dir, err := resolveDataDir(dataDir)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("data_dir"), "Invalid data_dir", spec.Sentence(err.Error()))
		return
	}
	bs := &backends{byName: map[string]*backend{}}
	for _, typ := range p.registry.Types() {
		f, _ := p.registry.Lookup(typ)
		resp.Diagnostics.Append(p.configureType(ctx, req, f, dir, bs)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.ResourceData, resp.DataSourceData = bs, bs
}

// resolveDataDir returns data_dir, NOVACRON_DATA_DIR or the default, made
// absolute so that the pool keys a folder however it was written.
func resolveDataDir(v types.String) (string, error) {
	dir := v.ValueString()
	if v.IsNull() || v.IsUnknown() {
		dir = os.Getenv("NOVACRON_DATA_DIR")
	}
	if dir == "" {
		dir = DefaultDataDir
	}
	return filepath.Abs(dir)
}

func (p *NovacronProvider) configureType(ctx context.Context, req provider.ConfigureRequest, f driver.Factory, dataDir string, bs *backends) diag.Diagnostics {
	var blocks types.List
	diags := req.Config.GetAttribute(ctx, path.Root(f.Type), &blocks)
	if diags.HasError() || blocks.IsNull() || blocks.IsUnknown() {
		return diags
	}
	for i, el := range blocks.Elements() {
		obj, ok := el.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		at := path.Root(f.Type).AtListIndex(i)
		b, ds := readBackend(ctx, f, obj, at)
		diags.Append(ds...)
		if b == nil {
			continue
		}
		if _, dup := bs.byName[b.name]; dup {
			diags.AddAttributeError(at.AtName("name"), "Duplicate backend name",
				fmt.Sprintf("Another backend is already named %q; backend names must be unique across all types.", b.name))
			continue
		}
		b.dataDir = dataDir
		bs.byName[b.name] = b
	}
	return diags
}

// Resources lists the resources.
func (p *NovacronProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewVMResource, NewFleetResource}
}

// DataSources lists the data sources.
func (p *NovacronProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewInventoryDataSource, NewHostsDataSource}
}
