package hypervtest

import (
	"fmt"
	"strings"
)

// getVM is Get-VM -Id ID -ComputerName HOST (which fails when the host
// has no such VM).
func getVM(m *model, id, h string) (*VM, error) {
	if m.host(h) == nil {
		return nil, hostNotFound("GetVM", h)
	}
	vm := m.vmOn(id, h)
	if vm == nil {
		return nil, notFound("GetVM", "Hyper-V was unable to find a virtual machine with id \"%s\".", id)
	}
	return vm, nil
}

func runUpdate(x *exec) error {
	p := x.p
	if err := x.step("1/6 Get-VM"); err != nil {
		return err
	}
	var vm *VM
	if err := x.locked(func(m *model) (err error) { vm, err = getVM(m, p.ID, p.Host); return err }); err != nil {
		return err
	}
	if err := x.stopVM(vm); err != nil {
		return err
	}
	for _, st := range []struct {
		step string
		f    func(m *model) error
	}{
		{"3/6 Set-VMProcessor", func(m *model) error { return setCPU(vm, p.CPU) }},
		{"4/6 Set-VMMemory", func(m *model) error { return m.setMemory(vm, p.Mem, x.s.opts.RuntimeMemoryResize) }},
		{"5/6 Resize-VHD", func(m *model) error { return m.resize(p.Disk, p.VHD, vm) }},
		{"6/6 Start-VM", func(m *model) error {
			if p.Start {
				return m.start(vm)
			}
			return nil
		}},
	} {
		if err := x.step(st.step); err != nil {
			return err
		}
		if err := x.locked(st.f); err != nil {
			return err
		}
		if st.step == "5/6 Resize-VHD" {
			if text, ok := notesText(p.Notes); ok {
				x.locked(func(*model) error { vm.Notes = text; return nil })
			}
		}
	}
	return x.locked(func(m *model) error { x.done(m.rec(vm, p.Host)); return nil })
}

// stopVM is step 2: Stop-VM, and -TurnOff when the guest ignores it.
func (x *exec) stopVM(vm *VM) error {
	if !x.p.Stop {
		return nil
	}
	var state string
	var ignores bool
	x.locked(func(*model) error { state, ignores = vm.State, vm.IgnoresShutdown; return nil })
	if state == "Off" {
		return nil
	}
	if err := x.step("2/6 Stop-VM"); err != nil {
		return err
	}
	if ignores {
		if err := x.step("2/6 Stop-VM -TurnOff"); err != nil {
			return err
		}
	}
	return x.locked(func(*model) error { vm.State = "Off"; return nil })
}

func setCPU(vm *VM, cpu int) error {
	switch {
	case cpu == 0:
		return nil
	case vm.State != "Off":
		return invalid("SetVMProcessor", "Failed to modify device 'Processor'. The virtual machine '%s' must be turned off to change the number of virtual processors.", vm.Name)
	case cpu > 240:
		return &psError{id: "InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMProcessor", category: "InvalidArgument", message: "The processor count is out of range."}
	}
	vm.CPU = cpu
	return nil
}

// setMemory is Set-VMMemory -StartupBytes: on a running VM only when the
// guests take runtime resize (hot), only to grow, and only into memory
// the host has free.
func (m *model) setMemory(vm *VM, mem int64, hot bool) error {
	running := vm.State != "Off"
	h := m.host(vm.Host)
	switch {
	case mem == 0:
		return nil
	case running && !hot:
		return invalid("SetVMMemory", "Failed to modify device 'Memory'. '%s' failed to modify memory: the guest does not support runtime memory resize.", vm.Name)
	case running && mem < vm.MemBytes:
		return invalid("SetVMMemory", "Failed to modify device 'Memory'. '%s' failed to lower the memory of the running virtual machine: the guest did not release it.", vm.Name)
	case running && m.usedMemory(vm.Host)-vm.MemBytes+mem > h.MemoryMiB*mib:
		return &psError{id: "OperationFailed,Microsoft.HyperV.PowerShell.Commands.SetVMMemory", category: "NotSpecified",
			message: fmt.Sprintf("Failed to modify device 'Memory'. Not enough memory in the system to add memory to '%s'.", vm.Name)}
	case mem < 32*mib || mem%(2*mib) != 0:
		return &psError{id: "InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMMemory", category: "InvalidArgument", message: "The memory is out of range."}
	}
	vm.MemBytes = mem
	return nil
}

// resize is Resize-VHD -Path PATH -SizeBytes SIZE: it only grows, and the
// path must be the VM's disk (the driver never resizes another file).
func (m *model) resize(size int64, path string, vm *VM) error {
	if size == 0 {
		return nil
	}
	f := m.vhds[strings.ToLower(path)]
	switch {
	case f == nil:
		return vhdNotFound(path)
	case len(vm.Disks) == 0 || !strings.EqualFold(vm.Disks[0], path):
		return invalid("ResizeVHD", "the model refuses to resize %s, which is not the disk of VM %s", path, vm.Name)
	case size < f.Size:
		return invalid("ResizeVHD", "Failed to resize the virtual disk. The size specified for '%s' is smaller than its current size.", path)
	}
	f.Size = size
	return nil
}

func runDelete(x *exec) error {
	removed := []string{}
	for i, h := range x.p.Hosts {
		n := len(x.p.Hosts)
		if err := x.step(fmt.Sprintf("%d/%d Get-VM -ComputerName %s", i+1, n, h)); err != nil {
			return err
		}
		var vm *VM
		if err := x.locked(func(m *model) error {
			if m.host(h) == nil {
				return hostNotFound("GetVM", h)
			}
			vm = m.vmOn(x.p.ID, h)
			return nil
		}); err != nil {
			return err
		}
		if vm == nil {
			continue
		}
		for _, st := range []string{"Stop-VM -TurnOff", "Remove-VM", "Remove-Item"} {
			if err := x.step(fmt.Sprintf("%d/%d %s", i+1, n, st)); err != nil {
				return err
			}
		}
		x.locked(func(m *model) error {
			removed = append(removed, m.remove(vm, x.s)...)
			return nil
		})
	}
	x.done(map[string]any{"removed": removed})
	return nil
}

// remove deletes the VM and the disks attached to it in its own folder.
func (m *model) remove(vm *VM, s *Server) []string {
	var out []string
	for _, d := range vm.Disks {
		if !strings.HasPrefix(strings.ToLower(d), strings.ToLower(vm.Path+`\`)) {
			continue
		}
		if m.templates[strings.ToLower(d)] {
			s.unexpected = append(s.unexpected, "a template VHDX was deleted: "+d)
		}
		delete(m.vhds, strings.ToLower(d))
		out = append(out, d)
	}
	m.removeVM(vm.ID)
	return out
}

func runMigrate(x *exec) error {
	p := x.p
	if err := x.step("1/3 Get-VM"); err != nil {
		return err
	}
	var vm *VM
	if err := x.locked(func(m *model) (err error) { vm, err = getVM(m, p.ID, p.From); return err }); err != nil {
		return err
	}
	if err := x.step("2/3 Move-VM to " + p.To); err != nil {
		return err
	}
	if err := x.locked(func(m *model) error { return m.move(vm, p.To, x.s.noMove) }); err != nil {
		return err
	}
	if err := x.step("3/3 Get-VM"); err != nil {
		return err
	}
	return x.locked(func(m *model) error {
		x.done(map[string]any{"moved": m.vmOn(p.ID, p.To) != nil})
		return nil
	})
}

// move is Move-VM -DestinationHost: the host must exist and, for a
// running VM, have its memory free. noMove: it reports success and does
// nothing (the fault the driver must catch).
func (m *model) move(vm *VM, to string, noMove bool) error {
	h := m.host(to)
	switch {
	case h == nil:
		return &psError{id: "OperationFailed,Microsoft.HyperV.PowerShell.Commands.MoveVM", category: "NotSpecified",
			message: fmt.Sprintf("Virtual machine migration operation for '%s' failed at migration source. Failed to establish a connection with host '%s': No such host is known.", vm.Name, to)}
	case vm.State == "Running" && m.usedMemory(h.Name)+vm.MemBytes > h.MemoryMiB*mib:
		return &psError{id: "OperationFailed,Microsoft.HyperV.PowerShell.Commands.MoveVM", category: "NotSpecified",
			message: fmt.Sprintf("Virtual machine migration operation for '%s' failed at migration destination '%s'. Not enough memory in the system to start the virtual machine.", vm.Name, to)}
	case noMove:
		return nil
	}
	vm.Host = h.Name
	return nil
}
