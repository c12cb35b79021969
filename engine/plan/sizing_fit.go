package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/novacron/novacron/engine/driver"
	"github.com/novacron/novacron/engine/place"
	"github.com/novacron/novacron/engine/spec"
)

// hostFit tells whether some host of a hypervisor, empty, could hold a
// fleet's VM (its vCPUs, memory, disk, labels and pinned host), as sizing
// asks of each provider it may choose: a provider that never could is no
// candidate, as a cloud without a size that fits is none. Instances of one
// shape share an answer.
type hostFit struct {
	cl    *place.Cluster // nil: the provider reports no hosts (a cloud)
	vm    place.VM
	seen  map[hostFitKey]error
	hosts []string
}

type hostFitKey struct {
	cpu  int
	mib  int64
	disk int
	pin  string
}

func newHostFit(hosts []driver.Host, f *spec.Fleet) *hostFit {
	if len(hosts) == 0 {
		return &hostFit{}
	}
	cl := place.NewCluster(hosts)
	vm := place.VM{Group: f.Address(), Labels: f.Placement.HostLabels}
	if f.Placement.SpreadBy != "host" {
		vm.SpreadBy = f.Placement.SpreadBy
	}
	return &hostFit{cl: cl, vm: vm, seen: map[hostFitKey]error{}, hosts: cl.Hosts()}
}

// check is nil when some host could hold inst, an error naming why the
// closest could not otherwise.
func (h *hostFit) check(inst *spec.Instance) error {
	if h.cl == nil {
		return nil
	}
	k := hostFitKey{inst.CPU, inst.MemoryMiB, inst.DiskGB, inst.Host}
	if err, ok := h.seen[k]; ok {
		return err
	}
	err := h.fit(k)
	h.seen[k] = err
	return err
}

func (h *hostFit) fit(k hostFitKey) error {
	if k.pin != "" && !h.cl.Has(k.pin) {
		return fmt.Errorf("no host %s, the pinned host", k.pin)
	}
	vm := h.vm
	vm.CPU, vm.MemoryMiB, vm.DiskGiB, vm.Pin = k.cpu, k.mib, int64(k.disk), k.pin
	var why []string
	for _, host := range h.hosts {
		if k.pin != "" && host != k.pin {
			continue
		}
		r := h.cl.FitsVM(host, vm)
		if r == "" {
			return nil
		}
		if len(why) < closestHosts {
			why = append(why, r)
		}
	}
	return errors.New("no host can ever hold it: " + strings.Join(why, "; "))
}
