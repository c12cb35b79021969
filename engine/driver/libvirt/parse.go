package libvirt

import (
	"fmt"
	"strings"

	"libvirt.org/go/libvirtxml"

	"github.com/novacron/novacron/engine/driver"
)

// domain is a domain's persistent definition as the driver reads it.
type domain struct {
	def     *libvirtxml.Domain
	meta    meta
	managed bool // it carries NovaCron's metadata element
}

// parseDomain reads a domain's XML.
func parseDomain(x string) (*domain, error) {
	def := &libvirtxml.Domain{}
	if err := def.Unmarshal(x); err != nil {
		return nil, fmt.Errorf("reading the domain XML: %w", err)
	}
	d := &domain{def: def}
	if def.Metadata != nil {
		m, ok, err := findMeta(def.Metadata.XML)
		if err != nil {
			return nil, fmt.Errorf("reading NovaCron's metadata of domain %q: %w", def.Name, err)
		}
		d.meta, d.managed = m, ok
	}
	return d, nil
}

// vm is the VM the definition describes, on host with the power given.
func (d *domain) vm(hostName string, power driver.Power) driver.VM {
	id := d.def.UUID
	if u, ok := parseUUID(id); ok {
		id = formatUUID(u) // libvirt writes it so; an id is compared exactly
	}
	vm := driver.VM{
		ID:           id,
		Name:         d.def.Name,
		Host:         hostName,
		CPU:          d.cpu(),
		MaxCPU:       d.maxCPU(),
		MemoryMiB:    d.memoryMiB(),
		MaxMemoryMiB: d.maxMemoryMiB(),
		DiskGB:       d.meta.DiskGB,
		Power:        power,
		Template:     d.meta.Template,
		Tags:         d.meta.tags(),
		Marker:       d.meta.marker(),
	}
	return vm
}

func (d *domain) cpu() int {
	if v := d.def.VCPU; v != nil {
		if v.Current > 0 {
			return int(v.Current)
		}
		return int(v.Value)
	}
	return 0
}

func (d *domain) maxCPU() int {
	if v := d.def.VCPU; v != nil {
		return int(v.Value)
	}
	return 0
}

func (d *domain) memoryMiB() int64 {
	if m := d.def.CurrentMemory; m != nil && m.Value > 0 {
		return toMiB(m.Value, m.Unit)
	}
	return d.maxMemoryMiB()
}

func (d *domain) maxMemoryMiB() int64 {
	if m := d.def.Memory; m != nil {
		return toMiB(m.Value, m.Unit)
	}
	return 0
}

// disk returns the path and format of the VM's disk (target vda), if any.
func (d *domain) disk() (path, format string) {
	if d.def.Devices == nil {
		return "", ""
	}
	for _, disk := range d.def.Devices.Disks {
		if disk.Target == nil || disk.Target.Dev != diskTarget || disk.Source == nil || disk.Source.File == nil {
			continue
		}
		if disk.Driver != nil {
			format = disk.Driver.Type
		}
		return disk.Source.File.File, format
	}
	return "", ""
}

// hasNetworkNIC reports whether the domain has a NIC on a libvirt network,
// whose DHCP leases can give its addresses.
func (d *domain) hasNetworkNIC() bool {
	if d.def.Devices == nil {
		return false
	}
	for _, nic := range d.def.Devices.Interfaces {
		if nic.Source != nil && nic.Source.Network != nil {
			return true
		}
	}
	return false
}

// toMiB converts a libvirt memory value in unit to MiB, rounding down.
func toMiB(v uint, unit string) int64 {
	b := uint64(v)
	switch strings.ToLower(unit) {
	case "b", "bytes":
	case "", "k", "kib":
		b <<= 10
	case "kb":
		b *= 1000
	case "m", "mib":
		b <<= 20
	case "mb":
		b *= 1000 * 1000
	case "g", "gib":
		b <<= 30
	case "gb":
		b *= 1000 * 1000 * 1000
	case "t", "tib":
		b <<= 40
	}
	return int64(b >> 20)
}
