package xen

import (
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// Type is the driver type name used in `provider "xen" "NAME"`.
const Type = "xen"

// Setting names of the provider block.
const (
	settingURL          = "url"
	settingUsername     = "username"
	settingPassword     = "password"
	settingCAFile       = "ca_file"
	settingInsecure     = "insecure"
	settingPool         = "pool"
	settingSR           = "sr"
	settingNetwork      = "network"
	settingMaxCPU       = "max_cpu"
	settingMaxMemory    = "max_memory_gb"
	settingWaitTimeout  = "wait_timeout"
	settingPollInterval = "poll_interval"
	settingShutdown     = "shutdown_timeout"
	settingCallTimeout  = "call_timeout"
	settingCPURatio     = "cpu_allocation_ratio"
)

// tmplTemplate is the setting of a template's xen block.
const tmplTemplate = "template"

// Factory returns the factory of the xen driver type.
func Factory() driver.Factory {
	return driver.Factory{
		Type:             Type,
		Description:      "XenServer / XCP-ng virtual machines in one pool (XenAPI JSON-RPC)",
		Settings:         append(settings(), driver.CostSettings()...),
		TemplateSettings: templateSettings(),
		Open:             driver.Opener(Open),
	}
}

func settings() []driver.Setting {
	return []driver.Setting{
		{Name: settingURL, Type: driver.String, Check: checkURL,
			Description: "Address of the pool master: https://xen-01.example.net, or a host name (https is added); XenAPI's JSON-RPC is POSTed to <url>/jsonrpc; http is refused"},
		{Name: settingUsername, Type: driver.String, Default: "root", Check: driver.SetOrLeftOut(settingUsername),
			Description: "XenAPI user (root, or a user of the pool's external directory)"},
		{Name: settingPassword, Type: driver.String, Sensitive: true,
			Description: "Password of username; never shown or stored by NovaCron. Under Terraform prefer NOVACRON_XEN_PASSWORD to a Terraform variable if you keep saved plans: Terraform writes input variables into plan files"},
		{Name: settingCAFile, Type: driver.String,
			Description: "PEM file of the CA that signed the pool master's certificate (XenServer's is self-signed: its own certificate), when the system's CAs do not include it"},
		{Name: settingInsecure, Type: driver.Bool, Default: false, NoEnv: true,
			Description: "Do not verify the pool master's TLS certificate (insecure: for test set-ups only)"},
		{Name: settingPool, Type: driver.String, Check: driver.SetOrLeftOut(settingPool),
			Description: "Name-label or uuid of the pool url must be the master of; default: whichever pool url leads to"},
		{Name: settingSR, Type: driver.String, Check: driver.SetOrLeftOut(settingSR),
			Description: "Storage repository (name-label or uuid) new VMs' disks are copied to; default: a fast clone beside the template's disks"},
		{Name: settingNetwork, Type: driver.String, Check: driver.SetOrLeftOut(settingNetwork),
			Description: "Network (name-label or uuid) new VMs' one interface joins; default: the template's interfaces"},
		{Name: settingMaxCPU, Type: driver.Int, Default: int64(0), Check: nonNegativeInt(settingMaxCPU),
			Description: "VCPUs_max of new VMs when more than their cpu: vCPUs are then added to a running VM without a restart, up to this"},
		{Name: settingMaxMemory, Type: driver.Number, Default: float64(0), Check: nonNegativeNumber(settingMaxMemory),
			Description: "memory_static_max (GB) of new VMs when more than their memory: memory then grows on a running VM without a restart, up to this"},
		{Name: settingCPURatio, Type: driver.Number, Default: float64(4), Check: driver.PositiveNumber(settingCPURatio),
			Description: "vCPUs placed per host CPU: a host's capacity for placement is its CPU count times this"},
		{Name: settingWaitTimeout, Type: driver.Duration, Default: 10 * time.Minute, Check: driver.PositiveDurationLike("setting "+settingWaitTimeout, "30s"),
			Description: "How long one XenAPI task (clone, start, migration, …) may take"},
		{Name: settingPollInterval, Type: driver.Duration, Default: time.Second, Check: driver.PositiveDurationLike("setting "+settingPollInterval, "30s"),
			Description: "How often a task is read while waiting for it: first after a quarter of this, the delay doubling up to 4 times this"},
		{Name: settingShutdown, Type: driver.Duration, Default: 2 * time.Minute, Check: driver.PositiveDurationLike("setting "+settingShutdown, "30s"),
			Description: "How long a clean shutdown of the guest may take before the VM is shut down hard"},
		{Name: settingCallTimeout, Type: driver.Duration, Default: 2 * time.Minute, Check: driver.PositiveDurationLike("setting "+settingCallTimeout, "30s"),
			Description: "How long one XenAPI call may take (logging in, reading all records of a large pool)"},
	}
}

func templateSettings() []driver.Setting {
	return []driver.Setting{
		{Name: tmplTemplate, Type: driver.String, Required: true, Check: driver.NonEmpty("setting " + tmplTemplate),
			Description: "XenAPI template to clone (name-label or uuid): a template with a disk, such as one made from a prepared VM"},
	}
}
