package state

import "fmt"

// abandoned checks the VMs removed with `state rm`: each names a provider
// TYPE.NAME and an id, once, and none is also managed in vms. An abandoned
// VM that vms also records would be both kept and ignored: its marker is
// ignored, so inventory shows it unmanaged while a plan may change it.
func (v *validator) abandoned(s *State) {
	if len(s.Abandoned) == 0 {
		return
	}
	managed := make(map[Ref]string, len(s.VMs))
	for addr, vm := range s.VMs {
		if vm != nil {
			managed[Ref{Provider: vm.Provider, ID: vm.ID}] = addr
		}
	}
	first := make(map[Ref]int, len(s.Abandoned))
	for i, ref := range s.Abandoned {
		f := fmt.Sprintf("abandoned[%d]", i)
		v.abandonedRef(f, ref)
		if j, dup := first[ref]; dup {
			v.add(fmt.Sprintf("abandoned[%d] and %s", j, f), "Remove one of them.",
				"both record VM %s of provider %s", ref.ID, ref.Provider)
			continue
		}
		first[ref] = i
		if addr, ok := managed[ref]; ok && ref.ID != "" {
			v.add(f, fmt.Sprintf("Remove it from abandoned if %s should manage the VM; otherwise run `nova-plan state rm %s`.", field(addr), addr),
				"records VM %s of provider %s, which %s manages", ref.ID, ref.Provider, field(addr))
		}
	}
}

func (v *validator) abandonedRef(f string, ref Ref) {
	if err := checkProviderKey(ref.Provider); err != nil {
		v.add(f+".provider", `Set it to the key of the provider block that holds the VM (TYPE.NAME), or remove the entry.`,
			"is not valid: %v", err)
	}
	v.id(f+".id", ref.ID, "Set it to the id of the VM `state rm` let go, or remove the entry.")
}
