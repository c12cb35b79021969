package azure

import (
	"context"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/novacron/novacron/engine/driver"
)

// Type is the driver type name used in `provider "azure" "NAME"`.
const Type = "azure"

// Setting names of the provider block.
const (
	settingSubscription  = "subscription_id"
	settingResourceGroup = "resource_group"
	settingLocation      = "location"
	settingSubnet        = "subnet_id"
	settingAdminUser     = "admin_username"
	settingSSHKey        = "ssh_public_key"
	settingTimeout       = "operation_timeout"
)

// Setting names of a template's azure block.
const (
	tmplImage      = "image"
	tmplSize       = "vm_size"
	tmplCustomData = "custom_data"
)

// Options are what a test changes to reach the SDK's server fakes instead
// of Azure. The zero value is what the nova-plan binary and the Terraform
// provider use.
type Options struct {
	// Credential replaces DefaultAzureCredential.
	Credential azcore.TokenCredential
	// Transport replaces the SDK's HTTP client.
	Transport policy.Transporter
	// PollFrequency is how often a long-running operation is polled when
	// Azure gives no Retry-After; 0: 5 s. The SDK refuses less than one
	// second outside `go test`.
	PollFrequency time.Duration
	// RetryDelay is the first delay of the SDK's retry policy when Azure
	// gives no Retry-After; 0: the SDK's default (800 ms, doubling).
	RetryDelay time.Duration
}

// Factory returns the factory of the Azure driver type, on Azure itself.
func Factory() driver.Factory { return FactoryWith(Options{}) }

// FactoryWith returns the factory of the Azure driver type with o.
func FactoryWith(o Options) driver.Factory {
	return driver.Factory{
		Type:             Type,
		Description:      "Microsoft Azure virtual machines in one resource group (Azure Resource Manager)",
		Settings:         settings(),
		TemplateSettings: templateSettings(),
		MaxAddress:       tagValueMax, // novacron:address is a tag
		Open: func(ctx context.Context, req driver.OpenRequest) (driver.Driver, error) {
			return Open(ctx, req, o)
		},
	}
}

func settings() []driver.Setting {
	return []driver.Setting{
		{Name: settingSubscription, Type: driver.String, Check: checkSubscription,
			Description: "Azure subscription ID (a GUID); default: the environment variable " + EnvName(settingSubscription)},
		{Name: settingResourceGroup, Type: driver.String, Required: true, Check: driver.NonEmpty(settingResourceGroup),
			Description: "Resource group the VMs, their network interfaces and disks go in; it must exist. Inventory lists its VMs."},
		{Name: settingLocation, Type: driver.String, Required: true, Check: driver.NonEmpty(settingLocation),
			Description: "Azure region of the VMs, e.g. westeurope; the subnet must be in it"},
		{Name: settingSubnet, Type: driver.String, Required: true, Check: checkSubnet,
			Description: "Resource ID of the subnet the VMs' network interfaces join: /subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET"},
		{Name: settingAdminUser, Type: driver.String, Default: "novacron", Check: driver.NonEmpty(settingAdminUser),
			Description: "Administrator user made on each VM (Linux; password login disabled)"},
		{Name: settingSSHKey, Type: driver.String, Required: true, Check: checkSSHKey,
			Description: "OpenSSH public key (ssh-rsa or ssh-ed25519 …) authorised for admin_username; Azure needs one to make a Linux VM"},
		{Name: settingTimeout, Type: driver.Duration, Default: 15 * time.Minute, Check: driver.PositiveDuration(settingTimeout),
			Description: "Deadline of each Azure operation, polling included (a create takes minutes)"},
	}
}

func templateSettings() []driver.Setting {
	return []driver.Setting{
		{Name: tmplImage, Type: driver.String, Required: true, Check: checkImage,
			Description: "Image: a marketplace URN publisher:offer:sku:version (version may be latest) or an image resource ID (/subscriptions/…)"},
		{Name: tmplSize, Type: driver.String, Check: checkSize,
			Description: "VM size every VM of this template gets, e.g. Standard_D2s_v5; it must hold the VM's cpu and memory. Default: the cheapest size in the driver's table that does."},
		{Name: tmplCustomData, Type: driver.String, Sensitive: true,
			Description: "cloud-init user data, given to the VM as Azure custom data"},
	}
}
