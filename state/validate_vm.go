package state

import "fmt"

// The power states a record may hold (driver.PowerRunning and
// driver.PowerStopped: state imports nothing of the engine).
const (
	powerRunning = "running"
	powerStopped = "stopped"
)

// vm checks the record of addr. It runs on every read and write of every
// record, so a sound record is checked without allocating (recordOK)
// before the problems of one that is not are described.
func (v *validator) vm(addr string, vm *VM) {
	fleet, err := fleetOf(addr)
	if err == nil && v.recordOK(fleet, vm) {
		return
	}
	f := field(addr)
	if err != nil {
		v.add(f, `Correct the address to the form the spec gives it (fleet.NAME[N], fleet.NAME["KEY"] or vm.NAME), or restore the file from a backup.`,
			"is not a VM address: %v", err)
	} else if vm.Fleet != fleet {
		v.add(f+".fleet", fmt.Sprintf("Set it to %q.", fleet), "is %q, but the address belongs to %s", vm.Fleet, fleet)
	}
	if err := checkProviderKey(vm.Provider); err != nil {
		v.add(f+".provider", `Set it to the key of the provider block that holds the VM: TYPE.NAME, "sim.lab" for provider "sim" "lab".`,
			"is not valid: %v", err)
	}
	v.id(f+".id", vm.ID, "Restore the file from a backup, or remove the entry: the next plan finds the VM by its ownership marker and adopts it.")
	v.sizes(f, vm)
	v.texts(f, vm)
	for i, dep := range vm.DependsOn {
		if err := checkFleetAddress(dep); err != nil {
			v.add(fmt.Sprintf("%s.depends_on[%d]", f, i), "Correct it to fleet.NAME or vm.NAME, or remove it.",
				"is %q, not a fleet address: %v", dep, err)
		}
	}
}

// id checks a VM id: not empty, plain text, no spaces around it. Drivers
// compare ids exactly, so " vm-1" names no VM, or (a driver that trims)
// another address's.
func (v *validator) id(f, id, emptyFix string) {
	switch bad := badID(id); {
	case id == "":
		v.add(f, emptyFix, "is empty")
	case bad != "":
		v.add(f, "Write the id exactly as `nova-plan inventory` shows it, or restore the file from a backup.", "%s", bad)
	}
}

// sizes checks that cpu, memory and disk are not negative and that power
// is one a VM can have, or left out (a hand-made record: plans read the
// power from the provider).
func (v *validator) sizes(f string, vm *VM) {
	const fix = "Set it to the VM's size as `nova-plan inventory` shows it, or restore the file from a backup."
	if vm.CPU < 0 {
		v.add(f+".cpu", fix, "is %d: a VM's size is never negative", vm.CPU)
	}
	if vm.MemoryMiB < 0 {
		v.add(f+".memory_mib", fix, "is %d: a VM's size is never negative", vm.MemoryMiB)
	}
	if vm.DiskGB < 0 {
		v.add(f+".disk_gb", fix, "is %d: a VM's size is never negative", vm.DiskGB)
	}
	if vm.Power != powerRunning && vm.Power != powerStopped && vm.Power != "" {
		v.add(f+".power", `Set it to "running" or "stopped", as the VM is, or leave it out.`, `is %q: a VM's power is "running" or "stopped"`, vm.Power)
	}
}

// texts checks that what a record shows a user is plain text: show and
// state show print it, and a control character would reach the terminal.
func (v *validator) texts(f string, vm *VM) {
	const fix = "Correct it to the VM's as `nova-plan inventory` shows it, or restore the file from a backup."
	for _, t := range [...]struct{ name, value string }{
		{"name", vm.Name}, {"host", vm.Host}, {"template", vm.Template}, {"spec_hash", vm.SpecHash},
	} {
		if bad := badText(t.value); bad != "" {
			v.add(f+"."+t.name, fix, "%s", bad)
		}
	}
	for k, val := range vm.Tags {
		if bad := badText(k); bad != "" {
			v.add(f+".tags", "Remove the tag, or restore the file from a backup.", "has the key %q, which %s", k, bad)
		} else if bad := badText(val); bad != "" {
			v.add(fmt.Sprintf("%s.tags[%q]", f, k), fix, "%s", bad)
		}
	}
}

// recordOK reports whether a record of fleet has none of the problems vm
// describes. Values that repeat from record to record (provider, host,
// template, dependencies) are checked once: ok remembers the last sound
// one of each.
func (v *validator) recordOK(fleet string, vm *VM) bool {
	if vm.Fleet != fleet || vm.ID == "" || badID(vm.ID) != "" || vm.CPU < 0 || vm.MemoryMiB < 0 || vm.DiskGB < 0 ||
		(vm.Power != powerRunning && vm.Power != powerStopped && vm.Power != "") ||
		badText(vm.Name) != "" || badText(vm.SpecHash) != "" ||
		!v.ok.provider.is(vm.Provider, func(s string) bool { return checkProviderKey(s) == nil }) ||
		!v.ok.host.is(vm.Host, textOK) || !v.ok.template.is(vm.Template, textOK) {
		return false
	}
	for k, val := range vm.Tags {
		if badText(k) != "" || badText(val) != "" {
			return false
		}
	}
	for _, dep := range vm.DependsOn {
		if !v.ok.dep.is(dep, func(s string) bool { return checkFleetAddress(s) == nil }) {
			return false
		}
	}
	return true
}

func textOK(s string) bool { return badText(s) == "" }

// lastOK is the last value a check passed.
type lastOK struct {
	s   string
	set bool
}

// is reports whether check passes s, checking only a value other than the
// last one it passed.
func (l *lastOK) is(s string, check func(string) bool) bool {
	if l.set && s == l.s {
		return true
	}
	if !check(s) {
		return false
	}
	l.s, l.set = s, true
	return true
}
