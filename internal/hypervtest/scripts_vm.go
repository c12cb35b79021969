package hypervtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

func runCreate(x *exec) error {
	p := x.p
	if err := x.step("1/6 Get-VHD"); err != nil {
		return err
	}
	var parent VHD
	err := x.locked(func(m *model) error {
		if m.host(p.Host) == nil {
			return hostNotFound("GetVHD", p.Host)
		}
		v := m.vhds[strings.ToLower(p.VHDX)]
		if v == nil {
			return vhdNotFound(p.VHDX)
		}
		parent = *v
		return nil
	})
	if err != nil {
		return err
	}
	if err := x.step("2/6 New-VM"); err != nil {
		return err
	}
	vm, err := x.newVM()
	if err != nil {
		return err
	}
	err = x.locked(func(*model) error { return setFirmware(vm, p.SB) })
	if err == nil {
		err = x.createDisk(vm, parent)
	}
	if err != nil {
		if errors.Is(err, errStopped) {
			return err // powershell.exe was killed: its catch block never ran
		}
		x.locked(func(m *model) error {
			m.removeVM(vm.ID)
			delete(m.vhds, strings.ToLower(diskPath(vm)))
			return nil
		})
		return err
	}
	return x.locked(func(m *model) error {
		var done string // Set-VM -Notes $p.done
		if json.Unmarshal(p.Done, &done) == nil {
			m.vms[vm.ID].Notes = done
		}
		x.done(m.rec(m.vms[vm.ID], p.Host))
		return nil
	})
}

// diskPath is $v.Path.TrimEnd('\')+"\Virtual Hard Disks\$($v.Id).vhdx".
func diskPath(vm *VM) string {
	return strings.TrimRight(vm.Path, `\`) + `\Virtual Hard Disks\` + vm.ID + ".vhdx"
}

// newVM is New-VM | Set-VM -ProcessorCount -StaticMemory -Notes.
func (x *exec) newVM() (*VM, error) {
	p := x.p
	var notes string
	if err := json.Unmarshal(p.Notes, &notes); err != nil {
		return nil, &psError{id: "ParameterArgumentTransformationError,Microsoft.HyperV.PowerShell.Commands.SetVM", category: "InvalidData", message: "Notes is not a string"}
	}
	var vm *VM
	err := x.locked(func(m *model) error {
		h := m.host(p.Host)
		switch {
		case h == nil:
			return hostNotFound("NewVM", p.Host)
		case p.Name == "" || len([]rune(p.Name)) > 100:
			return &psError{id: "InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVM", category: "InvalidArgument", message: "The virtual machine name must be 1 to 100 characters long."}
		case p.Switch != "" && !contains(h.Switches, p.Switch):
			return notFound("NewVM", "Hyper-V was unable to find a virtual switch with name \"%s\".", p.Switch)
		case p.CPU < 1 || p.CPU > 240 || p.Mem < 32*mib || p.Mem%(2*mib) != 0:
			return &psError{id: "InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVM", category: "InvalidArgument", message: "The processor count or memory is out of range."}
		}
		vm = &VM{ID: newGUID(), Name: p.Name, Host: h.Name, CPU: p.CPU, MemBytes: p.Mem, State: "Off", Notes: notes, Switch: p.Switch, Path: h.vmPath}
		if p.Path != "" {
			vm.Path = strings.TrimRight(p.Path, `\`) + `\` + p.Name
		}
		m.addVM(vm)
		return nil
	})
	return vm, err
}

// createDisk is steps 3 to 6: New-VHD -Differencing, Resize-VHD,
// Add-VMHardDiskDrive, Start-VM.
func (x *exec) createDisk(vm *VM, parent VHD) error {
	p, f := x.p, diskPath(vm)
	if err := x.step("3/6 New-VHD"); err != nil {
		return err
	}
	x.locked(func(m *model) error {
		m.vhds[strings.ToLower(f)] = &VHD{Path: f, Size: parent.Size, Parent: parent.Path}
		return nil
	})
	if err := x.step("4/6 Resize-VHD"); err != nil {
		return err
	}
	if p.Disk > parent.Size {
		x.locked(func(m *model) error { m.vhds[strings.ToLower(f)].Size = p.Disk; return nil })
	}
	if err := x.step("5/6 Add-VMHardDiskDrive"); err != nil {
		return err
	}
	x.locked(func(m *model) error { m.vms[vm.ID].Disks = []string{f}; return nil })
	if err := x.step("6/6 Start-VM"); err != nil {
		return err
	}
	if !p.Start {
		return nil
	}
	return x.locked(func(m *model) error { return m.start(m.vms[vm.ID]) })
}

// setFirmware is Set-VMFirmware -SecureBootTemplate (or -EnableSecureBoot
// Off); a new generation 2 VM has MicrosoftWindows.
func setFirmware(vm *VM, sb string) error {
	switch sb {
	case "":
		vm.SecureBoot = "MicrosoftWindows"
	case "MicrosoftWindows", "MicrosoftUEFICertificateAuthority", "OpenSourceShieldedVM", "Off":
		vm.SecureBoot = sb
	default:
		return &psError{id: "InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMFirmware", category: "InvalidArgument",
			message: fmt.Sprintf("Hyper-V was unable to find a Secure Boot template named \"%s\".", sb)}
	}
	return nil
}

// start is Start-VM: the host needs the VM's memory free.
func (m *model) start(vm *VM) error {
	if vm.State == "Running" {
		return nil
	}
	h := m.host(vm.Host)
	if m.usedMemory(vm.Host)+vm.MemBytes > h.MemoryMiB*mib {
		return &psError{id: "OperationFailed,Microsoft.HyperV.PowerShell.Commands.StartVM", category: "NotSpecified",
			message: fmt.Sprintf("'%s' failed to start. Not enough memory in the system to start the virtual machine %s.", vm.Name, vm.Name)}
	}
	vm.State = "Running"
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
