package hyperv

import (
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// Type is the driver type name used in `provider "hyperv" "NAME"`.
const Type = "hyperv"

// Setting names of the provider block.
const (
	settingURL              = "url"
	settingHost             = "host"
	settingPort             = "port"
	settingUsername         = "username"
	settingPassword         = "password"
	settingAuth             = "auth"
	settingCAFile           = "ca_file"
	settingInsecure         = "insecure"
	settingAllowUnencrypted = "allow_unencrypted"
	settingHosts            = "hosts"
	settingPath             = "path"
	settingSwitch           = "switch"
	settingShutdown         = "shutdown_timeout"
	settingWait             = "wait_timeout"
	settingCPURatio         = "cpu_allocation_ratio"
	settingMemoryRatio      = "memory_allocation_ratio"
	settingMemoryHot        = "memory_hot_resize"
)

// Setting names of a template's hyperv block.
const (
	tmplVHDX       = "vhdx"
	tmplSecureBoot = "secure_boot"
)

// secureBootValues are the secure_boot setting's values: Hyper-V's Secure
// Boot templates, or Off.
var secureBootValues = []string{"MicrosoftWindows", "MicrosoftUEFICertificateAuthority", "OpenSourceShieldedVM", "Off"}

// The auth setting's values.
const (
	authNTLM  = "ntlm"
	authBasic = "basic"
)

// Factory returns the factory of the hyperv driver type.
func Factory() driver.Factory {
	return driver.Factory{
		Type:             Type,
		Description:      "Hyper-V virtual machines over WinRM and PowerShell",
		Settings:         append(settings(), driver.CostSettings()...),
		TemplateSettings: templateSettings(),
		Open:             driver.Opener(Open),
	}
}

func settings() []driver.Setting {
	return []driver.Setting{
		{Name: settingURL, Type: driver.String, Check: checkURL,
			Description: "WinRM endpoint: https://hv1.example.net:5986/wsman (http only when written, see allow_unencrypted); or set host"},
		{Name: settingHost, Type: driver.String,
			Description: "WinRM endpoint's host name, reached over https on port (instead of url)"},
		{Name: settingPort, Type: driver.Int, Default: int64(5986), Check: checkPort,
			Description: "WinRM port with host (5986: WinRM over HTTPS)"},
		{Name: settingUsername, Type: driver.String,
			Description: `Windows account, e.g. "HV\novacron" or "novacron@example.net", in the Hyper-V Administrators group of every host`},
		{Name: settingPassword, Type: driver.String, Sensitive: true,
			Description: "Password of username; never shown or stored by NovaCron. Under Terraform prefer NOVACRON_HYPERV_PASSWORD to a Terraform variable if you keep saved plans: Terraform writes input variables into plan files"},
		{Name: settingAuth, Type: driver.String, Default: authNTLM, Check: checkAuth,
			Description: `"ntlm" (default) or "basic" (the account must be local, and WinRM's Basic auth enabled)`},
		{Name: settingCAFile, Type: driver.String,
			Description: "PEM file of the CA that signed the WinRM listener's certificate, when the system's CAs do not include it"},
		{Name: settingInsecure, Type: driver.Bool, Default: false, NoEnv: true,
			Description: "Do not verify the WinRM listener's TLS certificate (insecure: for test set-ups only)"},
		{Name: settingAllowUnencrypted, Type: driver.Bool, Default: false, NoEnv: true,
			Description: "Allow an http url with auth = \"basic\", which sends the password and every script unencrypted (as WinRM's own AllowUnencrypted): for test set-ups only"},
		{Name: settingHosts, Type: driver.StringList, Shown: true,
			Description: "Hyper-V hosts the endpoint manages with -ComputerName (e.g. a cluster's members); default: the endpoint itself"},
		{Name: settingPath, Type: driver.String, Check: driver.SetOrLeftOut(settingPath),
			Description: "Folder of the VMs' folders and disks on the hosts (shared storage, for migration); default: each host's VirtualMachinePath"},
		{Name: settingSwitch, Type: driver.String, Check: driver.SetOrLeftOut(settingSwitch),
			Description: "Virtual switch the VMs' network adapter joins; default: no network adapter"},
		{Name: settingShutdown, Type: driver.Duration, Default: 2 * time.Minute, Check: positiveDuration(settingShutdown),
			Description: "How long a guest shutdown (Stop-VM) may take before the VM is turned off (Stop-VM -TurnOff)"},
		{Name: settingWait, Type: driver.Duration, Default: 10 * time.Minute, Check: positiveDuration(settingWait),
			Description: "How long one operation's PowerShell script may run; a script still running then is stopped, and the error names the step it was in"},
		{Name: settingMemoryHot, Type: driver.Bool, Default: false,
			Description: "The guests take runtime memory resize (Windows Server 2016 and later, Linux with hv_balloon): memory of a running VM grows without a restart (Set-VMMemory on the running VM); otherwise a memory change restarts it"},
		{Name: settingCPURatio, Type: driver.Number, Default: float64(4), Check: positiveNumber(settingCPURatio),
			Description: "vCPUs placed per logical processor of a host: a host's capacity is its logical processors times this"},
		{Name: settingMemoryRatio, Type: driver.Number, Default: float64(1), Check: positiveNumber(settingMemoryRatio),
			Description: "Memory placed per byte of host memory (Hyper-V does not overcommit static memory: raise it only for VMs that mostly stay off)"},
	}
}

func templateSettings() []driver.Setting {
	return []driver.Setting{
		{Name: tmplVHDX, Type: driver.String, Required: true, Check: checkVHDX,
			Description: `Template VHDX, as a path on the hosts (e.g. C:\Templates\ubuntu-24.04.vhdx, or on shared storage): each VM gets a differencing disk whose parent it is`},
		{Name: tmplSecureBoot, Type: driver.String, Check: checkSecureBoot,
			Description: `Secure Boot of the generation 2 VMs: "MicrosoftWindows" (Hyper-V's default, for Windows guests), "MicrosoftUEFICertificateAuthority" (most Linux guests), "OpenSourceShieldedVM", or "Off"`},
	}
}
