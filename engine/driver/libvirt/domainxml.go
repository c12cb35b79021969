package libvirt

import (
	"path/filepath"

	"libvirt.org/go/libvirtxml"
)

// domainPlan is everything a domain definition is made from.
type domainPlan struct {
	name, uuid string
	domainType string
	cpu        int
	memoryMiB  int64
	maxCPU     int
	maxMiB     int64
	diskPath   string // "" for no disk
	diskFormat string
	seedPath   string // the cloud-init seed ISO, or ""
	kernel     string // direct kernel boot, or "" to boot from the disk
	initrd     string
	cmdline    string
	network    string
	bridge     string
	serialLog  string // a file for the serial console, or "" for a pty
	meta       string // the encoded NovaCron metadata element
}

// domainXML renders a domain definition.
func (p domainPlan) domainXML() (string, error) {
	d := &libvirtxml.Domain{
		Type:          p.domainType,
		Name:          p.name,
		UUID:          p.uuid,
		Metadata:      &libvirtxml.DomainMetadata{XML: p.meta},
		Memory:        &libvirtxml.DomainMemory{Value: uint(p.maxMiB), Unit: "MiB"},
		CurrentMemory: &libvirtxml.DomainCurrentMemory{Value: uint(p.memoryMiB), Unit: "MiB"},
		VCPU:          &libvirtxml.DomainVCPU{Placement: "static", Current: uint(p.cpu), Value: uint(p.maxCPU)},
		OS:            p.os(),
		Features:      &libvirtxml.DomainFeatureList{ACPI: &libvirtxml.DomainFeature{}, APIC: &libvirtxml.DomainFeatureAPIC{}},
		OnPoweroff:    "destroy",
		OnReboot:      "restart",
		OnCrash:       "destroy",
		Devices:       p.devices(),
	}
	if p.domainType == "kvm" {
		d.CPU = &libvirtxml.DomainCPU{Mode: "host-passthrough"}
	}
	return d.Marshal()
}

func (p domainPlan) os() *libvirtxml.DomainOS {
	os := &libvirtxml.DomainOS{Type: &libvirtxml.DomainOSType{Arch: "x86_64", Type: "hvm"}}
	if p.kernel != "" {
		os.Kernel, os.Initrd, os.Cmdline = p.kernel, p.initrd, p.cmdline
		return os
	}
	os.BootDevices = []libvirtxml.DomainBootDevice{{Dev: "hd"}}
	return os
}

func (p domainPlan) devices() *libvirtxml.DomainDeviceList {
	dev := &libvirtxml.DomainDeviceList{
		MemBalloon: &libvirtxml.DomainMemBalloon{Model: "virtio"},
		Serials:    []libvirtxml.DomainSerial{p.serial()},
	}
	if p.diskPath != "" {
		dev.Disks = append(dev.Disks, fileDisk("disk", p.diskPath, p.diskFormat, diskTarget, "virtio"))
	}
	if p.seedPath != "" {
		seed := fileDisk("disk", p.seedPath, "raw", seedTarget, "virtio")
		seed.ReadOnly = &libvirtxml.DomainDiskReadOnly{}
		dev.Disks = append(dev.Disks, seed)
	}
	if nic := p.nic(); nic != nil {
		dev.Interfaces = []libvirtxml.DomainInterface{*nic}
	}
	return dev
}

// The guest device names of the disk and of the cloud-init seed.
const (
	diskTarget = "vda"
	seedTarget = "vdb"
)

func fileDisk(device, path, format, target, bus string) libvirtxml.DomainDisk {
	return libvirtxml.DomainDisk{
		Device: device,
		Driver: &libvirtxml.DomainDiskDriver{Name: "qemu", Type: format},
		Source: &libvirtxml.DomainDiskSource{File: &libvirtxml.DomainDiskSourceFile{File: path}},
		Target: &libvirtxml.DomainDiskTarget{Dev: target, Bus: bus},
	}
}

func (p domainPlan) serial() libvirtxml.DomainSerial {
	src := &libvirtxml.DomainChardevSource{Pty: &libvirtxml.DomainChardevSourcePty{}}
	if p.serialLog != "" {
		src = &libvirtxml.DomainChardevSource{File: &libvirtxml.DomainChardevSourceFile{Path: p.serialLog, Append: "on"}}
	}
	port := uint(0)
	return libvirtxml.DomainSerial{Source: src, Target: &libvirtxml.DomainSerialTarget{Port: &port}}
}

func (p domainPlan) nic() *libvirtxml.DomainInterface {
	model := &libvirtxml.DomainInterfaceModel{Type: "virtio"}
	switch {
	case p.network != "":
		return &libvirtxml.DomainInterface{Model: model, Source: &libvirtxml.DomainInterfaceSource{
			Network: &libvirtxml.DomainInterfaceSourceNetwork{Network: p.network}}}
	case p.bridge != "":
		return &libvirtxml.DomainInterface{Model: model, Source: &libvirtxml.DomainInterfaceSource{
			Bridge: &libvirtxml.DomainInterfaceSourceBridge{Bridge: p.bridge}}}
	}
	return nil
}

// serialLogPath is where a VM's serial console goes in dir ("" for none).
func serialLogPath(dir, name string) string {
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, name+".serial.log")
}
