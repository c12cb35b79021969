package hypervtest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// handler runs the model of one script.
type handler func(x *exec) error

// handlers are the models of the driver's scripts, by script name; each
// writes the step lines its script writes, in order.
var handlers = map[string]handler{
	"inventory": runInventory,
	"check":     runCheck,
	"template":  runTemplate,
	"create":    runCreate,
	"update":    runUpdate,
	"delete":    runDelete,
	"migrate":   runMigrate,
}

func hostNotFound(cmdlet, h string) *psError {
	return &psError{id: "InvalidParameter,Microsoft.HyperV.PowerShell.Commands." + cmdlet, category: "InvalidArgument",
		message: fmt.Sprintf("Hyper-V was unable to find a virtual machine host on computer '%s'. The WinRM client cannot process the request: the computer name could not be resolved.", h)}
}

// locked runs f with the model locked.
func (x *exec) locked(f func(m *model) error) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	return f(&x.s.m)
}

func runInventory(x *exec) error {
	hosts, vms := []any{}, []any{}
	for i, h := range x.p.Hosts {
		if err := x.step(fmt.Sprintf("%d/%d Get-VM -ComputerName %s", i+1, len(x.p.Hosts), h)); err != nil {
			return err
		}
		err := x.locked(func(m *model) error {
			hh := m.host(h)
			if hh == nil {
				return hostNotFound("GetVMHost", h)
			}
			hosts = append(hosts, map[string]any{"name": h, "cpu": hh.CPU, "mem": hh.MemoryMiB * mib})
			for _, id := range m.order {
				if vm := m.vms[id]; strings.EqualFold(vm.Host, h) && (x.p.ID == "" || id == x.p.ID) {
					vms = append(vms, m.rec(vm, h))
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	x.done(map[string]any{"hosts": hosts, "vms": vms})
	return nil
}

func runCheck(x *exec) error {
	list := x.p.Hosts
	if len(list) == 0 {
		x.s.mu.Lock()
		list = []string{x.s.m.hosts[0].Name} // $env:COMPUTERNAME
		x.s.mu.Unlock()
	}
	hosts := []any{}
	for i, h := range list {
		if err := x.step(fmt.Sprintf("%d/%d Get-VMHost -ComputerName %s", i+1, len(list), h)); err != nil {
			return err
		}
		err := x.locked(func(m *model) error {
			hh := m.host(h)
			if hh == nil {
				return hostNotFound("GetVMHost", h)
			}
			sw := append([]string{}, hh.Switches...)
			hosts = append(hosts, map[string]any{"name": hh.Name, "path": hh.vhdPath, "switches": sw})
			return nil
		})
		if err != nil {
			return err
		}
	}
	x.done(map[string]any{"hosts": hosts})
	return nil
}

func runTemplate(x *exec) error {
	if err := x.step("1/1 Get-VHD -ComputerName " + x.p.Host); err != nil {
		return err
	}
	var f VHD
	err := x.locked(func(m *model) error {
		if m.host(x.p.Host) == nil {
			return hostNotFound("GetVHD", x.p.Host)
		}
		v := m.vhds[strings.ToLower(x.p.VHDX)]
		if v == nil {
			return vhdNotFound(x.p.VHDX)
		}
		f = *v
		return nil
	})
	if err != nil {
		return err
	}
	x.done(map[string]any{"size": f.Size, "format": "VHDX"})
	return nil
}

func vhdNotFound(path string) *psError {
	return &psError{id: "ObjectNotFound,Microsoft.Vhd.PowerShell.Cmdlets.GetVHD", category: "ObjectNotFound",
		message: fmt.Sprintf("Getting the mounted storage instance for the path '%s' failed. The operation failed as the file was not found.", path)}
}

// notesText is the update script's notes parameter, {"text": …}.
func notesText(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	var n struct {
		Text string `json:"text"`
	}
	_ = json.Unmarshal(raw, &n)
	return n.Text, true
}
