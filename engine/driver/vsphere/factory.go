package vsphere

import (
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// Type is the driver type name used in `provider "vsphere" "NAME"`.
const Type = "vsphere"

// Setting names of the provider block.
const (
	settingURL          = "url"
	settingUser         = "user"
	settingPassword     = "password"
	settingCAFile       = "ca_file"
	settingInsecure     = "insecure"
	settingDatacenter   = "datacenter"
	settingCluster      = "cluster"
	settingResourcePool = "resource_pool"
	settingDatastore    = "datastore"
	settingFolder       = "folder"
	settingNetwork      = "network"
	settingCPUHotAdd    = "cpu_hot_add"
	settingMemoryHotAdd = "memory_hot_add"
	settingShutdown     = "shutdown_timeout"
	settingConnect      = "connect_timeout"
	settingCPURatio     = "cpu_allocation_ratio"
	settingMemoryRatio  = "memory_allocation_ratio"
)

// Setting names of a template's vsphere block.
const (
	tmplVM       = "vm"
	tmplLinked   = "linked_clone"
	tmplUserData = "user_data"
)

// Factory returns the factory of the vSphere driver type.
func Factory() driver.Factory {
	return driver.Factory{
		Type:             Type,
		Description:      "VMware vSphere through vCenter (clone from templates, vMotion)",
		Settings:         append(settings(), driver.CostSettings()...),
		TemplateSettings: templateSettings(),
		Open:             driver.Opener(Open),
	}
}

func settings() []driver.Setting {
	return []driver.Setting{
		{Name: settingURL, Type: driver.String, Check: checkURL,
			Description: "vCenter address: https://vcenter.example.net/sdk, or a host name (https and /sdk are added); http is refused"},
		{Name: settingUser, Type: driver.String,
			Description: "vCenter user, e.g. novacron@vsphere.local"},
		{Name: settingPassword, Type: driver.String, Sensitive: true,
			Description: "Password of user"},
		{Name: settingCAFile, Type: driver.String,
			Description: "PEM file of the CA that signed vCenter's certificate, when the system's CAs do not include it"},
		{Name: settingInsecure, Type: driver.Bool, Default: false, NoEnv: true,
			Description: "Do not verify vCenter's TLS certificate (insecure: for test set-ups only)"},
		{Name: settingDatacenter, Type: driver.String,
			Description: "Datacenter (name or inventory path); default: the only one"},
		{Name: settingCluster, Type: driver.String,
			Description: "Cluster whose hosts take the VMs, in its root resource pool; not with resource_pool. With neither, every host of the datacenter, each in its own compute resource's pool."},
		{Name: settingResourcePool, Type: driver.String,
			Description: "Resource pool (path under the datacenter's host folder, e.g. CLUSTER/Resources/POOL) the VMs go in; its cluster's hosts take them. Not with cluster."},
		{Name: settingDatastore, Type: driver.String,
			Description: "Datastore of the VMs' files and disks; default: the template's"},
		{Name: settingFolder, Type: driver.String,
			Description: "VM folder the VMs go in (a path under the datacenter's VM folder); default: the VM folder itself"},
		{Name: settingNetwork, Type: driver.String,
			Description: "Network (port group or distributed port group) the VMs' first NIC joins; default: the template's"},
		{Name: settingCPUHotAdd, Type: driver.Bool, Default: true,
			Description: "Create VMs with CPU hot-add enabled, so vCPUs grow without a restart (vSphere then exposes no vNUMA topology to the guest)"},
		{Name: settingMemoryHotAdd, Type: driver.Bool, Default: true,
			Description: "Create VMs with memory hot-add enabled, so memory grows without a restart"},
		{Name: settingShutdown, Type: driver.Duration, Default: 30 * time.Second, Check: driver.PositiveDurationLike(settingShutdown, "30s"),
			Description: "How long a guest shutdown (through VMware Tools) may take before the VM is powered off"},
		{Name: settingConnect, Type: driver.Duration, Default: 30 * time.Second, Check: driver.PositiveDurationLike(settingConnect, "30s"),
			Description: "How long connecting and logging in to vCenter may take"},
		{Name: settingCPURatio, Type: driver.Number, Default: float64(4), Check: driver.PositiveNumber(settingCPURatio),
			Description: "vCPUs placed per host CPU thread: a host's capacity is its threads times this"},
		{Name: settingMemoryRatio, Type: driver.Number, Default: float64(1), Check: driver.PositiveNumber(settingMemoryRatio),
			Description: "Memory placed per byte of host memory: a host's capacity is its memory times this"},
	}
}

func templateSettings() []driver.Setting {
	return []driver.Setting{
		{Name: tmplVM, Type: driver.String, Required: true, Check: driver.NonEmpty(tmplVM),
			Description: "VM template (or VM) to clone: a name, found anywhere in the datacenter, or an inventory path"},
		{Name: tmplLinked, Type: driver.Bool, Default: false,
			Description: "Make linked clones, sharing the disk of the template's current snapshot (the template needs one; the disk cannot grow)"},
		{Name: tmplUserData, Type: driver.String, Sensitive: true,
			Description: "cloud-init user-data, given to the guest as guestinfo.userdata (VMware's cloud-init datasource)"},
	}
}
