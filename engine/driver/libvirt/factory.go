package libvirt

import (
	"time"

	"github.com/novacron/novacron/engine/driver"
)

// Type is the driver type name used in `provider "libvirt" "NAME"`.
const Type = "libvirt"

// Setting names of the provider block.
const (
	settingURI           = "uri"
	settingHosts         = "hosts"
	settingHostName      = "host_name"
	settingDomainType    = "domain_type"
	settingPool          = "pool"
	settingNetwork       = "network"
	settingBridge        = "bridge"
	settingMaxCPU        = "max_cpu"
	settingMaxMemory     = "max_memory_gb"
	settingShutdown      = "shutdown_timeout"
	settingConnect       = "connect_timeout"
	settingCPURatio      = "cpu_allocation_ratio"
	settingMemoryRatio   = "memory_allocation_ratio"
	settingSerialLogDir  = "serial_log_dir"
	settingTLSPKIPath    = "tls_pki_path"
	settingTLSSkipVerify = "tls_insecure_skip_verify"
	settingUnsafeMigrate = "migration_allow_unsafe"
)

// Setting names of a template's libvirt block.
const (
	tmplVolume  = "volume"
	tmplKernel  = "kernel"
	tmplInitrd  = "initrd"
	tmplCmdline = "cmdline"
	tmplUser    = "user_data"
	tmplSSHKeys = "ssh_authorized_keys"
)

// Factory returns the factory of the libvirt driver type.
func Factory() driver.Factory {
	return driver.Factory{
		Type:             Type,
		Description:      "KVM/QEMU hosts through libvirtd (local socket, TCP or TLS)",
		Settings:         append(settings(), driver.CostSettings()...),
		TemplateSettings: templateSettings(),
		Open:             driver.Opener(Open),
	}
}

func settings() []driver.Setting {
	return []driver.Setting{
		{Name: settingURI, Type: driver.String, Check: checkURISetting,
			Description: "libvirt URI of the one host: qemu:///system, qemu+tcp://HOST/system, qemu+tls://HOST/system, test:///default. Set uri or hosts."},
		{Name: settingHosts, Type: driver.StringMap, Check: checkHosts, Shown: true,
			Description: "Several hosts that form one placement domain: host name → libvirt URI. Set uri or hosts."},
		{Name: settingHostName, Type: driver.String, Check: checkHostName, Shown: true,
			Description: "Name of the host given by uri, as plans and `host` pins show it; default: the hypervisor's hostname"},
		{Name: settingDomainType, Type: driver.String, Default: "kvm", Check: checkDomainType,
			Description: "Domain type: kvm (hardware virtualization) or qemu (emulation, for hosts without usable KVM)"},
		{Name: settingPool, Type: driver.String, Default: "default", Check: nonEmpty(settingPool),
			Description: "Storage pool that holds the templates' base volumes and the VMs' disks, on every host"},
		{Name: settingNetwork, Type: driver.String, Check: nonEmpty(settingNetwork),
			Description: "libvirt network the VMs' one NIC joins (its DHCP leases give VM addresses); not with bridge"},
		{Name: settingBridge, Type: driver.String, Check: nonEmpty(settingBridge),
			Description: "Host bridge the VMs' one NIC joins; not with network. With neither, VMs have no NIC."},
		{Name: settingMaxCPU, Type: driver.Int, Default: int64(0), Check: intRange(settingMaxCPU, 0, maxVCPUs),
			Description: "Hot-add ceiling of vCPUs every domain is defined with (at least its cpu); 0: twice its cpu"},
		{Name: settingMaxMemory, Type: driver.Number, Default: float64(0), Check: checkMaxMemory,
			Description: "Hot-add ceiling of memory in GiB every domain is defined with (at least its memory); 0: twice its memory"},
		{Name: settingShutdown, Type: driver.Duration, Default: 30 * time.Second, Check: positiveDuration(settingShutdown),
			Description: "How long a graceful (ACPI) shutdown may take before the domain is powered off"},
		{Name: settingConnect, Type: driver.Duration, Default: 10 * time.Second, Check: positiveDuration(settingConnect),
			Description: "How long connecting to a host may take"},
		{Name: settingCPURatio, Type: driver.Number, Default: float64(4), Check: positiveNumber(settingCPURatio),
			Description: "vCPUs placed per host CPU: a host's capacity is its CPUs times this"},
		{Name: settingMemoryRatio, Type: driver.Number, Default: float64(1), Check: positiveNumber(settingMemoryRatio),
			Description: "Memory placed per byte of host memory: a host's capacity is its memory times this"},
		{Name: settingSerialLogDir, Type: driver.String, Check: absolutePath(settingSerialLogDir),
			Description: "Folder on the host where each VM's serial console is written to NAME.serial.log; default: a pty"},
		{Name: settingTLSPKIPath, Type: driver.String, Check: absolutePath(settingTLSPKIPath),
			Description: "Folder with cacert.pem, clientcert.pem and clientkey.pem for qemu+tls URIs; default: /etc/pki/CA and /etc/pki/libvirt"},
		{Name: settingTLSSkipVerify, Type: driver.Bool, Default: false, NoEnv: true,
			Description: "Do not verify the host's TLS certificate (insecure: for test set-ups only)"},
		{Name: settingUnsafeMigrate, Type: driver.Bool, Default: false,
			Description: "Migrate even when libvirt cannot tell that the disks are on shared storage (a folder shared in a way it does not recognise); wrong use corrupts disks"},
	}
}

func templateSettings() []driver.Setting {
	return []driver.Setting{
		{Name: tmplVolume, Type: driver.String, Check: checkVolumeName,
			Description: "Base volume in the provider's pool; each VM's disk is a copy-on-write overlay on it. Set volume or kernel."},
		{Name: tmplKernel, Type: driver.String, Check: absolutePath(tmplKernel),
			Description: "Kernel to boot directly (a path on the host); the VM gets a blank disk of disk_gb. Set volume or kernel."},
		{Name: tmplInitrd, Type: driver.String, Check: absolutePath(tmplInitrd),
			Description: "Initramfs for kernel (a path on the host)"},
		{Name: tmplCmdline, Type: driver.String,
			Description: "Kernel command line for kernel, e.g. \"console=ttyS0\""},
		{Name: tmplUser, Type: driver.String, Sensitive: true,
			Description: "cloud-init user-data, given to the VM on a NoCloud seed ISO; sensitive: plans, state and the domain's metadata hold only a digest"},
		{Name: tmplSSHKeys, Type: driver.StringList, Sensitive: true,
			Description: "SSH public keys cloud-init installs, given on a NoCloud seed ISO; sensitive, as user_data"},
	}
}
