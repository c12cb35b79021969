package azure

import (
	"context"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/novacron/novacron/engine/driver"
)

var _ driver.Driver = (*Driver)(nil)

// Driver is an open Azure provider: SDK clients for VMs and network
// interfaces of one resource group. The clients are safe for concurrent
// use and the driver keeps no other state, so it is too.
type Driver struct {
	name string
	cfg  config
	vms  *armcompute.VirtualMachinesClient
	nics *armnetwork.InterfacesClient
	poll time.Duration
}

// Open checks the settings and makes the SDK clients. It calls nothing
// remote: credentials and the resource group are first used by
// Inventory, and their errors name what to fix.
func Open(_ context.Context, req driver.OpenRequest, o Options) (*Driver, error) {
	cfg, err := resolveConfig(req.Config)
	if err != nil {
		return nil, err
	}
	cred := o.Credential
	if cred == nil {
		if cred, err = azidentity.NewDefaultAzureCredential(nil); err != nil {
			return nil, driver.Errorf(driver.KindPermanent, "cannot set up Azure credentials: %v", err)
		}
	}
	cred = credential{cred}
	opts := clientOptions(o)
	vms, err := armcompute.NewVirtualMachinesClient(cfg.subscription, cred, opts)
	if err != nil {
		return nil, err
	}
	nics, err := armnetwork.NewInterfacesClient(cfg.subscription, cred, opts)
	if err != nil {
		return nil, err
	}
	poll := o.PollFrequency
	if poll == 0 {
		poll = 5 * time.Second
	}
	return &Driver{name: req.Name, cfg: cfg, vms: vms, nics: nics, poll: poll}, nil
}

// clientOptions: the SDK's retry policy retries throttling (429), timeouts
// and server errors with exponential backoff, honouring Retry-After; each
// try has its own deadline within the operation's.
func clientOptions(o Options) *arm.ClientOptions {
	return &arm.ClientOptions{ClientOptions: azcore.ClientOptions{
		Transport: o.Transport,
		Retry: policy.RetryOptions{
			MaxRetries:    6,
			TryTimeout:    2 * time.Minute,
			RetryDelay:    o.RetryDelay,
			MaxRetryDelay: time.Minute,
		},
		Telemetry: policy.TelemetryOptions{ApplicationID: "novacron"},
	}}
}

// maxParallel is the default limit of concurrent operations against one
// provider (a block's parallelism overrides it): Azure Resource Manager
// throttles a subscription's writes per hour, and each create is several.
const maxParallel = 20

// Capabilities: a resize restarts an Azure VM and its OS disk grows only
// while deallocated, so neither happens hot; there are no hosts to move
// between; a deallocated VM holds no capacity.
func (d *Driver) Capabilities() driver.Capabilities {
	return driver.Capabilities{StoppedUseNoCapacity: true, MaxParallel: maxParallel}
}

// Close releases nothing: the SDK's clients hold no sessions.
func (d *Driver) Close() error { return nil }

// Migrate is not supported: Azure places VMs itself.
func (d *Driver) Migrate(context.Context, string, string, bool) error {
	return driver.Errorf(driver.KindPermanent, "azure: VMs cannot be moved between hosts; Azure places them itself (a change of host plans a replace)")
}

// callCtx bounds one operation, polling included, by operation_timeout.
func (d *Driver) callCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d.cfg.timeout)
}

// pollOpts is how the SDK's pollers wait between polls.
func (d *Driver) pollOpts() *runtime.PollUntilDoneOptions {
	return &runtime.PollUntilDoneOptions{Frequency: d.poll}
}
