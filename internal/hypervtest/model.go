package hypervtest

import (
	"fmt"
	"strings"
)

// HostSpec is a Hyper-V host of the model.
type HostSpec struct {
	Name      string
	CPU       int
	MemoryMiB int64
	Switches  []string
}

// host is a host in the model.
type host struct {
	HostSpec
	vmPath  string // VirtualMachinePath
	vhdPath string // VirtualHardDiskPath
}

// VM is a virtual machine of the model, as tests read it.
type VM struct {
	ID       string
	Name     string
	Host     string
	CPU      int
	MemBytes int64
	State    string // Running, Off
	Notes    string
	Path     string
	Disks    []string // attached VHDX paths
	Switch   string
	// SecureBoot is the firmware's Secure Boot template, or Off.
	SecureBoot string
	// IgnoresShutdown: the guest does not shut down on Stop-VM.
	IgnoresShutdown bool
}

// VHD is a virtual hard disk file of the model. Files are on storage every
// host reaches (an SMB share or cluster shared volume).
type VHD struct {
	Path   string
	Size   int64
	Parent string
}

const (
	mib = int64(1) << 20
	gib = int64(1) << 30
)

// model is the Hyper-V state; the server's mutex guards it.
type model struct {
	hosts     []*host
	vms       map[string]*VM // by id
	order     []string       // ids in creation order
	vhds      map[string]*VHD
	templates map[string]bool
}

func (m *model) host(name string) *host {
	for _, h := range m.hosts {
		if strings.EqualFold(h.Name, name) {
			return h
		}
	}
	return nil
}

// vmOn returns the VM with id on host h, or nil.
func (m *model) vmOn(id, h string) *VM {
	if vm := m.vms[id]; vm != nil && strings.EqualFold(vm.Host, h) {
		return vm
	}
	return nil
}

// usedMemory is the memory of the running VMs on a host.
func (m *model) usedMemory(h string) int64 {
	var n int64
	for _, vm := range m.vms {
		if strings.EqualFold(vm.Host, h) && vm.State == "Running" {
			n += vm.MemBytes
		}
	}
	return n
}

func (m *model) addVM(vm *VM) {
	m.vms[vm.ID] = vm
	m.order = append(m.order, vm.ID)
}

func (m *model) removeVM(id string) {
	delete(m.vms, id)
	for i, x := range m.order {
		if x == id {
			m.order = append(m.order[:i], m.order[i+1:]...)
			break
		}
	}
}

// rec is a VM as the prelude's Rec reports it; a disk whose file is gone
// has size 0 (Sizes reads them with -ErrorAction SilentlyContinue).
func (m *model) rec(vm *VM, hostName string) map[string]any {
	disk, vhd := int64(0), ""
	if len(vm.Disks) > 0 {
		vhd = vm.Disks[0]
		if f := m.vhds[strings.ToLower(vhd)]; f != nil {
			disk = f.Size
		}
	}
	return map[string]any{"id": vm.ID, "name": vm.Name, "host": hostName, "cpu": vm.CPU, "mem": vm.MemBytes,
		"state": vm.State, "notes": vm.Notes, "disk": disk, "vhd": vhd}
}

// psError is a PowerShell error record as the prelude's trap reports it.
type psError struct {
	id, category, message string
}

func (e *psError) Error() string { return e.message }

func notFound(cmdlet, format string, args ...any) *psError {
	return &psError{id: "ObjectNotFound,Microsoft.HyperV.PowerShell.Commands." + cmdlet, category: "ObjectNotFound", message: fmt.Sprintf(format, args...)}
}

func invalid(cmdlet, format string, args ...any) *psError {
	return &psError{id: "InvalidOperation,Microsoft.HyperV.PowerShell.Commands." + cmdlet, category: "InvalidOperation", message: fmt.Sprintf(format, args...)}
}
